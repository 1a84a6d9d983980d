import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../transport/pki/certificate-info.js';
import { BAD_CERTIFICATE_IDS, generateTestPki } from '../../transport/pki/generate.js';
import { signString } from '../../transport/signing/algorithms.js';
import { computeDigest } from '../../transport/signing/digest.js';
import { buildKeyId } from '../../transport/signing/key-id.js';
import { formatSignatureHeader, parseSignatureHeader } from '../../transport/signing/signature-header.js';
import { buildSigningString } from '../../transport/signing/signing-string.js';
import type { IncomingRequest, VerifyResult } from './types.js';
import { REQUEST_ID, policyFor, resign, signedRequest } from './test-support.js';
import { verifyRequest } from './verify-request.js';

const pki = generateTestPki();
const policy = policyFor(pki);
const seal = { certPem: pki.qseal.certPem, keyPem: pki.qseal.keyPem };
const cert = parseCertificate(pki.qseal.certPem);
const keyId = buildKeyId(cert, 'bg-example');
const BASE_HEADERS = ['digest', 'x-request-id'];

const get = (): IncomingRequest => signedRequest(seal);
const post = (body = '{"a":1}'): IncomingRequest => signedRequest({ ...seal, method: 'POST', path: '/v1/consents', body });
const withHeaders = (req: IncomingRequest, headers: Record<string, string | undefined>): IncomingRequest => {
  const merged: Record<string, string> = { ...req.headers };
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined) delete merged[k];
    else merged[k] = v;
  }
  return { ...req, headers: merged };
};
/** A header the test request must carry; a missing one fails the test here rather than as a TypeError later. */
const header = (req: IncomingRequest, name: string): string => {
  const value = req.headers[name];
  if (value === undefined) throw new Error(`test request has no ${name} header`);
  return value;
};
const sigParams = (req: IncomingRequest) => {
  const p = parseSignatureHeader(header(req, 'signature'));
  if (!p.ok) throw new Error('test request not signed');
  return p.value;
};
/** Rewrites one parameter of the Signature header, keeping the others. */
const withSignatureParams = (req: IncomingRequest, change: Partial<Record<'keyId' | 'algorithm' | 'headers' | 'signature', string | undefined>>) => {
  const p = sigParams(req);
  const params = { keyId: p.keyId, algorithm: p.algorithm, headers: p.headers.join(' '), signature: p.signature };
  for (const [k, v] of Object.entries(change)) (params as Record<string, string | undefined>)[k] = v;
  return withHeaders(req, { signature: formatSignatureHeader(params) });
};

function expectOk(result: VerifyResult): void {
  expect(result, JSON.stringify(result)).toMatchObject({ ok: true });
}
function expectFail(result: VerifyResult, status: number, code: string): void {
  expect(result).toMatchObject({ ok: false, status, code });
  if (!result.ok) expect(result.text.length).toBeGreaterThan(0);
}

