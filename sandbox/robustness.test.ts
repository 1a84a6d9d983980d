import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank } from './index.js';
import { createRng, type Rng } from './prng.js';
import { call, cardHeaders, consentBody, createConsent, requestId, type Reply } from './test-client.js';
import type { RunningBank } from './types.js';

/** The codes the Berlin Group allows per status (the AIS message codes by HTTP status of the 1.3.12 spec); 413/415 carry FORMAT_ERROR here. */
const CODES: Record<number, string[]> = {
  400: [
    'FORMAT_ERROR',
    'PARAMETER_NOT_CONSISTENT',
    'PARAMETER_NOT_SUPPORTED',
    'SERVICE_INVALID',
    'RESOURCE_UNKNOWN',
    'RESOURCE_EXPIRED',
    'RESOURCE_BLOCKED',
    'TIMESTAMP_INVALID',
    'PERIOD_INVALID',
    'SCA_METHOD_UNKNOWN',
    'SCA_INVALID',
    'CONSENT_UNKNOWN',
    'SESSIONS_NOT_SUPPORTED',
  ],
  401: [
    'CERTIFICATE_INVALID',
    'ROLE_INVALID',
    'CERTIFICATE_EXPIRED',
    'CERTIFICATE_BLOCKED',
    'CERTIFICATE_REVOKE',
    'CERTIFICATE_MISSING',
    'SIGNATURE_INVALID',
    'SIGNATURE_MISSING',
    'CORPORATE_ID_INVALID',
    'PSU_CREDENTIALS_INVALID',
    'CONSENT_INVALID',
    'CONSENT_EXPIRED',
    'TOKEN_UNKNOWN',
    'TOKEN_INVALID',
    'TOKEN_EXPIRED',
  ],
  403: ['CONSENT_UNKNOWN', 'SERVICE_BLOCKED', 'RESOURCE_UNKNOWN', 'RESOURCE_EXPIRED'],
  404: ['RESOURCE_UNKNOWN'],
  405: ['SERVICE_INVALID'],
  406: ['REQUESTED_FORMATS_INVALID'],
  409: ['STATUS_INVALID'],
  413: ['FORMAT_ERROR'],
  415: ['FORMAT_ERROR'],
  429: ['ACCESS_EXCEEDED'],
};

let bank: RunningBank;
let consentId: string;
let accountIds: string[];

beforeAll(async () => {
  bank = await startReferenceBank({ today: '2026-11-20', seed: 7 });
  consentId = await createConsent(bank.baseUrl);
  const list = (await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) })).json as { cardAccounts: { resourceId: string }[] };
  accountIds = list.cardAccounts.map((a) => a.resourceId);
});
afterAll(async () => {
  await bank.close();
});

/** Checks a reply is a well-formed answer of this bank: never 5xx, JSON bodies, allowed codes. */
function expectWellFormed(reply: Reply, method: string, what: string): void {
  expect(reply.status, what).toBeLessThan(500);
  expect([200, 201, 204, 400, 401, 403, 404, 405, 406, 413, 415], what).toContain(reply.status);
  if (reply.status === 204 || method === 'HEAD') return;
  expect(['application/json', 'application/problem+json'], what).toContain(reply.headers['content-type']);
  expect(reply.json, `${what}: ${reply.text.slice(0, 200)}`).toBeDefined();
  if (reply.status >= 400) {
    const body = reply.json as { tppMessages?: { code: string; text: string }[]; code?: string };
    const code = body.tppMessages?.[0]?.code ?? body.code;
    expect(CODES[reply.status], `${what}: ${code}`).toContain(code);
    if (body.tppMessages) expect(body.tppMessages[0]!.text.length).toBeLessThanOrEqual(500);
  }
}

/** Printable ASCII only: anything else is refused by the HTTP client before it is sent. */
function garbage(rng: Rng, max: number): string {
  const n = rng.between(0, max);
  return Array.from({ length: n }, () => String.fromCharCode(rng.between(0x21, 0x7e))).join('');
}

