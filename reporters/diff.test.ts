import { describe, expect, it } from 'vitest';
import type { Finding, FindingsFile, ResultStatus, Severity } from '../core/model.js';
import { summarize } from './findings.js';
import { diffFindings, hasRegressions, renderDiff } from './diff.js';

function f(ruleId: string, status: ResultStatus, severity: Severity = 'major', message = ''): Finding {
  return {
    ruleId,
    status,
    severity,
    message,
    category: 'schema',
    endpoint: 'GET /v1/card-accounts',
    specRef: '',
    mandatory: true,
    title: `t ${ruleId}`,
  };
}

function file(results: Finding[], startedAt: string, bankId = 'bank-a'): FindingsFile {
  return {
    tool: { name: 'card-conformance', version: '0.1.0' },
    spec: { title: 'NextGenPSD2', version: '1.3.12' },
    bank: { id: bankId, profile: 'berlin-group', baseUrl: 'https://a' },
    startedAt,
    finishedAt: startedAt,
    results,
    summary: summarize(results),
  };
}

const base = file(
  [
    f('stays-pass', 'passed'),
    f('regress', 'passed', 'minor'),
    f('regress-critical', 'passed', 'critical'),
    f('from-skip', 'skipped'),
    f('from-broken', 'broken'),
    f('still', 'failed', 'major', 'old message'),
    f('fix', 'failed', 'major', 'was wrong'),
    f('to-broken', 'failed'),
    f('gone', 'failed'),
  ],
  '2026-11-20T02:00:00.000Z',
);
const current = file(
  [
    f('stays-pass', 'passed'),
    f('regress', 'failed', 'minor', 'now wrong'),
    f('regress-critical', 'failed', 'critical', 'badly wrong'),
    f('from-skip', 'failed'),
    f('from-broken', 'failed'),
    f('still', 'failed', 'major', 'new message'),
    f('fix', 'passed'),
    f('to-broken', 'broken', 'major', 'timeout'),
    f('brand-new', 'failed'),
  ],
  '2026-11-21T02:00:00.000Z',
);

describe('diffFindings', () => {
  const d = diffFindings(base, current);
  const ids = (list: { ruleId: string }[]): string[] => list.map((e) => e.ruleId);

  it('finds new failures, most severe first, whatever the previous non-failed status', () => {
    expect(ids(d.newFailures)).toEqual(['regress-critical', 'from-broken', 'from-skip', 'regress']);
    expect(d.newFailures[0]).toMatchObject({ before: 'passed', after: 'failed', afterMessage: 'badly wrong' });
  });
  it('finds still-failing, fixed, new and removed rules', () => {
    expect(ids(d.stillFailing)).toEqual(['still']);
    expect(d.stillFailing[0]).toMatchObject({ beforeMessage: 'old message', afterMessage: 'new message' });
    expect(ids(d.fixed)).toEqual(['fix']);
    expect(ids(d.newRules)).toEqual(['brand-new']);
    expect(d.newRules[0]).toMatchObject({ after: 'failed' });
    expect(d.newRules[0]).toBeDefined();
    expect(d.newRules[0]?.before).toBeUndefined();
    expect(ids(d.removedRules)).toEqual(['gone']);
  });
  it('lists every status change, including failed → broken (not counted as fixed)', () => {
    expect(ids(d.statusChanges).sort()).toEqual(['fix', 'from-broken', 'from-skip', 'regress', 'regress-critical', 'to-broken']);
    expect(ids(d.fixed)).not.toContain('to-broken');
  });
  it('reports regressions', () => {
    expect(hasRegressions(d)).toBe(true);
    expect(hasRegressions(diffFindings(base, base))).toBe(false);
    // A new rule that fails is not a regression of the bank: the base run could not have seen it.
    expect(hasRegressions(diffFindings(file([], 'x'), file([f('n', 'failed')], 'y')))).toBe(false);
  });
  it('warns when the files are not comparable', () => {
    expect(d.warnings).toEqual([]);
    expect(diffFindings(base, file([], 'x', 'bank-b')).warnings).toEqual(['different banks: base "bank-a", current "bank-b"']);
  });
});

describe('renderDiff', () => {
  it('renders sections and a verdict line', () => {
    const text = renderDiff(diffFindings(base, current));
    expect(text).toContain('Findings diff for bank-a');
    expect(text).toContain('  base:    2026-11-20T02:00:00.000Z  passed 3, failed 4, broken 1, skipped 1');
    expect(text).toContain('New failures (4):\n  critical regress-critical  (GET /v1/card-accounts; passed → failed)\n             badly wrong');
    expect(text).toContain('Fixed (1):\n  major    fix  (GET /v1/card-accounts; failed → passed)\n             was wrong');
    expect(text).toContain('Other status changes (1):\n  major    to-broken  (GET /v1/card-accounts; failed → broken)\n             timeout');
    expect(text).toContain('Still failing (1):');
    expect(text).toContain('New rules (1):\n  major    brand-new  (GET /v1/card-accounts; failed)');
    expect(text).toContain('Removed rules (1):\n  major    gone  (GET /v1/card-accounts; failed)');
    expect(text.endsWith('REGRESSION: 4 rules newly failing')).toBe(true);
  });
  it('says so when nothing got worse', () => {
    // Reversed, the four regressions are fixes, and fix / to-broken are the new failures.
    expect(renderDiff(diffFindings(current, base)).endsWith('REGRESSION: 2 rules newly failing')).toBe(true);
    const clean = renderDiff(
      diffFindings(
        base,
        file(
          base.results.map((r) => (r.ruleId === 'fix' ? { ...r, status: 'passed' as const } : r)),
          'z',
        ),
      ),
    );
    expect(clean.endsWith('No regressions (1 fixed)')).toBe(true);
  });
});