describe('positive controls (must be accepted)', () => {
  it('P1 GET with the digest of an empty body, returning the certificate', () => {
    const result = verifyRequest(get(), policy);
    expectOk(result);
    expect(result.ok && result.certificate?.serialHex).toBe(pki.qseal.serialHex);
  });

  it('P2 POST with a SHA-512 digest, and rsa-sha512', () => {
    expectOk(verifyRequest(signedRequest({ ...seal, method: 'POST', body: '{"x":1}', signer: { digestAlgorithm: 'SHA-512' } }), policy));
    expectOk(verifyRequest(signedRequest({ ...seal, method: 'POST', body: '{"x":1}', signer: { algorithm: 'rsa-sha512' } }), policy));
  });

  it('P3 a body with a trailing newline and UTF-8 characters', () => {
    expectOk(verifyRequest(post('{"navn":"Åsane Blåbær"}\r\n'), policy));
  });

  it('P4 PSU-ID, PSU-Corporate-ID and TPP-Redirect-URI present and signed', () => {
    const req = signedRequest({ ...seal, headers: { 'psu-id': 'PSU-1', 'psu-corporate-id': 'CORP-1', 'tpp-redirect-uri': 'https://tpp.example/cb' } });
    expect(sigParams(req).headers).toEqual(['digest', 'x-request-id', 'psu-id', 'psu-corporate-id', 'tpp-redirect-uri']);
    expectOk(verifyRequest(req, policy));
  });

  it('P5 headers in a non-default order, signing string in the same order', () => {
    const req = resign(signedRequest({ ...seal, headers: { 'psu-id': 'PSU-1' } }), {
      keyPem: seal.keyPem,
      keyId,
      signedHeaders: ['psu-id', 'x-request-id', 'date', 'digest'],
    });
    expectOk(verifyRequest(req, policy));
  });

  it('P6 the certificate as single-line Base64 DER (and also as PEM)', () => {
    const req = get();
    expect(req.headers['tpp-signature-certificate']).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expectOk(verifyRequest(req, policy));
    expectOk(verifyRequest(withHeaders(req, { 'tpp-signature-certificate': pki.qseal.certPem.replace(/\n/g, ' ') }), policy));
  });

  it('P7 an RFC 2047 encoded non-ASCII PSU-ID, signed as sent', () => {
    const req = signedRequest({ ...seal, headers: { 'psu-id': 'Bjørn Ærø' } });
    expect(req.headers['psu-id']).toMatch(/^=\?utf-8\?B\?/);
    expectOk(verifyRequest(req, policy));
  });

  it('every keyId preset, date and (request-target) signing, and a query string', () => {
    for (const keyIdFormat of ['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'] as const) {
      const req = signedRequest({
        ...seal,
        path: '/v1/card-accounts/abc/transactions?dateFrom=2026-01-01&bookingStatus=both',
        signer: { keyIdFormat, signDate: true, signRequestTarget: true },
      });
      expectOk(verifyRequest(req, policyFor(pki, { signDateRequired: true })));
    }
  });

  it('S25/S26 extra signed headers and upper-case names in headers are accepted', () => {
    const extra = resign(withHeaders(get(), { 'psu-ip-address': '192.0.2.10' }), {
      keyPem: seal.keyPem,
      keyId,
      signedHeaders: [...BASE_HEADERS, 'date', 'psu-ip-address'],
    });
    expectOk(verifyRequest(extra, policy));
    const upper = resign(get(), { keyPem: seal.keyPem, keyId, signedHeaders: ['Digest', 'X-Request-ID'] });
    expect(upper.headers['signature']).toContain('headers="Digest X-Request-ID"');
    expectOk(verifyRequest(upper, policy));
  });

  it('S40 the QWAC-profile certificate is accepted as a signing certificate', () => {
    expectOk(verifyRequest(signedRequest({ certPem: pki.bad['qwac-as-seal'].certPem, keyPem: pki.bad['qwac-as-seal'].keyPem }), policy));
  });

  it('lower-case digest algorithm token', () => {
    const req = get();
    const lower = resign(withHeaders(req, { digest: header(req, 'digest').replace('SHA-256', 'sha-256') }), {
      keyPem: seal.keyPem,
      keyId,
      signedHeaders: BASE_HEADERS,
    });
    expectOk(verifyRequest(lower, policy));
  });
});

