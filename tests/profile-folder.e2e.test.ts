// A profile is a folder, found by its name: a Danish `dk` profile written at test time (the files
// docs/architecture.md "Adding a profile" lists) in a folder that CARD_CONFORMANCE_PROFILES adds,
// so the test never writes into the package. It is picked up by the bank-file check, by `run`
// (built-in bank and bank file) and by `sandbox`; a folder without reference-bank data works
// against a bank file and is a clear exit 2 without one.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadBankFile } from '../config/load.js';
import { PROFILES_ENV, profileNames } from '../config/profile-folders.js';
import { ConfigError } from '../config/types.js';
import { projectPath } from '../core/paths.js';
import type { FindingsFile } from '../core/model.js';
import { call, cardHeaders, createConsent } from '../sandbox/test-client.js';
import { cli } from './fixtures/cli.js';
import { startSandboxProcess, type SandboxProcess } from './sandbox-process.js';

const work = mkdtempSync(join(tmpdir(), 'cc-profile-folder-'));
const profiles = join(work, 'profiles');
const env = { [PROFILES_ENV]: profiles, TMPDIR: work };
let sandbox: SandboxProcess | undefined;
const saved = process.env[PROFILES_ENV];
const KNOWN = 'berlin-group, bits-no, dk, dk-nodata, handelsbanken';

/** profile.yaml of the Berlin Group profile, its spec path made absolute (the copy lives outside specs/). */
function profileYaml(title: string): string {
  const text = readFileSync(projectPath('specs', 'profiles', 'berlin-group', 'profile.yaml'), 'utf8');
  return text.replace(/^title: .*$/m, `title: ${title}`).replace(/^spec: .*$/m, `spec: ${JSON.stringify(projectPath('specs', 'berlin-group.openapi.yaml'))}`);
}

const DK_BANK = `title: Danish card-account reference bank
accounts:
  - { currency: DKK, home: DK, usage: PRIV, product: Dankort Visa, name: Visa Dankort, bin: "457110", creditLimit: 40000,
      balanceTypes: [interimBooked, interimAvailable], forcedForeign: [SE, NO], owners: [Mette Hansen, Lars Nielsen],
      displayNames: [Hverdagskort], details: Credit card with a monthly invoice. }
  - { currency: EUR, home: FI, usage: ORGA, product: Business Mastercard, name: Mastercard Business, bin: "552190", creditLimit: 9000,
      balanceTypes: [closingBooked, expected], forcedForeign: [DK], owners: [Øresund Logistik ApS], displayNames: [Firmakort],
      details: Corporate card; invoices go to the company. }
countries:
  DK:
    currency: DKK
    offset: "+01:00"
    merchants:
      - { name: Nyhavn Smørrebrød, mcc: "5812", streetName: Nyhavn, buildingNumber: "21", townName: København, postCode: "1051" }
      - { name: Aarhus Boghandel, mcc: "5942", streetName: Søndergade, buildingNumber: "8", townName: Aarhus, postCode: "8000" }
`;

beforeAll(() => {
  const dk = join(profiles, 'dk');
  mkdirSync(dk, { recursive: true });
  writeFileSync(join(dk, 'profile.yaml'), profileYaml('Danish card-account profile (test)'));
  writeFileSync(join(dk, 'reference-bank.yaml'), DK_BANK);
  copyFileSync(projectPath('specs', 'profiles', 'berlin-group', 'example-bank.yaml'), join(dk, 'example-bank.yaml'));
  // The same policy without reference-bank data: a bank of one's own only.
  mkdirSync(join(profiles, 'dk-nodata'));
  writeFileSync(join(profiles, 'dk-nodata', 'profile.yaml'), profileYaml('Danish profile without reference-bank data (test)'));
  process.env[PROFILES_ENV] = profiles;
});

afterAll(async () => {
  if (sandbox) {
    sandbox.child.kill('SIGTERM');
    await sandbox.exited;
  }
  if (saved === undefined) delete process.env[PROFILES_ENV];
  else process.env[PROFILES_ENV] = saved;
  rmSync(work, { recursive: true, force: true });
});

const bankFile = (name: string, text: string): string => {
  const f = join(work, name);
  writeFileSync(f, text);
  return f;
};

