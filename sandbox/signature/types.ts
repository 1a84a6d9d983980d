// What the reference bank's signature check takes and answers (statuses and codes: docs/architecture.md "Request signing").
import type { CertificateInfo } from '../../transport/pki/certificate-info.js';

export interface IncomingRequest {
  method: string;
  /** Path and query exactly as received, for (request-target). */
  path: string;
  /** Lower-case names; values as Node's HTTP parser hands them over (one char per byte). */
  headers: Record<string, string>;
  body: Buffer;
}

export interface VerificationPolicy {
  requireSignature: boolean;
  trustedRootsPem: string[];
  /** Serial numbers as hex (any case, leading zeros allowed). */
  revokedSerials: string[];
  blockedSerials: string[];
  requiredRole: 'PSP_AI';
  /**
   * How a revoked certificate is answered: the standard's prose says CERTIFICATE_REVOKED, the
   * official 1.3.12 file's error enum spells CERTIFICATE_REVOKE; the bank answers what the spec in use allows.
   */
  revokedCode?: 'CERTIFICATE_REVOKED' | 'CERTIFICATE_REVOKE';
  /** The profile makes `date` a mandatory signed header. */
  signDateRequired?: boolean;
  /** A deliberately broken bank that accepts anything (to prove the suite notices). */
  acceptAnySignature?: boolean;
  now?: () => Date;
}

export type VerifyErrorCode =
  | 'FORMAT_ERROR'
  | 'SIGNATURE_MISSING'
  | 'SIGNATURE_INVALID'
  | 'CERTIFICATE_MISSING'
  | 'CERTIFICATE_INVALID'
  | 'CERTIFICATE_EXPIRED'
  | 'CERTIFICATE_REVOKED'
  | 'CERTIFICATE_REVOKE'
  | 'CERTIFICATE_BLOCKED'
  | 'ROLE_INVALID';

export interface VerifyFailure {
  ok: false;
  status: 400 | 401;
  code: VerifyErrorCode;
  /** One line for the tppMessages text. */
  text: string;
}

export type VerifyResult = { ok: true; certificate?: CertificateInfo } | VerifyFailure;

export function failure(status: 400 | 401, code: VerifyErrorCode, text: string): VerifyFailure {
  return { ok: false, status, code, text };
}
