import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Limits } from '../../config/types.js';
import { createHttpClient } from './client.js';
import { createOriginPolicy, guardOrigins, MAX_REDIRECTS } from './origin-policy.js';
import type { HttpClient } from './types.js';

const LIMITS: Limits = {
  concurrency: 2,
  requestsPerSecond: 0,
  timeoutMs: 5_000,
  retries: 0,
  maxBodyBytes: 64 * 1024,
  maxAccounts: 50,
  maxPages: 50,
  negativeRequests: 12,
};

interface Listener {
  server: Server;
  port: number;
  hits: string[];
}
async function listen(handler: (req: IncomingMessage, res: ServerResponse, self: Listener) => void): Promise<Listener> {
  const self: Listener = {
    server: createServer((req, res) => {
      self.hits.push(`${req.method} ${req.url}`);
      handler(req, res, self);
    }),
    port: 0,
    hits: [],
  };
  await new Promise<void>((r) => self.server.listen(0, '127.0.0.1', r));
  self.port = (self.server.address() as AddressInfo).port;
  return self;
}
const close = (l: Listener): Promise<void> =>
  new Promise((r) => {
    l.server.closeAllConnections();
    l.server.close(() => r());
  });

let bank: Listener;
let other: Listener;
let client: HttpClient;
const bankUrl = (): string => `http://127.0.0.1:${bank.port}`;

beforeAll(async () => {
  other = await listen((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end('{"stolen":true}');
  });
  bank = await listen((req, res) => {
    const redirect = (to: string): void => {
      res.statusCode = 302;
      res.setHeader('location', to);
      res.end();
    };
    const path = req.url ?? '/';
    if (path === '/other-port') return redirect(`http://127.0.0.1:${other.port}/x`);
    if (path === '/other-host') return redirect(`http://localhost:${bank.port}/final`);
    if (path === '/same') return redirect('/final');
    if (path === '/loop') return redirect('/loop');
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ path, authorization: req.headers.authorization ?? null }));
  });
  client = createHttpClient({ limits: LIMITS });
});
afterAll(async () => {
  await client.close();
  await close(bank);
  await close(other);
});

describe('createOriginPolicy', () => {
  it("allows baseUrl's origin and the listed ones, by scheme, host and port", () => {
    const p = createOriginPolicy('https://bank.example/psd2', ['https://auth.bank.example:8443']);
    expect(p.refusal('https://bank.example/v1/x?y=1')).toBeUndefined();
    expect(p.refusal('https://bank.example:443/v1')).toBeUndefined();
    expect(p.refusal('https://auth.bank.example:8443/t')).toBeUndefined();
    expect(p.refusal('http://bank.example/v1')).toContain("http://bank.example is not the bank's origin");
    expect(p.refusal('https://bank.example:8443/v1')).toContain("not the bank's origin");
    expect(p.refusal('https://evil.example/v1')).toContain('allowedOrigins (https://auth.bank.example:8443)');
  });
});

describe('the transport and redirects', () => {
  it('never follows a redirect itself', async () => {
    const before = other.hits.length;
    const r = await client.send({ method: 'GET', url: `${bankUrl()}/other-port`, headers: {} });
    expect(r.response?.status).toBe(302);
    expect(other.hits.length).toBe(before);
  });
});

describe('guardOrigins', () => {
  const guarded = (): HttpClient => guardOrigins(client, createOriginPolicy(bankUrl()));

  it('sends nothing to a URL outside the policy', async () => {
    const before = other.hits.length;
    const r = await guarded().send({ method: 'GET', url: `http://127.0.0.1:${other.port}/x`, headers: { authorization: 'Bearer secret' } });
    expect(r.refused).toContain("is not the bank's origin");
    expect(r.response).toBeUndefined();
    expect(other.hits.length).toBe(before);
  });

  it('does not follow a redirect to another port or another host name, and says so', async () => {
    const before = other.hits.length;
    const port = await guarded().send({ method: 'GET', url: `${bankUrl()}/other-port`, headers: { authorization: 'Bearer secret' } });
    expect(port.response?.status).toBe(302);
    expect(port.redirectRefused).toEqual({ location: `http://127.0.0.1:${other.port}/x`, reason: expect.stringContaining("not the bank's origin") });
    expect(other.hits.length).toBe(before);
    const hits = bank.hits.length;
    const host = await guarded().send({ method: 'GET', url: `${bankUrl()}/other-host`, headers: {} });
    expect(host.redirectRefused?.location).toBe(`http://localhost:${bank.port}/final`);
    expect(bank.hits.length).toBe(hits + 1);
  });

  it('follows a same-origin redirect with the same headers and names the hop', async () => {
    const r = await guarded().send({ method: 'GET', url: `${bankUrl()}/same`, headers: { authorization: 'Bearer t' } });
    expect(r.response?.status).toBe(200);
    expect(JSON.parse(r.response!.body)).toEqual({ path: '/final', authorization: 'Bearer t' });
    expect(r.redirects).toEqual([`302 ${bankUrl()}/same → ${bankUrl()}/final`]);
  });

  it('follows a redirect to an allowed origin', async () => {
    const before = other.hits.length;
    const policy = createOriginPolicy(bankUrl(), [`http://127.0.0.1:${other.port}`]);
    const r = await guardOrigins(client, policy).send({ method: 'GET', url: `${bankUrl()}/other-port`, headers: {} });
    expect(r.response?.status).toBe(200);
    expect(other.hits.length).toBe(before + 1);
  });

  it('stops a redirect loop and does not follow redirects of a POST', async () => {
    const hits = bank.hits.length;
    const loop = await guarded().send({ method: 'GET', url: `${bankUrl()}/loop`, headers: {} });
    expect(loop.response?.status).toBe(302);
    expect(loop.redirects).toHaveLength(MAX_REDIRECTS);
    expect(loop.redirectRefused).toBeUndefined();
    expect(bank.hits.length).toBe(hits + MAX_REDIRECTS + 1);
    const post = await guarded().send({ method: 'POST', url: `${bankUrl()}/same`, headers: {}, body: '{}' });
    expect(post.response?.status).toBe(302);
    expect(post.redirectRefused).toBeUndefined();
  });
});
