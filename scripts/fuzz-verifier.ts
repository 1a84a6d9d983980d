// `npm run fuzz:verifier`: fuzzes the reference bank's signature verifier over real HTTP.
// The reference bank (as `run` and `sandbox` serve it: signing mandated, the run's test PKI
// trusted) listens on 127.0.0.1; each request starts from a correctly signed one and is mutated in
// one way (headers, Signature parameters, Digest, certificate, body, keyId, algorithm, casing,
// truncation, huge values, raw bytes) and written byte for byte on its own connection.
// Counted: answers ≥ 500, requests without an answer, and mutated requests wrongly accepted (a 2xx
// where the mutation must be refused, or where an independent check says the request is no longer
// validly signed). Target: 0 and 0. Not part of `npm test`: it takes a while.
//
//   npm run fuzz:verifier -- [--count N] [--seed N] [--concurrency N] [--defects ID,...]

import { createHash, randomUUID, verify as cryptoVerify } from 'node:crypto';
import { connect } from 'node:net';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { type TestPki, BAD_CERTIFICATE_IDS, generateTestPki } from '../transport/pki/generate.js';
import { parseCertificate } from '../transport/pki/certificate-info.js';
import { parseSignatureHeader } from '../transport/signing/signature-header.js';
import { createSigner } from '../transport/signing/signer.js';
import { findDefects, startReferenceBank } from '../sandbox/index.js';
import { referenceBankOptions } from '../sandbox/reference-options.js';
import { matchKeyId } from '../sandbox/signature/key-id-match.js';

