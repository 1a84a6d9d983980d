// The reference bank on a socket: node:http or node:https, no framework. Each request is read
// (body capped), handed to ReferenceBank, and its response runs the mutation pipeline:
//   handler → mutation.apply (structured) → JSON serialisation → mutation.raw (text) → socket.
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { MAX_BODY_BYTES, ReferenceBank } from './bank.js';
import { generateBankData, sizedProfile } from './data.js';
import { todayUtc } from './dates.js';
import { getProfile } from './profiles.js';
import { faultFor, parseFaults } from './faults/index.js';
import type { BankData, IncomingRequestInfo, RawResponse, ResponseMutation, RunningBank, SandboxOptions, SandboxResponse } from './types.js';
import { errorMessage } from '../core/errors.js';

/** Past this many body bytes the connection is cut instead of drained. */
const DRAIN_LIMIT = 64 * MAX_BODY_BYTES;

/** Wire spelling of the headers this bank sends (names are lower-case inside the pipeline). */
const CANONICAL: Record<string, string> = {
  'content-type': 'Content-Type',
  'x-request-id': 'X-Request-ID',
  location: 'Location',
  'aspsp-sca-approach': 'ASPSP-SCA-Approach',
  allow: 'Allow',
};

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

export async function startReferenceBank(options: SandboxOptions = {}): Promise<RunningBank> {
  const profile = getProfile(options.profile ?? 'berlin-group');
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host)) throw new Error(`sandbox: refusing to bind ${host}; the reference bank listens on loopback only`);
  const seed = options.seed ?? 1;
  const pageSize = options.pageSize ?? 10;
  if (!Number.isInteger(pageSize) || pageSize < 1) throw new Error(`sandbox: pageSize must be a positive integer, got ${pageSize}`);
  const mutations = options.mutations ?? [];
  const faults = parseFaults(options.faults ?? []);

  const data = generateBankData(sizedProfile(profile, options), seed, options.today ?? todayUtc());
  for (const m of mutations) m.mutateData?.(data);
  const quirks = Object.assign({}, ...mutations.map((m) => m.quirks ?? {}));
  const bank = new ReferenceBank(data, pageSize, seed, options.requestGuard, quirks);

  const respond = (req: IncomingMessage, res: ServerResponse, body: Buffer, bodyTooLarge: boolean): void => {
    const request: IncomingRequestInfo = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: collectHeaders(req.rawHeaders),
      body,
      clientCertificatePem: clientCertificate(req.socket),
    };
    let raw: RawResponse;
    let operationId = 'unknown';
    try {
      const handled = bank.handle(request, { bodyTooLarge });
      operationId = handled.operationId;
      raw = runPipeline(mutations, operationId, request, handled.response, data);
    } catch (e) {
      // A bug in the bank or in a mutation: answer it, keep serving other requests.
      raw = {
        status: 500,
        headers: { 'content-type': 'application/json' },
        bodyText: JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'INTERNAL_ERROR', text: errorMessage(e).slice(0, 500) }] }),
      };
    }
    // An injected fault (--faults) replaces the normal write for its operation's successful answers.
    const active = faultFor(faults, operationId, raw);
    if (!active) write(res, raw);
    else {
      try {
        active.fault.deliver({ res, raw, write: (r) => write(res, r) });
      } catch {
        res.destroy(); // a broken fault must not take the server down
      }
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse): void => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
      else if (size > DRAIN_LIMIT) req.destroy();
    });
    req.on('end', () => respond(req, res, Buffer.concat(chunks), size > MAX_BODY_BYTES));
    req.on('error', () => req.destroy()); // aborted by the client: nothing to answer
  };

  const tls = options.tls;
  const server: Server = tls
    ? createHttpsServer({ cert: tls.certPem, key: tls.keyPem, ca: tls.caPem, requestCert: tls.requestClientCert ?? false, rejectUnauthorized: false }, listener)
    : createHttpServer(listener);
  // Node's 5 s keep-alive races a client that reuses an idle connection on a busy machine: the
  // request meets a closed socket (ECONNRESET), which would read as the bank dropping connections.
  // Gateways in front of real banks keep idle connections for a minute or more.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 70_000;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Socket) => {
    // Unparseable HTTP never reaches the listener; answer it in the bank's error format.
    if (err.code === 'ECONNRESET' || !socket.writable) {
      socket.destroy();
      return;
    }
    const body = JSON.stringify({ tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR', text: 'Malformed HTTP request' }] });
    socket.end(`HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  if (tls)
    server.on('tlsClientError', () => {
      /* a failed handshake concerns that connection only */
    });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const hostPart = host.includes(':') ? `[${host}]` : host;
  return {
    baseUrl: `${tls ? 'https' : 'http'}://${hostPart}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Runs the structured and raw mutation stages; exported for unit tests of mutations. */
export function runPipeline(
  mutations: ResponseMutation[],
  operationId: string,
  request: IncomingRequestInfo,
  handled: SandboxResponse,
  data: BankData,
): RawResponse {
  // Mutations get a private copy, so nothing they do can reach the bank's stored data.
  let response: SandboxResponse = structuredClone(handled);
  for (const m of mutations) {
    if (!m.apply) continue;
    const replaced = m.apply({ operationId, request, response, data });
    if (replaced) response = replaced;
  }
  let raw: RawResponse = {
    status: response.status,
    headers: { ...response.headers },
    bodyText: response.body === undefined ? '' : JSON.stringify(response.body),
  };
  for (const m of mutations) {
    if (!m.raw) continue;
    const replaced = m.raw({ operationId, request, response, data, raw });
    if (replaced) raw = replaced;
  }
  return raw;
}

function write(res: ServerResponse, raw: RawResponse): void {
  const bytes = Buffer.from(raw.bodyText, 'utf8');
  res.statusCode = raw.status;
  for (const [name, value] of Object.entries(raw.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'content-length') continue; // computed from the final body below
    try {
      res.setHeader((Object.hasOwn(CANONICAL, lower) ? CANONICAL[lower] : undefined) ?? name, value);
    } catch {
      // A value Node refuses (e.g. a control character echoed from a garbage X-Request-ID): leave it out.
    }
  }
  if (raw.status !== 204 && raw.status !== 304) res.setHeader('Content-Length', bytes.length);
  res.end(raw.status === 204 || raw.status === 304 ? undefined : bytes);
}

/** Lower-case header map; repeated headers joined with ", " (as core/model.ts records them). */
function collectHeaders(rawHeaders: string[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = (rawHeaders[i] ?? '').toLowerCase();
    const value = rawHeaders[i + 1] ?? ''; // i + 1 < length: the default never applies
    // defineProperty: a header named "__proto__" stays an own property instead of being dropped.
    Object.defineProperty(headers, name, {
      value: Object.hasOwn(headers, name) ? `${headers[name]}, ${value}` : value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return headers;
}

function clientCertificate(socket: Socket): string | undefined {
  const tls = socket as Partial<TLSSocket>;
  if (typeof tls.getPeerCertificate !== 'function') return undefined;
  const cert = tls.getPeerCertificate(false);
  if (!cert || !cert.raw) return undefined;
  const b64 = cert.raw
    .toString('base64')
    .match(/.{1,64}/g)
    ?.join('\n');
  if (b64 === undefined) return undefined; // an empty certificate
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`;
}
