import { once } from 'node:events';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits } from '../../config/types.js';
import type { HttpRequestRecord } from '../../core/model.js';
import { createHttpClient } from './client.js';
import type { HttpClientOptions } from './client.js';
import type { HttpClient } from './types.js';

const LIMITS: Limits = {
  concurrency: 4,
  requestsPerSecond: 0,
  timeoutMs: 2_000,
  retries: 2,
  maxBodyBytes: 64 * 1024,
  maxAccounts: 50,
  maxPages: 50,
  negativeRequests: 12,
};

let server: Server;
let base: string;
/** Hits per path+query, to see how often the client tried. */
const hits = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;
let slowAnswered = 0;
const clients: HttpClient[] = [];

function client(overrides: Partial<Limits> = {}, extra: Omit<HttpClientOptions, 'limits'> = {}): HttpClient {
  // Short backoff so retry tests stay fast.
  const c = createHttpClient({ limits: { ...LIMITS, ...overrides }, backoffBaseMs: 20, ...extra });
  clients.push(c);
  return c;
}

const get = (path: string, headers: Record<string, string> = {}): HttpRequestRecord => ({ method: 'GET', url: `${base}${path}`, headers });

function handle(req: IncomingMessage, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const key = `${req.method} ${url.pathname}${url.search}`;
  const hit = (hits.get(key) ?? 0) + 1;
  hits.set(key, hit);
  switch (url.pathname) {
    case '/json': {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (c: string) => {
        body += c;
      });
      req.on('end', () => {
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('X-Multi', ['a', 'b']);
        res.setHeader('X-Request-ID', req.headers['x-request-id'] ?? 'none');
        res.end(JSON.stringify({ ok: true, text: 'Ærlig – 💳', method: req.method, headers: req.headers, body }));
      });
      return;
    }
    case '/hang':
      return; // never answers
    case '/reset':
      req.socket.destroy();
      return;
    case '/reset-then-ok':
      if (hit <= Number(url.searchParams.get('fail') ?? 1)) {
        req.socket.destroy();
        return;
      }
      res.end('ok');
      return;
    case '/drip': {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      // A byte every 100 ms: undici's per-chunk body timeout never fires, only a whole-body deadline does.
      const timer = setInterval(() => res.write('.'), 100);
      res.on('close', () => clearInterval(timer));
      return;
    }
    case '/big':
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.alloc(1024 * 1024, 0x61));
      return;
    case '/too-many':
      // 429 with Retry-After: 1 until the given number of hits, then 200.
      if (hit <= Number(url.searchParams.get('times') ?? 1)) {
        res.writeHead(429, { 'Retry-After': url.searchParams.get('after') ?? '1' });
        res.end('{"tppMessages":[{"category":"ERROR","code":"ACCESS_EXCEEDED"}]}');
        return;
      }
      res.end('ok');
      return;
    case '/slow':
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      setTimeout(() => {
        inFlight--;
        slowAnswered++;
        res.end('done');
      }, 80);
      return;
    case '/redirect':
      res.writeHead(302, { Location: '/json' });
      res.end();
      return;
    default:
      res.writeHead(404);
      res.end();
  }
}

beforeAll(async () => {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  server.closeAllConnections();
  server.close();
});

