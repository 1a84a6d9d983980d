import { describe, expect, it } from 'vitest';
import { exchange, messages, run, testKind } from '../testing.js';
import { negative, type NegativeParams } from './negative.js';

const tppBody = (codes: string[]) => ({
  type: 'object',
  properties: {
    tppMessages: {
      type: 'array',
      items: { type: 'object', required: ['category', 'code'], properties: { category: { enum: ['ERROR', 'WARNING'] }, code: { enum: codes } } },
    },
  },
});
const bodies = {
  '400': { 'application/json': tppBody(['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED', 'PERIOD_INVALID']) },
  '401': { 'application/json': tppBody(['CONSENT_INVALID', 'CONSENT_EXPIRED']) },
  '403': { 'application/json': tppBody(['CONSENT_UNKNOWN']) },
  '406': { 'application/json': tppBody(['REQUESTED_FORMATS_INVALID']) },
};
const dateCase: NegativeParams = {
  fault: 'a request with dateFrom: 2026-13-45 (not a calendar date)',
  expected: [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }],
  acceptedSeverity: 'major',
  bodies,
};
const deleted: NegativeParams = {
  fault: 'a request with the consent the run had deleted',
  strict: true,
  acceptedSeverity: 'critical',
  bodies,
  expected: [
    { status: 401, codes: ['CONSENT_INVALID'] },
    { status: 403, codes: ['CONSENT_UNKNOWN'] },
  ],
};
const tpp = (code: string) => ({ tppMessages: [{ category: 'ERROR', code, text: 'x' }] });

describe('negative: valid', () => {
  it('passes 400 FORMAT_ERROR with a valid error body', () => {
    const o = run(negative, dateCase, [exchange(tpp('FORMAT_ERROR'), { status: 400 })]);
    expect(o).toEqual({ checked: 1, violations: [] });
  });
  it('passes another declared 4xx with a valid body, and notes it', () => {
    const o = run(negative, dateCase, [exchange(tpp('CONSENT_INVALID'), { status: 401 })]);
    expect(o.violations).toEqual([]);
    expect(o.notes).toEqual(["refused with 401 CONSENT_INVALID (the standard's answer is 400 FORMAT_ERROR/PARAMETER_NOT_SUPPORTED)"]);
  });
  it('passes a bodiless 406 where the case allows it (an Accept the bank cannot serve)', () => {
    const accept: NegativeParams = { ...dateCase, fault: 'Accept: application/xml', expected: [{ status: 406, codes: ['REQUESTED_FORMATS_INVALID'] }] };
    accept.bodiless = true;
    expect(run(negative, accept, [exchange('', { status: 406, headers: { 'content-type': '' } })]).violations).toEqual([]);
  });
  it('passes a deleted consent refused with 401 CONSENT_INVALID or 403 CONSENT_UNKNOWN', () => {
    expect(run(negative, deleted, [exchange(tpp('CONSENT_INVALID'), { status: 401 })]).violations).toEqual([]);
    expect(run(negative, deleted, [exchange(tpp('CONSENT_UNKNOWN'), { status: 403 })]).violations).toEqual([]);
  });
});

describe('negative: invalid', () => {
  it('a 5xx is critical', () => {
    const o = run(negative, dateCase, [exchange('<html>java.lang.NullPointerException</html>', { status: 500, headers: { 'content-type': 'text/html' } })]);
    expect(o.violations[0]).toMatchObject({
      severity: 'critical',
      message: 'a request with dateFrom: 2026-13-45 (not a calendar date) was answered 500 (server error); expected 400 FORMAT_ERROR/PARAMETER_NOT_SUPPORTED',
    });
  });
  it("a 2xx is the case's accepted severity: major for a bad parameter, critical for a deleted consent", () => {
    const served = run(negative, dateCase, [exchange({ cardAccounts: [] })]).violations[0];
    expect(served).toMatchObject({ severity: 'major', message: expect.stringContaining('was answered 200 (served, not refused)') });
    expect(run(negative, deleted, [exchange({ cardAccounts: [] })]).violations[0]!.severity).toBe('critical');
  });
  it('a 3xx is major', () => {
    expect(run(negative, dateCase, [exchange('', { status: 302 })]).violations[0]!.severity).toBe('major');
  });
  it("a status the operation does not declare, a code outside the spec's list, an HTML page, no code: minor", () => {
    const undeclared = run(negative, dateCase, [exchange(tpp('FORMAT_ERROR'), { status: 422 })]).violations[0];
    expect(undeclared).toMatchObject({ severity: 'minor', message: expect.stringContaining('a status the operation does not declare') });
    const outside = run(negative, dateCase, [exchange(tpp('DATE_BAD'), { status: 400 })]);
    expect(outside.violations[0]).toMatchObject({ severity: 'minor', message: expect.stringContaining('the 400 error body does not match the spec') });
    const html = exchange('<html>bad</html>', { status: 400, headers: { 'content-type': 'text/html' } });
    expect(messages(run(negative, dateCase, [html]))[0]).toContain("'text/html'");
    expect(messages(run(negative, dateCase, [exchange({}, { status: 400 })]))).toContain('the 400 error body carries no error code (tppMessages[].code)');
    expect(run(negative, dateCase, [exchange('', { status: 400 })]).violations[0]!.severity).toBe('minor');
  });
  it('a strict case flags another 4xx or code as minor', () => {
    const o = run(negative, deleted, [exchange(tpp('FORMAT_ERROR'), { status: 400 })]);
    const message = 'a request with the consent the run had deleted was answered 400 FORMAT_ERROR; expected 401 CONSENT_INVALID or 403 CONSENT_UNKNOWN';
    expect(o.violations).toEqual([{ severity: 'minor', message, exchange: 0 }]);
  });
});

testKind(negative, {
  valid: [
    { name: 'a malformed date refused with 400 FORMAT_ERROR', params: dateCase, exchanges: [exchange(tpp('FORMAT_ERROR'), { status: 400 })] },
    { name: 'a deleted consent refused with 403 CONSENT_UNKNOWN', params: deleted, exchanges: [exchange(tpp('CONSENT_UNKNOWN'), { status: 403 })] },
  ],
  invalid: [
    {
      name: 'a malformed date that crashes the bank',
      params: dateCase,
      exchanges: [exchange('', { status: 500 })],
      errors: ['was answered 500 (server error)'],
    },
    { name: 'a deleted consent that still serves card data', params: deleted, exchanges: [exchange({ cardAccounts: [] })], errors: ['was answered 200'] },
  ],
});
