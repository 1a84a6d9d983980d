import { X509Certificate, createPublicKey, verify } from 'node:crypto';
import httpSignature from 'http-signature';
import { describe, expect, it } from 'vitest';
import type { HttpRequestRecord } from '../../core/model.js';
import { generateTestPki } from '../pki/generate.js';
import { signString } from './algorithms.js';
import { computeDigest } from './digest.js';
import { parseSignatureHeader } from './signature-header.js';
import { type SignerOptions, createSigner } from './signer.js';

const pki = generateTestPki();
const publicKeyPem = new X509Certificate(pki.qseal.certPem).publicKey.export({ type: 'spki', format: 'pem' }).toString();
const base: SignerOptions = {
  certificatePem: pki.qseal.certPem,
  keyPem: pki.qseal.keyPem,
  keyIdFormat: 'bg-example',
  signDate: false,
  signRequestTarget: false,
  digestAlgorithm: 'SHA-256',
};
const get: HttpRequestRecord = {
  method: 'GET',
  url: 'https://bank.example/v1/card-accounts?withBalance=true',
  headers: { 'x-request-id': '99391c7e-ad88-49ec-a2ad-99ddcb1f7721', accept: 'application/json' },
};

/** Joyent's verifier as an independent oracle: parse a fake incoming request, then check the signature. */
function joyentVerifies(signed: HttpRequestRecord, required: string[]): boolean {
  const url = new URL(signed.url);
  const parsed = httpSignature.parseRequest(
    { method: signed.method, url: url.pathname + url.search, httpVersion: '1.1', headers: signed.headers },
    { headers: required, clockSkew: 10 * 365 * 86400 },
  );
  return httpSignature.verifySignature(parsed, publicKeyPem);
}

describe('createSigner', () => {
  it('signs a GET that joyent http-signature verifies (digest of the empty body)', () => {
    const signed = createSigner(base)(get);
    expect(signed.headers['digest']).toBe('SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=');
    expect(joyentVerifies(signed, ['digest', 'x-request-id'])).toBe(true);
  });

  it('signs a POST with SHA-512, date, (request-target) and PSU headers; joyent verifies', () => {
    const signer = createSigner({ ...base, digestAlgorithm: 'SHA-512', signDate: true, signRequestTarget: true, keyIdFormat: 'adorsys' });
    const body = '{"navn":"Åsane"}\n';
    const signed = signer({
      method: 'POST',
      url: 'https://bank.example/v1/consents?x=1',
      headers: {
        'X-Request-ID': '0b9b2f38-8a5e-4d6c-9f0e-5a0d6f7e8c91',
        'PSU-ID': 'Bjørn',
        'tpp-redirect-uri': 'https://tpp.example/cb',
        'psu-corporate-id': 'C1',
      },
      body,
    });
    expect(signed.headers['digest']).toBe(computeDigest(body, 'SHA-512'));
    const sig = parseSignatureHeader(signed.headers['signature'] ?? '');
    expect(sig.ok && sig.value.headers).toEqual(['(request-target)', 'date', 'digest', 'x-request-id', 'psu-id', 'psu-corporate-id', 'tpp-redirect-uri']);
    expect(joyentVerifies(signed, ['(request-target)', 'date', 'digest', 'x-request-id', 'psu-id', 'psu-corporate-id', 'tpp-redirect-uri'])).toBe(true);
    expect(signed.body).toBe(body);
  });

  it('sends non-ASCII values RFC 2047 encoded and signs the encoded text', () => {
    const signed = createSigner(base)({ ...get, headers: { ...get.headers, 'psu-id': 'Bjørn Ærø' } });
    expect(signed.headers['psu-id']).toBe(`=?utf-8?B?${Buffer.from('Bjørn Ærø').toString('base64')}?=`);
    for (const value of Object.values(signed.headers)) expect(value).toMatch(/^[\x20-\x7e]*$/);
    expect(joyentVerifies(signed, ['digest', 'x-request-id', 'psu-id'])).toBe(true);
  });

  it.each(['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'] as const)('builds a %s keyId joyent can parse', (keyIdFormat) => {
    const signed = createSigner({ ...base, keyIdFormat })(get);
    expect(joyentVerifies(signed, ['digest', 'x-request-id'])).toBe(true);
    const sig = parseSignatureHeader(signed.headers['signature'] ?? '');
    const serial = BigInt('0x' + pki.qseal.serialHex);
    const expected = {
      'bg-example': `SN=${serial.toString(16).toUpperCase()},CA=CN=Card%20Conformance%20Test%20Root%20CA,O=Card%20Conformance%20Test%20QTSP,C=NO`,
      adorsys: `SN=${serial.toString(16)},CA=CN=Card%20Conformance%20Test%20Root%20CA,O=Card%20Conformance%20Test%20QTSP,C=NO`,
      'plain-rfc2253': `SN=${serial.toString(16).toUpperCase()},CA=CN=Card Conformance Test Root CA,O=Card Conformance Test QTSP,C=NO`,
      'decimal-serial': serial.toString(10),
    }[keyIdFormat];
    expect(sig.ok && sig.value.keyId).toBe(expected);
  });

  it('writes the headers in the BG form', () => {
    const fixed = new Date('2026-11-21T08:34:25.000Z');
    const signed = createSigner({ ...base, now: () => fixed })(get);
    expect(signed.headers['signature']).toMatch(
      /^keyId="SN=[0-9A-F]+,CA=[^"]+",algorithm="rsa-sha256",headers="digest x-request-id",signature="[A-Za-z0-9+/]+=*"$/,
    );
    expect(signed.headers['tpp-signature-certificate']).toBe(Buffer.from(new X509Certificate(pki.qseal.certPem).raw).toString('base64'));
    expect(signed.headers['date']).toBe('Sat, 21 Nov 2026 08:34:25 GMT');
    expect(signed.headers['accept']).toBe('application/json');
    expect(Object.keys(signed.headers).every((k) => k === k.toLowerCase())).toBe(true);
  });

  it('keeps a caller-set Date and adds an X-Request-ID when there is none', () => {
    const signed = createSigner(base)({ method: 'GET', url: 'https://bank.example/v1/x', headers: { Date: 'Mon, 01 Jan 2024 00:00:00 GMT' } });
    expect(signed.headers['date']).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(signed.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses a key that is not the certificate’s, unless told to allow it', () => {
    expect(() => createSigner({ ...base, keyPem: pki.qwac.keyPem })).toThrow(/does not belong/);
    expect(() => createSigner({ ...base, keyPem: pki.qwac.keyPem, checkKeyMatchesCertificate: false })).not.toThrow();
  });

  it('signs fast with a cached KeyObject', () => {
    const signer = createSigner(base);
    signer(get);
    const n = 300;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) signer(get);
    const perOp = (performance.now() - t0) / n;
    console.log(`createSigner: ${perOp.toFixed(3)} ms per signed request`);
    expect(perOp).toBeLessThan(10);
  });
});

describe('signString', () => {
  it('produces RSASSA-PKCS1-v1_5 signatures node:crypto verifies, for every label', () => {
    const pub = createPublicKey(publicKeyPem);
    for (const [alg, hash] of [
      ['rsa-sha256', 'sha256'],
      ['rsa-sha512', 'sha512'],
      ['rsa-sha1', 'sha1'],
    ] as const) {
      const sig = signString(pki.qseal.keyPem, alg, 'digest: x');
      expect(verify(hash, Buffer.from('digest: x'), pub, Buffer.from(sig, 'base64')), alg).toBe(true);
    }
  });
});
