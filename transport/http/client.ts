// The transport: undici with bounded waits, size cut-off, concurrency and rate limits,
// and retries. send() resolves with a response or a TransportFailure; it never throws,
// so one misbehaving bank endpoint cannot stop a run.

import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, request as undiciRequest } from 'undici';
import type { Limits } from '../../config/types.js';
import type { Headers, HttpRequestRecord, HttpResponseRecord, TransportFailure } from '../../core/model.js';
import { classifyError, keepTlsCause } from './errors.js';
import { Semaphore, TokenBucket } from './limiter.js';
import { backoffDelay, isIdempotent, parseRetryAfter } from './retry.js';
import type { HttpClient, RequestSigner, SendResult } from './types.js';

export interface HttpClientOptions {
  limits: Limits;
  tls?: {
    /** Client certificate (QWAC) for mutual TLS. */
    certificatePem?: string;
    keyPem?: string;
    /** Extra CA certificate(s) trusted besides the public roots. */
    caPem?: string;
    /** Default true. */
    rejectUnauthorized?: boolean;
  };
  signer?: RequestSigner;
  /** Added to every request; a request's own headers win. */
  defaultHeaders?: Record<string, string>;
  /** Longest Retry-After honoured on a 429; a longer one returns the 429. Default 30 s. */
  retryAfterCapMs?: number;
  /** Total time one send() may spend waiting between attempts. Default 60 s. */
  retryBudgetMs?: number;
  /** First backoff step after a transport error; doubles per attempt (with jitter). Default 250 ms. */
  backoffBaseMs?: number;
}

const DEFAULT_RETRY_AFTER_CAP_MS = 30_000;
const DEFAULT_RETRY_BUDGET_MS = 60_000;
const DEFAULT_BACKOFF_BASE_MS = 250;
const BACKOFF_MAX_MS = 5_000;

interface AttemptResult {
  response?: HttpResponseRecord;
  failure?: TransportFailure;
}

