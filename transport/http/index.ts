export type { HttpClient, RequestSigner, SendResult } from './types.js';
export { createHttpClient } from './client.js';
export type { HttpClientOptions } from './client.js';
export { classifyError } from './errors.js';
export { Semaphore, TokenBucket } from './limiter.js';
export { backoffDelay, isIdempotent, parseRetryAfter } from './retry.js';
export { tlsOptionsFromConfig } from './tls-options.js';
export { createOriginPolicy, guardOrigins, MAX_REDIRECTS } from './origin-policy.js';
export type { OriginPolicy } from './origin-policy.js';