describe('rejections: one fault each (the S-numbered cases of rules/kinds/support/signature-cases.ts)', () => {
  it('S01 no Signature', () => expectFail(verifyRequest(withHeaders(get(), { signature: undefined }), policy), 401, 'SIGNATURE_MISSING'));
  it('S02 no TPP-Signature-Certificate', () =>
    expectFail(verifyRequest(withHeaders(get(), { 'tpp-signature-certificate': undefined }), policy), 401, 'CERTIFICATE_MISSING'));
  it('S03 no Digest', () => expectFail(verifyRequest(withHeaders(get(), { digest: undefined }), policy), 400, 'FORMAT_ERROR'));

  it('S04 Digest over another body, signature consistent with it', () => {
    const req = resign(withHeaders(post('{"a":1}'), { digest: computeDigest('{"a":2}') }), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS });
    expectFail(verifyRequest(req, policy), 401, 'SIGNATURE_INVALID');
  });

  it('S05 body changed after signing (also a dropped trailing newline)', () => {
    expectFail(verifyRequest({ ...post('{"a":1}'), body: Buffer.from('{"a":2}') }, policy), 401, 'SIGNATURE_INVALID');
    expectFail(verifyRequest({ ...post('{"a":1}\n'), body: Buffer.from('{"a":1}') }, policy), 401, 'SIGNATURE_INVALID');
  });

  it.each(['SHA', 'MD5', 'SHA-384', 'SHA-1'] as const)('S06 Digest with disallowed algorithm %s, correctly computed and signed', (alg) => {
    const req = resign(withHeaders(get(), { digest: computeDigest('', alg) }), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS });
    expectFail(verifyRequest(req, policy), 400, 'FORMAT_ERROR');
  });

  it.each(['SHA-256', '', 'SHA-256=', 'SHA-256=%%%', 'SHA-256=abc', '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='])('S07 malformed Digest "%s"', (digest) => {
    const req = resign(withHeaders(get(), { digest }), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS });
    expectFail(verifyRequest(req, policy), 400, 'FORMAT_ERROR');
  });

  it('S08 headers lacks x-request-id', () =>
    expectFail(verifyRequest(resign(get(), { keyPem: seal.keyPem, keyId, signedHeaders: ['digest'] }), policy), 401, 'SIGNATURE_INVALID'));
  it('S09 headers lacks digest', () =>
    expectFail(verifyRequest(resign(get(), { keyPem: seal.keyPem, keyId, signedHeaders: ['x-request-id'] }), policy), 401, 'SIGNATURE_INVALID'));

  it.each(['psu-id', 'psu-corporate-id', 'tpp-redirect-uri'])('S10 %s sent but not signed', (h) => {
    const req = resign(withHeaders(get(), { [h]: 'value' }), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS });
    expectFail(verifyRequest(req, policy), 401, 'SIGNATURE_INVALID');
  });

  it('S11 X-Request-ID differs from the signed value', () =>
    expectFail(verifyRequest(withHeaders(get(), { 'x-request-id': 'f2b7e3a0-1c2d-4e5f-8a9b-0c1d2e3f4a5b' }), policy), 401, 'SIGNATURE_INVALID'));

  it('S12 a signed PSU-ID / TPP-Redirect-URI changed after signing', () => {
    const req = signedRequest({ ...seal, headers: { 'psu-id': 'PSU-1', 'tpp-redirect-uri': 'https://tpp.example/cb' } });
    expectFail(verifyRequest(withHeaders(req, { 'psu-id': 'PSU-2' }), policy), 401, 'SIGNATURE_INVALID');
    expectFail(verifyRequest(withHeaders(req, { 'tpp-redirect-uri': 'https://evil.example/cb' }), policy), 401, 'SIGNATURE_INVALID');
  });

  it('S13 signed with another private key', () => {
    const req = signedRequest({ certPem: pki.qseal.certPem, keyPem: pki.qwac.keyPem });
    expectFail(verifyRequest(req, policy), 401, 'SIGNATURE_INVALID');
  });

  it('S14 signature corrupted, truncated or not Base64', () => {
    const sig = sigParams(get()).signature;
    const flipped = sig[10] === 'A' ? 'B' : 'A';
    for (const bad of [sig.slice(0, 10) + flipped + sig.slice(11), sig.slice(0, 200), 'not base64!', sig.replace(/=+$/, ''), 'AAAA']) {
      expectFail(verifyRequest(withSignatureParams(get(), { signature: bad }), policy), 401, 'SIGNATURE_INVALID');
    }
  });

  it.each(['hmac-sha256', 'ecdsa-sha256', 'SHA256withRSA', 'hs2019', 'rsa-sha384'])('S15 algorithm %s with an RSA certificate', (label) => {
    expectFail(verifyRequest(withSignatureParams(get(), { algorithm: label }), policy), 401, 'SIGNATURE_INVALID');
  });

  it('S16 rsa-sha1 with a genuine SHA-1 signature', () =>
    expectFail(
      verifyRequest(resign(get(), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS, algorithm: 'rsa-sha1' }), policy),
      401,
      'SIGNATURE_INVALID',
    ));

  it('S17 rsa-sha512 label over a SHA-256 signature', () =>
    expectFail(
      verifyRequest(resign(get(), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS, label: 'rsa-sha512' }), policy),
      401,
      'SIGNATURE_INVALID',
    ));

  it('S18 algorithm missing', () => expectFail(verifyRequest(withSignatureParams(get(), { algorithm: undefined }), policy), 401, 'SIGNATURE_INVALID'));
  it('S19 keyId missing', () => expectFail(verifyRequest(withSignatureParams(get(), { keyId: undefined }), policy), 401, 'SIGNATURE_INVALID'));

  it('S20 keyId names another serial', () => {
    const other = buildKeyId(parseCertificate(pki.qwac.certPem), 'bg-example');
    expectFail(verifyRequest(withSignatureParams(get(), { keyId: other }), policy), 401, 'SIGNATURE_INVALID');
    expectFail(verifyRequest(withSignatureParams(get(), { keyId: 'garbage' }), policy), 401, 'SIGNATURE_INVALID');
  });

  it('S21 keyId names another CA', () => {
    const rogue = `SN=${pki.qseal.serialHex.toUpperCase()},CA=CN=Rogue%20Test%20Root%20CA,O=Rogue%20Test%20QTSP,C=NO`;
    expectFail(verifyRequest(withSignatureParams(get(), { keyId: rogue }), policy), 401, 'SIGNATURE_INVALID');
  });

  it('S23 Signature syntax errors', () => {
    const good = header(get(), 'signature');
    for (const bad of [
      `Signature ${good}`,
      good.replace('algorithm="rsa-sha256"', 'algorithm=rsa-sha256'),
      `${good},keyId="${keyId}"`,
      good.replace(/,signature="[^"]*"/, ''),
      good.replace(/headers="[^"]*"/, 'headers=""'),
      'garbage',
      good.slice(0, -1),
      `${good},`,
    ]) {
      expectFail(verifyRequest(withHeaders(get(), { signature: bad }), policy), 401, 'SIGNATURE_INVALID');
    }
  });

  it('S24 headers names a header that is not in the request', () => {
    const req = resign(withHeaders(get(), { 'psu-ip-address': '192.0.2.1' }), {
      keyPem: seal.keyPem,
      keyId,
      signedHeaders: [...BASE_HEADERS, 'psu-ip-address'],
    });
    expectFail(verifyRequest(withHeaders(req, { 'psu-ip-address': undefined }), policy), 401, 'SIGNATURE_INVALID');
  });

  it('S27 certificate not Base64, truncated, or not a certificate', () => {
    const good = header(get(), 'tpp-signature-certificate');
    for (const bad of [
      'not base64!',
      good.slice(0, 400),
      Buffer.from('hello world').toString('base64'),
      Buffer.from(pki.qseal.keyPem).toString('base64'),
      '-----BEGIN CERTIFICATE-----AAAA-----END CERTIFICATE-----',
    ]) {
      expectFail(verifyRequest(withHeaders(get(), { 'tpp-signature-certificate': bad }), policy), 401, 'CERTIFICATE_INVALID');
    }
  });

  it.each(BAD_CERTIFICATE_IDS.filter((id) => pki.bad[id].expected !== 'accepted'))('S28–S38 certificate fault %s', (id) => {
    const bad = pki.bad[id];
    const result = verifyRequest(signedRequest({ certPem: bad.certPem, keyPem: bad.keyPem }), policy);
    if (bad.expected === 'accepted') throw new Error('filtered');
    expectFail(result, bad.expected.status, bad.expected.code);
  });

  it('the root CA itself as the signing certificate', () => {
    expectFail(verifyRequest(signedRequest({ certPem: pki.rootCaPem, keyPem: pki.root.keyPem }), policy), 401, 'CERTIFICATE_INVALID');
  });

  it('S44 X-Request-ID not a UUID (signed correctly), or missing', () => {
    const req = resign(withHeaders(get(), { 'x-request-id': 'req-123' }), { keyPem: seal.keyPem, keyId, signedHeaders: BASE_HEADERS });
    expectFail(verifyRequest(req, policy), 400, 'FORMAT_ERROR');
    expectFail(verifyRequest(withHeaders(get(), { 'x-request-id': undefined }), policy), 400, 'FORMAT_ERROR');
  });

  it('S45 non-ASCII PSU-ID sent raw (one Latin-1 byte) while the UTF-8 text was signed', () => {
    // The TPP signs the UTF-8 bytes of "Bjørn"; its HTTP client puts 0xF8 on the wire, which
    // Node hands over as the one-char-per-byte string "Bjørn".
    const base = withHeaders(get(), { 'psu-id': 'Bjørn' });
    const signing = buildSigningString([...BASE_HEADERS, 'psu-id'], { method: 'GET', target: base.path, headers: base.headers });
    if (!signing.ok) throw new Error('unreachable');
    const signature = signString(seal.keyPem, 'rsa-sha256', Buffer.from(signing.value, 'utf8'));
    const req = withHeaders(base, { signature: formatSignatureHeader({ keyId, algorithm: 'rsa-sha256', headers: [...BASE_HEADERS, 'psu-id'], signature }) });
    expectFail(verifyRequest(req, policy), 401, 'SIGNATURE_INVALID');
    // The same bytes sent as UTF-8 (Node shows them as "BjÃ¸rn") do verify: what is signed is what is on the wire.
    const utf8OnWire = withHeaders(req, { 'psu-id': Buffer.from('Bjørn', 'utf8').toString('latin1') });
    expectOk(verifyRequest(utf8OnWire, policy));
  });

  it('signDateRequired: date must be among the signed headers', () => {
    expectFail(verifyRequest(get(), policyFor(pki, { signDateRequired: true })), 401, 'SIGNATURE_INVALID');
    expectOk(verifyRequest(signedRequest({ ...seal, signer: { signDate: true } }), policyFor(pki, { signDateRequired: true })));
  });

  it('(request-target) signed for another path or method', () => {
    const req = signedRequest({ ...seal, path: '/v1/card-accounts/1', signer: { signRequestTarget: true } });
    expectOk(verifyRequest(req, policy));
    expectFail(verifyRequest({ ...req, path: '/v1/card-accounts/2' }, policy), 401, 'SIGNATURE_INVALID');
    expectFail(verifyRequest({ ...req, method: 'DELETE' }, policy), 401, 'SIGNATURE_INVALID');
  });
});

