// Every profile the reference bank serves, run through the whole engine in-process (collect →
// judge, no CLI): the sandbox must satisfy its own profile's catalogue completely, and the
// Handelsbanken shape must visibly fail the Berlin Group rules (the profiles really differ).
import { beforeAll, describe, expect, it } from 'vitest';
import type { Category } from '../core/model.js';
import { catalogueOf, judgeAll, problems, runEngine, type EngineRun } from './fixtures/engine-run.js';

const PROFILES = ['berlin-group', 'bits-no', 'handelsbanken'] as const;
// Signed as the built-in bank's runs are, except Handelsbanken, whose profile does not sign
// (so its signature and certificate rules are skipped).
const UNSIGNED: Record<string, Category[]> = { handelsbanken: ['signature', 'certificate'] };

const runs = new Map<string, EngineRun>();
beforeAll(async () => {
  for (const [name, run] of await Promise.all(
    PROFILES.map(async (p) => [p, await runEngine(p, { seed: 1, today: '2026-11-20', sign: !UNSIGNED[p] })] as const),
  ))
    runs.set(name, run);
});

describe.each(PROFILES)('a full engine run against the %s sandbox', (name) => {
  it('completes, with no failed and no broken result', () => {
    const run = runs.get(name)!;
    expect(run.log.fatal).toBeUndefined();
    expect(problems(run.results)).toEqual([]);
    expect(run.results).toHaveLength(run.catalogue.rules.length);
  });

  it("judges (and passes) rules in every category of the profile's catalogue", () => {
    const run = runs.get(name)!;
    const categories = [...new Set(run.catalogue.rules.map((r) => r.category))].filter((c) => !(UNSIGNED[name] ?? []).includes(c));
    expect(categories.length).toBeGreaterThan(8);
    const unjudged = categories.filter((c) => !run.results.some((r) => r.rule.category === c && r.status === 'passed'));
    expect(unjudged).toEqual([]);
  });
});

describe('profile-specific rules are really exercised', () => {
  const passed = (name: string, id: string): boolean => runs.get(name)!.results.some((r) => r.rule.id === id && r.status === 'passed' && r.checked > 0);

  it('bits-no: x-accept-fix probes, relatedAccount, link verbs and exact minor units', () => {
    for (const op of ['getCardAccountList', 'readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList']) {
      expect(passed('bits-no', `${op}:error:missing-header-x-accept-fix`), op).toBe(true);
    }
    expect(passed('bits-no', 'getCardAccountList:/cardAccounts/*/relatedAccount/other/identification:required')).toBe(true);
    expect(passed('bits-no', 'getCardAccountList:/cardAccounts/*/_links/balances/verbs/*:enum')).toBe(true);
    expect(passed('bits-no', 'signature:accepts-signed-get')).toBe(true);
    expect(runs.get('bits-no')!.catalogue.profile.amounts.exactMinorUnits).toBe(true);
  });

  it('handelsbanken: its own operation ids and path parameter, with the pre-authorised consent', () => {
    const run = runs.get('handelsbanken')!;
    expect(passed('handelsbanken', 'getCardAccount:error:unknown-accountid')).toBe(true);
    expect(passed('handelsbanken', 'getCardAccounts:schema')).toBe(true);
    expect(run.log.exchanges.some((e) => e.operationId === 'createConsent')).toBe(false);
    expect(run.log.consentId).toBeDefined();
  });
});

describe('the Handelsbanken shape judged by the Berlin Group catalogue', () => {
  it('fails the Berlin Group list rules: required fields (maskedPan) and minor units (number amounts)', () => {
    const { catalogue } = catalogueOf('berlin-group');
    const run = runs.get('handelsbanken')!;
    // The same list exchange, labelled as the BG operation it stands for (same path, GET /v1/card-accounts).
    const exchanges = run.log.exchanges
      .filter((e) => e.probe === 'ok:getCardAccounts')
      .map((e) => ({ ...e, probe: 'ok:getCardAccountList', operationId: 'getCardAccountList' }));
    expect(exchanges).toHaveLength(1);
    const rules = { ...catalogue, rules: catalogue.rules.filter((r) => r.operationId === 'getCardAccountList' && r.probes.includes('ok:getCardAccountList')) };
    const results = judgeAll(rules, { exchanges, notSent: {} });
    const failed = (category: Category): string[] => results.filter((r) => r.rule.category === category && r.status === 'failed').map((r) => r.rule.id);
    expect(failed('required-field')).toContain('getCardAccountList:/cardAccounts/*/maskedPan:required');
    expect(failed('minor-units').length).toBeGreaterThan(0);
    expect(failed('minor-units').join(' ')).toContain('creditLimit');
  });
});
