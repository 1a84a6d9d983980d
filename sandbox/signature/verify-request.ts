// The reference bank's request-signature check (docs/architecture.md "Request signing": profile, checks, codes).
// Every input, however malformed, ends in one 400/401 answer; nothing here throws.
import { type CertificateInfo, tryParseCertificate } from '../../transport/pki/certificate-info.js';
import { allowedAlgorithm, verifyBytes } from '../../transport/signing/algorithms.js';
import { digestMatches, parseDigestHeader } from '../../transport/signing/digest.js';
import { parseSignatureHeader } from '../../transport/signing/signature-header.js';
import { CONDITIONAL_SIGNED_HEADERS, buildSigningString } from '../../transport/signing/signing-string.js';
import { checkCertificate } from './certificate-checks.js';
import { matchKeyId } from './key-id-match.js';
import { type IncomingRequest, type VerificationPolicy, type VerifyResult, failure } from './types.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

// Parsing a certificate costs more than the RSA verify; the same TPP sends the same header.
const certificateCache = new Map<string, CertificateInfo>();

function parseCertificateHeader(value: string): { ok: true; certificate: CertificateInfo } | { ok: false; error: string } {
  const cached = certificateCache.get(value);
  if (cached) return { ok: true, certificate: cached };
  const parsed = tryParseCertificate(value);
  if (parsed.ok) {
    if (certificateCache.size >= 128) certificateCache.clear();
    certificateCache.set(value, parsed.certificate);
  }
  return parsed;
}

function header(req: IncomingRequest, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === 'string' ? v : undefined;
}

const signatureInvalid = (text: string): VerifyResult => failure(401, 'SIGNATURE_INVALID', text);

function verify(req: IncomingRequest, policy: VerificationPolicy): VerifyResult {
  if (policy.acceptAnySignature) {
    const cert = header(req, 'tpp-signature-certificate');
    const parsed = cert === undefined ? undefined : parseCertificateHeader(cert);
    return parsed?.ok ? { ok: true, certificate: parsed.certificate } : { ok: true };
  }

  const requestId = header(req, 'x-request-id');
  if (requestId === undefined || requestId.trim() === '') return failure(400, 'FORMAT_ERROR', 'X-Request-ID is missing');
  if (!UUID_RE.test(requestId.trim())) return failure(400, 'FORMAT_ERROR', 'X-Request-ID is not a UUID');

  // A bank that does not mandate signing ignores signatures, as the Berlin Group leaves signing to the bank.
  if (!policy.requireSignature) return { ok: true };

  const signatureHeader = header(req, 'signature');
  if (signatureHeader === undefined || signatureHeader.trim() === '') return failure(401, 'SIGNATURE_MISSING', 'Signature header is missing');
  const certificateHeader = header(req, 'tpp-signature-certificate');
  if (certificateHeader === undefined || certificateHeader.trim() === '') {
    return failure(401, 'CERTIFICATE_MISSING', 'TPP-Signature-Certificate header is missing');
  }
  const digestHeader = header(req, 'digest');
  if (digestHeader === undefined) return failure(400, 'FORMAT_ERROR', 'Digest header is missing');
  const digest = parseDigestHeader(digestHeader);
  if (!digest.ok) return failure(400, 'FORMAT_ERROR', digest.text);

  const signature = parseSignatureHeader(signatureHeader);
  if (!signature.ok) return signatureInvalid(`Signature header: ${signature.error.message}`);
  const sig = signature.value;

  const parsedCert = parseCertificateHeader(certificateHeader);
  if (!parsedCert.ok) return failure(401, 'CERTIFICATE_INVALID', `TPP-Signature-Certificate: ${parsedCert.error}`);
  const certificate = parsedCert.certificate;
  const certProblem = checkCertificate(certificate, policy, (policy.now ?? (() => new Date()))());
  if (certProblem) return certProblem;

  const keyId = matchKeyId(sig.keyId, certificate);
  if (!keyId.ok) return signatureInvalid(keyId.text);

  const algorithm = allowedAlgorithm(sig.algorithm);
  if (!algorithm) return signatureInvalid(`algorithm "${sig.algorithm}" is not allowed (rsa-sha256, rsa-sha512)`);
  if (certificate.publicKey.asymmetricKeyType !== 'rsa') {
    return signatureInvalid(`algorithm "${sig.algorithm}" does not fit the certificate's ${certificate.publicKey.asymmetricKeyType} key`);
  }

  const mandatory = ['digest', 'x-request-id', ...CONDITIONAL_SIGNED_HEADERS.filter((h) => header(req, h) !== undefined)];
  if (policy.signDateRequired) mandatory.push('date');
  const unsigned = mandatory.filter((h) => !sig.headers.includes(h));
  if (unsigned.length > 0) return signatureInvalid(`mandatory header${unsigned.length > 1 ? 's' : ''} not signed: ${unsigned.join(', ')}`);

  const signing = buildSigningString(sig.headers, { method: req.method, target: req.path, headers: req.headers });
  if (!signing.ok) return signatureInvalid(`signed header ${signing.missing} is not in the request`);
  // Header values arrive one char per byte (latin1), so this rebuilds the bytes on the wire.
  if (/[^\x00-\xff]/.test(signing.value)) return signatureInvalid('a signed header holds characters that cannot come off the wire');
  const signedBytes = Buffer.from(signing.value, 'latin1');

  if (!digestMatches(digest, req.body)) return signatureInvalid('Digest does not match the body');
  if (!verifyBytes(certificate.publicKey, algorithm, signedBytes, sig.signature)) return signatureInvalid('signature does not verify');
  return { ok: true, certificate };
}

/** Checks one request against the bank's signing policy. Never throws. */
export function verifyRequest(req: IncomingRequest, policy: VerificationPolicy): VerifyResult {
  try {
    return verify(req, policy);
  } catch (e) {
    // Belt and braces: an unforeseen input is a bad signature, never a 500.
    return signatureInvalid(`request could not be verified: ${e instanceof Error ? e.message : String(e)}`);
  }
}
