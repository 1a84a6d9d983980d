// The run diff across banks: crafted before/after combined findings (a bank added, a bank removed,
// a new failure, a fixed rule, a newly waived one), through the library and the `diff` command.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Finding, FindingsFile } from '../core/model.js';
import { diffRuns, renderRunDiffMarkdown, runHasRegressions } from '../reporters/diff.js';
import { combineFindings, readFindingsSet } from '../reporters/findings.js';
import { cli } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-diff-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const f = (ruleId: string, status: Finding['status'], extra: Partial<Finding> = {}): Finding => ({
  ruleId,
  status,
  category: 'currency',
  severity: 'major',
  endpoint: 'GET /v1/card-accounts',
  message: status === 'failed' ? `${ruleId} broken` : '',
  specRef: 'ref',
  mandatory: true,
  title: ruleId,
  checked: 1,
  ...extra,
});
const bank = (id: string, results: Finding[], startedAt: string): FindingsFile => ({
  tool: { name: 'card-conformance', version: '0.1.0' },
  spec: { title: 'NextGenPSD2', version: '1.3.12' },
  bank: { id, profile: 'berlin-group', baseUrl: `https://${id}.example` },
  startedAt,
  finishedAt: startedAt,
  results,
  summary: { passed: 0, failed: 0, broken: 0, skipped: 0 },
});
const write = (name: string, data: unknown): string => {
  const p = join(work, name);
  writeFileSync(p, JSON.stringify(data, null, 2));
  return p;
};

const night1 = '2026-11-28T02:00:00.000Z';
const night2 = '2026-11-29T02:00:00.000Z';
const before = combineFindings([
  bank(
    'bank-a',
    [f('a:stable', 'passed'), f('a:regress', 'passed'), f('a:fix', 'failed'), f('a:still', 'failed'), f('a:waive-later', 'passed'), f('a:dropped', 'passed')],
    night1,
  ),
  bank('bank-b', [f('b:ok', 'passed')], night1),
  bank('bank-gone', [f('g:x', 'failed')], night1),
]);
const after = combineFindings([
  bank(
    'bank-a',
    [
      f('a:stable', 'passed'),
      f('a:regress', 'failed'),
      f('a:fix', 'passed'),
      f('a:still', 'failed'),
      f('a:waive-later', 'failed', { waived: { reason: 'accepted', ticket: 'T-9', expires: '2099-01-01' } }),
      f('a:brand-new', 'failed'),
    ],
    night2,
  ),
  bank('bank-b', [f('b:ok', 'passed')], night2),
  bank('bank-new', [f('n:x', 'failed')], night2),
]);

