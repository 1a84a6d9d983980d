// The Digest header (RFC 3230): `<alg>=<Base64(hash(body bytes))>` over the exact bytes sent.
import { createHash, timingSafeEqual } from 'node:crypto';

/** The algorithms the Berlin Group allows. */
export type DigestAlgorithm = 'SHA-256' | 'SHA-512';
/** Also computable, so the rejection suite can send a correct digest with a disallowed algorithm. */
export type AnyDigestAlgorithm = DigestAlgorithm | 'SHA' | 'SHA-1' | 'SHA-384' | 'MD5';

const NODE_HASH: Record<AnyDigestAlgorithm, string> = {
  'SHA-256': 'sha256',
  'SHA-512': 'sha512',
  SHA: 'sha1',
  'SHA-1': 'sha1',
  'SHA-384': 'sha384',
  MD5: 'md5',
};

const DIGEST_LENGTH: Record<DigestAlgorithm, number> = { 'SHA-256': 32, 'SHA-512': 64 };

export function bodyBytes(body: string | Uint8Array | undefined): Buffer {
  if (body === undefined) return Buffer.alloc(0);
  return typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
}

/** `SHA-256=<base64>`; a missing body hashes the empty byte string (GET). */
export function computeDigest(body: string | Uint8Array | undefined, algorithm: AnyDigestAlgorithm = 'SHA-256'): string {
  return `${algorithm}=${createHash(NODE_HASH[algorithm]).update(bodyBytes(body)).digest('base64')}`;
}

export type DigestParseResult = { ok: true; algorithm: DigestAlgorithm; digest: Buffer } | { ok: false; reason: 'malformed' | 'algorithm'; text: string };

const BASE64_RE = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Reads one Digest value. The algorithm token is case-insensitive (RFC 3230; Rabobank writes
 * `sha-256=`), but only SHA-256 and SHA-512 are allowed. Lists of several digests are refused.
 */
export function parseDigestHeader(value: string): DigestParseResult {
  const text = value.trim();
  const eq = text.indexOf('=');
  if (eq <= 0) return { ok: false, reason: 'malformed', text: 'Digest is not <algorithm>=<base64>' };
  const token = text.slice(0, eq).toUpperCase();
  const encoded = text.slice(eq + 1);
  if (!/^[A-Z0-9-]+$/.test(token)) return { ok: false, reason: 'malformed', text: 'Digest algorithm token is malformed' };
  if (token !== 'SHA-256' && token !== 'SHA-512') {
    return { ok: false, reason: 'algorithm', text: `Digest algorithm ${text.slice(0, eq)} is not allowed (SHA-256 or SHA-512)` };
  }
  if (encoded === '' || !BASE64_RE.test(encoded) || encoded.length % 4 !== 0) {
    return { ok: false, reason: 'malformed', text: 'Digest value is not Base64' };
  }
  const digest = Buffer.from(encoded, 'base64');
  if (digest.length !== DIGEST_LENGTH[token]) {
    return { ok: false, reason: 'malformed', text: `Digest value has ${digest.length} bytes; ${token} has ${DIGEST_LENGTH[token]}` };
  }
  return { ok: true, algorithm: token, digest };
}

/** True when the parsed digest is the hash of these exact bytes. */
export function digestMatches(parsed: { algorithm: DigestAlgorithm; digest: Buffer }, body: Buffer): boolean {
  const actual = createHash(NODE_HASH[parsed.algorithm]).update(body).digest();
  return actual.length === parsed.digest.length && timingSafeEqual(actual, parsed.digest);
}
