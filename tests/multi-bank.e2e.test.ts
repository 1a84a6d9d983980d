// Several banks in one run: two bank files against the other-bank fixture (different ids) and
// one against a reference bank started here. Each bank gets out/<id>/findings.json; the run
// writes a combined out/findings.json, one summary and one JUnit file with a testsuite per bank.
// (When the bits-no and handelsbanken profiles exist this becomes one bank per profile.)
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { loadProfile } from '../config/profile.js';
import type { CombinedFindings } from '../reporters/findings.js';
import { buildCatalogue } from '../rules/catalogue/generate.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { cli, type CliResult } from './fixtures/cli.js';
import { OTHER_BANK_CONSENT, startOtherBank } from './fixtures/other-bank.js';

const work = mkdtempSync(join(tmpdir(), 'cc-multi-'));
const out = join(work, 'out');
const IDS = ['other-bank-a', 'other-bank-b', 'reference-sandbox'];
let other: Awaited<ReturnType<typeof startOtherBank>>;
let reference: RunningBank;
let result: CliResult;
const profile = loadProfile('berlin-group');
const ruleIds = buildCatalogue(loadSpecDocument(profile.spec), profile)
  .rules.map((r) => r.id)
  .sort();

beforeAll(async () => {
  other = await startOtherBank();
  reference = await startReferenceBank({ host: '127.0.0.1' });
  const file = (id: string, text: string): string => {
    const f = join(work, `${id}.yaml`);
    writeFileSync(f, `id: ${id}\nprofile: berlin-group\n${text}limits: { requestsPerSecond: 0 }\n`);
    return f;
  };
  const files = [
    file(IDS[0]!, `baseUrl: ${other.baseUrl}\nconsent:\n  id: \${OTHER_CONSENT}\n`),
    file(IDS[1]!, `name: The same bank, a second time\nbaseUrl: ${other.baseUrl}\nconsent:\n  id: \${OTHER_CONSENT}\n`),
    file(IDS[2]!, `baseUrl: ${reference.baseUrl}\nconsent: { create: true }\n`),
  ];
  result = await cli(['run', ...files.flatMap((f) => ['--bank', f]), '--out', out, '--no-report'], { env: { OTHER_CONSENT: OTHER_BANK_CONSENT } });
});
afterAll(async () => {
  await Promise.all([other?.close(), reference?.close()]);
});

const read = <T>(...path: string[]): T => JSON.parse(readFileSync(join(out, ...path), 'utf8')) as T;

describe('run with three bank files', () => {
  it('exits 0: every bank passes', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/3 banks/);
  });

  it('writes one findings file per bank, each judging every rule of its own bank', () => {
    for (const id of IDS) {
      expect(existsSync(join(out, id, 'findings.json')), id).toBe(true);
      const f = read<FindingsFile>(id, 'findings.json');
      expect(f.bank).toMatchObject({ id, profile: 'berlin-group' });
      expect(
        f.summary.failed,
        `${id}: ${JSON.stringify(
          f.results.filter((r) => r.status === 'failed'),
          null,
          1,
        )}`,
      ).toBe(0);
      expect(f.results.map((r) => r.ruleId).sort()).toEqual(ruleIds);
      expect(f.summary.passed).toBeGreaterThan(50);
    }
    expect(read<FindingsFile>(IDS[2]!, 'findings.json').bank.baseUrl).toBe(reference.baseUrl);
    // The pre-authorised consent is used by the two other-bank runs; created consents only by the reference bank.
    expect(read<FindingsFile>(IDS[0]!, 'findings.json').results.find((r) => r.ruleId === 'createConsent:status-code')!.status).toBe('skipped');
    expect(read<FindingsFile>(IDS[2]!, 'findings.json').results.find((r) => r.ruleId === 'createConsent:status-code')!.status).toBe('passed');
  });

  it('writes a combined findings.json with every bank and every result tagged with its bank', () => {
    const combined = read<CombinedFindings>('findings.json');
    expect(combined.banks.map((b) => b.id)).toEqual(IDS);
    const perBank = IDS.map((id) => read<FindingsFile>(id, 'findings.json'));
    expect(combined.results).toHaveLength(perBank.reduce((n, f) => n + f.results.length, 0));
    expect(new Set(combined.results.map((r) => r.bankId))).toEqual(new Set(IDS));
    expect(combined.summary.passed).toBe(perBank.reduce((n, f) => n + f.summary.passed, 0));
  });

  it('lists all three banks in summary.md and gives each its own JUnit testsuite', () => {
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    for (const id of IDS) expect(summary).toMatch(new RegExp(`\\| ${id} \\| berlin-group \\| PASS \\|`));
    const junit = readFileSync(join(out, 'junit.xml'), 'utf8');
    const suites = [...junit.matchAll(/<testsuite name="([^"]+)"/g)].map((m) => m[1]);
    expect(suites).toEqual(IDS);
    expect(junit).not.toContain(OTHER_BANK_CONSENT);
  });
});