describe('a profile folder added at test time', () => {
  it('is a known profile, and the bank-file check accepts it by name (and suggests it for a typo)', () => {
    expect(profileNames()).toEqual(['berlin-group', 'bits-no', 'dk', 'dk-nodata', 'handelsbanken']);
    const ok = bankFile('dk.yaml', 'id: dk-bank\nprofile: dk\nbaseUrl: https://bank.example/psd2\nconsent: { create: true }\n');
    expect(loadBankFile(ok).profile).toBe('dk');
    const typo = bankFile('dkk.yaml', 'id: dk-bank\nprofile: dkk\nbaseUrl: https://bank.example/psd2\nconsent: { create: true }\n');
    expect(() => loadBankFile(typo)).toThrow(ConfigError);
    expect(() => loadBankFile(typo)).toThrow(`${typo}: profile: unknown profile 'dkk' (did you mean dk?); known profiles: ${KNOWN}`);
    // Without the extra folder the name is unknown again.
    expect(() => loadBankFile(ok, {}, { profiles: profileNames({}) })).toThrow(/unknown profile 'dk'; known profiles: berlin-group, bits-no, handelsbanken$/);
  });

  it('run --profile dk plays it on the built-in bank and passes every rule', async () => {
    const out = join(work, 'out-dk');
    const run = await cli(['run', '--profile', 'dk', '--no-report', '--out', out], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile; // one bank: its own file
    expect([findings.bank.profile, findings.summary.failed, findings.summary.broken]).toEqual(['dk', 0, 0]);
    expect(findings.summary.passed).toBeGreaterThan(100);
  }, 600_000);

  it('sandbox --profile dk serves its accounts; a bank file naming dk-nodata (no reference-bank data) runs against it', async () => {
    sandbox = await startSandboxProcess(['--profile', 'dk', '--no-verify'], { env, ready: /A bank file for it[\s\S]*consent: [^\n]*\n/ });
    expect(sandbox.stdout()).toContain('reference bank (dk) listening on');
    const file = bankFile('nodata.yaml', `id: dk-own\nprofile: dk-nodata\nbaseUrl: ${sandbox.baseUrl}\nconsent: { create: true }\n`);
    const out = join(work, 'out-nodata');
    const run = await cli(['run', '--bank', file, '--only', 'masked-pan,currency', '--no-report', '--out', out], { env });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const findings = JSON.parse(readFileSync(join(out, 'findings.json'), 'utf8')) as FindingsFile;
    expect([findings.bank.profile, findings.summary.failed, findings.summary.broken]).toEqual(['dk-nodata', 0, 0]);
    // What it served is the Danish data: its two accounts, the first in DKK.
    const consentId = await createConsent(sandbox.baseUrl);
    const list = await call(sandbox.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) });
    expect((list.json as { cardAccounts: { currency: string }[] }).cardAccounts.map((a) => a.currency)).toEqual(['DKK', 'EUR']);
  }, 600_000);

  it('a profile without reference-bank data: run without --bank and sandbox are exit 2, one line saying what to do', async () => {
    const run = await cli(['run', '--profile', 'dk-nodata', '--no-report', '--out', join(work, 'out-x')], { env, timeoutMs: 120_000 });
    expect(run.code).toBe(2);
    const missing = join(profiles, 'dk-nodata', 'reference-bank.yaml');
    const detail = `profile 'dk-nodata' has no reference-bank data (${missing}); give --bank FILE to run against a bank`;
    expect(run.stderr.trim()).toBe(`card-conformance run: --profile: ${detail}`);
    const serve = await cli(['sandbox', '--profile', 'dk-nodata'], { env, timeoutMs: 120_000 });
    expect(serve.code).toBe(2);
    expect(serve.stderr).toMatch(/^card-conformance sandbox: --profile: profile 'dk-nodata' has no reference-bank data .*the reference bank cannot play it/);
  }, 300_000);

  it('an unknown profile is exit 2 everywhere, naming the flag and the known profiles', async () => {
    const run = await cli(['run', '--profile', 'dkk', '--no-report', '--out', join(work, 'out-y')], { env, timeoutMs: 120_000 });
    expect([run.code, run.stderr.trim()]).toEqual([2, `card-conformance run: --profile: unknown profile 'dkk' (did you mean dk?); known profiles: ${KNOWN}`]);
    const serve = await cli(['sandbox', '--profile', 'nope'], { env: { [PROFILES_ENV]: '' }, timeoutMs: 120_000 });
    const shippedOnly = "card-conformance sandbox: --profile: unknown profile 'nope'; known profiles: berlin-group, bits-no, handelsbanken";
    expect([serve.code, serve.stderr.trim()]).toEqual([2, shippedOnly]);
  }, 300_000);
});
