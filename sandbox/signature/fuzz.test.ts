// Seeded fuzzing of the verifier: random and mutated requests must always end in a 400/401
// answer (never an exception), and nothing that is not validly signed may come out ok.
import { createHash, verify as cryptoVerify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseCertificate } from '../../transport/pki/certificate-info.js';
import { generateTestPki } from '../../transport/pki/generate.js';
import { parseSignatureHeader } from '../../transport/signing/signature-header.js';
import type { IncomingRequest, VerifyResult } from './types.js';
import { policyFor, seededRandom, signedRequest } from './test-support.js';
import { verifyRequest } from './verify-request.js';

const pki = generateTestPki();
const policy = policyFor(pki);
const cert = parseCertificate(pki.qseal.certPem);
const base = signedRequest({
  certPem: pki.qseal.certPem,
  keyPem: pki.qseal.keyPem,
  method: 'POST',
  path: '/v1/consents?x=1',
  body: '{"navn":"Åsane"}\n',
  headers: { 'psu-id': 'PSU-1', 'tpp-redirect-uri': 'https://tpp.example/cb' },
  signer: { signDate: true, signRequestTarget: true },
});

const CODES = new Set([
  'FORMAT_ERROR',
  'SIGNATURE_MISSING',
  'SIGNATURE_INVALID',
  'CERTIFICATE_MISSING',
  'CERTIFICATE_INVALID',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_REVOKED',
  'CERTIFICATE_BLOCKED',
  'ROLE_INVALID',
]);
const ALPHABET = [
  '"',
  ',',
  '=',
  ' ',
  '\\',
  '%20',
  'a',
  'Z',
  '0',
  '9',
  '+',
  '/',
  '\t',
  '\u0000',
  '\n',
  'é',
  'ø',
  '\u2603',
  '😀',
  'keyId',
  'signature',
  'headers',
  'SN=',
  'CA=',
  '-----BEGIN CERTIFICATE-----',
];

/** An independent "validly signed" oracle: same certificate, digest of this body, signature verifies over the listed headers. */
function validlySigned(req: IncomingRequest): boolean {
  const certHeader = req.headers['tpp-signature-certificate'];
  if (typeof certHeader !== 'string' || !Buffer.from(certHeader.replace(/\s+/g, ''), 'base64').equals(cert.der)) return false;
  const [, algorithm, digestValue] = /^(sha-256|sha-512)=(.*)$/i.exec(String(req.headers['digest']).trim()) ?? [];
  if (algorithm === undefined || digestValue === undefined) return false;
  const hash = createHash(algorithm.toLowerCase().replace('-', '')).update(req.body).digest();
  if (!Buffer.from(digestValue, 'base64').equals(hash) || Buffer.from(hash).toString('base64') !== digestValue) return false;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(String(req.headers['x-request-id']).trim())) return false;
  const sig = parseSignatureHeader(String(req.headers['signature']));
  if (!sig.ok) return false;
  const hashName = { 'rsa-sha256': 'sha256', 'rsa-sha512': 'sha512' }[sig.value.algorithm.toLowerCase()];
  if (!hashName) return false;
  for (const h of ['digest', 'x-request-id', 'psu-id', 'tpp-redirect-uri']) if (h in req.headers && !sig.value.headers.includes(h)) return false;
  const lines: string[] = [];
  for (const name of sig.value.headers) {
    if (name === '(request-target)') lines.push(`(request-target): ${req.method.toLowerCase()} ${req.path}`);
    else {
      const value = req.headers[name];
      if (value === undefined) return false;
      lines.push(`${name}: ${value.trim()}`);
    }
  }
  return cryptoVerify(hashName, Buffer.from(lines.join('\n'), 'latin1'), cert.publicKey, Buffer.from(sig.value.signature, 'base64'));
}

function mutate(text: string, rand: () => number): string {
  const pick = (): string => ALPHABET[Math.floor(rand() * ALPHABET.length)] ?? '';
  let s = text;
  const ops = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < ops; k++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = rand();
    if (op < 0.25) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 3));
    else if (op < 0.5) s = s.slice(0, at) + pick() + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + pick() + s.slice(at + 1);
    else if (op < 0.8) s = s.slice(0, at);
    else if (op < 0.9)
      s = s.slice(0, at) + s.slice(Math.floor(rand() * s.length)); // splice in a copy of another part
    else s = s.slice(0, at) + s[at]?.toUpperCase() + s.slice(at + 1);
  }
  return s;
}

