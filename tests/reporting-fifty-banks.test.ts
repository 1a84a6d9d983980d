// A night of many banks on one machine: BANKS bank files (default 50; CARD_CONFORMANCE_NIGHT_BANKS
// changes it) against reference-bank instances, each with a different defect or none, in one run.
// Every bank gets its own findings.json, and one combined summary lists the banks by what needs
// attention first. Measured on the shared 2-core machine: see the closing note of the branch.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import type { CombinedFindings } from '../reporters/findings.js';
import { DEFECTS, startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { cli, type CliResult } from './fixtures/cli.js';

const BANKS = Number(process.env.CARD_CONFORMANCE_NIGHT_BANKS ?? 50);
// Body-level defects only (transport faults would make the night wait on timeouts).
const BODY_DEFECTS = [
  'masked-pan-too-long',
  'pan-unmasked',
  'pan-too-many-digits',
  'currency-unknown',
  'currency-historic',
  'currency-lowercase',
  'currency-euro',
  'amount-as-number',
  'amount-extra-decimals',
  'amount-jpy-fraction',
].filter((id) => DEFECTS.some((d) => d.id === id));

const work = mkdtempSync(join(tmpdir(), 'cc-night-'));
const banks: RunningBank[] = [];
const defectOf = new Map<string, string | undefined>();
let result: CliResult;
let seconds = 0;

beforeAll(async () => {
  const files: string[] = [];
  for (let i = 1; i <= BANKS; i++) {
    const id = `bank-${String(i).padStart(2, '0')}`;
    // Every fifth bank is clean; the others each carry one defect, round robin.
    const defect = i % 5 === 0 ? undefined : BODY_DEFECTS[i % BODY_DEFECTS.length];
    defectOf.set(id, defect);
    const bank = await startReferenceBank({
      ...referenceBankOptions({ entries: defect ? DEFECTS.filter((d) => d.id === defect) : [] }),
      host: '127.0.0.1',
      port: 0,
    });
    banks.push(bank);
    const f = join(work, `${id}.yaml`);
    writeFileSync(
      f,
      `id: ${id}\nprofile: berlin-group\nbaseUrl: ${bank.baseUrl}\nconsent: { create: true }\nlimits: { requestsPerSecond: 0, concurrency: 2 }\n`,
    );
    files.push(f);
  }
  const t0 = Date.now();
  result = await cli(['run', ...files.flatMap((f) => ['--bank', f]), '--only', 'masked-pan,currency,minor-units', '--no-report', '--out', join(work, 'out')], {
    timeoutMs: 1_500_000,
  });
  seconds = (Date.now() - t0) / 1000;
  process.stderr.write(`night of ${BANKS} banks: ${seconds.toFixed(0)} s\n`);
}, 1_800_000);
afterAll(async () => {
  await Promise.all(banks.map((b) => b.close()));
  rmSync(work, { recursive: true, force: true });
});

describe(`a night of ${BANKS} banks in one run`, () => {
  it('judges every bank and exits 1 (some banks fail)', () => {
    expect(result.code, result.stdout.slice(-3000) + result.stderr.slice(-3000)).toBe(1);
    expect(result.stdout).toContain(`${BANKS} banks`);
  });

  it('writes per-bank findings: defective banks fail, clean ones pass', () => {
    const combined = JSON.parse(readFileSync(join(work, 'out', 'findings.json'), 'utf8')) as CombinedFindings;
    expect(combined.banks).toHaveLength(BANKS);
    for (const [id, defect] of defectOf) {
      const f = JSON.parse(readFileSync(join(work, 'out', id, 'findings.json'), 'utf8')) as FindingsFile;
      expect(f.bank.id).toBe(id);
      if (defect) expect(f.summary.failed, `${id} (${defect})`).toBeGreaterThan(0);
      else expect(f.summary.failed, id).toBe(0);
    }
  });

  it('one combined summary, banks ordered by what needs attention first', () => {
    const summary = readFileSync(join(work, 'out', 'summary.md'), 'utf8');
    const section = summary.split('## Banks by what needs attention')[1]!.split('\n## ')[0]!;
    const rows = [...section.matchAll(/^\| (\d+) \| (bank-\d+) \| (\w+) \| (.*) \|$/gm)].map((m) => ({ id: m[2]!, state: m[3]!, what: m[4]! }));
    expect(rows).toHaveLength(BANKS);
    const firstPassing = rows.findIndex((r) => r.state === 'passing');
    expect(firstPassing).toBeGreaterThan(0);
    expect(rows.slice(0, firstPassing).every((r) => r.state !== 'passing')).toBe(true);
    expect(rows.slice(firstPassing).every((r) => r.state === 'passing')).toBe(true);
    expect(
      rows
        .filter((r) => r.state === 'passing')
        .map((r) => r.id)
        .sort(),
    ).toEqual(
      [...defectOf]
        .filter(([, d]) => !d)
        .map(([id]) => id)
        .sort(),
    );
    // Critical failures (an exposed card number) before major ones.
    expect(rows[0]!.what).toMatch(/worst (blocker|critical)/);
    // The attention list opens the summary, right under its title.
    expect(summary.indexOf('## Banks by what needs attention')).toBeLessThan(summary.indexOf('| Bank | Profile | Verdict'));
  });
});
