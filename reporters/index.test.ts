// The reporter map: every reporter is named as in the map, the default set writes the files a run
// has always written (same bytes as the writers called one by one), and `json` prints findings.json.
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Finding, FindingsFile } from '../core/model.js';
import { createRedactor } from '../core/redact.js';
import { withAttentionFirst } from './attention.js';
import { consoleColors, renderRunEnd } from './console.js';
import { diffRuns, renderRunDiffJson, renderRunDiffMarkdown } from './diff.js';
import { combineFindings, summarize } from './findings.js';
import { DEFAULT_REPORTERS, REPORTERS, writeReports, type ReportContext } from './index.js';
import { renderJunit } from './junit.js';
import { renderSummaryMarkdown } from './summary.js';

const finding = (ruleId: string, status: Finding['status']): Finding => ({
  ruleId,
  status,
  endpoint: 'GET /v1/card-accounts',
  category: 'masked-pan',
  severity: 'critical',
  mandatory: true,
  title: `title ${ruleId}`,
  specRef: 'ref',
  message: status === 'failed' ? 'a full card number (4111 1111 1111 1111) is exposed' : '',
});
const file = (id: string, results: Finding[]): FindingsFile => ({
  tool: { name: 'card-conformance', version: '0.1.0' },
  spec: { title: 'NextGenPSD2', version: '1.3.12' },
  bank: { id, profile: 'berlin-group', baseUrl: `https://${id}.example/psd2` },
  startedAt: '2026-11-21T09:00:00.000Z',
  finishedAt: '2026-11-21T09:00:42.500Z',
  results,
  summary: summarize(results),
});

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function context(findings: FindingsFile[], extra: Partial<ReportContext> = {}): ReportContext & { lines: string[]; out: string[] } {
  dir = mkdtempSync(join(tmpdir(), 'cc-reporters-'));
  const lines: string[] = [];
  const out: string[] = [];
  return {
    dir,
    findings,
    untestable: [],
    durations: new Map(),
    redactor: createRedactor([]),
    colors: consoleColors(false),
    print: (l) => lines.push(l),
    stdout: (t) => out.push(t),
    lines,
    out,
    ...extra,
  };
}

describe('the reporter map', () => {
  it('names each reporter as its key', () => {
    for (const [name, reporter] of Object.entries(REPORTERS)) expect(reporter.name).toBe(name);
    expect(DEFAULT_REPORTERS).not.toContain('json');
  });

  it('writes what the run always wrote: findings per bank and combined, junit, summary, diff, the console end', () => {
    const a = file('bank-a', [finding('r1', 'failed'), finding('r2', 'passed')]);
    const b = file('bank-b', [finding('r1', 'passed')]);
    const base = [file('bank-a', [finding('r1', 'passed'), finding('r2', 'passed')])];
    const diff = diffRuns(base, [a, b]);
    const c = context([a, b], { diff });
    writeReports(DEFAULT_REPORTERS, c);
    const read = (...p: string[]): string => readFileSync(join(c.dir, ...p), 'utf8');
    expect(readdirSync(c.dir).sort()).toEqual(['bank-a', 'bank-b', 'diff.json', 'findings.json', 'junit.xml', 'summary.md']);
    expect(read('findings.json')).toBe(c.redactor.redactJsonText(`${JSON.stringify(combineFindings([a, b]), null, 2)}\n`));
    expect(read('bank-a', 'findings.json')).toBe(c.redactor.redactJsonText(`${JSON.stringify(a, null, 2)}\n`));
    expect(read('junit.xml')).toBe(c.redactor.redactText(renderJunit([a, b], [], new Map())));
    expect(read('diff.json')).toBe(c.redactor.redactJsonText(renderRunDiffJson(diff)));
    const summary = withAttentionFirst(renderSummaryMarkdown([a, b], []), [a, b], []) + `\n${renderRunDiffMarkdown(diff)}`;
    expect(read('summary.md')).toBe(c.redactor.redactText(summary));
    expect(c.lines.join('\n')).toBe(['', renderRunEnd([a, b], c.colors), `\n${renderRunDiffMarkdown(diff)}`].join('\n'));
    // The full card number in a message never reaches a file.
    expect(read('findings.json')).not.toContain('4111 1111 1111 1111');
    expect(c.out).toEqual([]);
  });

  it('json: the findings file on stdout, the same bytes as findings.json, redacted', () => {
    const a = file('bank-a', [finding('r1', 'failed')]);
    const c = context([a]);
    writeReports([...DEFAULT_REPORTERS, 'json'], c);
    expect(c.out).toHaveLength(1);
    expect(c.out[0]).toBe(readFileSync(join(c.dir, 'findings.json'), 'utf8'));
    expect(c.out[0]).not.toContain('4111 1111 1111 1111');
    expect(JSON.parse(c.out[0]!).bank.id).toBe('bank-a');
  });

  it('json with no bank judged: an empty document naming the untestable banks', () => {
    const c = context([], { untestable: [{ id: 'down-bank', reason: 'connection refused' }] });
    writeReports(['json'], c);
    expect(JSON.parse(c.out[0]!)).toMatchObject({ banks: [], results: [], untestable: [{ id: 'down-bank' }] });
  });
});
