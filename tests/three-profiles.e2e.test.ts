// One CLI run over three bank files, one per profile, against three reference banks started
// here: berlin-group (consent created), bits-no (signed with a bank file's QSealC from a test
// PKI the sandbox trusts, x-accept-fix from the profile) and handelsbanken (the sandbox's
// pre-authorised consent). Each bank must pass its own profile; the outputs list all three.
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import type { CombinedFindings } from '../reporters/findings.js';
import { getProfile, startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { signatureGuard } from '../sandbox/signature/guard.js';
import { cli, type CliResult } from './fixtures/cli.js';
import { catalogueOf } from './fixtures/engine-run.js';
import { writePkiFiles } from './fixtures/pki-files.js';

const HANDELSBANKEN_SANDBOX_CONSENT_ID = getProfile('handelsbanken').preAuthorisedConsentId!; // its reference-bank.yaml gives one

const work = mkdtempSync(join(tmpdir(), 'cc-three-'));
const out = join(work, 'out');
const BANKS = [
  { id: 'bg-sandbox', profile: 'berlin-group' },
  { id: 'bits-sandbox', profile: 'bits-no' },
  { id: 'hb-sandbox', profile: 'handelsbanken' },
] as const;
const sandboxes: RunningBank[] = [];
let result: CliResult;

beforeAll(async () => {
  const pki = await writePkiFiles(join(work));
  const guard = signatureGuard({
    requireSignature: true,
    trustedRootsPem: [pki.pki.rootCaPem],
    revokedSerials: pki.pki.revokedSerials,
    blockedSerials: pki.pki.blockedSerials,
    requiredRole: 'PSP_AI',
  });
  const [bg, bits, hb] = await Promise.all([
    startReferenceBank({ profile: 'berlin-group', host: '127.0.0.1' }),
    startReferenceBank({ profile: 'bits-no', host: '127.0.0.1', requestGuard: guard }),
    startReferenceBank({ profile: 'handelsbanken', host: '127.0.0.1' }),
  ]);
  sandboxes.push(bg, bits, hb);
  const extra = [
    'consent: { create: true }\n',
    `consent: { create: true }\ntpp: { redirectUri: 'https://tpp.example/cb' }\nsigning:\n  certificate: ${pki.path('qseal.pem')}\n  key: ${pki.path('qseal.key')}\n`,
    'consent:\n  id: ${HB_CONSENT_ID}\n',
  ];
  const files = BANKS.map((b, i) => {
    const f = join(work, `${b.id}.yaml`);
    writeFileSync(f, `id: ${b.id}\nprofile: ${b.profile}\nbaseUrl: ${sandboxes[i]!.baseUrl}\n${extra[i]}limits: { requestsPerSecond: 0 }\n`);
    return f;
  });
  result = await cli(['run', ...files.flatMap((f) => ['--bank', f]), '--out', out, '--no-report'], {
    env: { HB_CONSENT_ID: HANDELSBANKEN_SANDBOX_CONSENT_ID },
  });
});
afterAll(async () => {
  await Promise.all(sandboxes.map((s) => s.close()));
});

const read = <T>(...path: string[]): T => JSON.parse(readFileSync(join(out, ...path), 'utf8')) as T;

describe('run with one bank file per profile', () => {
  it('exits 0: every bank passes its own profile', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3 banks/);
  });

  it('writes out/<id>/findings.json per bank: every rule of its profile, no failure, nothing broken', () => {
    for (const b of BANKS) {
      expect(existsSync(join(out, b.id, 'findings.json')), b.id).toBe(true);
      const f = read<FindingsFile>(b.id, 'findings.json');
      expect(f.bank).toMatchObject({ id: b.id, profile: b.profile });
      const bad = f.results.filter((r) => r.status === 'failed' || r.status === 'broken').map((r) => `${r.ruleId}: ${r.status}: ${r.message}`);
      expect(bad, b.id).toEqual([]);
      expect(f.results.map((r) => r.ruleId).sort()).toEqual(
        catalogueOf(b.profile)
          .catalogue.rules.map((r) => r.id)
          .sort(),
      );
      // Handelsbanken's live shapes are smaller than Berlin Group's: about 100 rules judged there.
      expect(f.summary.passed, b.id).toBeGreaterThan(90);
    }
    // Signed with the bank file's QSealC: the positive control and the must-reject cases are judged.
    const bits = read<FindingsFile>('bits-sandbox', 'findings.json');
    expect(bits.results.find((r) => r.ruleId === 'signature:accepts-signed-get')!.status).toBe('passed');
    expect(bits.results.find((r) => r.ruleId === 'signature:missing')!.status).toBe('passed');
  });

  it('writes a combined findings.json and a summary listing all three banks, with the consent id redacted', () => {
    const combined = read<CombinedFindings>('findings.json');
    expect(combined.banks.map((b) => [b.id, b.profile])).toEqual(BANKS.map((b) => [b.id, b.profile]));
    expect(new Set(combined.results.map((r) => r.bankId))).toEqual(new Set(BANKS.map((b) => b.id)));
    expect(combined.summary.failed).toBe(0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (const b of BANKS) expect(summary).toMatch(new RegExp(`\\| ${b.id} \\| ${b.profile} \\| PASS \\|`));
    for (const file of ['findings.json', 'summary.md', 'junit.xml'])
      expect(readFileSync(join(out, file), 'utf8')).not.toContain(HANDELSBANKEN_SANDBOX_CONSENT_ID);
  });
});
