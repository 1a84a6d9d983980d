// Turns whatever undici / node:net / node:tls threw into a TransportFailure.

import type { TransportFailure } from '../../core/model.js';

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  cause?: unknown;
  errors?: unknown[];
}

/** Our own code for a TLS connection the server dropped, unanswered, after we presented a client certificate. */
export const CLIENT_CERT_REFUSED = 'CARD_CONFORMANCE_CLIENT_CERT_REFUSED';

// OpenSSL verification results as Node reports them in `err.code`.
const CERT_VERIFY_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_CRL',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_SIGNATURE_FAILURE',
  'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED',
  'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'HOSTNAME_MISMATCH',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NONAME',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'ENETUNREACH',
  'ENETDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
]);

const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT']);

/** The error and its causes, outermost first (undici wraps; AggregateError lists one per address tried). */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [err];
  while (queue.length > 0 && out.length < 10) {
    const e = queue.shift();
    if (e === null || typeof e !== 'object' || seen.has(e)) continue;
    seen.add(e);
    // why the cast: a non-null object; ErrorLike's fields are all optional and read defensively
    const like = e as ErrorLike;
    out.push(like);
    if (like.cause !== undefined) queue.push(like.cause);
    if (Array.isArray(like.errors)) queue.push(...like.errors);
  }
  return out;
}

function describe(e: ErrorLike): string {
  let message = (e.message || e.name || 'unknown error').trim();
  // OpenSSL's text is "<hex>:error:<hex>:SSL routines:<function>:<reason>:<file>:<line>:…"; keep the reason.
  const openssl = /:SSL routines:[^:]*:([^:]+):/.exec(message);
  if (openssl?.[1]) message = openssl[1];
  if (!e.code || message.includes(e.code) || e.code === CLIENT_CERT_REFUSED) return message;
  return `${message} (${e.code})`;
}

function tlsHint(e: ErrorLike): string {
  return /CERTIFICATE_REQUIRED|HANDSHAKE_FAILURE/.test(e.code ?? '')
    ? '; the server may require a client certificate (tls.certificate and tls.key in the bank file)'
    : '';
}

export function isTls(e: ErrorLike): boolean {
  if (e === null || typeof e !== 'object') return false;
  const code = e.code ?? '';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || CERT_VERIFY_CODES.has(code) || code === CLIENT_CERT_REFUSED) return true;
  const message = e.message ?? '';
  // A handshake the server broke off (e.g. it wanted a client certificate) surfaces as ECONNRESET with this text.
  if (/before secure TLS connection was established/i.test(message)) return true;
  return code === 'EPROTO' && /ssl|tls|alert|handshake/i.test(message);
}

/**
 * Keeps the TLS reason for a dropped connection from being lost.
 * - Under TLS 1.3 a server that refuses our client certificate sends its alert after the
 *   handshake; the alert reaches the socket, but undici reports only "other side closed".
 *   The alert is attached as the `cause` of the socket's later errors.
 * - Some servers (Node's own among them) refuse an untrusted client certificate by just
 *   closing the connection after the handshake. When we presented a certificate and the
 *   server closed a fresh connection without a byte of answer, that is the likely reason.
 */
export function keepTlsCause(socket: NodeJS.EventEmitter & { bytesRead?: number }, opts: { clientCertificate: boolean }): void {
  let tlsError: Error | undefined;
  socket.on('error', (err: Error & { cause?: unknown; code?: string }) => {
    if (!tlsError && isTls(err)) {
      tlsError = err;
      return;
    }
    if (err === tlsError || err.cause !== undefined) return;
    if (tlsError) err.cause = tlsError;
    else if (opts.clientCertificate && err.code === 'UND_ERR_SOCKET' && socket.bytesRead === 0) {
      err.cause = Object.assign(
        new Error('the server closed the connection after the TLS handshake without answering; it probably refused the client certificate'),
        { code: CLIENT_CERT_REFUSED },
      );
    }
  });
}

/**
 * Classifies a thrown error. `timedOut` is true when our own deadline fired, which undici
 * reports as an abort, not as a timeout.
 */
export function classifyError(err: unknown, opts: { timedOut: boolean; timeoutMs: number }): TransportFailure {
  if (opts.timedOut) return { kind: 'timeout', message: `no complete response within ${opts.timeoutMs} ms` };
  const errors = chain(err);
  if (errors.length === 0) return { kind: 'protocol', message: String(err) };
  const tls = errors.find(isTls);
  if (tls) return { kind: 'tls', message: `TLS failure: ${describe(tls)}${tlsHint(tls)}` };
  const timeout = errors.find((e) => TIMEOUT_CODES.has(e.code ?? ''));
  if (timeout) return { kind: 'timeout', message: `${describe(timeout)} (limit ${opts.timeoutMs} ms)` };
  const connection = errors.find((e) => CONNECTION_CODES.has(e.code ?? ''));
  if (connection) {
    const what =
      connection.code === 'UND_ERR_SOCKET' && /other side closed/.test(connection.message ?? '')
        ? 'the server closed the connection before a complete response (UND_ERR_SOCKET)'
        : describe(connection);
    return { kind: 'connection', message: `connection failure: ${what}` };
  }
  // Everything else: an unparseable response (HPE_*), a content-length mismatch, an invalid request.
  const [first] = errors;
  return { kind: 'protocol', message: first ? describe(first) : 'unknown error' };
}
