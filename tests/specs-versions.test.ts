// Every Berlin Group 1.3.x file: operations are found by method and path template (with or without
// /v1, whatever the path parameter is called), operationIds only break ties, the profile's
// `operations` map overrides; a file declaring success only as `default` gets its body rules.
// The catalogue part runs in-process; the runs use the built CLI against the reference bank.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { loadProfile, type Profile } from '../config/profile.js';
import { buildCatalogue, type Catalogue } from '../rules/catalogue/generate.js';
import { findOperations, normalisePath } from '../rules/operations.js';
import { loadProfileSpec } from '../schemas/load-profile-spec.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank } from '../sandbox/index.js';
import { cli } from './fixtures/cli.js';
import { defaultOnlySpec, LEGACY_OPERATION_IDS, legacyStyleSpec, officialRevokeSpellingSpec, writeSpec } from './fixtures/specs/berlin-group-variants.js';

const work = mkdtempSync(join(tmpdir(), 'cc-spec-versions-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const legacyFile = writeSpec(join(work, 'psd2-api-1.3.6-style.json'), legacyStyleSpec());
const defaultFile = writeSpec(join(work, 'psd2-api-default-only.json'), defaultOnlySpec());

const bg = loadProfile('berlin-group');
const standard = buildCatalogue(loadSpecDocument(bg.spec), bg);
const legacy = buildCatalogue(loadSpecDocument(legacyFile), bg);
const kinds = (c: Catalogue): string[] => c.rules.map((r) => r.kind).sort();
/** A legacy rule id in the standard file's names (operationIds, the path parameter's slug). */
const toStandard = (id: string): string => {
  const [op, ...rest] = id.split(':');
  const renamed = Object.entries(LEGACY_OPERATION_IDS).find(([, v]) => v === op)?.[0] ?? op;
  return [renamed, ...rest].join(':').replace('unknown-accountid', 'unknown-account-id');
};

describe('normalisePath', () => {
  it('erases parameter names and drops a leading version segment (and any prefix before it)', () => {
    expect(normalisePath('/v1/card-accounts/{account-id}')).toEqual({ path: '/card-accounts/{}', prefix: '/v1' });
    expect(normalisePath('/card-accounts/{accountId}/balances')).toEqual({ path: '/card-accounts/{}/balances', prefix: '' });
    expect(normalisePath('/psd2/v1.3/card-accounts/')).toEqual({ path: '/card-accounts', prefix: '/psd2/v1.3' });
  });
});

describe('a 1.3.6–1.3.9 style file (getCardAccount, ReadCardAccount, no /v1, {accountId})', () => {
  it('finds every role by method and path template', () => {
    expect(legacy.operations.map((o) => `${o.role} ${o.operationId} ${o.endpoint}`)).toEqual([
      'listCardAccounts getCardAccount GET /card-accounts',
      'readCardAccount ReadCardAccount GET /card-accounts/{accountId}',
      'readBalances getCardAccountBalances GET /card-accounts/{accountId}/balances',
      'readTransactions getCardAccountTransactionList GET /card-accounts/{accountId}/transactions',
      'createConsent createConsent POST /consents',
      'getConsentStatus getConsentStatus GET /consents/{consentId}/status',
      'getConsentInformation getConsentInformation GET /consents/{consentId}',
      'deleteConsent deleteConsent DELETE /consents/{consentId}',
    ]);
  });

  it("builds a catalogue with the same rule kinds, ids in the file's own operationIds", () => {
    expect(kinds(legacy)).toEqual(kinds(standard));
    expect(legacy.rules.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'getCardAccount:/cardAccounts/*/maskedPan:masking',
        'ReadCardAccount:/cardAccount/maskedPan:max-length',
        'ReadCardAccount:error:unknown-accountid',
      ]),
    );
    expect(legacy.rules.map((r) => toStandard(r.id)).sort()).toEqual(standard.rules.map((r) => r.id).sort());
    expect(legacy.warnings).toEqual([]);
  });

  it('under a national profile built on it (bits-no overlay on the 1.3.6-style file)', () => {
    const bits = loadProfile('bits-no');
    const c = buildCatalogue(loadProfileSpec(bits, legacyFile), bits);
    expect(c.rules.map((r) => r.id)).toEqual(
      expect.arrayContaining(['getCardAccount:/cardAccounts/*/maskedPan:max-length', 'getCardAccount:error:missing-header-x-accept-fix']),
    );
    expect(c.rules.find((r) => r.id === 'getCardAccount:/cardAccounts/*/maskedPan:max-length')!.params).toMatchObject({ maxLength: 16 });
  });
});

