import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { certificateRejection, signatureAccepted, signatureRejection } from './rejection.js';

const params = {
  fault: 'a request without Signature',
  expected: [{ status: 401, codes: ['SIGNATURE_MISSING'] }],
  tolerated: [{ status: 400, codes: ['FORMAT_ERROR'] }],
  bodies: { '401': { 'application/json': { type: 'object' } }, '400': { 'application/json': { type: 'object' } } },
  control: 'sig:control',
};
const certParams = { ...params, fault: 'an expired certificate', expected: [{ status: 401, codes: ['CERTIFICATE_EXPIRED'] }], tolerated: [] };
const tpp = (code: string) => ({ tppMessages: [{ category: 'ERROR', code }] });
const control = (status: number) => exchange({}, { probe: 'sig:control', status });
const reply = (status: number, code?: string) => exchange(code ? tpp(code) : {}, { probe: 'sig:case', status });

describe('signature-rejection', () => {
  it('passes the expected rejection after an accepted control', () => {
    expect(run(signatureRejection, params, [control(200), reply(401, 'SIGNATURE_MISSING')]).violations).toHaveLength(0);
  });
  it('is critical when the bank accepts the bad request', () => {
    expect(run(signatureRejection, params, [control(200), reply(200)]).violations[0]!.severity).toBe('critical');
  });
  it('is minor for a tolerated answer, a failure for a 5xx', () => {
    expect(run(signatureRejection, params, [control(200), reply(400, 'FORMAT_ERROR')]).violations[0]!.severity).toBe('minor');
    expect(run(signatureRejection, params, [control(200), reply(500)]).violations).toHaveLength(1);
  });
  it('cannot be judged when the positive control was refused', () => {
    expect(run(signatureRejection, params, [control(401), reply(401, 'SIGNATURE_MISSING')]).broken).toContain('proves nothing');
  });
});

describe('signature-accepted', () => {
  it('passes a 2xx and fails a refusal with its code', () => {
    expect(run(signatureAccepted, { fault: 'a signed GET' }, [reply(200)]).violations).toHaveLength(0);
    expect(run(signatureAccepted, { fault: 'a signed GET' }, [reply(401, 'SIGNATURE_INVALID')]).violations[0]!.message).toContain('SIGNATURE_INVALID');
  });
});

testKind(signatureRejection, {
  valid: [{ name: 'the expected rejection after an accepted control', params, exchanges: [control(200), reply(401, 'SIGNATURE_MISSING')] }],
  invalid: [{ name: 'the bad request accepted', params, exchanges: [control(200), reply(200)], errors: ['was answered 200'] }],
});

testKind(certificateRejection, {
  valid: [{ name: 'an expired certificate refused as expected', params: certParams, exchanges: [control(200), reply(401, 'CERTIFICATE_EXPIRED')] }],
  invalid: [{ name: 'a 5xx', params: certParams, exchanges: [control(200), reply(500)], errors: ['answered 500 (server error)'] }],
});

testKind(signatureAccepted, {
  valid: [{ name: 'a 2xx', params: { fault: 'a signed GET' }, exchanges: [reply(200)] }],
  invalid: [
    {
      name: 'a refusal, with its code',
      params: { fault: 'a signed GET' },
      exchanges: [reply(401, 'SIGNATURE_INVALID')],
      errors: ['a signed GET: answered 401 (SIGNATURE_INVALID: '],
    },
  ],
});
