import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Category, FindingsFile, ResultStatus, RuleResult, Violation } from '../core/model.js';
import { createRedactor } from '../core/redact.js';
import { buildFindingsFile, combineFindings, MAX_VIOLATIONS_PER_RULE, readFindings, toFinding, writeFindings } from './findings.js';
import { renderJunit } from './junit.js';
import { renderSummaryMarkdown, verdictOf } from './summary.js';

function result(id: string, endpoint: string, category: Category, status: ResultStatus, extra: Partial<RuleResult> = {}): RuleResult {
  return {
    rule: {
      id,
      kind: 'k',
      category,
      severity: 'major',
      mandatory: true,
      title: `title of ${id}`,
      specRef: 'NextGenPSD2 IG 1.3.12 §6',
      endpoint,
      operationId: 'op',
    },
    status,
    message: status === 'passed' ? '' : `${id} broke`,
    severity: 'major',
    checked: status === 'skipped' ? 0 : 1,
    violations: [],
    evidence: [],
    ...extra,
  };
}

const base = {
  tool: { name: 'card-conformance', version: '0.1.0' },
  spec: { title: 'NextGenPSD2', version: '1.3.12' },
  bank: { id: 'bank-a', profile: 'berlin-group', baseUrl: 'https://bank-a.example' },
  startedAt: '2026-11-21T09:00:00.000Z',
  finishedAt: '2026-11-21T09:01:00.000Z',
};

const tmp = mkdtempSync(join(tmpdir(), 'findings-test-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('toFinding', () => {
  it('copies the rule metadata and the result', () => {
    const f = toFinding(result('r1', 'GET /v1/card-accounts', 'schema', 'failed', { instancePath: '/cardAccounts/0', severity: 'critical' }));
    expect(f).toEqual({
      ruleId: 'r1',
      category: 'schema',
      severity: 'critical',
      endpoint: 'GET /v1/card-accounts',
      status: 'failed',
      message: 'r1 broke',
      instancePath: '/cardAccounts/0',
      specRef: 'NextGenPSD2 IG 1.3.12 §6',
      mandatory: true,
      title: 'title of r1',
      checked: 1,
    });
    expect('violations' in f).toBe(false);
  });

  it('caps violations at 50 and says so in the message', () => {
    const violations: Violation[] = Array.from({ length: 120 }, (_, i) => ({ message: `v${i}`, instancePath: `/x/${i}` }));
    const f = toFinding(result('r2', 'GET /v1/card-accounts', 'currency', 'failed', { violations, message: 'v0' }));
    expect(f.violations).toHaveLength(MAX_VIOLATIONS_PER_RULE);
    expect(f.violations?.[49]).toEqual({ message: 'v49', instancePath: '/x/49' });
    expect(f.message).toBe('v0 (120 violations in total; the first 50 are listed)');
  });

  it('redacts messages: card numbers always, secrets with the bank redactor', () => {
    const r = result('r3', 'GET /v1/card-accounts', 'masked-pan', 'failed', {
      message: 'maskedPan is a full PAN 4925000000000004 (consent abcd-1234)',
      violations: [{ message: 'pan 4925000000000004 in consent abcd-1234' }],
    });
    expect(toFinding(r).message).toBe('maskedPan is a full PAN 492500xxxxxx0004 [masked by card-conformance] (consent abcd-1234)');
    const f = toFinding(r, createRedactor([{ value: 'abcd-1234', kind: 'consent-id' }]));
    expect(f.message).toBe('maskedPan is a full PAN 492500xxxxxx0004 [masked by card-conformance] (consent [REDACTED consent-id])');
    expect(f.violations?.[0]?.message).toBe('pan 492500xxxxxx0004 [masked by card-conformance] in consent [REDACTED consent-id]');
  });
});

