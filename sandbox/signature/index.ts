// The reference bank's signature and certificate verifier.
export { verifyRequest } from './verify-request.js';
export { checkCertificate, VALIDITY_SKEW_MS } from './certificate-checks.js';
export { matchKeyId } from './key-id-match.js';
export type { KeyIdMatch } from './key-id-match.js';
export { failure } from './types.js';
export type { IncomingRequest, VerificationPolicy, VerifyResult, VerifyFailure, VerifyErrorCode } from './types.js';
