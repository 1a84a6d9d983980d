// The request side of recorded traffic (validate --har): was each card-account call signed, and
// does its Signature verify against the TPP-Signature-Certificate it carried (Digest of the body,
// signing string, RSA)? The certificate's chain is not judged: which roots the bank trusts is not
// in the recording.
import { tryParseCertificate } from '../../transport/pki/certificate-info.js';
import { allowedAlgorithm, verifyBytes } from '../../transport/signing/algorithms.js';
import { digestMatches, parseDigestHeader } from '../../transport/signing/digest.js';
import { parseSignatureHeader } from '../../transport/signing/signature-header.js';
import { buildSigningString } from '../../transport/signing/signing-string.js';
import type { Exchange } from '../../core/model.js';

export interface RequestSignatures {
  unsigned: number;
  verified: number;
  /** Signature values this tool redacted when it wrote the HAR: nothing to verify. */
  redacted: number;
  /** "log entry 3 (GET /v1/card-accounts): Digest does not match the body", the first few. */
  failed: string[];
  failedCount: number;
}

/** Why `ex`'s signature does not verify, 'redacted', 'unsigned', or undefined when it verifies. */
export function signatureProblem(ex: Exchange): string | undefined {
  const h = ex.request.headers;
  if (!h.signature) return 'unsigned';
  if (/\[REDACTED/.test(h.signature)) return 'redacted';
  if (!h['tpp-signature-certificate']) return 'TPP-Signature-Certificate is missing';
  const sig = parseSignatureHeader(h.signature);
  if (!sig.ok) return `Signature header: ${sig.error.message}`;
  const cert = tryParseCertificate(h['tpp-signature-certificate']);
  if (!cert.ok) return `TPP-Signature-Certificate: ${cert.error}`;
  const algorithm = allowedAlgorithm(sig.value.algorithm);
  if (!algorithm) return `algorithm "${sig.value.algorithm}" is not allowed`;
  if (!sig.value.headers.includes('digest')) return 'Digest is not signed';
  const digest = parseDigestHeader(h.digest ?? '');
  if (!digest.ok) return `Digest: ${digest.text}`;
  if (!digestMatches(digest, Buffer.from(ex.request.body ?? '', 'utf8'))) return 'Digest does not match the body';
  const url = new URL(ex.request.url);
  const signing = buildSigningString(sig.value.headers, { method: ex.request.method, target: `${url.pathname}${url.search}`, headers: h });
  if (!signing.ok) return `signed header ${signing.missing} is not in the request`;
  return verifyBytes(cert.certificate.publicKey, algorithm, Buffer.from(signing.value, 'latin1'), sig.value.signature)
    ? undefined
    : 'the signature does not verify against TPP-Signature-Certificate';
}

export function judgeRequestSignatures(exchanges: readonly Exchange[], where: (ex: Exchange) => string): RequestSignatures {
  const out: RequestSignatures = { unsigned: 0, verified: 0, redacted: 0, failed: [], failedCount: 0 };
  for (const ex of exchanges) {
    let problem: string | undefined;
    try {
      problem = signatureProblem(ex);
    } catch (e) {
      problem = `could not be verified: ${(e as Error).message}`;
    }
    if (problem === undefined) out.verified++;
    else if (problem === 'unsigned') out.unsigned++;
    else if (problem === 'redacted') out.redacted++;
    else {
      out.failedCount++;
      if (out.failed.length < 5) out.failed.push(`${where(ex)}: ${problem}`);
    }
  }
  return out;
}

export function describeRequestSignatures(s: RequestSignatures): string {
  return `request signatures: ${s.verified} verified, ${s.failedCount} do not verify, ${s.unsigned} unsigned${s.redacted > 0 ? `, ${s.redacted} redacted when recorded (not verifiable)` : ''}`;
}
