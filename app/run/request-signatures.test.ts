import { describe, expect, it } from 'vitest';
import { generateTestPki } from '../../transport/pki/generate.js';
import { createSigner } from '../../transport/signing/signer.js';
import type { Exchange, HttpRequestRecord } from '../../core/model.js';
import { judgeRequestSignatures, signatureProblem } from './request-signatures.js';

const pki = generateTestPki();
const sign = createSigner({
  certificatePem: pki.qseal.certPem,
  keyPem: pki.qseal.keyPem,
  keyIdFormat: 'bg-example',
  signDate: true,
  signRequestTarget: true,
  digestAlgorithm: 'SHA-256',
});
const ex = (request: HttpRequestRecord): Exchange => ({ probe: 'ok:x', operationId: 'x', endpoint: 'GET /x', request });
const base: HttpRequestRecord = {
  method: 'POST',
  url: 'https://bank.example/v1/consents?a=1',
  headers: { 'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721', 'content-type': 'application/json' },
  body: '{"recurringIndicator":true}',
};

describe('recorded request signatures', () => {
  it('verifies a signed request against the certificate it carries', () => {
    expect(signatureProblem(ex(sign(base)))).toBeUndefined();
  });
  it('names a body changed after signing, a forged signature, and an unsigned or redacted one', () => {
    const signed = sign(base);
    expect(signatureProblem(ex({ ...signed, body: '{"recurringIndicator":false}' }))).toBe('Digest does not match the body');
    const other = sign({ ...base, url: 'https://bank.example/v1/consents?a=2' });
    expect(signatureProblem(ex({ ...signed, headers: { ...signed.headers, signature: other.headers.signature! } }))).toMatch(/does not verify/);
    expect(signatureProblem(ex(base))).toBe('unsigned');
    expect(
      signatureProblem(
        ex({ ...signed, headers: { ...signed.headers, signature: 'keyId="k",algorithm="rsa-sha256",headers="digest",signature="[REDACTED signature]"' } }),
      ),
    ).toBe('redacted');
    const counts = judgeRequestSignatures([ex(signed), ex(base), ex({ ...signed, body: 'x' })], () => 'entry');
    expect(counts).toMatchObject({ verified: 1, unsigned: 1, failedCount: 1, failed: ['entry: Digest does not match the body'] });
  });
});
