import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { errorCodes, errorResponse } from './error-response.js';

const body404 = {
  type: 'object',
  properties: {
    tppMessages: { type: 'array', items: { type: 'object', required: ['category', 'code'], properties: { code: { enum: ['RESOURCE_UNKNOWN'] } } } },
  },
};
const params = {
  fault: 'a request for an unknown account-id',
  expected: [{ status: 404, codes: ['RESOURCE_UNKNOWN'] }],
  tolerated: [{ status: 403, codes: ['RESOURCE_UNKNOWN'] }],
  bodies: { '404': { 'application/json': body404 }, '403': { 'application/json': { type: 'object' } }, '400': { 'application/json': { type: 'object' } } },
};
const tpp = (code: string) => ({ tppMessages: [{ category: 'ERROR', code, text: 'x' }] });

describe('error-response', () => {
  it('passes the expected status and code with a valid body', () => {
    expect(run(errorResponse, params, [exchange(tpp('RESOURCE_UNKNOWN'), { status: 404 })]).violations).toHaveLength(0);
  });
  it('is critical when the faulty request is accepted', () => {
    expect(run(errorResponse, params, [exchange({}, { status: 200 })]).violations[0]!.severity).toBe('critical');
  });
  it('is a failure (major) on a 5xx', () => {
    const o = run(errorResponse, params, [exchange({}, { status: 500 })]);
    expect(o.violations[0]!.severity).toBeUndefined();
  });
  it('is minor for a tolerated or other 4xx answer', () => {
    expect(run(errorResponse, params, [exchange(tpp('RESOURCE_UNKNOWN'), { status: 403 })]).violations[0]!.severity).toBe('minor');
    expect(run(errorResponse, params, [exchange(tpp('FORMAT_ERROR'), { status: 400 })]).violations[0]!.message).toContain('answered 400 FORMAT_ERROR');
  });
  it('flags an HTML error page and a body without code', () => {
    expect(
      run(errorResponse, params, [exchange('<html>404</html>', { status: 404, headers: { 'content-type': 'text/html' } })]).violations[0]!.message,
    ).toContain("'text/html'");
    expect(run(errorResponse, params, [exchange({}, { status: 404 })]).violations[0]!.message).toContain('carries no error code');
  });
  it('reads codes from both error shapes', () => {
    expect(errorCodes({ type: 'x', code: 'A', additionalErrors: [{ code: 'B' }] })).toEqual(['A', 'B']);
    expect(errorCodes(tpp('C'))).toEqual(['C']);
  });
});

describe('error-response: CERTIFICATE_REVOKE and CERTIFICATE_REVOKED', () => {
  // The official 1.3.12 file's AIS 401 enum spells CERTIFICATE_REVOKE; the prose spells CERTIFICATE_REVOKED.
  const enum401 = (codes: string[]) => ({
    type: 'object',
    required: ['tppMessages'],
    properties: { tppMessages: { type: 'array', items: { type: 'object', required: ['code'], properties: { code: { enum: codes } } } } },
  });
  const revoked = (codes: string[]) => ({
    fault: 'a revoked certificate',
    expected: [{ status: 401, codes: ['CERTIFICATE_REVOKED'] }],
    bodies: { '401': { 'application/json': enum401(codes) } },
  });

  it('accepts CERTIFICATE_REVOKED against an enum that spells CERTIFICATE_REVOKE, and says so', () => {
    const o = run(errorResponse, revoked(['CERTIFICATE_REVOKE', 'CERTIFICATE_INVALID']), [exchange(tpp('CERTIFICATE_REVOKED'), { status: 401 })]);
    expect(o.violations).toEqual([]);
    expect(o.notes).toEqual(["the bank answered CERTIFICATE_REVOKED; the spec's enum spells it CERTIFICATE_REVOKE; both spellings are accepted"]);
  });

  it('accepts CERTIFICATE_REVOKE where CERTIFICATE_REVOKED is expected, and names the spelling seen', () => {
    const o = run(errorResponse, revoked(['CERTIFICATE_REVOKE']), [exchange(tpp('CERTIFICATE_REVOKE'), { status: 401 })]);
    expect(o.violations).toEqual([]);
    expect(o.notes?.[0]).toMatch(/^the bank answered CERTIFICATE_REVOKE \(spelled CERTIFICATE_REVOKED elsewhere/);
  });

  it('still fails a code outside the enum in either spelling', () => {
    const o = run(errorResponse, revoked(['CERTIFICATE_REVOKE']), [exchange(tpp('CERTIFICATE_GONE'), { status: 401 })]);
    expect(o.violations.map((v) => v.message).join('\n')).toMatch(/does not match the spec/);
  });
});

testKind(errorResponse, {
  valid: [{ name: 'the expected status and code with a valid body', params, exchanges: [exchange(tpp('RESOURCE_UNKNOWN'), { status: 404 })] }],
  invalid: [
    { name: 'the faulty request accepted', params, exchanges: [exchange({}, { status: 200 })], errors: ['was answered 200; expected 404 RESOURCE_UNKNOWN'] },
    { name: 'a tolerated answer', params, exchanges: [exchange(tpp('RESOURCE_UNKNOWN'), { status: 403 })], errors: ['(seen in practice, tolerated)'] },
  ],
});
