// The certification manifest's signature: a compact JWS (RFC 7515), RS256, whose payload is the
// manifest's exact bytes. The header carries the signer's public key (`jwk`) and, when given, its
// certificate (`x5c`, e.g. the QSealC), so a reviewer can check the signature and see who signed.
import { createHash, createPrivateKey, createPublicKey, sign, verify, X509Certificate, type KeyObject } from 'node:crypto';
import { errorMessage } from '../../core/errors.js';

const b64url = (b: Buffer | string): string => Buffer.from(b).toString('base64url');

export interface JwsHeader {
  alg: 'RS256';
  typ: 'JOSE';
  cty: 'application/json';
  jwk: { kty: string; n?: string; e?: string };
  x5c?: string[];
}

/** Signs `payload` with an RSA private key (PEM); `certificatePem` goes into x5c. */
export function signJws(payload: Buffer, privateKeyPem: string, certificatePem?: string): string {
  const key = createPrivateKey(privateKeyPem);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'not asymmetric'}; RS256 needs an RSA key`);
  const pub = createPublicKey(key).export({ format: 'jwk' });
  const header: JwsHeader = { alg: 'RS256', typ: 'JOSE', cty: 'application/json', jwk: { kty: pub.kty ?? 'RSA', n: pub.n, e: pub.e } };
  if (certificatePem) {
    const cert = new X509Certificate(certificatePem);
    if (!cert.checkPrivateKey(key)) throw new Error('the certificate does not belong to the signing key');
    header.x5c = [cert.raw.toString('base64')];
  }
  const input = `${b64url(JSON.stringify(header))}.${b64url(payload)}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), key))}`;
}

export interface JwsCheck {
  ok: boolean;
  reason?: string;
  /** Who signed: the certificate's subject, or the key's SHA-256 thumbprint. */
  signer?: string;
}

/** Checks a compact JWS against the payload it must carry. */
export function verifyJws(jws: string, payload: Buffer): JwsCheck {
  const [head, body, signature, ...rest] = jws.trim().split('.');
  if (head === undefined || body === undefined || signature === undefined || rest.length > 0) return { ok: false, reason: 'not a compact JWS' };
  let header: JwsHeader;
  try {
    // why the cast: every field used below is checked before use (alg, x5c, jwk)
    header = JSON.parse(Buffer.from(head, 'base64url').toString('utf8')) as JwsHeader;
  } catch {
    return { ok: false, reason: 'the JWS header is not JSON' };
  }
  if (header.alg !== 'RS256') return { ok: false, reason: `unexpected algorithm ${String(header.alg)}` };
  if (!Buffer.from(body, 'base64url').equals(payload)) return { ok: false, reason: 'manifest.json differs from the signed manifest' };
  let key: KeyObject;
  let signer: string;
  try {
    const leaf = header.x5c?.[0];
    if (leaf !== undefined) {
      const cert = new X509Certificate(Buffer.from(leaf, 'base64'));
      key = cert.publicKey;
      signer = `${cert.subject.replace(/\n/g, ', ')} (certificate SHA-256 ${cert.fingerprint256})`;
      const jwk = createPublicKey({ key: header.jwk, format: 'jwk' }).export({ format: 'jwk' });
      const certJwk = key.export({ format: 'jwk' });
      if (jwk.n !== certJwk.n || jwk.e !== certJwk.e) return { ok: false, reason: 'the header key is not the certificate key' };
    } else {
      key = createPublicKey({ key: header.jwk, format: 'jwk' });
      signer = `RSA key, JWK ${thumbprint(key)}`;
    }
  } catch (e) {
    return { ok: false, reason: `the signer's key cannot be read: ${errorMessage(e)}` };
  }
  const good = verify('sha256', Buffer.from(`${head}.${body}`), key, Buffer.from(signature, 'base64url'));
  return good ? { ok: true, signer } : { ok: false, reason: 'the signature does not match', signer };
}

function thumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  // RFC 7638: the required members in lexicographic order.
  const canonical = JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n });
  return `thumbprint ${createHash('sha256').update(canonical).digest('base64url')}`;
}
