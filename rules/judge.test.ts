import { describe, expect, it } from 'vitest';
import type { Rule } from '../core/model.js';
import { judgeRule, observe, type JudgeContext } from './judge.js';
import { exchange, testProfile } from './testing.js';
import { SchemaValidators } from '../schemas/validators.js';

const rule = (id: string, probes: string[], params: unknown, after?: string): Rule =>
  ({
    id,
    kind: 'currency',
    category: 'currency',
    severity: 'major',
    title: id,
    specRef: 'test',
    mandatory: true,
    endpoint: 'GET /test',
    params,
    probes,
    ...(after ? { after } : {}),
  }) as Rule; // the fields a currency rule needs; the rest of RuleMeta is not read by the judge

const ctxOf = (exchanges: ReturnType<typeof exchange>[], notSent: Record<string, string> = {}): JudgeContext => ({
  exchanges: observe(exchanges),
  profile: testProfile(),
  validators: new SchemaValidators({}),
  notSent,
});

describe('judgeRule: what is worked out once per run', () => {
  it('judges an exchange appended to the run after earlier rules were judged', () => {
    const r = rule('c', ['ok:a'], { path: '/currency' });
    const ctx = ctxOf([exchange({ currency: 'EUR' }, { probe: 'ok:a' })]);
    expect(judgeRule(r, ctx).status).toBe('passed');
    ctx.exchanges.push(...observe([exchange({ currency: 'EURO' }, { probe: 'ok:a' })]).map((ex) => ({ ...ex, index: 1 })));
    const again = judgeRule(r, ctx);
    expect(again.status).toBe('failed');
    expect(again.evidence).toEqual([1]);
  });
  it('gives rules with the same probes their own verdicts, and each result its own arrays', () => {
    const ctx = ctxOf([exchange({ currency: 'EUR', other: 'XYZ' }, { probe: 'ok:a' })]);
    const a = judgeRule(rule('a', ['ok:a'], { path: '/currency' }), ctx);
    const b = judgeRule(rule('b', ['ok:a'], { path: '/other' }), ctx);
    expect([a.status, b.status]).toEqual(['passed', 'failed']);
    const skipped1 = judgeRule(rule('s1', ['ok:none'], { path: '/currency' }), ctx);
    const skipped2 = judgeRule(rule('s2', ['ok:none'], { path: '/currency' }), ctx);
    expect(skipped1.message).toBe('no request was made for ok:none');
    expect(skipped1.evidence).not.toBe(skipped2.evidence);
    expect(Object.keys(a)).toEqual(['rule', 'severity', 'checked', 'violations', 'evidence', 'status', 'message']);
    expect(Object.keys(b)).toEqual(['rule', 'severity', 'checked', 'violations', 'evidence', 'status', 'message', 'instancePath']);
  });
  it('takes the reason a probe was not sent from the context it is given', () => {
    const exchanges = [exchange({ currency: 'EUR' }, { probe: 'ok:a' })];
    const r = rule('n', ['ok:b'], { path: '/currency' });
    const ctx = ctxOf(exchanges);
    expect(judgeRule(r, ctx).message).toBe('no request was made for ok:b');
    expect(judgeRule(r, { ...ctx, notSent: { 'ok:b': 'a pre-authorised consent was used' } }).message).toBe('a pre-authorised consent was used');
  });
});
