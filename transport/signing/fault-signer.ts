// Signs a request the way the signer does, except for one deliberate fault: the rejection
// suite must send exactly-wrong bytes (rules/kinds/support/signature-cases.ts), so every
// part of the signature can be overridden here.
import type { DigestAlgorithm } from './digest.js';
import { computeDigest } from './digest.js';
import { buildKeyId } from './key-id.js';
import { encodeHeaderValue } from '../../core/rfc2047.js';
import { formatSignatureHeader } from './signature-header.js';
import { httpDate } from './signer.js';
import { buildSigningString, defaultSignedHeaders, requestTarget } from './signing-string.js';
import { signString, type SigningAlgorithm } from './algorithms.js';
import { parseCertificate } from '../pki/certificate-info.js';
import type { KeyIdFormat } from '../../config/types.js';
import type { HttpRequestRecord } from '../../core/model.js';

/** What a run signs with: the bank file's QSealC, or the one generated for the run. */
export interface SigningMaterial {
  certPem: string;
  keyPem: string;
  keyIdFormat: KeyIdFormat;
  signDate: boolean;
  signRequestTarget: boolean;
  digestAlgorithm: DigestAlgorithm;
  /** The profile's always-signed headers (default digest, x-request-id); date follows signDate. */
  signedHeaders?: readonly string[];
  /** The profile's signed-when-present headers. */
  signedWhenPresent?: readonly string[];
}

export interface SignOverrides {
  /** Headers added (RFC 2047-encoded) before signing, e.g. PSU-ID. */
  add?: Record<string, string>;
  /** null: send no Digest; a string: send this Digest value. */
  digest?: string | null;
  /** Compute the Digest over this text instead of the real body. */
  digestOver?: string;
  digestAlgorithm?: DigestAlgorithm;
  /** The header names to sign (default: the signer's list). */
  sign?: string[];
  /** The `headers` parameter as sent, when it must differ from what was signed. */
  headersParam?: string;
  /** null: leave the parameter out. */
  algorithm?: string | null;
  /** The hash actually used (default: the one the label names, else SHA-256). */
  hash?: SigningAlgorithm;
  /** Sign with this key instead of the certificate's. */
  keyPem?: string;
  /** Send (and build the keyId from) this certificate instead. */
  certPem?: string;
  /** null: send no TPP-Signature-Certificate; a string: send this value. */
  certificateHeader?: string | null;
  /** null: leave keyId out; a string: send this keyId. */
  keyId?: string | null;
  /** Change the signature value (corrupt it, truncate it). */
  signature?: (value: string) => string;
  /** null: send no Signature header; a string: send this exact value. */
  signatureHeader?: string | null;
  /** Change headers after signing (the fault "altered after signing"). */
  after?: (headers: Record<string, string>) => void;
  now?: () => Date;
}

export function signWith(base: HttpRequestRecord, m: SigningMaterial, o: SignOverrides = {}): HttpRequestRecord {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries({ ...base.headers, ...o.add })) headers[k.toLowerCase()] = encodeHeaderValue(v);
  headers.date ??= httpDate((o.now ?? (() => new Date()))());
  if (o.digest !== null) headers.digest = o.digest ?? computeDigest(o.digestOver ?? base.body, o.digestAlgorithm ?? m.digestAlgorithm);
  const certificate = parseCertificate(o.certPem ?? m.certPem);
  const names = o.sign ? withProfileExtras(o.sign, base, m, o) : defaultSignedHeaders(headers, m);
  // A name the request does not carry (the S24 fault) is signed with an empty value.
  const signing = buildSigningString(names, {
    method: base.method,
    target: requestTarget(base.url),
    headers: { ...Object.fromEntries(names.map((n) => [n, ''])), ...headers },
  });
  const text = signing.ok ? signing.value : '';
  const label = o.algorithm === null ? undefined : (o.algorithm ?? 'rsa-sha256');
  const hash: SigningAlgorithm = o.hash ?? (label === 'rsa-sha512' ? 'rsa-sha512' : 'rsa-sha256');
  const value = signString(o.keyPem ?? m.keyPem, hash, text);
  const header =
    o.signatureHeader !== undefined
      ? o.signatureHeader
      : formatSignatureHeader({
          keyId: o.keyId === null ? undefined : (o.keyId ?? buildKeyId(certificate, m.keyIdFormat)),
          algorithm: label,
          headers: o.headersParam ?? names,
          signature: o.signature ? o.signature(value) : value,
        });
  if (header !== null) headers.signature = header;
  const cert = o.certificateHeader !== undefined ? o.certificateHeader : certificate.der.toString('base64');
  if (cert !== null) headers['tpp-signature-certificate'] = cert;
  o.after?.(headers);
  return { ...base, headers };
}

/**
 * A case's own header list, plus what the profile signs that the case is not about: `date` where
 * the profile signs it, and the signed-when-present headers the request already carried as built
 * (e.g. TPP-Redirect-URI under bits-no). Headers the case adds itself are left as the case says.
 */
function withProfileExtras(sign: string[], base: HttpRequestRecord, m: SigningMaterial, o: SignOverrides): string[] {
  const names = m.signDate && !sign.includes('date') ? ['date', ...sign] : [...sign];
  const added = new Set(Object.keys(o.add ?? {}).map((k) => k.toLowerCase()));
  const carried = new Set(Object.keys(base.headers).map((k) => k.toLowerCase()));
  for (const h of m.signedWhenPresent ?? ['psu-id', 'psu-corporate-id', 'tpp-redirect-uri']) {
    if (carried.has(h) && !added.has(h) && !names.includes(h)) names.push(h);
  }
  return names;
}
