// Many banks sharded over CI: six bank files (reference-bank instances, some with defects) run once
// all together and once as three shards (`--shard i/3`), and `merge` puts the shards together: the
// merged findings, JUnit and Allure results are the same as the single run's.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { parseShard, selectShard } from '../app/run/shard.js';
import type { CombinedFindings } from '../reporters/findings.js';
import { findDefects, startReferenceBank, type RunningBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { cli, type CliResult } from './fixtures/cli.js';

describe('selectShard', () => {
  const ids = ['f', 'b', 'd', 'a', 'e', 'c'];
  it('sorts by id and takes every n-th: disjoint, complete, independent of the input order', () => {
    const shards = [1, 2, 3].map((i) => selectShard(ids, (x) => x, { index: i, total: 3 }));
    expect(shards).toEqual([
      ['a', 'd'],
      ['b', 'e'],
      ['c', 'f'],
    ]);
    expect(selectShard([...ids].reverse(), (x) => x, { index: 2, total: 3 })).toEqual(['b', 'e']);
  });
  it('parses i/n and refuses anything else', () => {
    expect(parseShard('2/3')).toEqual({ index: 2, total: 3 });
    for (const bad of ['0/3', '4/3', '1/0', 'x', '1-3']) expect(() => parseShard(bad), bad).toThrow(/--shard/);
  });
});

const work = mkdtempSync(join(tmpdir(), 'cc-shard-'));
const DEFECTS: Record<string, string[]> = {
  'bank-1': [],
  'bank-2': ['masked-pan-too-long'],
  'bank-3': ['currency-lowercase'],
  'bank-4': ['pan-unmasked'],
  'bank-5': [],
  'bank-6': ['currency-unknown'],
};
const banks: RunningBank[] = [];
const files: string[] = [];
let single: CliResult;
const shards: CliResult[] = [];
let merged: CliResult;

beforeAll(async () => {
  // Given in an order that is not the id order: sharding sorts by id.
  for (const id of ['bank-4', 'bank-2', 'bank-6', 'bank-1', 'bank-5', 'bank-3']) {
    const bank = await startReferenceBank({ ...referenceBankOptions({ entries: findDefects(DEFECTS[id]!) }), host: '127.0.0.1', port: 0 });
    banks.push(bank);
    const f = join(work, `${id}.yaml`);
    writeFileSync(f, `id: ${id}\nprofile: berlin-group\nbaseUrl: ${bank.baseUrl}\nconsent: { create: true }\nlimits: { requestsPerSecond: 0 }\n`);
    files.push(f);
  }
  const bankArgs = files.flatMap((f) => ['--bank', f]);
  const common = ['--only', 'masked-pan,currency', '--no-report'];
  const all = await Promise.all([
    cli(['run', ...bankArgs, ...common, '--out', join(work, 'single')]),
    ...[1, 2, 3].map((i) => cli(['run', ...bankArgs, ...common, '--shard', `${i}/3`, '--out', join(work, `shard-${i}`)])),
  ]);
  single = all[0]!;
  shards.push(...all.slice(1));
  merged = await cli(['merge', ...[1, 2, 3].map((i) => join(work, `shard-${i}`)), '--out', join(work, 'merged'), '--no-report']);
});
afterAll(async () => {
  await Promise.all(banks.map((b) => b.close()));
  rmSync(work, { recursive: true, force: true });
});

const read = <T>(...p: string[]): T => JSON.parse(readFileSync(join(work, ...p), 'utf8')) as T;
/**
 * What a run found, without when it ran. The order a bank's requests complete in (which request
 * index a violation cites, hence which instance is listed first) varies between any two runs, so
 * each rule is compared by its verdict, severity, instances judged and violations counted.
 */
const verdict = (r: FindingsFile['results'][number]): unknown => ({
  ruleId: r.ruleId,
  status: r.status,
  severity: r.severity,
  mandatory: r.mandatory,
  checked: r.checked,
  violations: r.violations?.length ?? 0,
  waived: r.waived,
});
const verdicts = (f: FindingsFile): unknown => ({ bank: f.bank, spec: f.spec, results: f.results.map(verdict), summary: f.summary });

describe('six banks in three shards, merged', () => {
  it('each shard runs its two banks', () => {
    expect(single.code, single.stdout + single.stderr).toBe(1);
    shards.forEach((s, i) => {
      const c = read<CombinedFindings>(`shard-${i + 1}`, 'findings.json');
      expect(
        c.banks.map((b) => b.id),
        s.stdout + s.stderr,
      ).toEqual(
        [
          [`bank-1`, 'bank-4'],
          ['bank-2', 'bank-5'],
          ['bank-3', 'bank-6'],
        ][i],
      );
    });
    expect(merged.code, merged.stdout + merged.stderr).toBe(1);
    expect(merged.stdout).toMatch(/merged 3 shards: 6 banks/);
  });

  it("the merged findings are the single run's, bank by bank and combined", () => {
    for (const id of Object.keys(DEFECTS))
      expect(verdicts(read<FindingsFile>('merged', id, 'findings.json')), id).toEqual(verdicts(read<FindingsFile>('single', id, 'findings.json')));
    const a = read<CombinedFindings>('merged', 'findings.json');
    const b = read<CombinedFindings>('single', 'findings.json');
    const byBank = (c: CombinedFindings): unknown =>
      [...c.banks].sort((x, y) => (x.id < y.id ? -1 : 1)).map((bank) => ({ bank, results: c.results.filter((r) => r.bankId === bank.id).map(verdict) }));
    expect(byBank(a)).toEqual(byBank(b));
    expect(a.summary).toEqual(b.summary);
  });

  it('JUnit and the Allure results hold the same tests', () => {
    const cases = (dir: string): string[] =>
      [...readFileSync(join(work, dir, 'junit.xml'), 'utf8').matchAll(/<testcase [^>]*>(?:\s*<(failure|error|skipped)\b)?/g)]
        .map((m) => m[0].replace(/ time="[^"]*"/, ''))
        .sort();
    expect(cases('merged')).toEqual(cases('single'));
    const results = (dir: string): string[] =>
      readdirSync(join(work, dir, 'allure-results'))
        .filter((n) => n.endsWith('-result.json'))
        .map((n) => JSON.parse(readFileSync(join(work, dir, 'allure-results', n), 'utf8')) as { status: string; labels: { name: string; value: string }[] })
        .map((r) => `${r.labels.find((l) => l.name === 'bank')?.value} ${r.labels.find((l) => l.name === 'ruleId')?.value} ${r.status}`)
        .sort();
    expect(results('merged')).toEqual(results('single'));
  });

  it('overlapping shards are refused (exit 2)', async () => {
    const r = await cli(['merge', join(work, 'shard-1'), join(work, 'single'), '--out', join(work, 'bad')], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bank 'bank-\d' is in .*shard-1 and in .*single: the shards overlap/);
  });
});