describe('policy switches', () => {
  it('requireSignature false: signatures are ignored, X-Request-ID still checked', () => {
    const lax = policyFor(pki, { requireSignature: false });
    expectOk(verifyRequest({ method: 'GET', path: '/', headers: { 'x-request-id': REQUEST_ID }, body: Buffer.alloc(0) }, lax));
    expectOk(verifyRequest(withHeaders(get(), { signature: 'garbage' }), lax));
    expectFail(verifyRequest({ method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) }, lax), 400, 'FORMAT_ERROR');
  });

  it('acceptAnySignature: the broken bank accepts anything, and still reports a readable certificate', () => {
    const broken = policyFor(pki, { acceptAnySignature: true });
    expectOk(verifyRequest({ method: 'GET', path: '/', headers: {}, body: Buffer.alloc(0) }, broken));
    expectOk(verifyRequest(withHeaders(get(), { signature: 'garbage', digest: 'MD5=x' }), broken));
    const r = verifyRequest(get(), broken);
    expect(r.ok && r.certificate?.serialHex).toBe(pki.qseal.serialHex);
  });

  it('now: judges certificate validity at the policy clock', () => {
    const later = new Date(new Date(new X509Certificate(pki.qseal.certPem).validTo).getTime() + 86_400_000);
    expectFail(verifyRequest(get(), policyFor(pki, { now: () => later })), 401, 'CERTIFICATE_EXPIRED');
  });

  it('never throws on inputs outside the declared types', () => {
    const odd = {
      method: 'GET',
      path: '/',
      headers: { 'x-request-id': REQUEST_ID, signature: 42, 'tpp-signature-certificate': null, digest: ['a'] },
      body: Buffer.alloc(0),
    } as unknown as IncomingRequest;
    expectFail(verifyRequest(odd, policy), 401, 'SIGNATURE_MISSING');
    const noBody = { ...get(), body: undefined } as unknown as IncomingRequest;
    expect(verifyRequest(noBody, policy).ok).toBe(false);
  });
});

describe('timing', () => {
  it('verifies a signed request in well under a millisecond or two', () => {
    const req = post('{"navn":"Åsane"}');
    verifyRequest(req, policy);
    const n = 300;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) verifyRequest(req, policy);
    const perOp = (performance.now() - t0) / n;
    console.log(`verifyRequest: ${perOp.toFixed(3)} ms per request (certificate cached)`);
    expect(perOp).toBeLessThan(10);
  });
});