function fuzzPath(rng: Rng): string {
  // Half the ids are real, so requests get past the router into the handlers.
  const id = (): string =>
    rng.chance(0.5)
      ? encodeURIComponent(rng.pick(accountIds))
      : rng.pick([
          encodeURIComponent(consentId),
          'x',
          '%zz',
          '%00',
          '..',
          '.',
          '%2F',
          '-_-',
          encodeURIComponent(garbage(rng, 20)),
          'a'.repeat(rng.between(100, 3000)),
          '%E2%82%AC',
          '%C0%AF',
        ]);
  const base = rng.pick([
    () => '/v1/card-accounts',
    () => `/v1/card-accounts/${id()}`,
    () => `/v1/card-accounts/${id()}/balances`,
    () => `/v1/card-accounts/${id()}/transactions`,
    () => `/v1/card-accounts/${id()}/transactions`,
    () => `/v1/card-accounts/${id()}/transactions`,
    () => '/v1/consents',
    () => `/v1/consents/${rng.chance(0.5) ? encodeURIComponent(consentId) : id()}`,
    () => `/v1/consents/${id()}/status`,
    () => `/sandbox/sca/consents/${id()}`,
    () => `/${encodeURIComponent(garbage(rng, 30))}`,
    () => `/v1/card-accounts/${id()}/${id()}/${id()}`,
    () => '/',
    () => '//v1//card-accounts',
  ])();
  const params = Array.from({ length: rng.between(0, 5) }, () => {
    const name = rng.pick([
      'bookingStatus',
      'dateFrom',
      'dateTo',
      'entryReferenceFrom',
      'deltaList',
      'page',
      'withBalance',
      encodeURIComponent(garbage(rng, 8)),
    ]);
    const value = rng.pick([
      'booked',
      'pending',
      'both',
      'all',
      '',
      '2026-10-01',
      '2026-11-19',
      '2026-02-30',
      '9999-99-99',
      '1',
      '0',
      '-1',
      '999999999',
      'true',
      encodeURIComponent(garbage(rng, 12)),
    ]);
    return rng.chance(0.1) ? name : `${name}=${value}`;
  });
  if (rng.chance(0.6)) params.unshift(`bookingStatus=${rng.pick(['booked', 'pending', 'both'])}`);
  const query = rng.chance(0.1) ? `?${rng.pick(['&&', '=', '%', '?', '&=&'])}` : params.length ? `?${params.join('&')}` : '';
  return `${base}${query}`;
}

function fuzzHeaders(rng: Rng): Record<string, string> {
  const headers: Record<string, string> = {};
  if (rng.chance(0.9))
    headers['x-request-id'] = rng.chance(0.85) ? requestId() : rng.pick(['', 'abc', requestId().toUpperCase(), garbage(rng, 60), `${requestId()}x`]);
  if (rng.chance(0.85)) headers['consent-id'] = rng.chance(0.8) ? consentId : rng.pick(['', 'unknown', garbage(rng, 40), consentId.toUpperCase()]);
  if (rng.chance(0.3))
    headers.accept = rng.pick([
      'application/json',
      '*/*',
      'application/problem+json',
      'text/html',
      'application/xml;q=0.9, */*;q=0.1',
      garbage(rng, 30),
      ';;;',
      'application/json;q=abc',
    ]);
  if (rng.chance(0.4)) headers['content-type'] = rng.pick(['application/json', 'text/plain', 'application/merge-patch+json', garbage(rng, 20), '']);
  if (rng.chance(0.3)) headers['psu-ip-address'] = rng.pick(['192.0.2.10', '::1', '999.1.1.1', garbage(rng, 15), '']);
  if (rng.chance(0.1)) headers['psu-geo-location'] = garbage(rng, 30);
  if (rng.chance(0.1)) headers['psu-http-method'] = rng.pick(['GET', 'get', 'BREW', '']);
  if (rng.chance(0.1)) headers['psu-device-id'] = rng.pick([requestId(), 'nope']);
  if (rng.chance(0.2)) headers.signature = garbage(rng, 200);
  if (rng.chance(0.2)) headers.digest = `SHA-256=${garbage(rng, 44)}`;
  for (let i = rng.between(0, 3); i > 0; i--) headers[`x-fuzz-${garbage(rng, 6).replace(/[^A-Za-z0-9-]/g, 'a') || 'a'}`] = garbage(rng, 100);
  if (rng.chance(0.05)) headers['x-huge'] = 'h'.repeat(8000);
  return headers;
}

function fuzzBody(rng: Rng): string | Buffer | undefined {
  return rng.pick<() => string | Buffer | undefined>([
    () => undefined,
    () => consentBody(),
    () => consentBody({ accounts: [{ maskedPan: garbage(rng, 20) }], balances: [], transactions: [{ iban: 'NO9386011117947' }] }),
    () =>
      JSON.stringify({
        access: rng.pick([null, 1, [], {}, 'x']),
        recurringIndicator: rng.pick([true, 'no', null]),
        validUntil: rng.pick(['2027-01-01', '0000-00-00', 5]),
        frequencyPerDay: rng.pick([1, -3, Infinity, 'four']),
        combinedServiceIndicator: rng.pick([false, true, 0]),
      }),
    () => consentBody().slice(0, rng.between(0, 80)),
    () => rng.bytes(rng.between(1, 300)),
    () => '['.repeat(rng.between(10, 5000)),
    () => `{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"access":{"allPsd2":"allAccounts"}}`,
    () => garbage(rng, 500),
    () => 'x'.repeat(rng.between(1000, 200_000)),
  ])();
}

