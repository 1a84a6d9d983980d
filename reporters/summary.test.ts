import { describe, expect, it } from 'vitest';
import { CATEGORIES, type Category, type Finding, type FindingsFile, type ResultStatus, type Severity } from '../core/model.js';
import { summarize } from './findings.js';
import { renderConsoleMatrix, renderSummaryMarkdown, topFindings, verdictOf } from './summary.js';

const LIST = 'GET /v1/card-accounts';
const DETAILS = 'GET /v1/card-accounts/{account-id}';
const TX = 'GET /v1/card-accounts/{account-id}/transactions';

function f(ruleId: string, endpoint: string, category: Category, status: ResultStatus, severity: Severity = 'major', mandatory = true): Finding {
  return {
    ruleId,
    endpoint,
    category,
    status,
    severity,
    mandatory,
    title: `title ${ruleId}`,
    specRef: 'ref',
    message: status === 'passed' || status === 'skipped' ? '' : `message for ${ruleId}`,
  };
}

function file(id: string, results: Finding[]): FindingsFile {
  return {
    tool: { name: 'card-conformance', version: '0.1.0' },
    spec: { title: 'NextGenPSD2', version: '1.3.12' },
    bank: { id, profile: 'berlin-group', baseUrl: `https://${id}.example` },
    startedAt: '2026-11-21T09:00:00.000Z',
    finishedAt: '2026-11-21T09:00:42.500Z',
    results,
    summary: summarize(results),
  };
}

const bankA = file('bank-a', [
  f('list:schema:1', LIST, 'schema', 'passed'),
  f('list:schema:2', LIST, 'schema', 'failed', 'critical'),
  f('list:ccy', LIST, 'currency', 'passed'),
  f('details:pan', DETAILS, 'masked-pan', 'failed', 'blocker'),
  f('details:pan2', DETAILS, 'masked-pan', 'passed'),
  f('tx:ccy', TX, 'currency', 'broken', 'minor'),
  f('tx:enum', TX, 'enum', 'skipped'),
  f('tx:opt', TX, 'enum', 'failed', 'trivial', false),
]);

describe('verdictOf', () => {
  it('is FAIL when a mandatory rule failed', () => expect(verdictOf(bankA)).toBe('FAIL'));
  it('is INCOMPLETE when a mandatory rule is broken and none failed', () => {
    expect(verdictOf(file('b', [f('a', LIST, 'schema', 'passed'), f('b', LIST, 'schema', 'broken')]))).toBe('INCOMPLETE');
    expect(verdictOf(file('b', []))).toBe('INCOMPLETE');
  });
  it('is PASS when only optional rules failed', () => {
    expect(verdictOf(file('b', [f('a', LIST, 'schema', 'passed'), f('o', LIST, 'schema', 'failed', 'major', false), f('s', LIST, 'enum', 'skipped')]))).toBe(
      'PASS',
    );
  });
});

describe('topFindings', () => {
  it('lists failed and broken results, most severe first', () => {
    expect(topFindings(bankA.results).map((r) => r.ruleId)).toEqual(['details:pan', 'list:schema:2', 'tx:ccy', 'tx:opt']);
  });
  it('caps the list', () => {
    const many = Array.from({ length: 30 }, (_, i) => f(`r${String(i).padStart(2, '0')}`, LIST, 'schema', 'failed'));
    expect(topFindings(many)).toHaveLength(20);
  });
});

describe('renderSummaryMarkdown', () => {
  it('says what the run sampled or hinted, and says nothing when there is nothing to say', () => {
    const sampled = { ...bankA, notes: ['the list named 10000 accounts; the first 50 were read (limits.maxAccounts)'] };
    expect(renderSummaryMarkdown([sampled])).toContain('Notes:\n\n- the list named 10000 accounts; the first 50 were read (limits.maxAccounts)');
    expect(renderSummaryMarkdown([bankA])).not.toContain('Notes:');
  });

  const text = renderSummaryMarkdown([bankA]);

  it('has a heading, verdict and counts per bank', () => {
    expect(text).toContain('## bank-a — FAIL');
    expect(text).toContain('**Verdict: FAIL** — 2 mandatory rules failed; 1 mandatory rule could not be judged; 1 mandatory rule skipped (nothing to check).');
    expect(text).toContain('| 3 | 3 | 1 | 1 | 8 |');
    expect(text).toContain('(42.5 s)');
  });

  it('has the endpoint × category matrix with passed/judged cells and marks', () => {
    expect(text).toContain('| Endpoint | schema | currency | masked-pan | enum |');
    expect(text).toContain('| `GET /v1/card-accounts` | 1/2 ✗ | 1/1 | – | – |');
    expect(text).toContain('| `GET /v1/card-accounts/{account-id}` | – | – | 1/2 ✗ | – |');
    expect(text).toContain('| `GET /v1/card-accounts/{account-id}/transactions` | – | 0/1 ! | – | 0/1 ✗ |');
  });

  it('lists the top findings with severity, rule, endpoint and message', () => {
    const top = text.slice(text.indexOf('### Top findings'));
    expect(top).toContain('### Top findings (4 of 4)');
    expect(top.indexOf('details:pan')).toBeLessThan(top.indexOf('list:schema:2'));
    expect(top).toContain('| blocker | failed | `details:pan` | GET /v1/card-accounts/{account-id} | message for details:pan |');
    expect(top).toContain('| trivial (optional) | failed | `tx:opt`');
  });

  it('keeps table cells on one line and escapes pipes', () => {
    const odd = file('bank-c', [{ ...f('x', LIST, 'schema', 'failed'), message: 'a | b\nc <script>' }]);
    expect(renderSummaryMarkdown([odd])).toContain('| a \\| b c &lt;script> |');
  });

  it('adds an overview table for several banks', () => {
    const two = renderSummaryMarkdown([bankA, file('bank-b', [f('a', LIST, 'schema', 'passed')])]);
    expect(two).toContain('| bank-a | berlin-group | FAIL | 3 | 3 | 1 | 1 |');
    expect(two).toContain('| bank-b | berlin-group | PASS | 1 | 0 | 0 | 0 |');
    expect(two).toContain('## bank-b — PASS');
  });
});

describe('renderConsoleMatrix', () => {
  it('prints a fixed-width matrix with abbreviated categories', () => {
    const text = renderConsoleMatrix([bankA]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('bank-a (berlin-group): FAIL  passed 3  failed 3  broken 1  skipped 1');
    expect(lines[1]).toMatch(/^ {2}endpoint +schema +ccy +pan +enum$/);
    expect(lines[2]).toMatch(/^ {2}GET \/v1\/card-accounts +1\/2 ✗ +1\/1 +– +–$/);
    // Columns line up: every cell column ends at the same offset.
    const ends = lines.slice(1, 5).map((l) => l.length);
    expect(new Set(ends).size).toBe(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });

  it('stays within 100 columns with every category and long endpoints', () => {
    const results: Finding[] = [];
    for (const e of [LIST, `${TX}/{transactionId}/some/very/long/extension/path`]) {
      for (const c of CATEGORIES) {
        for (let i = 0; i < 120; i++) results.push(f(`${e}:${c}:${i}`, e, c, i === 0 ? 'failed' : 'passed'));
      }
    }
    const text = renderConsoleMatrix([file('bank-wide', results)]);
    for (const l of text.split('\n')) expect(l.length).toBeLessThanOrEqual(100);
    expect(text).toContain('…');
    expect(text).toContain('✗1');
  });
});
