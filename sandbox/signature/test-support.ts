// Helpers for the verifier's unit tests: validly signed incoming requests, and hand-signed ones
// with exactly one thing wrong. Test-only; nothing in the sandbox imports this.
import type { TestPki } from '../../transport/pki/generate.js';
import { type SigningAlgorithm, signString } from '../../transport/signing/algorithms.js';
import { formatSignatureHeader } from '../../transport/signing/signature-header.js';
import { type SignerOptions, createSigner } from '../../transport/signing/signer.js';
import { buildSigningString } from '../../transport/signing/signing-string.js';
import type { IncomingRequest, VerificationPolicy } from './types.js';

export const REQUEST_ID = '99391c7e-ad88-49ec-a2ad-99ddcb1f7721';

export interface SignedRequestOptions {
  certPem: string;
  keyPem: string;
  method?: string;
  path?: string;
  body?: string;
  headers?: Record<string, string>;
  signer?: Partial<SignerOptions>;
}

/** A request signed by our signer, as the bank's HTTP server would hand it to the verifier. */
export function signedRequest(opts: SignedRequestOptions): IncomingRequest {
  const signer = createSigner({
    certificatePem: opts.certPem,
    keyPem: opts.keyPem,
    keyIdFormat: 'bg-example',
    signDate: false,
    signRequestTarget: false,
    digestAlgorithm: 'SHA-256',
    checkKeyMatchesCertificate: false,
    ...opts.signer,
  });
  const path = opts.path ?? '/v1/card-accounts';
  const signed = signer({
    method: opts.method ?? 'GET',
    url: `https://bank.example${path}`,
    headers: { 'x-request-id': REQUEST_ID, ...opts.headers },
    body: opts.body,
  });
  return { method: signed.method, path, headers: signed.headers, body: Buffer.from(signed.body ?? '', 'utf8') };
}

export interface ResignOptions {
  keyPem: string;
  signedHeaders: string[];
  /** The algorithm used for the bytes. */
  algorithm?: SigningAlgorithm;
  /** The label written into the header (defaults to `algorithm`). */
  label?: string;
  keyId: string;
}

/** Replaces the Signature of `req` with one computed by hand over `signedHeaders` as they are now. */
export function resign(req: IncomingRequest, opts: ResignOptions): IncomingRequest {
  const signing = buildSigningString(opts.signedHeaders, { method: req.method, target: req.path, headers: req.headers });
  if (!signing.ok) throw new Error(`resign: ${signing.missing} missing`);
  const algorithm = opts.algorithm ?? 'rsa-sha256';
  const signature = signString(opts.keyPem, algorithm, signing.value);
  return {
    ...req,
    headers: {
      ...req.headers,
      signature: formatSignatureHeader({ keyId: opts.keyId, algorithm: opts.label ?? algorithm, headers: opts.signedHeaders, signature }),
    },
  };
}

export function policyFor(pki: TestPki, extra: Partial<VerificationPolicy> = {}): VerificationPolicy {
  return {
    requireSignature: true,
    trustedRootsPem: [pki.rootCaPem],
    revokedSerials: pki.revokedSerials,
    blockedSerials: pki.blockedSerials,
    requiredRole: 'PSP_AI',
    ...extra,
  };
}

/** Seeded PRNG (mulberry32) so fuzz failures reproduce. */
export function seededRandom(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