const { values: args } = parseArgs({
  // --defects: serve a deliberately broken bank (e.g. accepts-any-signature) to see the counters catch it.
  options: { count: { type: 'string' }, seed: { type: 'string' }, concurrency: { type: 'string' }, defects: { type: 'string' } },
});
const COUNT = Number(args.count ?? 10_000);
const SEED = Number(args.seed ?? 20261130);
const CONCURRENCY = Number(args.concurrency ?? 16);
const REQUEST_TIMEOUT_MS = 15_000;
for (const [name, v] of [
  ['count', COUNT],
  ['seed', SEED],
  ['concurrency', CONCURRENCY],
] as const) {
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive whole number`);
}

// ---------------------------------------------------------------------------------------------
// Requests as bytes on the wire

/** One header line; `bytes` set when the value is not to be written as Latin-1 (e.g. raw UTF-8). */
interface WireHeader {
  name: string;
  value: string;
  bytes?: Buffer;
}
interface WireRequest {
  method: string;
  path: string;
  headers: WireHeader[];
  body: Buffer;
}

function serialize(req: WireRequest, host: string): Buffer {
  const parts: Buffer[] = [Buffer.from(`${req.method} ${req.path} HTTP/1.1\r\nHost: ${host}\r\n`, 'latin1')];
  for (const h of req.headers) parts.push(Buffer.from(`${h.name}: `, 'latin1'), h.bytes ?? Buffer.from(h.value, 'latin1'), Buffer.from('\r\n', 'latin1'));
  parts.push(Buffer.from(`Content-Length: ${req.body.length}\r\nConnection: close\r\n\r\n`, 'latin1'), req.body);
  return Buffer.concat(parts);
}

/** The status code of the answer, or undefined when none came (reset, timeout). */
function send(port: number, bytes: Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    let head = '';
    let done = false;
    const finish = (status: number | undefined): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(status);
    };
    const timer = setTimeout(() => finish(undefined), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => socket.end(bytes));
    socket.on('data', (d: Buffer) => {
      head += d.toString('latin1');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(head);
      if (m) finish(Number(m[1]));
      else if (head.length > 64) finish(undefined);
    });
    // The bank may answer (e.g. 400 for a header too large) and close before the whole request is
    // written; the answer already counted, so an EPIPE after it changes nothing.
    socket.on('error', () => finish(undefined));
    socket.on('close', () => finish(undefined));
  });
}

// ---------------------------------------------------------------------------------------------
// What the bank receives, and an independent "validly signed" check

/** Header map as Node's parser hands it to the bank: lower-case names, trimmed Latin-1 values, repeats joined. */
function received(req: WireRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const h of req.headers) {
    const name = h.name.toLowerCase();
    const value = (h.bytes ? h.bytes.toString('latin1') : h.value).replace(/^[ \t]+|[ \t]+$/g, '');
    out[name] = Object.hasOwn(out, name) ? `${out[name]}, ${value}` : value;
  }
  return out;
}

const MANDATORY = ['digest', 'x-request-id'];
const CONDITIONAL = ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri'];

/**
 * Is the request still authentic? The certificate must be one the bank accepts by design (the
 * run's QSealC, or a certificate of the PKI the reference bank accepts, such as the QWAC), the
 * Digest the hash of the body, every mandatory header signed, and the signature must verify over
 * the headers as received. Written apart from the verifier (only the header syntax parser and the
 * keyId comparison are shared), so a verifier bug does not hide itself.
 */
type Certificate = ReturnType<typeof parseCertificate>;
function validlySigned(req: WireRequest, acceptable: Map<string, Certificate>): boolean {
  const h = received(req);
  const certHeader = h['tpp-signature-certificate'];
  if (certHeader === undefined) return false;
  // PEM armour and line breaks around the Base64 do not change the certificate.
  const der = Buffer.from(certHeader.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64').toString('base64');
  const cert = acceptable.get(der);
  if (!cert) return false;
  const publicKey = cert.publicKey;
  const [, algorithm, value] = /^(sha-256|sha-512)=([A-Za-z0-9+/]+={0,2})$/i.exec(h['digest'] ?? '') ?? [];
  if (algorithm === undefined || value === undefined) return false;
  const hash = createHash(algorithm.toLowerCase().replace('-', '')).update(req.body).digest();
  if (hash.toString('base64') !== value) return false;
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(h['x-request-id'] ?? '')) return false;
  const sig = parseSignatureHeader(h['signature'] ?? '');
  if (!sig.ok) return false;
  if (!matchKeyId(sig.value.keyId, cert).ok) return false;
  // why the cast: a lookup by any algorithm label; a label not in it gives undefined
  const hashName = ({ 'rsa-sha256': 'sha256', 'rsa-sha512': 'sha512' } as Record<string, string>)[sig.value.algorithm.toLowerCase()];
  if (!hashName) return false;
  for (const name of [...MANDATORY, ...CONDITIONAL.filter((c) => c in h)]) if (!sig.value.headers.includes(name)) return false;
  const lines: string[] = [];
  for (const name of sig.value.headers) {
    if (name === '(request-target)') lines.push(`(request-target): ${req.method.toLowerCase()} ${req.path}`);
    else if (h[name] !== undefined) lines.push(`${name}: ${h[name]}`);
    else return false;
  }
  try {
    return cryptoVerify(hashName, Buffer.from(lines.join('\n'), 'latin1'), publicKey, Buffer.from(sig.value.signature, 'base64'));
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------------------------------------
// Correctly signed starting points

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALID_UNTIL = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);

interface Base {
  kind: 'create-consent' | 'read-consent';
  certPem: string;
  keyPem: string;
  signDate: boolean;
  signRequestTarget: boolean;
}

function signed(
  base: Base,
  consentId: string,
  opts: {
    algorithm?: 'rsa-sha256' | 'rsa-sha512';
    digestAlgorithm?: 'SHA-256' | 'SHA-512';
    keyIdFormat?: 'bg-example' | 'adorsys' | 'plain-rfc2253' | 'decimal-serial';
  } = {},
): WireRequest {
  const signer = createSigner({
    certificatePem: base.certPem,
    keyPem: base.keyPem,
    keyIdFormat: opts.keyIdFormat ?? 'bg-example',
    signDate: base.signDate,
    signRequestTarget: base.signRequestTarget,
    digestAlgorithm: opts.digestAlgorithm ?? 'SHA-256',
    checkKeyMatchesCertificate: false,
    ...(opts.algorithm ? { algorithm: opts.algorithm } : {}),
  });
  const create = base.kind === 'create-consent';
  const path = create ? '/v1/consents' : `/v1/consents/${consentId}`;
  const body = create
    ? JSON.stringify({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: VALID_UNTIL,
        frequencyPerDay: 4,
        combinedServiceIndicator: false,
      })
    : undefined;
  const headers: Record<string, string> = { 'x-request-id': randomUUID(), 'psu-ip-address': '192.0.2.10' };
  if (create) Object.assign(headers, { 'content-type': 'application/json', 'psu-id': 'PSU-Åsane-1', 'tpp-redirect-uri': 'https://tpp.example/cb' });
  const out = signer({ method: create ? 'POST' : 'GET', url: `https://bank.example${path}`, headers, ...(body !== undefined ? { body } : {}) });
  return {
    method: out.method,
    path,
    headers: Object.entries(out.headers).map(([name, value]) => ({ name, value })),
    body: Buffer.from(out.body ?? '', 'utf8'),
  };
}