describe('diff across banks (library)', () => {
  const d = diffRuns(readFindingsSet(write('before.json', before)), readFindingsSet(write('after.json', after)));
  const a = d.banks.find((b) => b.current.bank.id === 'bank-a')!;
  const ids = (l: { ruleId: string }[]): string[] => l.map((e) => e.ruleId);

  it('matches banks by id and lists banks added and removed', () => {
    expect(d.banks.map((b) => b.current.bank.id)).toEqual(['bank-a', 'bank-b']);
    expect(d.banksAdded.map((b) => b.id)).toEqual(['bank-new']);
    expect(d.banksRemoved.map((b) => b.id)).toEqual(['bank-gone']);
  });

  it('per bank: new failure, fixed, still failing, newly waived, rules added and removed', () => {
    expect(ids(a.newFailures)).toEqual(['a:regress']);
    expect(ids(a.fixed)).toEqual(['a:fix']);
    expect(ids(a.stillFailing)).toEqual(['a:still']);
    expect(ids(a.newlyWaived)).toEqual(['a:waive-later']);
    expect(ids(a.newRules)).toEqual(['a:brand-new']);
    expect(ids(a.removedRules)).toEqual(['a:dropped']);
    expect(d.totals).toEqual({ newFailures: 1, fixed: 1, stillFailing: 1, newlyWaived: 1, newRules: 1, removedRules: 1, banksAdded: 1, banksRemoved: 1 });
    expect(runHasRegressions(d)).toBe(true);
  });

  it('a waived new failure, a new bank failing and a new rule failing are not regressions', () => {
    const calm = combineFindings([
      bank(
        'bank-a',
        after.results.filter((r) => r.bankId === 'bank-a' && r.ruleId !== 'a:regress'),
        night2,
      ),
      bank('bank-new', [f('n:x', 'failed')], night2),
    ]);
    expect(runHasRegressions(diffRuns(readFindingsSet(write('before2.json', before)), readFindingsSet(write('calm.json', calm))))).toBe(false);
  });

  it('renders markdown with a table per bank and the rules that changed', () => {
    const md = renderRunDiffMarkdown(d);
    expect(md).toContain('**REGRESSION: 1 new failure** (fixed 1, still failing 1, newly waived 1)');
    expect(md).toContain('| bank-a | 1 | 1 | 1 | 1 | 1 | 1 |');
    expect(md).toContain('| bank-new (added) |');
    expect(md).toContain('| bank-gone (removed) |');
    expect(md).toMatch(/\*\*Newly waived \(1\)\*\*\n\n- major `a:waive-later` .*waived: accepted \(T-9\), until 2099-01-01/);
  });

  it('reads a single-bank file as one bank, and compares two single-bank files whatever their ids', () => {
    const single = readFindingsSet(write('single.json', bank('bank-a', [f('a:regress', 'failed')], night2)));
    expect(single.map((s) => s.bank.id)).toEqual(['bank-a']);
    const other = readFindingsSet(write('single-b.json', bank('bank-x', [f('a:regress', 'passed')], night1)));
    const d1 = diffRuns(other, single);
    expect(d1.banks).toHaveLength(1);
    expect(d1.banks[0]!.warnings[0]).toMatch(/different banks/);
    expect(ids(d1.banks[0]!.newFailures)).toEqual(['a:regress']);
  });

  it('names the file and the field of a bad combined file', () => {
    const p = write('bad.json', { ...before, results: [{ ...before.results[0], bankId: 'nobody' }] });
    expect(() => readFindingsSet(p)).toThrow(`${p}: results[0].bankId: 'nobody' is not in "banks"`);
  });
});

describe('card-conformance diff (CLI)', () => {
  it('exits 1 on new failures, writes diff.md and diff.json with --out', async () => {
    const out = join(work, 'cli-out');
    const r = await cli(['diff', write('b.json', before), write('c.json', after), '--out', out], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(1);
    expect(r.stdout).toContain('**REGRESSION: 1 new failure**');
    expect(readFileSync(join(out, 'diff.md'), 'utf8')).toBe(r.stdout);
    const json = JSON.parse(readFileSync(join(out, 'diff.json'), 'utf8')) as {
      regression: boolean;
      banksAdded: { id: string }[];
      banks: { bank: string; fixed: { ruleId: string }[] }[];
    };
    expect(json.regression).toBe(true);
    expect(json.banksAdded.map((b) => b.id)).toEqual(['bank-new']);
    expect(json.banks.find((b) => b.bank === 'bank-a')!.fixed.map((e) => e.ruleId)).toEqual(['a:fix']);
  });

  it('exits 0 when nothing is newly failing (reversed: the regression is a fix)', async () => {
    const r = await cli(['diff', write('b2.json', after), write('c2.json', { ...after, startedAt: night2 })], { timeoutMs: 120_000 });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('No new failures');
  });

  it('exits 2 on usage errors, naming the file', async () => {
    const r = await cli(['diff', write('only.json', before)], { timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    const missing = join(work, 'missing.json');
    const r2 = await cli(['diff', missing, write('c3.json', after)], { timeoutMs: 120_000 });
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${missing}: cannot read (ENOENT)`);
  });
});