describe('buildFindingsFile', () => {
  const file = buildFindingsFile({
    ...base,
    results: [
      result('z-rule', 'GET /v1/card-accounts/{account-id}', 'schema', 'passed'),
      result('b-rule', 'GET /v1/card-accounts', 'schema', 'failed'),
      result('a-rule', 'GET /v1/card-accounts', 'schema', 'broken'),
      result('c-rule', 'GET /v1/card-accounts', 'currency', 'skipped'),
      result('d-rule', 'GET /v1/card-accounts', 'currency', 'passed'),
    ],
  });

  it('sorts by endpoint, category, rule id', () => {
    expect(file.results.map((r) => r.ruleId)).toEqual(['c-rule', 'd-rule', 'a-rule', 'b-rule', 'z-rule']);
  });

  it('counts statuses', () => {
    expect(file.summary).toEqual({ passed: 2, failed: 1, broken: 1, skipped: 1 });
  });

  it('is written as pretty JSON in a new folder and read back', () => {
    const path = join(tmp, 'out', 'bank-a', 'findings.json');
    writeFindings(path, file);
    const text = readFileSync(path, 'utf8');
    expect(text.startsWith('{\n  "tool": {')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(readFindings(path)).toEqual(file);
  });
});

describe('an interrupted run', () => {
  it('says "interrupted": true in findings.json, keeps it when read back and combined, and the summary and JUnit say so', () => {
    const file = buildFindingsFile({ ...base, interrupted: true, results: [result('r1', 'GET /v1/card-accounts', 'schema', 'passed')] });
    expect(file.interrupted).toBe(true);
    const path = join(tmp, 'interrupted', 'findings.json');
    writeFindings(path, file);
    expect(JSON.parse(readFileSync(path, 'utf8')).interrupted).toBe(true);
    expect(readFindings(path).interrupted).toBe(true);
    expect(combineFindings([file]).interrupted).toBe(true);
    expect(verdictOf(file)).toBe('INCOMPLETE');
    expect(renderSummaryMarkdown([file])).toContain('the run was interrupted');
    expect(renderJunit([file])).toContain('<property name="interrupted" value="true"/>');
    // A complete run carries no such field at all.
    expect('interrupted' in buildFindingsFile({ ...base, results: [] })).toBe(false);
  });

  it("writes the bank redactor's secrets masked, also a secret inside baseUrl", () => {
    const r = createRedactor([
      { value: 'tenant-secret-1', kind: 'secret' },
      { value: 'c-0815-abcd', kind: 'consent-id' },
    ]);
    const file = buildFindingsFile({
      ...base,
      bank: { ...base.bank, baseUrl: 'https://bank.example/tenant-secret-1' },
      redactor: r,
      results: [result('r1', 'GET /v1/card-accounts', 'schema', 'failed', { message: 'consent c-0815-abcd refused' })],
    });
    const path = join(tmp, 'secret', 'findings.json');
    writeFindings(path, file, r);
    const text = readFileSync(path, 'utf8');
    expect(text).not.toContain('tenant-secret-1');
    expect(text).not.toContain('c-0815-abcd');
    expect(text).toContain('consent [REDACTED consent-id] refused');
  });
});

describe('readFindings', () => {
  it('names the file and the problem', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"nope": 1}');
    expect(() => readFindings(bad)).toThrow(`${bad}: not a findings file`);
    writeFileSync(bad, '{');
    expect(() => readFindings(bad)).toThrow(`${bad}: not valid JSON`);
    expect(() => readFindings(join(tmp, 'missing.json'))).toThrow('cannot read (ENOENT)');
    writeFileSync(bad, JSON.stringify({ results: [], banks: [] }));
    expect(() => readFindings(bad)).toThrow('a combined findings file');
  });
});

describe('combineFindings', () => {
  it('merges banks, tags results with the bank id and sums the counts', () => {
    const a: FindingsFile = buildFindingsFile({ ...base, results: [result('r1', 'GET /v1/card-accounts', 'schema', 'failed')] });
    const b: FindingsFile = buildFindingsFile({
      ...base,
      bank: { id: 'bank-b', profile: 'bits-no', baseUrl: 'https://bank-b.example' },
      startedAt: '2026-11-21T08:59:00.000Z',
      finishedAt: '2026-11-21T09:02:00.000Z',
      results: [result('r1', 'GET /v1/card-accounts', 'schema', 'passed'), result('r2', 'GET /v1/card-accounts', 'enum', 'skipped')],
    });
    const c = combineFindings([a, b]);
    expect(c.tool).toEqual(base.tool);
    expect(c.startedAt).toBe('2026-11-21T08:59:00.000Z');
    expect(c.finishedAt).toBe('2026-11-21T09:02:00.000Z');
    expect(c.banks).toEqual([
      { id: 'bank-a', profile: 'berlin-group', baseUrl: 'https://bank-a.example', summary: { passed: 0, failed: 1, broken: 0, skipped: 0 } },
      { id: 'bank-b', profile: 'bits-no', baseUrl: 'https://bank-b.example', summary: { passed: 1, failed: 0, broken: 0, skipped: 1 } },
    ]);
    expect(c.results.map((r) => `${r.bankId}:${r.ruleId}:${r.status}`)).toEqual(['bank-a:r1:failed', 'bank-b:r2:skipped', 'bank-b:r1:passed']);
    expect(c.summary).toEqual({ passed: 1, failed: 1, broken: 0, skipped: 1 });
    expect(() => combineFindings([])).toThrow(RangeError);
  });
});
