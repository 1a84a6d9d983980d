// The real-world corpus through the real pipeline: for each case a replay bank serves its
// recorded bodies, the collector talks to it over HTTP as it would to a bank, every rule of the
// case's profile is judged, and the case's expectations are checked against the findings.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectExchanges, type ExchangeLog } from '../../collect/collect.js';
import { defaultBankConfig } from '../../config/load.js';
import { createHttpClient } from '../../transport/http/client.js';
import type { RuleResult } from '../../core/model.js';
import { catalogueOf, judgeAll } from '../fixtures/engine-run.js';
import { describeExpectation, findingsOf, loadCases, matches, type Expectation, type Found, type RealWorldCase } from './cases.js';
import { startReplayBank, type ReplayBank } from './replay-bank.js';

const CASES = loadCases();

interface CaseRun {
  log: ExchangeLog;
  results: RuleResult[];
  found: Found[];
}

async function runCase(c: RealWorldCase, bank: ReplayBank): Promise<CaseRun> {
  const { catalogue } = catalogueOf(c.profile);
  const config = defaultBankConfig(bank.baseUrl, c.profile);
  config.consent = c.consent === 'create' ? { create: true } : { id: c.consent.id, create: false };
  const client = createHttpClient({ limits: config.limits });
  try {
    const log = await collectExchanges({ catalogue, bank: config, client, consentPollMs: 1 });
    const results = judgeAll(catalogue, log);
    return { log, results, found: findingsOf(results) };
  } finally {
    await client.close();
  }
}

const listFound = (found: Found[]): string => found.map((f) => `  ${f.ruleId} [${f.category}] ${f.instancePath}: ${f.message}`).join('\n') || '  (no finding)';
const title = (e: Expectation): string => describeExpectation(e);

it('has a corpus: cases that must find and cases that must stay clean, on every profile', () => {
  expect(CASES.length).toBeGreaterThanOrEqual(10);
  expect(new Set(CASES.map((c) => c.profile))).toEqual(new Set(['berlin-group', 'bits-no', 'handelsbanken']));
  expect(CASES.filter((c) => c.mustFind.length === 0 && c.mustNotFind.some((e) => describeExpectation(e) === 'any finding')).length).toBeGreaterThanOrEqual(3);
});

for (const c of CASES) {
  describe(`${c.name} (${c.profile})`, () => {
    let bank: ReplayBank;
    let run: CaseRun;
    beforeAll(async () => {
      bank = await startReplayBank({ responses: c.responses, consentId: c.consentId, basePath: c.basePath });
      run = await runCase(c, bank);
    });
    afterAll(async () => {
      await bank?.close();
    });

    it('completes the run', () => {
      expect(run.log.fatal, c.description).toBeUndefined();
    });

    for (const e of c.mustFind) {
      it(`finds ${title(e)}`, () => {
        expect(
          run.found.some((f) => matches(e, f)),
          `no finding matches; found:\n${listFound(run.found)}`,
        ).toBe(true);
      });
    }
    for (const e of c.mustNotFind) {
      it(`does not find ${title(e)}`, () => {
        const wrong = run.found.filter((f) => matches(e, f));
        expect(wrong, `unexpected:\n${listFound(wrong)}`).toEqual([]);
      });
    }
    for (const ruleId of c.mustPass) {
      it(`judges and passes ${ruleId}`, () => {
        const r = run.results.find((x) => x.rule.id === ruleId);
        if (!r) throw new Error(`no rule ${ruleId} in the ${c.profile} catalogue`);
        expect({ status: r.status, message: r.message }).toEqual({ status: 'passed', message: '' });
        expect(r.checked).toBeGreaterThan(0);
      });
    }
  });
}