// ---------------------------------------------------------------------------------------------
// Mutations. `mustReject`: the request must not be accepted whatever the oracle says.

interface Ctx {
  rand: () => number;
  pki: TestPki;
  other: TestPki;
  consentId: string;
  base: Base;
}
interface Mutation {
  name: string;
  mustReject: boolean;
  apply: (ctx: Ctx) => WireRequest;
}

/** A value the script's own construction guarantees; a missing one is a bug here, reported by name. */
function must<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`fuzz-verifier: ${what} is missing`);
  return value;
}
// Every list picked from is a non-empty literal or filtered from one that keeps entries.
const pick = <T>(rand: () => number, list: readonly T[]): T => must(list[Math.floor(rand() * list.length)], 'a pick from an empty list');
const getHeader = (req: WireRequest, name: string): WireHeader | undefined => req.headers.find((h) => h.name.toLowerCase() === name);
/** A header every freshly signed request carries. */
const headerOf = (req: WireRequest, name: string): WireHeader => must(getHeader(req, name), `the ${name} header`);
const setHeader = (req: WireRequest, name: string, value: string): WireRequest => {
  const found = getHeader(req, name);
  if (found) {
    found.value = value;
    delete found.bytes;
  } else req.headers.push({ name, value });
  return req;
};
const dropHeader = (req: WireRequest, name: string): WireRequest => ({ ...req, headers: req.headers.filter((h) => h.name.toLowerCase() !== name) });
const editSignature = (req: WireRequest, edit: (s: string) => string): WireRequest => setHeader(req, 'signature', edit(headerOf(req, 'signature').value));
const setParam = (sig: string, param: string, value: string): string =>
  sig.replace(new RegExp(`${param}="[^"]*"`), `${param}="${value.replace(/\$/g, '$$$$')}"`);
const fresh = (c: Ctx): WireRequest => signed(c.base, c.consentId);

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
  'é',
  'ø',
  '\u2603',
  'keyId',
  'signature',
  'headers',
  'SN=',
  'CA=',
  '-----BEGIN CERTIFICATE-----',
];

function scramble(text: string, rand: () => number): string {
  let s = text;
  for (let k = 0, ops = 1 + Math.floor(rand() * 4); k < ops; k++) {
    const at = Math.floor(rand() * (s.length + 1));
    const op = rand();
    if (op < 0.25) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 3));
    else if (op < 0.5) s = s.slice(0, at) + pick(rand, ALPHABET) + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + pick(rand, ALPHABET) + s.slice(at + 1);
    else if (op < 0.8) s = s.slice(0, at);
    else if (op < 0.9) s = s.slice(0, at) + s.slice(Math.floor(rand() * s.length));
    else s = s.slice(0, at) + (s[at]?.toUpperCase() ?? '') + s.slice(at + 1);
  }
  // Node refuses CR, LF and NUL on the wire (400): kept in, they would only test its parser.
  return rand() < 0.9 ? s.replace(/[\r\n\0]/g, '') : s;
}