describe('createHttpClient: responses', () => {
  it('returns a JSON answer: status, lower-case headers, repeated values joined, UTF-8 body, duration', async () => {
    const result = await client().send(get('/json', { 'X-Request-ID': 'abc' }));
    expect(result.failure).toBeUndefined();
    const response = result.response!;
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json');
    expect(response.headers['x-multi']).toBe('a, b');
    expect(response.headers['x-request-id']).toBe('abc');
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, text: 'Ærlig – 💳' });
    expect(response.truncated).toBeUndefined();
    expect(response.durationMs).toBeGreaterThanOrEqual(0);
    expect(result.request).toEqual({ method: 'GET', url: `${base}/json`, headers: { 'x-request-id': 'abc' } });
  });

  it('sends a body and records it', async () => {
    const body = JSON.stringify({ access: { allPsd2: 'allAccounts' }, note: 'Ærø' });
    const result = await client().send({ method: 'POST', url: `${base}/json`, headers: { 'content-type': 'application/json' }, body });
    expect(JSON.parse(result.response!.body).body).toBe(body);
    expect(result.request.body).toBe(body);
  });

  it('does not follow redirects: the 3xx is what the bank answered', async () => {
    const result = await client().send(get('/redirect'));
    expect(result.response?.status).toBe(302);
    expect(result.response?.headers.location).toBe('/json');
  });

  it('applies default headers and the signer; the record is what was sent', async () => {
    const signed: HttpRequestRecord[] = [];
    const c = client(
      {},
      {
        defaultHeaders: { 'PSU-IP-Address': '192.0.2.10', 'x-accept-fix': 'default' },
        signer: (req) => {
          signed.push(req);
          return {
            ...req,
            headers: { ...req.headers, Signature: 'keyId="SN=1",signature="x"', digest: 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' },
          };
        },
      },
    );
    const result = await c.send(get('/json', { 'X-Accept-Fix': 'mine' }));
    // The signer sees default headers merged, names lower-cased, the request's own value winning.
    expect(signed[0]?.headers).toEqual({ 'psu-ip-address': '192.0.2.10', 'x-accept-fix': 'mine' });
    expect(result.request.headers).toEqual({
      'psu-ip-address': '192.0.2.10',
      'x-accept-fix': 'mine',
      signature: 'keyId="SN=1",signature="x"',
      digest: 'SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    });
    const seen = JSON.parse(result.response!.body).headers as Record<string, string>;
    expect(seen.signature).toBe('keyId="SN=1",signature="x"');
    expect(seen['x-accept-fix']).toBe('mine');

    const unsigned = await c.send(get('/json'), { sign: false });
    expect(signed).toHaveLength(1);
    expect(unsigned.request.headers.signature).toBeUndefined();
    expect(JSON.parse(unsigned.response!.body).headers.signature).toBeUndefined();
  });
});

describe('createHttpClient: failures never throw', () => {
  it('times out a server that never answers within timeoutMs', async () => {
    const started = Date.now();
    const result = await client({ timeoutMs: 500, retries: 0 }).send(get('/hang'));
    const elapsed = Date.now() - started;
    expect(result.failure?.kind).toBe('timeout');
    expect(result.failure?.message).toContain('500 ms');
    expect(result.response).toBeUndefined();
    expect(elapsed).toBeGreaterThanOrEqual(450);
  });

  it('retries a timed-out GET, then gives up (3 attempts)', async () => {
    const result = await client({ timeoutMs: 300, retries: 2 }).send(get('/hang?n=retry'));
    expect(result.failure?.kind).toBe('timeout');
    expect(hits.get('GET /hang?n=retry')).toBe(3);
  });

  it('cuts a slow drip body at the deadline and keeps what arrived', async () => {
    const result = await client({ timeoutMs: 600, retries: 0 }).send(get('/drip'));
    expect(result.failure?.kind).toBe('timeout');
    expect(result.response?.status).toBe(200);
    expect(result.response?.truncated).toBe(true);
    expect(result.response?.body).toMatch(/^\.+$/);
  });

  it('reports a connection reset as a connection failure', async () => {
    const result = await client({ retries: 0 }).send(get('/reset'));
    expect(result.failure?.kind).toBe('connection');
    expect(result.response).toBeUndefined();
  });

  it('retries a reset GET and succeeds', async () => {
    const result = await client({ retries: 2 }).send(get('/reset-then-ok?fail=2&n=get'));
    expect(result.failure).toBeUndefined();
    expect(result.response?.body).toBe('ok');
    expect(hits.get('GET /reset-then-ok?fail=2&n=get')).toBe(3);
  });

  it('never retries a POST on a reset', async () => {
    const result = await client({ retries: 2 }).send({ method: 'POST', url: `${base}/reset-then-ok?n=post`, headers: {}, body: '{}' });
    expect(result.failure?.kind).toBe('connection');
    expect(hits.get('POST /reset-then-ok?n=post')).toBe(1);
  });

  it('reports a refused connection as a connection failure', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const result = await client({ retries: 0 }).send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} });
    expect(result.failure?.kind).toBe('connection');
    expect(result.failure?.message).toContain('ECONNREFUSED');
  });

  it('cuts a body larger than maxBodyBytes: too-large, truncated, response kept', async () => {
    const result = await client({ maxBodyBytes: 1000 }).send(get('/big'));
    expect(result.failure?.kind).toBe('too-large');
    expect(result.response?.status).toBe(200);
    expect(result.response?.truncated).toBe(true);
    expect(result.response?.body).toBe('a'.repeat(1000));
  });

  it('turns a bad URL or header into a protocol failure', async () => {
    const c = client();
    expect((await c.send({ method: 'GET', url: 'not a url', headers: {} })).failure?.kind).toBe('protocol');
    expect((await c.send({ method: 'GET', url: 'ftp://127.0.0.1/', headers: {} })).failure?.kind).toBe('protocol');
    // undici refuses characters above U+00FF in header values.
    const bad = await c.send(get('/json', { 'x-name': 'Łukasz' }));
    expect(bad.failure?.kind).toBe('protocol');
  });

  it('turns a throwing signer into a failure', async () => {
    const result = await client(
      {},
      {
        signer: () => {
          throw new Error('no key');
        },
      },
    ).send(get('/json'));
    expect(result.failure?.kind).toBe('protocol');
    expect(result.failure?.message).toContain('no key');
  });

  it('fails sends after close()', async () => {
    const c = client();
    await c.close();
    const result = await c.send(get('/json'));
    expect(result.failure?.kind).toBe('connection');
  });
});

