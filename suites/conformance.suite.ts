// One test per rule and bank. The CLI has already talked to the bank and recorded every
// exchange; each test judges its rule on those exchanges, reports to Allure, and leaves
// its verdict in the task meta for findings.json.
import { pathToFileURL } from 'node:url';
import * as allure from 'allure-js-commons';
import { assert, describe, inject, test, type TestContext } from 'vitest';
import { createRedactor } from '../lib/redact.js';
import type { Rule } from '../lib/model.js';
import { judgeRule, observe, type JudgeContext } from '../rules/judge.js';
import { KINDS } from '../rules/registry.js';
import { SchemaValidators } from '../schemas/validators.js';
import { attachEvidence } from './evidence.js';

/** Thrown for a rule that could not be judged: Allure shows it as broken, not failed. */
class RuleNotJudged extends Error {
  override name = 'RuleNotJudged';
}

// Handed over in memory by the CLI (lib/run/run-file.ts): the exchanges never touch the disk.
const run = inject('cardConformanceRun');

const groupBy = <T>(items: T[], key: (t: T) => string): Map<string, T[]> => {
  const m = new Map<string, T[]>();
  for (const i of items) m.set(key(i), [...(m.get(key(i)) ?? []), i]);
  return m;
};

for (const bank of run.banks) {
  const { catalogue } = bank;
  const ctx: JudgeContext = {
    exchanges: observe(bank.log.exchanges),
    profile: catalogue.profile,
    validators: new SchemaValidators(catalogue.defs),
    notSent: bank.log.notSent,
  };
  const redactor = createRedactor(bank.secrets);
  const specUrl = pathToFileURL(catalogue.spec.file).toString();

  const judge = async (rule: Rule, t: TestContext): Promise<void> => {
    let result;
    try {
      result = judgeRule(rule, ctx);
    } catch (e) {
      // An unexpected error may quote what the bank sent: only its redacted message leaves.
      throw new Error(redactor.redactText(e instanceof Error ? e.message : String(e)));
    }
    // The verdict travels to the CLI through the task meta (set before any throw).
    t.task.meta.cardConformance = { bankId: bank.id, result };
    await allure.epic(bank.id);
    await allure.feature(rule.endpoint);
    await allure.story(rule.category);
    await allure.severity(result.severity);
    await allure.allureId(rule.id);
    await allure.label('ruleId', rule.id);
    await allure.label('bank', bank.id);
    await allure.tag(rule.kind);
    if (!rule.mandatory) await allure.tag('optional');
    await allure.parameter('bank', bank.id);
    await allure.parameter('ruleId', rule.id);
    await allure.link(specUrl, rule.specRef);
    await allure.description(redactor.redactText(`${KINDS[rule.kind]?.description ?? ''}\n\nRule ${rule.id} (${rule.mandatory ? 'mandatory' : 'optional'}), from ${rule.specRef} of ${catalogue.spec.title} ${catalogue.spec.version}. Profile ${catalogue.profile.name}; bank ${bank.name} at ${bank.baseUrl}.`));
    await attachEvidence(result, bank.log.exchanges, redactor);
    const message = redactor.redactText(result.message);
    if (result.status === 'failed') assert.fail(message);
    if (result.status === 'broken') throw new RuleNotJudged(message);
    if (result.status === 'skipped') t.skip(message);
  };

  describe(bank.id, () => {
    for (const [endpoint, byEndpoint] of groupBy(catalogue.rules, (r) => r.endpoint)) {
      describe(endpoint, () => {
        for (const [category, rules] of groupBy(byEndpoint, (r) => r.category)) {
          describe(category, () => {
            for (const rule of rules) {
              test(rule.title, (t) => judge(rule, t));
            }
          });
        }
      });
    }
  });
}