function randomText(rand: () => number, max: number): string {
  return Array.from({ length: Math.floor(rand() * max) }, () =>
    rand() < 0.7 ? ALPHABET[Math.floor(rand() * ALPHABET.length)] : String.fromCharCode(Math.floor(rand() * 0x3000)),
  ).join('');
}

function expectWellFormed(result: VerifyResult, req: IncomingRequest): boolean {
  expect(typeof result.ok).toBe('boolean');
  if (result.ok) {
    expect(validlySigned(req), `accepted a request that is not validly signed: ${JSON.stringify(req.headers)}`).toBe(true);
    return false;
  }
  expect([400, 401]).toContain(result.status);
  expect(CODES.has(result.code), result.code).toBe(true);
  expect(typeof result.text).toBe('string');
  expect(result.text.length).toBeGreaterThan(0);
  return true;
}

describe('verifier fuzzing', () => {
  it('the unmutated request is accepted and the oracle agrees', () => {
    expect(verifyRequest(base, policy)).toMatchObject({ ok: true });
    expect(validlySigned(base)).toBe(true);
  });

  it('mutated headers and bodies (2000 cases) never throw and never pass unless still validly signed', () => {
    const rand = seededRandom(0x5eed);
    const targets = [
      'signature',
      'signature',
      'signature',
      'tpp-signature-certificate',
      'digest',
      'x-request-id',
      'psu-id',
      'tpp-redirect-uri',
      'date',
      'body',
      'path',
      'drop',
    ];
    let rejected = 0;
    for (let i = 0; i < 2000; i++) {
      const target = targets[Math.floor(rand() * targets.length)];
      const headers = { ...base.headers };
      let req: IncomingRequest = { ...base, headers };
      if (target === 'body') req = { ...req, body: Buffer.from(mutate(base.body.toString('utf8'), rand), 'utf8') };
      else if (target === 'path') req = { ...req, path: mutate(base.path, rand) };
      else if (target === 'drop') {
        const names = Object.keys(headers);
        const drop = names[Math.floor(rand() * names.length)];
        if (drop !== undefined) delete headers[drop];
      } else if (target !== undefined) headers[target] = rand() < 0.1 ? randomText(rand, 80) : mutate(headers[target] ?? '', rand);
      if (expectWellFormed(verifyRequest(req, policy), req)) rejected++;
    }
    console.log(`fuzz: ${rejected} of 2000 mutated requests rejected`);
    expect(rejected).toBeGreaterThan(1500);
  });

  it('certificates with flipped DER bytes (500 cases) are never accepted', () => {
    const rand = seededRandom(0xde7);
    for (let i = 0; i < 500; i++) {
      const der = Buffer.from(cert.der);
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++) {
        const at = Math.floor(rand() * der.length);
        der.writeUInt8(der.readUInt8(at) ^ (1 << Math.floor(rand() * 8)), at);
      }
      if (der.equals(cert.der)) continue;
      const req = { ...base, headers: { ...base.headers, 'tpp-signature-certificate': der.toString('base64') } };
      const result = verifyRequest(req, policy);
      expect(result.ok).toBe(false);
      expectWellFormed(result, req);
    }
  });

  it('random requests (1000 cases) never throw and are never accepted', () => {
    const rand = seededRandom(0xbad);
    const names = ['signature', 'tpp-signature-certificate', 'digest', 'x-request-id', 'psu-id', 'date', 'x-other'];
    for (let i = 0; i < 1000; i++) {
      const headers: Record<string, string> = {};
      for (const n of names) if (rand() < 0.7) headers[n] = randomText(rand, 120);
      for (const [name, p] of [
        ['x-request-id', 0.5],
        ['tpp-signature-certificate', 0.3],
        ['digest', 0.3],
      ] as const) {
        const value = base.headers[name];
        if (rand() < p && value !== undefined) headers[name] = value;
      }
      const req: IncomingRequest = { method: randomText(rand, 8) || 'GET', path: '/' + randomText(rand, 30), headers, body: Buffer.from(randomText(rand, 50)) };
      const result = verifyRequest(req, policy);
      expect(result.ok).toBe(false);
      expectWellFormed(result, req);
    }
  });
});