describe("the profile's operations map is an override; operationIds break ties", () => {
  const withOps = (operations: Partial<Profile['operations']>): Profile => ({ ...bg, operations: { ...bg.operations, ...operations } });

  it('an operationId the profile names wins over the path', () => {
    const ops = findOperations(loadSpecDocument(legacyFile), withOps({ getConsentStatus: 'getConsentInformation' }));
    expect(ops.find((o) => o.role === 'getConsentStatus')!.endpoint).toBe('GET /consents/{consentId}');
  });

  it('a profile naming none still finds every operation', () => {
    const none = Object.fromEntries(Object.keys(bg.operations).map((k) => [k, ''])) as Profile['operations'];
    expect(findOperations(loadSpecDocument(bg.spec), { ...bg, operations: none }).map((o) => o.operationId)).toEqual(
      standard.operations.map((o) => o.operationId),
    );
  });

  it('the same template twice (under /v1 and under a longer prefix): the named operationId, then the shorter prefix', () => {
    const doc = legacyStyleSpec() as { paths: Record<string, Record<string, { operationId: string }>> };
    doc.paths['/nordic/v2/card-accounts'] = { get: { ...doc.paths['/card-accounts']!.get!, operationId: 'nordicList' } };
    const file = writeSpec(join(work, 'tie.json'), doc);
    expect(findOperations(loadSpecDocument(file), bg)[0]!.operationId).toBe('getCardAccount');
    expect(findOperations(loadSpecDocument(file), withOps({ listCardAccounts: 'nordicList' }))[0]!.path).toBe('/nordic/v2/card-accounts');
  });

  it("another profile's operationIds never make one operation play two roles (handelsbanken's getCardAccount is the 1.3.6 list)", () => {
    const hb = loadProfile('handelsbanken');
    const ops = findOperations(loadSpecDocument(legacyFile), hb);
    expect(ops.slice(0, 2).map((o) => `${o.role} ${o.operationId}`)).toEqual(['listCardAccounts getCardAccount', 'readCardAccount ReadCardAccount']);
  });

  it('operations without operationId get their role as id prefix', () => {
    const doc = legacyStyleSpec() as { paths: Record<string, Record<string, { operationId?: string }>> };
    for (const item of Object.values(doc.paths)) for (const op of Object.values(item)) delete op.operationId;
    const c = buildCatalogue(loadSpecDocument(writeSpec(join(work, 'no-ids.json'), doc)), bg);
    expect(c.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['listCardAccounts:/cardAccounts/*/maskedPan:masking', 'readTransactions:status-code']));
  });

  it('a file without the card-account list is refused, naming the paths it looked for', () => {
    const doc = legacyStyleSpec() as { paths: Record<string, unknown> };
    delete doc.paths['/card-accounts'];
    const file = writeSpec(join(work, 'no-list.json'), doc);
    expect(() => buildCatalogue(loadSpecDocument(file), bg)).toThrow(/no GET operation at \/card-accounts or \/v1\/card-accounts/);
  });
});

describe('a file declaring success responses only as `default`', () => {
  const c = buildCatalogue(loadSpecDocument(defaultFile), bg);
  it('uses `default` as the success schema: the same body rules, and a warning per operation', () => {
    expect(c.rules.map((r) => r.id).sort()).toEqual(standard.rules.map((r) => r.id).sort());
    expect(c.rules.find((r) => r.id === 'createConsent:status-code')!.params).toEqual({ expected: [201] });
    expect(c.rules.find((r) => r.id === 'deleteConsent:status-code')!.params).toEqual({ expected: [204] });
    expect(c.warnings).toHaveLength(8);
    expect(c.warnings[0]).toMatch(
      /psd2-api-default-only\.json: GET \/v1\/card-accounts \(getCardAccountList\) declares no 2xx response, only 'default'; its schema is used as the success schema and 200 is expected/,
    );
  });
});