describe('createHttpClient: 429 and limits', () => {
  it('honours Retry-After: 1 on a 429, then returns the 200', async () => {
    const started = Date.now();
    const result = await client().send(get('/too-many?times=1&n=a'));
    expect(result.failure).toBeUndefined();
    expect(result.response?.status).toBe(200);
    expect(hits.get('GET /too-many?times=1&n=a')).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries a 429 at most `retries` times, then returns the 429 as is', async () => {
    const result = await client({ retries: 1 }).send(get('/too-many?times=5&n=b'));
    expect(result.response?.status).toBe(429);
    expect(result.response?.body).toContain('ACCESS_EXCEEDED');
    expect(result.failure?.kind).toBe('rate-limited');
    expect(hits.get('GET /too-many?times=5&n=b')).toBe(2);
  });

  it('does not wait for a Retry-After beyond the cap', async () => {
    const started = Date.now();
    // A cap of 60 s against Retry-After 120: waiting capped would take 60 s, not waiting a few ms.
    const result = await client({}, { retryAfterCapMs: 60_000 }).send(get('/too-many?times=1&after=120&n=c'));
    expect(result.response?.status).toBe(429);
    expect(result.failure?.message).toContain('120 s');
    expect(hits.get('GET /too-many?times=1&after=120&n=c')).toBe(1);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('keeps at most `concurrency` requests in flight', async () => {
    maxInFlight = 0;
    const c = client({ concurrency: 3 });
    const results = await Promise.all(Array.from({ length: 12 }, () => c.send(get('/slow'))));
    expect(results.every((r) => r.response?.status === 200)).toBe(true);
    expect(maxInFlight).toBe(3);
  });

  it('signs a request when its slot is taken, not when it queues', async () => {
    const answeredBefore = slowAnswered;
    const seen: number[] = [];
    const c = client(
      { concurrency: 2 },
      {
        signer: (req) => {
          // How many slow answers had been sent when this request was signed.
          seen.push(slowAnswered - answeredBefore);
          return { ...req, headers: { ...req.headers, signature: `n${seen.length}` } };
        },
      },
    );
    const results = await Promise.all(Array.from({ length: 8 }, () => c.send(get('/slow'))));
    expect(results.every((r) => r.response?.status === 200)).toBe(true);
    // Two slots: the third request is signed only once the first answer is in, and so on.
    expect(seen).toHaveLength(8);
    seen.forEach((answered, i) => expect(answered).toBeGreaterThanOrEqual(Math.max(0, i - 1)));
  });

  it('spaces requests to requestsPerSecond', async () => {
    const c = client({ requestsPerSecond: 20 });
    const started = Date.now();
    await Promise.all(Array.from({ length: 5 }, () => c.send(get('/json'))));
    // 5 requests at 20/s: the fifth leaves 4 × 50 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