function flipBase64(value: string, rand: () => number): string {
  const bytes = Buffer.from(value, 'base64');
  if (bytes.length === 0) return 'AAAA';
  const i = Math.floor(rand() * bytes.length);
  bytes.writeUInt8(bytes.readUInt8(i) ^ (1 << Math.floor(rand() * 8)), i);
  return bytes.toString('base64');
}

const big = (n: number, rand: () => number): string => pick(rand, ['A', '=', ',', 'x', '"', '9']).repeat(n);

const MUTATIONS: Mutation[] = [
  // Headers missing or changed after signing.
  ...['signature', 'digest', 'tpp-signature-certificate', 'x-request-id'].map((name): Mutation => ({
    name: `drop ${name}`,
    mustReject: true,
    apply: (c) => dropHeader(fresh(c), name),
  })),
  { name: 'x-request-id changed after signing', mustReject: true, apply: (c) => setHeader(fresh(c), 'x-request-id', randomUUID()) },
  {
    name: 'signed header value changed',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      return getHeader(r, 'psu-id') ? setHeader(r, 'psu-id', 'PSU-other') : setHeader(r, 'x-request-id', randomUUID());
    },
  },
  {
    name: 'signed header value as UTF-8 bytes',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      const h = getHeader(r, 'psu-id') ?? headerOf(r, 'x-request-id');
      h.bytes = Buffer.from(`${h.value}ø`, 'utf8');
      return r;
    },
  },
  {
    name: 'duplicate x-request-id',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      r.headers.push({ name: 'X-Request-ID', value: randomUUID() });
      return r;
    },
  },
  {
    name: 'duplicate Signature (garbage first)',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      const sig = headerOf(r, 'signature');
      r.headers.splice(r.headers.indexOf(sig), 0, {
        name: 'Signature',
        value: 'keyId="SN=1,CA=CN=x",algorithm="rsa-sha256",headers="digest",signature="AAAA"',
      });
      return r;
    },
  },
  {
    name: 'duplicate Digest (other body)',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      r.headers.push({ name: 'Digest', value: `SHA-256=${createHash('sha256').update('other').digest('base64')}` });
      return r;
    },
  },
  {
    name: 'header names in other casing',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      for (const h of r.headers)
        h.name = c.rand() < 0.5 ? h.name.toUpperCase() : h.name.replace(/(^|-)([a-z])/g, (_m, d: string, ch: string) => d + ch.toUpperCase());
      return r;
    },
  },
  {
    name: 'whitespace around header values',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      for (const h of r.headers) h.value = ` \t${h.value}\t `;
      return r;
    },
  },
  {
    name: 'huge header value (20-200 KB)',
    mustReject: true,
    apply: (c) =>
      setHeader(fresh(c), pick(c.rand, ['signature', 'tpp-signature-certificate', 'digest', 'x-other']), big(20_000 + Math.floor(c.rand() * 180_000), c.rand)),
  },
  {
    name: 'control characters in a header',
    mustReject: true,
    apply: (c) => editSignature(fresh(c), (s) => s.replace('keyId', pick(c.rand, ['key\rId', 'key\nId', 'key\0Id', 'key\x7fId']))),
  },
  {
    name: 'truncated header value',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      const h = pick(
        c.rand,
        r.headers.filter((x) => ['signature', 'digest', 'tpp-signature-certificate', 'x-request-id', 'psu-id'].includes(x.name)),
      );
      h.value = h.value.slice(0, Math.floor(c.rand() * h.value.length));
      return r;
    },
  },
  {
    name: 'scrambled header value',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      const h = pick(c.rand, r.headers);
      h.value = scramble(h.value, c.rand);
      return r;
    },
  },

  // Signature parameters.
  {
    name: 'keyId: wrong serial',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) => s.replace(/SN=([0-9A-Fa-f]+)/, (_m, sn: string) => `SN=${(BigInt(`0x${sn}`) + 1n).toString(16).toUpperCase()}`)),
  },
  { name: 'keyId: wrong CA', mustReject: true, apply: (c) => editSignature(fresh(c), (s) => s.replace(/CA=[^"]*/, 'CA=CN=Rogue%20CA,O=Rogue,C=NO')) },
  {
    name: 'keyId: empty, huge or garbage',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) => setParam(s, 'keyId', pick(c.rand, ['', big(5000, c.rand), 'SN=,CA=', 'SN=zz,CA=CN=x', '%00', 'SN=-1,CA=CN=Test']))),
  },
  {
    name: 'keyId: other formatting of the same certificate',
    mustReject: false,
    apply: (c) => signed(c.base, c.consentId, { keyIdFormat: pick(c.rand, ['adorsys', 'plain-rfc2253', 'decimal-serial'] as const) }),
  },
  {
    name: 'algorithm: not allowed',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) =>
        setParam(s, 'algorithm', pick(c.rand, ['rsa-sha1', 'hmac-sha256', 'hs2019', 'ecdsa-sha256', 'none', '', 'rsa-sha256 ', big(3000, c.rand)])),
      ),
  },
  {
    name: 'algorithm: label casing',
    mustReject: false,
    apply: (c) => editSignature(fresh(c), (s) => setParam(s, 'algorithm', pick(c.rand, ['RSA-SHA256', 'Rsa-Sha256']))),
  },
  {
    name: 'algorithm: rsa-sha512 label on an rsa-sha256 signature',
    mustReject: true,
    apply: (c) => editSignature(fresh(c), (s) => setParam(s, 'algorithm', 'rsa-sha512')),
  },
  {
    name: 'algorithm: rsa-sha512, SHA-512 digest (valid)',
    mustReject: false,
    apply: (c) => signed(c.base, c.consentId, { algorithm: 'rsa-sha512', digestAlgorithm: 'SHA-512' }),
  },
  {
    name: 'headers: mandatory header left out',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) =>
        s.replace(/headers="([^"]*)"/, (_m, list: string) => {
          const names = list.split(' ');
          const drop = pick(
            c.rand,
            names.filter((x) => [...MANDATORY, ...CONDITIONAL].includes(x)),
          );
          return `headers="${names.filter((x) => x !== drop).join(' ')}"`;
        }),
      ),
  },
  {
    name: 'headers: names in upper case',
    mustReject: false,
    apply: (c) => editSignature(fresh(c), (s) => s.replace(/headers="([^"]*)"/, (_m, list: string) => `headers="${list.toUpperCase()}"`)),
  },
  {
    name: 'headers: list reordered, empty, or naming a missing header',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) =>
        s.replace(
          /headers="([^"]*)"/,
          (_m, list: string) => `headers="${pick(c.rand, [list.split(' ').reverse().join(' '), '', `${list} x-missing`, `${list} ${list}`])}"`,
        ),
      ),
  },
  {
    name: 'signature: bit flipped',
    mustReject: true,
    apply: (c) => editSignature(fresh(c), (s) => s.replace(/signature="([^"]*)"/, (_m, v: string) => `signature="${flipBase64(v, c.rand)}"`)),
  },
  {
    name: 'signature: truncated, empty, not Base64 or huge',
    mustReject: true,
    apply: (c) =>
      editSignature(fresh(c), (s) =>
        s.replace(
          /signature="([^"]*)"/,
          (_m, v: string) => `signature="${pick(c.rand, [v.slice(0, Math.floor(c.rand() * v.length)), '', '!!!!', `${v}${v}`, big(8000, c.rand)])}"`,
        ),
      ),
  },
  {
    name: 'signature: from another request',
    mustReject: true,
    apply: (c) => {
      const donor = headerOf(fresh(c), 'signature').value;
      return setHeader(fresh(c), 'signature', donor);
    },
  },
  {
    name: 'Signature: duplicated or re-cased parameters',
    mustReject: false,
    apply: (c) =>
      editSignature(fresh(c), (s) =>
        pick(c.rand, [
          `${s},keyId="SN=1,CA=CN=x"`,
          `keyId="SN=1,CA=CN=x",${s}`,
          s.replace('keyId', 'KEYID'),
          s.replace('signature=', 'Signature='),
          `${s},extra="1"`,
          s.replace(/,/g, ', '),
        ]),
      ),
  },
  { name: 'Signature: scrambled', mustReject: false, apply: (c) => editSignature(fresh(c), (s) => scramble(s, c.rand)) },

  // Digest.
  {
    name: 'digest: of another body',
    mustReject: true,
    apply: (c) => setHeader(fresh(c), 'digest', `SHA-256=${createHash('sha256').update(`x${c.rand()}`).digest('base64')}`),
  },
  {
    name: 'digest: algorithm label changed',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      return setHeader(r, 'digest', headerOf(r, 'digest').value.replace(/^SHA-256/, pick(c.rand, ['SHA-512', 'MD5', 'SHA-1', 'sha256', ''])));
    },
  },
  {
    name: 'digest: malformed',
    mustReject: true,
    apply: (c) =>
      setHeader(fresh(c), 'digest', pick(c.rand, ['SHA-256=', 'SHA-256', '=abc', 'SHA-256=!!!!', `SHA-256=${big(10_000, c.rand)}`, 'SHA-256=AAAA'])),
  },

  // Certificate.
  {
    name: 'certificate: untrusted CA (validly signed with its key)',
    mustReject: true,
    apply: (c) => signed({ ...c.base, certPem: c.other.qseal.certPem, keyPem: c.other.qseal.keyPem }, c.consentId),
  },
  {
    name: 'certificate: one with a fault, validly signed with its key',
    mustReject: true,
    apply: (c) => {
      const id = pick(
        c.rand,
        BAD_CERTIFICATE_IDS.filter((b) => c.pki.bad[b].expected !== 'accepted'),
      );
      return signed({ ...c.base, certPem: c.pki.bad[id].certPem, keyPem: c.pki.bad[id].keyPem }, c.consentId);
    },
  },
  {
    name: 'certificate: the QWAC in place of the QSealC (accepted by design)',
    mustReject: false,
    apply: (c) => signed({ ...c.base, certPem: c.pki.qwac.certPem, keyPem: c.pki.qwac.keyPem }, c.consentId),
  },
  {
    name: 'certificate: the root or the server certificate',
    mustReject: true,
    apply: (c) => {
      const entry = pick(c.rand, [c.pki.root, c.pki.server]);
      return signed({ ...c.base, certPem: entry.certPem, keyPem: entry.keyPem }, c.consentId);
    },
  },
  {
    name: 'certificate: valid QSealC, signed with another key',
    mustReject: true,
    apply: (c) => signed({ ...c.base, keyPem: c.other.qseal.keyPem }, c.consentId),
  },
  {
    name: 'certificate: bytes flipped',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      return setHeader(r, 'tpp-signature-certificate', flipBase64(headerOf(r, 'tpp-signature-certificate').value, c.rand));
    },
  },
  {
    name: 'certificate: truncated, empty, PEM armour, garbage',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      const v = headerOf(r, 'tpp-signature-certificate').value;
      return setHeader(
        r,
        'tpp-signature-certificate',
        pick(c.rand, [
          v.slice(0, Math.floor(c.rand() * v.length)),
          '',
          `-----BEGIN CERTIFICATE-----${v}-----END CERTIFICATE-----`,
          'bm90IGEgY2VydA==',
          big(30_000, c.rand),
          v.replace(/(.{64})/g, '$1 '),
        ]),
      );
    },
  },

  // Body and request line.
  {
    name: 'body: changed after signing',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      const b = Buffer.from(r.body.length > 0 ? r.body : Buffer.from('{}'));
      if (r.body.length === 0) return { ...r, body: b };
      const at = Math.floor(c.rand() * b.length);
      b.writeUInt8(b.readUInt8(at) ^ 1, at);
      return { ...r, body: b };
    },
  },
  {
    name: 'body: truncated, extended, emptied or huge',
    mustReject: true,
    apply: (c) => {
      const r = fresh(c);
      const choice = pick(c.rand, ['truncate', 'extend', 'empty', 'huge'] as const);
      if (r.body.length === 0 && (choice === 'truncate' || choice === 'empty')) return { ...r, body: Buffer.from(' ') };
      const body =
        choice === 'truncate'
          ? r.body.subarray(0, Math.floor(c.rand() * r.body.length))
          : choice === 'extend'
            ? Buffer.concat([r.body, Buffer.from(' ')])
            : choice === 'empty'
              ? Buffer.alloc(0)
              : Buffer.alloc(1_200_000 + Math.floor(c.rand() * 1_000_000), 0x20);
      return { ...r, body };
    },
  },
  {
    name: 'request line: path or method changed',
    mustReject: false,
    apply: (c) => {
      const r = fresh(c);
      return c.rand() < 0.5 ? { ...r, path: `${r.path}?x=${Math.floor(c.rand() * 100)}` } : { ...r, method: pick(c.rand, ['PUT', 'DELETE', 'PATCH']) };
    },
  },
];

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const pki = generateTestPki();
  const other = generateTestPki();
  const entries = findDefects(
    (args.defects ?? '')
      .split(',')
      .map((d) => d.trim())
      .filter(Boolean),
  );
  const bank = await startReferenceBank({ ...referenceBankOptions({ pki, entries }), profile: 'berlin-group', host: '127.0.0.1', port: 0 });
  const port = Number(new URL(bank.baseUrl).port);
  const host = `127.0.0.1:${port}`;
  // What the reference bank accepts by design: the QSealC, and certificates the PKI marks as accepted (the QWAC).
  const acceptable = new Map<string, Certificate>();
  for (const pem of [
    pki.qseal.certPem,
    pki.qwac.certPem,
    ...BAD_CERTIFICATE_IDS.filter((b) => pki.bad[b].expected === 'accepted').map((b) => pki.bad[b].certPem),
  ]) {
    const cert = parseCertificate(pem);
    acceptable.set(cert.der.toString('base64'), cert);
  }
  const bases: Base[] = [
    { kind: 'create-consent', certPem: pki.qseal.certPem, keyPem: pki.qseal.keyPem, signDate: true, signRequestTarget: true },
    { kind: 'create-consent', certPem: pki.qseal.certPem, keyPem: pki.qseal.keyPem, signDate: false, signRequestTarget: false },
    { kind: 'read-consent', certPem: pki.qseal.certPem, keyPem: pki.qseal.keyPem, signDate: false, signRequestTarget: true },
  ];

  // A consent to read: created with a correctly signed request (the first positive control).
  const createOk = signed(must(bases[1], 'the create-consent base'), '');
  const createBytes = serialize(createOk, host);
  const consentId = await new Promise<string>((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () => socket.end(createBytes));
    let text = '';
    socket.on('data', (d) => {
      text += d.toString('utf8');
    });
    socket.on('close', () => {
      const id = /"consentId":"([^"]+)"/.exec(text)?.[1];
      if (id !== undefined) resolve(id);
      else reject(new Error(`consent not created: ${text.slice(0, 300)}`));
    });
    socket.on('error', reject);
  });

  const rand = mulberry32(SEED);
  const counts = { sent: 0, positive: 0, positiveRefused: 0, status2xx: 0, status4xx: 0, status5xx: 0, noAnswer: 0, wronglyAccepted: 0, neutralAccepted: 0 };
  const byMutation = new Map<string, { n: number; accepted: number; fiveXX: number; wrong: number; noAnswer: number }>();
  const wrongExamples: string[] = [];
  const started = Date.now();
  let next = 0;

  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= COUNT) return;
      const base = pick(rand, bases);
      const ctx: Ctx = { rand, pki, other, consentId, base };
      // One request in ten is a positive control: unmutated, it must be accepted.
      const control = i % 10 === 0;
      const mutation = control ? undefined : pick(rand, MUTATIONS);
      const req = mutation ? mutation.apply(ctx) : fresh(ctx);
      const status = await send(port, serialize(req, host));
      counts.sent++;
      const name = mutation?.name ?? 'positive control';
      const row = byMutation.get(name) ?? { n: 0, accepted: 0, fiveXX: 0, wrong: 0, noAnswer: 0 };
      byMutation.set(name, row);
      row.n++;
      if (status === undefined) {
        counts.noAnswer++;
        row.noAnswer++;
        continue;
      }
      if (status >= 500) {
        counts.status5xx++;
        row.fiveXX++;
      } else if (status >= 400) counts.status4xx++;
      const accepted = status >= 200 && status < 300;
      if (accepted) {
        counts.status2xx++;
        row.accepted++;
      }
      if (control) {
        counts.positive++;
        if (!accepted) counts.positiveRefused++;
        continue;
      }
      if (!accepted) continue;
      if (mutation?.mustReject !== false || !validlySigned(req, acceptable)) {
        counts.wronglyAccepted++;
        row.wrong++;
        if (wrongExamples.length < 5) wrongExamples.push(`${name}: ${JSON.stringify(received(req)).slice(0, 600)}`);
      } else counts.neutralAccepted++;
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const seconds = (Date.now() - started) / 1000;
  await bank.close();

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  const lines = [
    `fuzz:verifier${entries.length > 0 ? ` (defects: ${args.defects})` : ''}: ${counts.sent} requests (${counts.sent - counts.positive} mutated, ${counts.positive} positive controls) in ${seconds.toFixed(1)} s (${(counts.sent / seconds).toFixed(0)} req/s), seed ${SEED}, concurrency ${CONCURRENCY}`,
    `  answers: 2xx ${counts.status2xx}, 4xx ${counts.status4xx}, 5xx ${counts.status5xx}, no answer ${counts.noAnswer}`,
    `  wrongly accepted: ${counts.wronglyAccepted}; mutated but still validly signed and accepted: ${counts.neutralAccepted}; positive controls refused: ${counts.positiveRefused}`,
    `  machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform}/${process.arch}`,
    '',
    '  mutation                                                       sent  2xx  5xx wrong no-answer',
    ...[...byMutation.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(
        ([name, r]) =>
          `  ${name.padEnd(60).slice(0, 60)} ${String(r.n).padStart(6)} ${String(r.accepted).padStart(4)} ${String(r.fiveXX).padStart(4)} ${String(r.wrong).padStart(5)} ${String(r.noAnswer).padStart(9)}`,
      ),
  ];
  if (wrongExamples.length > 0) lines.push('', '  wrongly accepted, for example:', ...wrongExamples.map((w) => `    ${w}`));
  process.stdout.write(`${lines.join('\n')}\n`);
  const ok = counts.status5xx === 0 && counts.noAnswer === 0 && counts.wronglyAccepted === 0 && counts.positiveRefused === 0;
  process.exitCode = ok ? 0 : 1;
}

await main();
