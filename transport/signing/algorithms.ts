// RSA signing and verification with node:crypto and a cached KeyObject (forge is ~80× slower).
import { createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';

/** The labels the Berlin Group profile allows. */
export type SignatureAlgorithm = 'rsa-sha256' | 'rsa-sha512';
/** What the signer can produce; the extra labels exist to build must-reject requests (S16). */
export type SigningAlgorithm = SignatureAlgorithm | 'rsa-sha1' | 'rsa-sha384';

export const HASH_OF: Record<SigningAlgorithm, string> = {
  'rsa-sha1': 'sha1',
  'rsa-sha256': 'sha256',
  'rsa-sha384': 'sha384',
  'rsa-sha512': 'sha512',
};

/** The allowed label for an `algorithm` parameter (case-insensitive), or undefined. */
export function allowedAlgorithm(label: string): SignatureAlgorithm | undefined {
  const lower = label.toLowerCase();
  return lower === 'rsa-sha256' || lower === 'rsa-sha512' ? lower : undefined;
}

const keyCache = new Map<string, KeyObject>();

/** A private KeyObject from PEM, parsed once per distinct PEM. */
export function toPrivateKey(key: KeyObject | string): KeyObject {
  if (typeof key !== 'string') return key;
  let cached = keyCache.get(key);
  if (!cached) {
    cached = createPrivateKey(key);
    if (keyCache.size > 64) keyCache.clear();
    keyCache.set(key, cached);
  }
  return cached;
}

/** Base64 RSASSA-PKCS1-v1_5 signature over the UTF-8 bytes of `text`. */
export function signString(key: KeyObject | string, algorithm: SigningAlgorithm, text: string | Buffer): string {
  const data = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  return sign(HASH_OF[algorithm], data, toPrivateKey(key)).toString('base64');
}

/** Verifies a Base64 signature over `data`; false (never an exception) on any malformed input. */
export function verifyBytes(publicKey: KeyObject, algorithm: SigningAlgorithm, data: Buffer, signatureBase64: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64) || signatureBase64.length % 4 !== 0) return false;
  try {
    return verify(HASH_OF[algorithm], data, publicKey, Buffer.from(signatureBase64, 'base64'));
  } catch {
    return false;
  }
}