describe('runs under these files against the reference bank (built CLI)', () => {
  const read = (dir: string): FindingsFile => JSON.parse(readFileSync(join(dir, 'findings.json'), 'utf8')) as FindingsFile;
  const problems = (f: FindingsFile): string[] =>
    f.results.filter((r) => r.status === 'failed' || r.status === 'broken').map((r) => `${r.ruleId}: ${r.message}`);

  it('--spec 1.3.6-style with no bank file: the built-in bank under /v1 passes every rule', async () => {
    const out = join(work, 'legacy-builtin');
    const r = await cli(['run', '--spec', legacyFile, '--out', out, '--no-report']);
    const f = read(out);
    expect(problems(f)).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(f.results.find((x) => x.ruleId === 'getCardAccount:/cardAccounts/*/maskedPan:masking')).toMatchObject({
      status: 'passed',
      endpoint: 'GET /card-accounts',
    });
    expect(f.results.map((x) => x.ruleId).sort()).toEqual(legacy.rules.map((x) => x.id).sort());
  }, 120_000);

  it('--profile bits-no --spec 1.3.6-style (a national profile on the older file) passes', async () => {
    const out = join(work, 'legacy-bits');
    const r = await cli(['run', '--profile', 'bits-no', '--spec', legacyFile, '--out', out, '--no-report']);
    expect(problems(read(out))).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);

  it('--spec with `default`-only success responses: warns, and the body rules are judged and pass', async () => {
    const out = join(work, 'default-only');
    const r = await cli(['run', '--spec', defaultFile, '--out', out, '--no-report']);
    const f = read(out);
    expect(problems(f)).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/warning: psd2-api-default-only\.json: GET \/v1\/card-accounts \(getCardAccountList\) declares no 2xx response, only 'default'/);
    for (const id of ['getCardAccountList:schema', 'getCardAccountTransactionList:/cardTransactions/booked/*/maskedPAN:masking']) {
      expect(
        f.results.find((x) => x.ruleId === id),
        id,
      ).toMatchObject({ status: 'passed' });
    }
  }, 120_000);

  it('--spec whose AIS 401 enum spells CERTIFICATE_REVOKE (as the official 1.3.12 file): the reference bank answers that spelling, and the rule names it', async () => {
    const file = writeSpec(join(work, 'official-401.json'), officialRevokeSpellingSpec());
    const out = join(work, 'official-401');
    const r = await cli(['run', '--spec', file, '--only', 'certificate,signature', '--out', out, '--no-report']);
    const f = read(out);
    expect(problems(f)).toEqual([]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(f.results.find((x) => x.ruleId === 'certificate:revoked')).toMatchObject({
      status: 'passed',
      message: 'the bank answered CERTIFICATE_REVOKE (spelled CERTIFICATE_REVOKED elsewhere in the standard; both spellings are accepted)',
    });
  }, 120_000);

  describe("a user's bank file for a 1.3.6-style bank: baseUrl carries /v1, the file's paths do not", () => {
    let bank: Awaited<ReturnType<typeof startReferenceBank>>;
    beforeAll(async () => {
      bank = await startReferenceBank({ host: '127.0.0.1', port: 0 });
    });
    afterAll(() => bank.close());

    it('passes every rule', async () => {
      const file = join(work, 'legacy-bank.yaml');
      writeFileSync(file, `id: legacy-bank\nprofile: berlin-group\nbaseUrl: ${bank.baseUrl}/v1\nconsent: { create: true }\nlimits: { requestsPerSecond: 0 }\n`);
      const out = join(work, 'legacy-bank');
      const r = await cli(['run', '--bank', file, '--spec', legacyFile, '--out', out, '--no-report']);
      const f = read(out);
      expect(problems(f)).toEqual([]);
      expect(r.code, r.stdout + r.stderr).toBe(0);
      expect(f.results.find((x) => x.ruleId === 'ReadCardAccount:error:unknown-accountid')).toMatchObject({ status: 'passed' });
    }, 120_000);
  });
});
