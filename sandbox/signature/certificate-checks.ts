// Checks on the TPP's signing certificate, in the order of docs/architecture.md "Request signing", each mapped to its
// status and code (CERTIFICATE_INVALID, _EXPIRED, _BLOCKED, _MISSING; SIGNATURE_INVALID). The certificate is already parsed; nothing here throws on certificate content.
import { X509Certificate } from 'node:crypto';
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';
import { OID, PSD2_ROLE_OIDS } from '../../transport/pki/oids.js';
import { psd2StatementProblem } from '../../transport/pki/qc-statements.js';
import { normalizeSerialHex } from '../../transport/pki/serial.js';
import { type VerificationPolicy, type VerifyFailure, failure } from './types.js';

/** Allowed clock difference for notBefore / notAfter. */
export const VALIDITY_SKEW_MS = 5 * 60_000;

/** pkilint's GEN-5.2.1-3 form: PSD + country + "-" + NCA id + "-" + number. */
const ORG_ID_RE = /^PSD[A-Z]{2}-[A-Z]{2,8}-.+$/;

const rootCache = new Map<string, X509Certificate | null>();

function loadRoot(pem: string): X509Certificate | null {
  let root = rootCache.get(pem);
  if (root === undefined) {
    try {
      root = new X509Certificate(pem);
    } catch {
      root = null; // a broken trust-store entry trusts nothing
    }
    if (rootCache.size > 64) rootCache.clear();
    rootCache.set(pem, root);
  }
  return root;
}

function verifiesWith(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.checkIssued(issuer) && cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function signedBy(cert: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return cert.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

function serialSet(serials: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const s of serials) {
    try {
      out.add(normalizeSerialHex(s));
    } catch {
      // not hex: cannot match any certificate
    }
  }
  return out;
}

const invalid = (text: string): VerifyFailure => failure(401, 'CERTIFICATE_INVALID', text);

/** The first problem with the certificate, or undefined when it may sign for this bank. */
export function checkCertificate(cert: CertificateInfo, policy: VerificationPolicy, now: Date): VerifyFailure | undefined {
  const t = now.getTime();
  if (cert.notBefore.getTime() > t + VALIDITY_SKEW_MS) return invalid(`certificate is not valid before ${cert.notBefore.toISOString()}`);
  if (cert.notAfter.getTime() < t - VALIDITY_SKEW_MS) {
    return failure(401, 'CERTIFICATE_EXPIRED', `certificate expired ${cert.notAfter.toISOString()}`);
  }
  // Not checkIssued(self): OpenSSL refuses an end-entity issuer without keyCertSign, which would hide the reason.
  if (cert.selfIssued && signedBy(cert.x509, cert.x509)) return invalid('certificate is self-signed');
  const roots = policy.trustedRootsPem.map(loadRoot).filter((r): r is X509Certificate => r !== null);
  if (!roots.some((root) => verifiesWith(cert.x509, root))) return invalid('certificate is not issued by a trusted CA');
  if (serialSet(policy.revokedSerials).has(cert.serialHex)) return failure(401, policy.revokedCode ?? 'CERTIFICATE_REVOKED', 'certificate is revoked');
  if (serialSet(policy.blockedSerials).has(cert.serialHex)) return failure(401, 'CERTIFICATE_BLOCKED', 'certificate is blocked by the bank');
  if (!cert.hasQcStatements) return invalid('certificate has no qcStatements extension');
  if (cert.qcStatementsError) return invalid(`qcStatements extension is malformed: ${cert.qcStatementsError}`);
  if (!cert.psd2) {
    const why = cert.qcStatements?.psd2Error;
    return invalid(why ? `PSD2 statement is malformed: ${why}` : 'certificate has no PSD2 statement (0.4.0.19495.2)');
  }
  const problem = psd2StatementProblem(cert.psd2);
  if (problem) return invalid(`PSD2 statement: ${problem}`);
  if (cert.keyUsage && !cert.keyUsage.digitalSignature && !cert.keyUsage.nonRepudiation) {
    return invalid('keyUsage allows neither digitalSignature nor nonRepudiation');
  }
  if (cert.organizationIdentifier === undefined) return invalid(`subject has no organizationIdentifier (${OID.organizationIdentifier})`);
  if (!ORG_ID_RE.test(cert.organizationIdentifier)) {
    return invalid(`organizationIdentifier "${cert.organizationIdentifier}" is not PSDCC-NCA-number`);
  }
  const roleOid = PSD2_ROLE_OIDS[policy.requiredRole];
  if (!cert.psd2.roleEntries.some((r) => r.oid === roleOid)) {
    return failure(401, 'ROLE_INVALID', `certificate lacks the ${policy.requiredRole} role (has ${cert.psd2.roles.join(', ')})`);
  }
  return undefined;
}
