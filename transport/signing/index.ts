// Berlin Group HTTP signatures (draft-cavage-10 profile): the signer and its building blocks.
export { createSigner, httpDate } from './signer.js';
export type { SignerOptions } from './signer.js';
export { computeDigest, parseDigestHeader, digestMatches, bodyBytes } from './digest.js';
export type { DigestAlgorithm, AnyDigestAlgorithm, DigestParseResult } from './digest.js';
export { buildSigningString, defaultSignedHeaders, requestTarget, CONDITIONAL_SIGNED_HEADERS } from './signing-string.js';
export type { SigningTarget, SigningStringResult } from './signing-string.js';
export { formatSignatureHeader, parseSignatureHeader } from './signature-header.js';
export type { SignatureHeaderParams, ParsedSignature, SignatureHeaderError, SignatureHeaderErrorKind, SignatureHeaderParseResult } from './signature-header.js';
export { signString, verifyBytes, toPrivateKey, allowedAlgorithm, HASH_OF } from './algorithms.js';
export type { SignatureAlgorithm, SigningAlgorithm } from './algorithms.js';
export { buildKeyId, parseKeyId } from './key-id.js';
export type { KeyIdSource, ParsedKeyId, KeyIdParseResult } from './key-id.js';
export { encodeHeaderValue, decodeHeaderValue, needsEncoding } from '../../core/rfc2047.js';
export { signingChoices } from './profile-signing.js';
export type { SigningChoices } from './profile-signing.js';