export function createHttpClient(opts: HttpClientOptions): HttpClient {
  const { limits } = opts;
  const timeoutMs = limits.timeoutMs;
  const retryAfterCapMs = opts.retryAfterCapMs ?? DEFAULT_RETRY_AFTER_CAP_MS;
  const retryBudgetMs = opts.retryBudgetMs ?? DEFAULT_RETRY_BUDGET_MS;
  const backoffBaseMs = opts.backoffBaseMs ?? DEFAULT_BACKOFF_BASE_MS;
  const defaultHeaders = lowerCaseHeaders(opts.defaultHeaders ?? {});

  const baseConnect = buildConnector({
    timeout: timeoutMs,
    cert: opts.tls?.certificatePem,
    key: opts.tls?.keyPem,
    // Node replaces the public roots when `ca` is set; a sandbox CA should be trusted in addition.
    ca: opts.tls?.caPem ? [...rootCertificates, opts.tls.caPem] : undefined,
    rejectUnauthorized: opts.tls?.rejectUnauthorized ?? true,
  });
  const agent = new Agent({
    connect: (options, callback) =>
      baseConnect(options, (...args) => {
        const socket = args[1];
        if (socket) keepTlsCause(socket, { clientCertificate: 'encrypted' in socket && Boolean(opts.tls?.certificatePem) });
        callback(...args);
      }),
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
    // The transport never follows a redirect (undici's request() only does with its redirect
    // interceptor, which is not installed): guardOrigins (origin-policy.ts) decides, by origin.
  });
  const slots = new Semaphore(limits.concurrency);
  const bucket = new TokenBucket(limits.requestsPerSecond);
  // Aborted by close(): cuts short any backoff or Retry-After wait.
  const closing = new AbortController();

  function prepare(request: HttpRequestRecord, sign: boolean): HttpRequestRecord {
    const merged: HttpRequestRecord = {
      method: request.method,
      url: request.url,
      headers: { ...defaultHeaders, ...lowerCaseHeaders(request.headers) },
    };
    if (request.body !== undefined) merged.body = request.body;
    if (!sign || !opts.signer) return merged;
    const signed = opts.signer(merged);
    return { ...signed, headers: lowerCaseHeaders(signed.headers) };
  }

  async function attempt(request: HttpRequestRecord): Promise<AttemptResult> {
    const started = performance.now();
    const controller = new AbortController();
    let timedOut = false;
    // One deadline for connect, headers and the whole body: undici's own timeouts are per phase
    // and its body timeout resets on every chunk, so a slow drip would never trip it.
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    let status: number | undefined;
    let headers: Headers = {};
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    const responseSoFar = (cut: boolean): HttpResponseRecord | undefined =>
      status === undefined
        ? undefined
        : {
            status,
            headers,
            // ignoreBOM keeps a byte-order mark in the text: it is something the bank sent, and JSON forbids it.
            body: new TextDecoder('utf-8', { ignoreBOM: true }).decode(Buffer.concat(chunks, size)),
            ...(cut ? { truncated: true } : {}),
            durationMs: Math.round(performance.now() - started),
          };
    try {
      const res = await undiciRequest(request.url, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
        dispatcher: agent,
      });
      status = res.statusCode;
      headers = responseHeaders(res.headers);
      // why the cast: undici's body is a Readable without an encoding, so it yields Buffers
      for await (const chunk of res.body as AsyncIterable<Buffer>) {
        const room = limits.maxBodyBytes - size;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          size += room;
          truncated = true;
          break; // leaving the loop destroys the body, so the rest is never downloaded
        }
        chunks.push(chunk);
        size += chunk.length;
      }
      // why the cast: status was set from res.statusCode above, so responseSoFar returns a record
      const response = responseSoFar(truncated) as HttpResponseRecord;
      if (truncated) {
        return { response, failure: { kind: 'too-large', message: `response body exceeds ${limits.maxBodyBytes} bytes; cut there` } };
      }
      return { response };
    } catch (err) {
      // Keep whatever arrived (status, headers, part of the body) as evidence.
      return { response: responseSoFar(true), failure: classifyError(err, { timedOut, timeoutMs }) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function send(request: HttpRequestRecord, options?: { sign?: boolean }): Promise<SendResult> {
    const invalid = checkUrl(request.url);
    if (invalid) return { request, failure: invalid };
    const sign = options?.sign !== false;

    let waitedMs = 0;
    let prepared: HttpRequestRecord = request;
    for (let attemptNo = 0; ; attemptNo++) {
      if (closing.signal.aborted) return { request: prepared, failure: { kind: 'connection', message: 'the HTTP client was closed' } };
      const release = await slots.acquire();
      let result: AttemptResult;
      try {
        await bucket.take();
        // Signed once the slot and the token are held, so Date and Signature are fresh on every
        // attempt and a long queue holds unsigned requests only.
        try {
          prepared = prepare(request, sign);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          return { request, failure: { kind: 'protocol', message: `the request could not be prepared (signing failed?): ${message}` } };
        }
        result = await attempt(prepared);
      } finally {
        release();
      }
      const retriesLeft = attemptNo < limits.retries;
      const kind = result.failure?.kind;

      if ((kind === 'connection' || kind === 'timeout') && retriesLeft && isIdempotent(prepared.method)) {
        const delay = backoffDelay(attemptNo, backoffBaseMs, BACKOFF_MAX_MS);
        if (waitedMs + delay <= retryBudgetMs) {
          waitedMs += delay;
          await sleep(delay, closing.signal);
          continue;
        }
      }

      if (result.response?.status === 429 && !result.failure) {
        // 429 means the bank did not process the request, so any method may be sent again.
        const asked = parseRetryAfter(result.response.headers['retry-after']);
        const delay = asked ?? backoffDelay(attemptNo, backoffBaseMs, BACKOFF_MAX_MS);
        let why: string;
        if (!retriesLeft) why = `still 429 after ${limits.retries} ${limits.retries === 1 ? 'retry' : 'retries'}`;
        else if (delay > retryAfterCapMs) why = `Retry-After asks for ${Math.ceil(delay / 1000)} s, more than the ${retryAfterCapMs / 1000} s the client waits`;
        else if (waitedMs + delay > retryBudgetMs) why = `retry budget of ${retryBudgetMs / 1000} s used up`;
        else {
          waitedMs += delay;
          await sleep(delay, closing.signal);
          continue;
        }
        // The 429 is returned as is; the failure tells the collector it is not the bank's real answer.
        return { request: prepared, response: result.response, failure: { kind: 'rate-limited', message: `HTTP 429 Too Many Requests: ${why}` } };
      }

      return { request: prepared, ...result };
    }
  }

  // Never throws even if something unforeseen goes wrong inside.
  async function safeSend(request: HttpRequestRecord, options?: { sign?: boolean }): Promise<SendResult> {
    try {
      return await send(request, options);
    } catch (err) {
      return { request, failure: { kind: 'protocol', message: `unexpected client error: ${err instanceof Error ? err.message : String(err)}` } };
    }
  }

  let closed: Promise<void> | undefined;
  function close(): Promise<void> {
    closed ??= (async () => {
      closing.abort();
      // In-flight requests end within timeoutMs; after that, cut them off.
      const graceful = agent.close().then(
        () => true,
        () => false,
      );
      // The fallback timer is cancelled once the agent closes, so it never holds the process open.
      const fallback = new AbortController();
      const finished = await Promise.race([graceful, sleep(timeoutMs, fallback.signal).then(() => false)]);
      fallback.abort();
      if (!finished) await agent.destroy().catch(() => undefined);
    })();
    return closed;
  }

  return { send: safeSend, close };
}

function lowerCaseHeaders(headers: Record<string, string>): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(headers)) out[name.toLowerCase()] = value;
  return out;
}

function responseHeaders(raw: Record<string, string | string[] | undefined>): Headers {
  const out: Headers = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    const text = Array.isArray(value) ? value.join(', ') : value;
    out[key] = key in out ? `${out[key]}, ${text}` : text;
  }
  return out;
}

function checkUrl(url: string): TransportFailure | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'protocol', message: `invalid URL: ${url}` };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { kind: 'protocol', message: `unsupported URL scheme ${parsed.protocol} (http and https only)` };
  }
  return undefined;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
