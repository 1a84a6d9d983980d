import type { GuardRejection, IncomingRequestInfo } from '../types.js';
import type { VerificationPolicy } from './types.js';
import { verifyRequest } from './verify-request.js';

/** The reference bank's request guard: every request must be validly signed with a trusted QSealC. */
export function signatureGuard(policy: VerificationPolicy): (req: IncomingRequestInfo) => GuardRejection | undefined {
  return (req) => {
    const result = verifyRequest({ method: req.method, path: req.path, headers: req.headers, body: req.body }, policy);
    return result.ok ? undefined : { status: result.status, code: result.code, text: result.text };
  };
}