describe('robustness', () => {
  it('survives 200 seeded random requests without a 5xx, always answering well-formed JSON', async () => {
    const rng = createRng('fuzz', 2026);
    const statuses = new Map<number, number>();
    for (let i = 0; i < 200; i++) {
      const method = rng.chance(0.7) ? 'GET' : rng.pick(['POST', 'POST', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
      const path = method === 'POST' && rng.chance(0.6) ? '/v1/consents' : fuzzPath(rng);
      const headers = fuzzHeaders(rng);
      const body = method === 'GET' || method === 'HEAD' ? undefined : fuzzBody(rng);
      const reply = await call(bank.baseUrl, method, path, { headers, body });
      expectWellFormed(reply, method, `#${i} ${method} ${path.slice(0, 120)}`);
      statuses.set(reply.status, (statuses.get(reply.status) ?? 0) + 1);
    }
    // The mix reaches past the router: successes and every kind of refusal.
    for (const status of [200, 400, 403, 404, 405]) expect(statuses.get(status) ?? 0, `${status} in ${JSON.stringify([...statuses])}`).toBeGreaterThan(3);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    // Still serving normally afterwards.
    expect((await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) })).status).toBe(200);
  });

  it('answers 413 with an error body for bodies over 1 MiB, on any path', async () => {
    for (const [method, path] of [
      ['POST', '/v1/consents'],
      ['GET', '/v1/card-accounts'],
      ['POST', '/nowhere'],
    ] as const) {
      const reply = await call(bank.baseUrl, method, path, {
        headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.1', 'content-type': 'application/json' },
        body: Buffer.alloc(1024 * 1024 + 1, 0x20),
      });
      expect(reply.status).toBe(413);
      expect((reply.json as { tppMessages: { code: string }[] }).tppMessages[0]!.code).toBe('FORMAT_ERROR');
    }
    // Exactly 1 MiB is read and judged on its content.
    const atCap = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.1', 'content-type': 'application/json' },
      body: consentBody().padEnd(1024 * 1024, ' '),
    });
    expect(atCap.status).toBe(201);
  });

  it('answers garbage on the socket with a JSON 400 and keeps serving', async () => {
    const raw = (text: string): Promise<string> =>
      new Promise((resolve, reject) => {
        const url = new URL(bank.baseUrl);
        const socket = connect(Number(url.port), url.hostname, () => socket.end(text));
        let out = '';
        socket.on('data', (d) => {
          out += d.toString('latin1');
        });
        socket.on('close', () => resolve(out));
        socket.on('error', reject);
        socket.setTimeout(3000, () => {
          socket.destroy();
          resolve(out);
        });
      });
    for (const text of [
      'GARBAGE\r\n\r\n',
      'GET /v1/card-accounts HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'GET /v1/card-accounts HTTP/1.1\r\nHost: x\r\nX-Request-ID: a\u0001b\r\n\r\n',
      `GET /v1/card-accounts HTTP/1.1\r\nHost: x\r\nX-Long: ${'y'.repeat(20_000)}\r\n\r\n`,
      'GET /v1/card accounts HTTP/1.1\r\nHost: x\r\n\r\n',
      'POST /v1/consents HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n',
    ]) {
      const answer = await raw(text);
      expect(answer, JSON.stringify(text.slice(0, 60))).toMatch(/^HTTP\/1\.1 4\d\d /);
      expect(answer).not.toMatch(/^HTTP\/1\.1 5/);
    }
    // A client that hangs up mid-body does not disturb the others.
    await new Promise<void>((resolve) => {
      const url = new URL(bank.baseUrl);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write('POST /v1/consents HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"acc');
        setTimeout(() => {
          socket.destroy();
          resolve();
        }, 20);
      });
    });
    expect((await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) })).status).toBe(200);
  });

  it('handles concurrent requests independently', async () => {
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const headers = cardHeaders(consentId);
        const path = i % 2 === 0 ? '/v1/card-accounts' : `/v1/card-accounts/${encodeURIComponent(accountIds[i % 5]!)}/transactions?bookingStatus=both&page=2`;
        return call(bank.baseUrl, 'GET', path, { headers }).then((r) => ({ r, id: headers['x-request-id'] }));
      }),
    );
    for (const { r, id } of replies) {
      expect(r.status).toBe(200);
      expect(r.headers['x-request-id']).toBe(id);
    }
  });

  it('close() ends open keep-alive sockets at once', async () => {
    const other = await startReferenceBank({ today: '2026-11-20' });
    const url = new URL(other.baseUrl);
    const socket = connect(Number(url.port), url.hostname);
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => {});
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write('GET /v1/card-accounts HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    const started = Date.now();
    await other.close();
    await closed;
    // Without it, close() would wait for the keep-alive idle timeout; the bound is loose for a busy machine.
    expect(Date.now() - started).toBeLessThan(4_000);
  });
});
