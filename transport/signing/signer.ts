// The Berlin Group request signer (draft-cavage-10 profile, docs/architecture.md "Request signing"): Digest over the exact
// body bytes, RFC 2047 for non-ASCII values, Date always sent, keyId per bank preset.
import { createPrivateKey, createPublicKey, randomUUID } from 'node:crypto';
import type { KeyIdFormat } from '../../config/types.js';
import type { RequestSigner } from '../http/types.js';
import type { HttpRequestRecord } from '../../core/model.js';
import { parseCertificate } from '../pki/certificate-info.js';
import { type SignatureAlgorithm, signString } from './algorithms.js';
import { type DigestAlgorithm, computeDigest } from './digest.js';
import { buildKeyId } from './key-id.js';
import { encodeHeaderValue } from '../../core/rfc2047.js';
import { formatSignatureHeader } from './signature-header.js';
import { buildSigningString, defaultSignedHeaders, requestTarget } from './signing-string.js';

export interface SignerOptions {
  certificatePem: string;
  keyPem: string;
  keyIdFormat: KeyIdFormat;
  signDate: boolean;
  signRequestTarget: boolean;
  digestAlgorithm: DigestAlgorithm;
  /** The profile's always-signed headers (default digest, x-request-id); date follows signDate. */
  signedHeaders?: readonly string[];
  /** The profile's signed-when-present headers (default psu-id, psu-corporate-id, tpp-redirect-uri). */
  signedWhenPresent?: readonly string[];
  /** Default rsa-sha256 (the BG example). */
  algorithm?: SignatureAlgorithm;
  now?: () => Date;
  /** Refuse a key that does not belong to the certificate (default true): a configuration error, caught once. */
  checkKeyMatchesCertificate?: boolean;
}

/** IMF-fixdate (RFC 7231 §7.1.1.1), e.g. "Sat, 21 Nov 2026 08:34:25 GMT". */
export function httpDate(date: Date): string {
  return date.toUTCString();
}

export function createSigner(opts: SignerOptions): RequestSigner {
  const certificate = parseCertificate(opts.certificatePem);
  const key = createPrivateKey(opts.keyPem);
  if (opts.checkKeyMatchesCertificate !== false) {
    const fromKey = createPublicKey(key).export({ type: 'spki', format: 'der' });
    const fromCert = certificate.publicKey.export({ type: 'spki', format: 'der' });
    if (!fromKey.equals(fromCert)) throw new Error('signing key does not belong to the signing certificate');
  }
  const keyId = buildKeyId(certificate, opts.keyIdFormat);
  const certificateHeader = certificate.der.toString('base64');
  const algorithm = opts.algorithm ?? 'rsa-sha256';
  const now = opts.now ?? ((): Date => new Date());

  return (request: HttpRequestRecord): HttpRequestRecord => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = encodeHeaderValue(value);
    headers['digest'] = computeDigest(request.body, opts.digestAlgorithm);
    // Sent even when not signed: adorsys rejects requests without one.
    headers['date'] ??= httpDate(now());
    headers['x-request-id'] ??= randomUUID();

    const names = defaultSignedHeaders(headers, opts);
    const signing = buildSigningString(names, { method: request.method, target: requestTarget(request.url), headers });
    if (!signing.ok) throw new Error(`cannot sign: ${signing.missing} is missing`); // unreachable: every name was just set
    headers['signature'] = formatSignatureHeader({ keyId, algorithm, headers: names, signature: signString(key, algorithm, signing.value) });
    headers['tpp-signature-certificate'] = certificateHeader;
    return { ...request, headers };
  };
}
