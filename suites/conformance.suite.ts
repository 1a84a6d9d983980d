// One test per rule and bank. The CLI has already talked to the bank and recorded every
// exchange; each test judges its rule on those exchanges, reports to Allure, and leaves
// its verdict in the task meta for findings.json.
import { readFileSync } from 'node:fs';
import * as allure from 'allure-js-commons';
import { parse as parseYaml } from 'yaml';
import { describe, inject, test, type TestContext } from 'vitest';
import { createRedactor } from '../core/redact.js';
import type { Rule } from '../core/model.js';
import { judgeRule, observe, type JudgeContext } from '../rules/judge.js';
import { KINDS } from '../rules/registry.js';
import { SchemaValidators } from '../schemas/validators.js';
import { attachEvidence } from './evidence.js';

/**
 * The verdicts a test ends with. Their stack is only their message: a reviewer reads what the bank
 * did, not where in this suite the verdict was thrown (no local paths in the results).
 * A name with "Assertion" makes Allure show `failed`; any other error is `broken`.
 */
class RuleViolated extends Error {
  override name = 'AssertionError';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}
class RuleNotJudged extends Error {
  override name = 'RuleNotJudged';
  constructor(message: string) {
    super(message);
    this.stack = `${this.name}: ${message}`;
  }
}

/**
 * Where a reviewer reads the clause: the spec's published documentation (`externalDocs.url`, an
 * https address), never a path on this machine. None when the spec names no https address.
 */
function publishedDocs(file: string): string | undefined {
  try {
    // why the cast: only externalDocs.url is read, as unknown, and checked
    const doc = parseYaml(readFileSync(file, 'utf8')) as { externalDocs?: { url?: unknown } } | null;
    const url = doc?.externalDocs?.url;
    return typeof url === 'string' && url.startsWith('https://') ? url : undefined;
  } catch {
    return undefined;
  }
}

// Handed over in memory by the CLI (app/run/run-file.ts): the exchanges never touch the disk.
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
  const specUrl = publishedDocs(catalogue.spec.file);

  const judge = async (rule: Rule, t: TestContext): Promise<void> => {
    let result;
    try {
      result = judgeRule(rule, ctx);
    } catch (e) {
      // An unexpected error may quote what the bank sent: only its redacted message leaves, as `broken`.
      throw new RuleNotJudged(`the check could not run: ${redactor.redactText(e instanceof Error ? e.message : String(e))}`);
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
    // The schema name or clause (e.g. berlin-group.openapi.yaml#/components/schemas/cardAccountDetails), linked to the published spec.
    await allure.label('specRef', rule.specRef);
    if (specUrl) await allure.link(specUrl, `${catalogue.spec.title} ${catalogue.spec.version}: ${rule.specRef}`);
    await allure.description(
      redactor.redactText(
        `${KINDS[rule.kind]?.docs.description ?? ''}\n\nRule ${rule.id} (${rule.mandatory ? 'mandatory' : 'optional'}), from ${rule.specRef} of ${catalogue.spec.title} ${catalogue.spec.version}. Profile ${catalogue.profile.name}; bank ${bank.name} at ${bank.baseUrl}.`,
      ),
    );
    await attachEvidence(result, bank.log.exchanges, redactor);
    const message = redactor.redactText(result.message);
    if (result.status === 'failed') throw new RuleViolated(message);
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
