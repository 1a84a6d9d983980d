// Allure history across three consecutive runs (`--history DIR --save-history`) where the masking
// rules go pass → fail → pass (`--defects pan-unmasked` on the second run): the third report shows
// the trend over three runs and marks the rules as fixed; the second one files the failures under
// the masking category. A run without --save-history reads the history but leaves it as it was.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FindingsFile } from '../core/model.js';
import { cli, type CliResult } from './fixtures/cli.js';

const work = mkdtempSync(join(tmpdir(), 'cc-history-'));
const history = join(work, 'history');
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** The files the single-file report embeds (base64 data entries), by name. */
function embedded(reportDir: string): Map<string, unknown> {
  const html = readFileSync(join(reportDir, 'index.html'), 'utf8');
  const out = new Map<string, unknown>();
  for (const m of html.matchAll(/d\("([^"]+)","([A-Za-z0-9+/=]+)"\)/g)) {
    try {
      out.set(m[1]!, JSON.parse(Buffer.from(m[2]!, 'base64').toString('utf8')));
    } catch {
      /* not JSON (an attachment) */
    }
  }
  return out;
}

interface TestResultData {
  name: string;
  fullName?: string;
  status: string;
  transition?: string;
  history?: Array<{ status: string }>;
}

const runs: CliResult[] = [];
const outs = [1, 2, 3, 4].map((i) => join(work, `out-${i}`));
const historyLines = (): number =>
  existsSync(join(history, 'history.jsonl')) ? readFileSync(join(history, 'history.jsonl'), 'utf8').split('\n').filter(Boolean).length : 0;
const lengths: number[] = [];

beforeAll(async () => {
  const args = (i: number, extra: string[]): string[] => ['run', '--only', 'masked-pan', '--out', outs[i]!, '--history', history, ...extra];
  // Sequential: each run reads the history the previous one saved.
  runs.push(await cli(args(0, ['--save-history'])));
  lengths.push(historyLines());
  runs.push(await cli(args(1, ['--save-history', '--defects', 'pan-unmasked'])));
  lengths.push(historyLines());
  runs.push(await cli(args(2, ['--save-history'])));
  lengths.push(historyLines());
  runs.push(await cli(args(3, [])));
  lengths.push(historyLines());
});

describe('history across runs', () => {
  it('each saving run appends one point; a run without --save-history appends none', () => {
    expect(
      runs.map((r) => r.code),
      runs.map((r) => r.stdout + r.stderr).join('\n'),
    ).toEqual([0, 1, 0, 0]);
    expect(lengths).toEqual([1, 2, 3, 3]);
    expect(runs[0]!.stdout).toContain(`history: this run appended to ${history}`);
    expect(runs[3]!.stdout).not.toContain('history: this run appended');
  });

  it('the second report files the exposed card numbers under the masking category', () => {
    const data = embedded(join(outs[1]!, 'allure-report'));
    const categories = JSON.stringify(data.get('widgets/categories.json'));
    expect(categories).toContain('Masking: a full card number exposed');
    const findings = JSON.parse(readFileSync(join(outs[1]!, 'findings.json'), 'utf8')) as FindingsFile;
    expect(findings.results.filter((r) => r.ruleId.endsWith(':masking') && r.status === 'failed').length).toBeGreaterThan(0);
    // categories.json is in the results too (the Allure 2 form)
    const cats = JSON.parse(readFileSync(join(outs[1]!, 'allure-results', 'categories.json'), 'utf8')) as Array<{ name: string }>;
    expect(cats.map((c) => c.name)).toEqual([
      'Waived',
      'Security: a badly signed request accepted',
      'Masking: a full card number exposed',
      'Bank unavailable',
      'Spec deviation',
      'Suite error',
    ]);
  });

  it('the third report shows the trend over three runs and the masking rules as fixed, with their history', () => {
    const data = embedded(join(outs[2]!, 'allure-report'));
    const charts = JSON.stringify(data.get('widgets/charts.json'));
    // Status dynamics: the two earlier runs from the history, then this one.
    expect(charts).toMatch(/"statusDynamics"/);
    expect(charts).toMatch(/"failed":\d+/);
    const results = [...data.entries()].filter(([k]) => k.startsWith('data/test-results/')).map(([, v]) => v as TestResultData);
    const masking = results.filter((r) => / is masked /.test(r.name));
    expect(masking.length).toBeGreaterThan(0);
    const fixed = masking.filter((r) => r.transition === 'fixed');
    expect(fixed.length).toBeGreaterThan(0);
    for (const r of fixed) {
      expect(r.status).toBe('passed');
      expect(r.history?.map((h) => h.status)).toEqual(['failed', 'passed']);
    }
  });

  it('needs --history for --save-history, and a report for --history (exit 2)', async () => {
    const a = await cli(['run', '--save-history', '--out', join(work, 'x')], { timeoutMs: 120_000 });
    expect(a.code).toBe(2);
    expect(a.stderr).toContain('--save-history: needs --history DIR');
    const b = await cli(['run', '--history', history, '--no-report', '--out', join(work, 'y')], { timeoutMs: 120_000 });
    expect(b.code).toBe(2);
    expect(b.stderr).toContain('--history: the history is recorded by the HTML report');
  });
});
