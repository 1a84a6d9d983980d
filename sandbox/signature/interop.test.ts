// Requests signed by joyent's independent http-signature implementation verify in our verifier.
import httpSignature from 'http-signature';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../transport/pki/certificate-info.js';
import { generateTestPki } from '../../transport/pki/generate.js';
import { computeDigest } from '../../transport/signing/digest.js';
import { buildKeyId } from '../../transport/signing/key-id.js';
import type { IncomingRequest } from './types.js';
import { REQUEST_ID, policyFor } from './test-support.js';
import { verifyRequest } from './verify-request.js';

const pki = generateTestPki();
const policy = policyFor(pki);
const cert = parseCertificate(pki.qseal.certPem);

interface JoyentCase {
  method: string;
  path: string;
  body: string;
  extraHeaders?: Record<string, string>;
  signed: string[];
  algorithm: 'rsa-sha256' | 'rsa-sha512';
  keyIdFormat: 'bg-example' | 'adorsys' | 'plain-rfc2253' | 'decimal-serial';
}

/** Signs a fake outgoing request with joyent http-signature and turns it into what our server would see. */
function joyentSigned(c: JoyentCase): IncomingRequest {
  const headers: Record<string, string> = {
    'x-request-id': REQUEST_ID,
    digest: computeDigest(c.body, c.algorithm === 'rsa-sha512' ? 'SHA-512' : 'SHA-256'),
    'tpp-signature-certificate': cert.der.toString('base64'),
    ...c.extraHeaders,
  };
  const fake = {
    method: c.method,
    path: c.path,
    getHeader: (name: string): string | undefined => headers[name.toLowerCase()],
    setHeader: (name: string, value: string): void => {
      headers[name.toLowerCase()] = value;
    },
  };
  httpSignature.sign(fake, {
    keyId: buildKeyId(cert, c.keyIdFormat),
    key: pki.qseal.keyPem,
    algorithm: c.algorithm,
    headers: c.signed,
    authorizationHeaderName: 'Signature',
  });
  return { method: c.method, path: c.path, headers, body: Buffer.from(c.body, 'utf8') };
}

describe('joyent http-signature → our verifier', () => {
  it.each<JoyentCase>([
    { method: 'GET', path: '/v1/card-accounts', body: '', signed: ['digest', 'x-request-id'], algorithm: 'rsa-sha256', keyIdFormat: 'bg-example' },
    {
      method: 'GET',
      path: '/v1/card-accounts/1/balances?x=1',
      body: '',
      signed: ['date', 'digest', 'x-request-id'],
      algorithm: 'rsa-sha512',
      keyIdFormat: 'adorsys',
    },
    {
      method: 'POST',
      path: '/v1/consents',
      body: '{"access":{"cardAccounts":[]}}\n',
      extraHeaders: { 'psu-id': 'PSU-1', 'tpp-redirect-uri': 'https://tpp.example/cb' },
      signed: ['(request-target)', 'digest', 'x-request-id', 'psu-id', 'tpp-redirect-uri'],
      algorithm: 'rsa-sha256',
      keyIdFormat: 'plain-rfc2253',
    },
    { method: 'DELETE', path: '/v1/consents/abc', body: '', signed: ['x-request-id', 'digest'], algorithm: 'rsa-sha256', keyIdFormat: 'decimal-serial' },
  ])('$method $path signed over $signed', (c) => {
    const req = joyentSigned(c);
    expect(req.headers['signature']).toMatch(/^keyId="/);
    expect(verifyRequest(req, policy)).toMatchObject({ ok: true });
  });

  it('and a joyent-signed request with a tampered body is refused', () => {
    const req = joyentSigned({
      method: 'POST',
      path: '/v1/consents',
      body: '{"a":1}',
      signed: ['digest', 'x-request-id'],
      algorithm: 'rsa-sha256',
      keyIdFormat: 'bg-example',
    });
    expect(verifyRequest({ ...req, body: Buffer.from('{"a":2}') }, policy)).toMatchObject({ ok: false, status: 401, code: 'SIGNATURE_INVALID' });
  });
});
