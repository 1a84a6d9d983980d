// The rejection suite for any bank: `signing: { required: true }` in a bank file runs it whatever
// the profile says (berlin-group does not mandate signing), with the bank file's QSealC or, without
// one, the run's test QSealC. Against the reference bank, which verifies every signature, it passes.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBankFile } from '../config/load.js';
import { collectExchanges } from '../collect/collect.js';
import { createHttpClient } from '../transport/http/client.js';
import type { FindingsFile, RuleResult } from '../core/model.js';
import { generateTestPki, type TestPki } from '../transport/pki/generate.js';
import { loadProfile, profileNames } from '../config/profile.js';
import { signingFor } from '../app/run/signing.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { SIGNATURE_CASES } from '../rules/kinds/support/signature-cases.js';
import { judgeRule, observe } from '../rules/judge.js';
import { SchemaValidators } from '../schemas/validators.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { cli } from './fixtures/cli.js';
import { writePkiFiles, type PkiFiles } from './fixtures/pki-files.js';

const work = mkdtempSync(join(tmpdir(), 'cc-signing-required-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);
const suiteRules = catalogue.rules.filter((r) => r.category === 'signature' || r.category === 'certificate');

const bankFile = (name: string, baseUrl: string, signing: string): string => {
  const f = join(work, name);
  writeFileSync(
    f,
    `id: ${name.replace(/\.yaml$/, '')}\nprofile: berlin-group\nbaseUrl: ${baseUrl}\nconsent: { create: true }\nlimits: { requestsPerSecond: 0 }\n${signing}`,
  );
  return f;
};

describe("signing.required: true without a certificate (the run's test QSealC), in-process", () => {
  let pki: TestPki;
  let bank: Awaited<ReturnType<typeof startReferenceBank>>;
  beforeAll(async () => {
    pki = generateTestPki();
    bank = await startReferenceBank({ ...referenceBankOptions({ pki }), host: '127.0.0.1', port: 0 });
  });
  afterAll(() => bank.close());

  async function judgeSuite(file: string): Promise<Map<string, RuleResult>> {
    const config = loadBankFile(file, {}, { profiles: profileNames() });
    const signing = signingFor(config, profile, () => pki);
    const client = createHttpClient({ limits: config.limits, signer: signing.signer });
    try {
      const log = await collectExchanges({ catalogue, bank: config, client, signing });
      expect(log.fatal).toBeUndefined();
      const ctx = { exchanges: observe(log.exchanges), profile, validators: new SchemaValidators(catalogue.defs), notSent: log.notSent };
      return new Map(suiteRules.map((r) => [r.id, judgeRule(r, ctx)]));
    } finally {
      await client.close();
    }
  }

  it('runs every signature and certificate rule under the berlin-group profile, and they pass', async () => {
    expect(profile.signing.required).toBe(false);
    const file = bankFile('mandates-signing.yaml', bank.baseUrl, 'signing: { required: true }\n');
    expect(signingFor(loadBankFile(file, {}, { profiles: profileNames() }), profile, () => pki).rejectionSuite).toBe(true);
    const results = await judgeSuite(file);
    expect(results.size).toBe(SIGNATURE_CASES.length);
    expect([...results.values()].filter((r) => r.status !== 'passed').map((r) => `${r.rule.id}: ${r.status} ${r.message}`)).toEqual([]);
  }, 60_000);

  it('without signing.required the same bank file skips them, saying why', async () => {
    const results = await judgeSuite(bankFile('optional-signing.yaml', bank.baseUrl, ''));
    for (const r of results.values()) {
      expect(r.status, r.rule.id).toBe('skipped');
      expect(r.message, r.rule.id).toMatch(/does not mandate signing/);
    }
  }, 60_000);
});

describe("signing.required: true with the bank file's QSealC, through the CLI", () => {
  let files: PkiFiles;
  let bank: Awaited<ReturnType<typeof startReferenceBank>>;
  beforeAll(async () => {
    files = await writePkiFiles(mkdtempSync(join(work, 'pki-')));
    bank = await startReferenceBank({ ...referenceBankOptions({ pki: files.pki }), host: '127.0.0.1', port: 0 });
  });
  afterAll(() => bank.close());

  it('runs the signature rules (they pass); certificate faults needing our own CA say so', async () => {
    const file = bankFile(
      'own-qseal.yaml',
      bank.baseUrl,
      `signing:\n  required: true\n  certificate: ${files.path('qseal.pem')}\n  key: ${files.path('qseal.key')}\n`,
    );
    const out = join(work, 'own-qseal');
    const r = await cli(['run', '--bank', file, '--out', out, '--no-report']);
    const f = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    const signature = f.results.filter((x) => x.category === 'signature');
    expect(signature.length).toBe(SIGNATURE_CASES.filter((c) => c.category === 'signature').length);
    expect(signature.filter((x) => x.status !== 'passed').map((x) => `${x.ruleId}: ${x.status} ${x.message}`)).toEqual([]);
    for (const x of f.results.filter((y) => y.category === 'certificate' && y.status === 'skipped'))
      expect(x.message).toMatch(/needs a certificate with exactly this fault/);
    expect(f.results.find((x) => x.ruleId === 'certificate:malformed')!.status).toBe('passed');
    expect(r.code, r.stdout + r.stderr).toBe(0);
  }, 120_000);
});
