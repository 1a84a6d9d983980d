import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank } from './index.js';
import { minorUnits } from './money.js';
import { call, cardHeaders, createConsent, requestId, type Reply } from './test-client.js';
import type { RunningBank } from './types.js';

const TODAY = '2026-11-20';
let bank: RunningBank;
let consentId: string;
let accounts: Record<string, unknown>[];

interface Tx {
  cardTransactionId: string;
  bookingDate?: string;
  transactionDate: string;
  transactionAmount: { currency: string; amount: string };
}
interface TxPage {
  cardAccount: { maskedPan: string };
  debitAccounting: boolean;
  cardTransactions: { booked?: Tx[]; pending?: Tx[]; _links: Record<string, { href: string }> };
}

const get = (path: string, headers: Record<string, string> = cardHeaders(consentId)): Promise<Reply> => call(bank.baseUrl, 'GET', path, { headers });
const accountId = (i: number): string => accounts[i]!.resourceId as string;
const txPath = (i: number, query: string): string => `/v1/card-accounts/${encodeURIComponent(accountId(i))}/transactions?${query}`;

/** Follows `next` from the given first page; returns every page. */
async function walk(path: string): Promise<TxPage[]> {
  const pages: TxPage[] = [];
  let next: string | undefined = path;
  while (next) {
    const reply = await get(next);
    expect(reply.status, next).toBe(200);
    const page = reply.json as TxPage;
    pages.push(page);
    next = page.cardTransactions._links.next?.href;
    expect(pages.length).toBeLessThan(20);
  }
  return pages;
}

function expectError(reply: Reply, status: number, code: string, path?: string): void {
  expect(reply.status, reply.text).toBe(status);
  expect(reply.headers['content-type']).toBe('application/json');
  const body = reply.json as { tppMessages: { category: string; code: string; text: string; path?: string }[] };
  expect(body.tppMessages).toHaveLength(1);
  expect(body.tppMessages[0]).toMatchObject({ category: 'ERROR', code });
  expect(body.tppMessages[0]!.text.length).toBeGreaterThan(0);
  expect(body.tppMessages[0]!.text.length).toBeLessThanOrEqual(500);
  if (path !== undefined) expect(body.tppMessages[0]!.path).toBe(path);
}

beforeAll(async () => {
  bank = await startReferenceBank({ today: TODAY, seed: 1 });
  consentId = await createConsent(bank.baseUrl);
  const list = await get('/v1/card-accounts');
  accounts = (list.json as { cardAccounts: Record<string, unknown>[] }).cardAccounts;
});
afterAll(async () => {
  await bank.close();
});

describe('start-up', () => {
  it('listens on 127.0.0.1 by default and refuses other hosts', async () => {
    expect(bank.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    await expect(startReferenceBank({ host: '0.0.0.0' })).rejects.toThrow(/loopback/);
    await expect(startReferenceBank({ profile: 'nope' })).rejects.toThrow(
      /--profile: unknown profile 'nope'; known profiles: berlin-group, bits-no, handelsbanken/,
    );
  });

  it('answers byte-identical bodies from two banks with the same seed and anchor', async () => {
    const banks = await Promise.all([1, 1, 2].map((seed) => startReferenceBank({ today: TODAY, seed })));
    try {
      const bodies = async (b: RunningBank): Promise<string[]> => {
        const consent = await createConsent(b.baseUrl);
        const h = () => cardHeaders(consent);
        const list = await call(b.baseUrl, 'GET', '/v1/card-accounts', { headers: h() });
        const id = encodeURIComponent((list.json as { cardAccounts: { resourceId: string }[] }).cardAccounts[3]!.resourceId);
        const out = [consent, list.text];
        for (const path of [`/v1/card-accounts/${id}`, `/v1/card-accounts/${id}/balances`, `/v1/card-accounts/${id}/transactions?bookingStatus=both&page=2`]) {
          out.push((await call(b.baseUrl, 'GET', path, { headers: h() })).text);
        }
        return out;
      };
      const [a, b, c] = [await bodies(banks[0]!), await bodies(banks[1]!), await bodies(banks[2]!)];
      expect(b).toEqual(a);
      expect(c[1]).not.toBe(a[1]);
    } finally {
      await Promise.all(banks.map((b) => b.close()));
    }
  });
});

describe('GET /v1/card-accounts', () => {
  it('lists five card accounts with the BG fields and echoes X-Request-ID', async () => {
    const headers = cardHeaders(consentId);
    const reply = await get('/v1/card-accounts', headers);
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/json');
    expect(reply.headers['x-request-id']).toBe(headers['x-request-id']);
    const list = (reply.json as { cardAccounts: Record<string, unknown>[] }).cardAccounts;
    expect(list.map((a) => a.currency)).toEqual(['SEK', 'NOK', 'EUR', 'JPY', 'KWD']);
    for (const a of list) {
      expect(Object.keys(a)).toEqual([
        'resourceId',
        'maskedPan',
        'currency',
        'ownerName',
        'name',
        'displayName',
        'product',
        'debitAccounting',
        'status',
        'usage',
        'details',
        'creditLimit',
        'balances',
        '_links',
      ]);
      expect(a.maskedPan).toMatch(/^\d{6}x{6}\d{4}$/);
      expect(a).not.toHaveProperty('booked');
    }
  });

  it('answers 200 with an empty array when the consent covers no card', async () => {
    const none = await createConsent(bank.baseUrl, { accounts: [{ maskedPan: '999999xxxxxx0000' }] });
    const reply = await get('/v1/card-accounts', cardHeaders(none));
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ cardAccounts: [] });
  });
});

describe('GET /v1/card-accounts/{account-id}', () => {
  it('returns the card account under cardAccount', async () => {
    for (let i = 0; i < 5; i++) {
      const reply = await get(`/v1/card-accounts/${encodeURIComponent(accountId(i))}`);
      expect(reply.status).toBe(200);
      expect((reply.json as { cardAccount: unknown }).cardAccount).toEqual(accounts[i]);
    }
  });

  it('answers 404 RESOURCE_UNKNOWN for an unknown id, on every account path', async () => {
    for (const sub of ['', '/balances', '/transactions?bookingStatus=booked']) {
      expectError(await get(`/v1/card-accounts/no-such-card${sub}`), 404, 'RESOURCE_UNKNOWN', 'account-id');
    }
  });
});

describe('GET /v1/card-accounts/{account-id}/balances', () => {
  it('returns cardAccount.maskedPan and the balances', async () => {
    const reply = await get(`/v1/card-accounts/${encodeURIComponent(accountId(4))}/balances`);
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ cardAccount: { maskedPan: accounts[4]!.maskedPan }, balances: accounts[4]!.balances });
  });
});

describe('GET /v1/card-accounts/{account-id}/transactions', () => {
  it('walks every page: each entry exactly once, booked and pending never mixed', async () => {
    const list = await get(txPath(0, 'bookingStatus=both'));
    expect(list.status).toBe(200);
    const pages = await walk(txPath(0, 'bookingStatus=both'));
    expect(pages.length).toBeGreaterThan(2);
    const booked = pages.flatMap((p) => p.cardTransactions.booked ?? []);
    const pending = pages.flatMap((p) => p.cardTransactions.pending ?? []);
    const ids = [...booked, ...pending].map((t) => t.cardTransactionId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const tx of booked) expect(tx.bookingDate).toBeDefined();
    for (const tx of pending) expect(tx.bookingDate).toBeUndefined();
    for (const page of pages) {
      expect(page.cardTransactions).toHaveProperty('booked');
      expect(page.cardTransactions).toHaveProperty('pending');
      expect(page.cardTransactions.booked!.length + page.cardTransactions.pending!.length).toBeLessThanOrEqual(10);
      expect(page.cardAccount.maskedPan).toBe(accounts[0]!.maskedPan);
      expect(page.debitAccounting).toBe(false);
    }
    // The separate lists add up to the combined one.
    const onlyBooked = (await walk(txPath(0, 'bookingStatus=booked'))).flatMap((p) => p.cardTransactions.booked!);
    const onlyPending = (await walk(txPath(0, 'bookingStatus=pending'))).flatMap((p) => p.cardTransactions.pending!);
    expect(onlyBooked.map((t) => t.cardTransactionId)).toEqual(booked.map((t) => t.cardTransactionId));
    expect(onlyPending.map((t) => t.cardTransactionId)).toEqual(pending.map((t) => t.cardTransactionId));
    expect(onlyBooked.length).toBeGreaterThanOrEqual(25);
    expect(onlyPending.length).toBeGreaterThanOrEqual(3);
  });

  it('sends only the requested lists', async () => {
    const booked = (await get(txPath(1, 'bookingStatus=booked'))).json as TxPage;
    expect(Object.keys(booked.cardTransactions)).toEqual(['booked', '_links']);
    const pending = (await get(txPath(1, 'bookingStatus=pending'))).json as TxPage;
    expect(Object.keys(pending.cardTransactions)).toEqual(['pending', '_links']);
  });

  it('links first, previous, next and last pages with all filters repeated', async () => {
    const query = 'bookingStatus=both&dateFrom=2026-09-01&dateTo=2026-11-19';
    const first = (await get(txPath(2, query))).json as TxPage;
    const links = first.cardTransactions._links;
    const base = `/v1/card-accounts/${encodeURIComponent(accountId(2))}`;
    expect(links.cardAccount!.href).toBe(base);
    expect(links.first!.href).toBe(`${base}/transactions?${query}&page=1`);
    expect(links.previous).toBeUndefined();
    expect(links.next!.href).toBe(`${base}/transactions?${query}&page=2`);
    const last = (await get(links.last!.href)).json as TxPage;
    expect(last.cardTransactions._links.next).toBeUndefined();
    expect(last.cardTransactions._links.previous).toBeDefined();
    expect(last.cardTransactions._links.last!.href).toBe(links.last!.href);
  });

  it('filters booked entries on bookingDate and pending ones on transactionDate, inclusively', async () => {
    const from = '2026-10-01',
      to = '2026-10-31';
    const pages = await walk(txPath(3, `bookingStatus=booked&dateFrom=${from}&dateTo=${to}`));
    const booked = pages.flatMap((p) => p.cardTransactions.booked!);
    expect(booked.length).toBeGreaterThan(0);
    for (const tx of booked) expect(tx.bookingDate! >= from && tx.bookingDate! <= to).toBe(true);
    const all = (await walk(txPath(3, 'bookingStatus=booked'))).flatMap((p) => p.cardTransactions.booked!);
    expect(booked.length).toBe(all.filter((tx) => tx.bookingDate! >= from && tx.bookingDate! <= to).length);

    const day = all[0]!.bookingDate!;
    const sameDay = (await walk(txPath(3, `bookingStatus=booked&dateFrom=${day}&dateTo=${day}`))).flatMap((p) => p.cardTransactions.booked!);
    expect(sameDay.length).toBe(all.filter((tx) => tx.bookingDate === day).length);

    const pendingAll = (await get(txPath(3, 'bookingStatus=pending'))).json as TxPage;
    const pDay = pendingAll.cardTransactions.pending![0]!.transactionDate;
    const pending = ((await get(txPath(3, `bookingStatus=pending&dateFrom=${pDay}&dateTo=${pDay}`))).json as TxPage).cardTransactions.pending!;
    expect(pending.length).toBe(pendingAll.cardTransactions.pending!.filter((t) => t.transactionDate === pDay).length);

    const future = (await get(txPath(3, 'bookingStatus=both&dateFrom=2027-01-01'))).json as TxPage;
    expect(future.cardTransactions.booked).toEqual([]);
    expect(future.cardTransactions.pending).toEqual([]);
    expect(future.cardTransactions._links.last!.href).toContain('page=1');
  });

  it('returns only entries after entryReferenceFrom', async () => {
    const all = (await walk(txPath(4, 'bookingStatus=booked'))).flatMap((p) => p.cardTransactions.booked!);
    const pivot = all[5]!;
    const delta = (await walk(txPath(4, `bookingStatus=booked&entryReferenceFrom=${pivot.cardTransactionId}`))).flatMap((p) => p.cardTransactions.booked!);
    expect(delta.map((t) => t.cardTransactionId)).toEqual(all.slice(0, 5).map((t) => t.cardTransactionId));
  });

  it('writes amounts with at most the currency minor units on every endpoint', async () => {
    const texts: string[] = [(await get('/v1/card-accounts')).text];
    for (let i = 0; i < 5; i++) {
      texts.push((await get(`/v1/card-accounts/${encodeURIComponent(accountId(i))}/balances`)).text);
      for (const page of await walk(txPath(i, 'bookingStatus=both'))) texts.push(JSON.stringify(page));
    }
    let count = 0;
    for (const text of texts) {
      for (const m of text.matchAll(/\{"currency":"([A-Z]{3})","amount":("?)([^",}]*)"?\}/g)) {
        count++;
        expect(m[2], m[0]).toBe('"');
        expect(m[3]).toMatch(/^-?[0-9]{1,14}(\.[0-9]{1,3})?$/);
        expect(m[3]!.split('.')[1]?.length ?? 0, m[0]).toBeLessThanOrEqual(minorUnits(m[1]!));
      }
    }
    expect(count).toBeGreaterThan(300);
  });

  it.each([
    ['', 'bookingStatus'],
    ['bookingStatus=information', 'bookingStatus'],
    ['bookingStatus=BOOKED', 'bookingStatus'],
    ['bookingStatus=booked&bookingStatus=pending', 'bookingStatus'],
    ['bookingStatus=booked&dateFrom=2026-13-01', 'dateFrom'],
    ['bookingStatus=booked&dateFrom=20261101', 'dateFrom'],
    ['bookingStatus=booked&dateTo=yesterday', 'dateTo'],
    ['bookingStatus=booked&entryReferenceFrom=nope', 'entryReferenceFrom'],
    ['bookingStatus=booked&page=0', 'page'],
    ['bookingStatus=booked&page=99', 'page'],
  ])('answers 400 FORMAT_ERROR for ?%s', async (query, path) => {
    expectError(await get(txPath(0, query)), 400, 'FORMAT_ERROR', path);
  });

  it('answers 400 PERIOD_INVALID when dateFrom is after dateTo', async () => {
    expectError(await get(txPath(0, 'bookingStatus=booked&dateFrom=2026-11-10&dateTo=2026-11-01')), 400, 'PERIOD_INVALID', 'dateFrom');
  });

  it('answers 400 PARAMETER_NOT_SUPPORTED for deltaList', async () => {
    expectError(await get(txPath(0, 'bookingStatus=booked&deltaList=true')), 400, 'PARAMETER_NOT_SUPPORTED', 'deltaList');
  });
});

describe('headers and errors on card GETs', () => {
  const paths = (): string[] => [
    '/v1/card-accounts',
    `/v1/card-accounts/${encodeURIComponent(accountId(0))}`,
    `/v1/card-accounts/${encodeURIComponent(accountId(0))}/balances`,
    txPath(0, 'bookingStatus=booked'),
  ];

  it('answers 400 FORMAT_ERROR without X-Request-ID or with a non-UUID one', async () => {
    for (const path of paths()) {
      expectError(await get(path, { 'consent-id': consentId }), 400, 'FORMAT_ERROR', 'X-Request-ID');
      const bad = await get(path, { 'consent-id': consentId, 'x-request-id': 'not-a-uuid' });
      expectError(bad, 400, 'FORMAT_ERROR', 'X-Request-ID');
      expect(bad.headers['x-request-id']).toBe('not-a-uuid');
    }
  });

  it('answers 400 FORMAT_ERROR without Consent-ID', async () => {
    for (const path of paths()) expectError(await get(path, { 'x-request-id': requestId() }), 400, 'FORMAT_ERROR', 'Consent-ID');
  });

  it('answers 403 CONSENT_UNKNOWN for an unknown consent', async () => {
    for (const path of paths()) expectError(await get(path, cardHeaders('no-such-consent')), 403, 'CONSENT_UNKNOWN');
  });

  it('answers 401 CONSENT_INVALID for a consent not yet authorised', async () => {
    const received = await createConsent(bank.baseUrl, undefined, false);
    for (const path of paths()) expectError(await get(path, cardHeaders(received)), 401, 'CONSENT_INVALID');
  });

  it('checks the optional PSU headers when they are sent', async () => {
    const path = '/v1/card-accounts';
    expect(
      (await get(path, cardHeaders(consentId, { 'psu-ip-address': '192.0.2.1', 'psu-geo-location': 'GEO:52.506931;13.144558', 'psu-http-method': 'GET' })))
        .status,
    ).toBe(200);
    expectError(await get(path, cardHeaders(consentId, { 'psu-ip-address': 'localhost' })), 400, 'FORMAT_ERROR', 'PSU-IP-Address');
    expectError(await get(path, cardHeaders(consentId, { 'psu-device-id': '123' })), 400, 'FORMAT_ERROR', 'PSU-Device-ID');
    expectError(await get(path, cardHeaders(consentId, { 'psu-geo-location': 'Oslo' })), 400, 'FORMAT_ERROR', 'PSU-Geo-Location');
  });

  it('answers 404 RESOURCE_UNKNOWN for unknown paths and 405 SERVICE_INVALID for wrong methods', async () => {
    for (const path of [
      '/',
      '/v1',
      '/v1/accounts',
      '/v1/card-accounts/',
      '/v2/card-accounts',
      `/v1/card-accounts/${encodeURIComponent(accountId(0))}/cheques`,
      '/v1/card-accounts/%E0%A4%A',
    ]) {
      expectError(await get(path), 404, 'RESOURCE_UNKNOWN');
    }
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) {
      const reply = await call(bank.baseUrl, method, '/v1/card-accounts', { headers: cardHeaders(consentId), body: '{}' });
      expectError(reply, 405, 'SERVICE_INVALID');
      expect(reply.headers.allow).toBe('GET');
    }
    const reply = await call(bank.baseUrl, 'GET', '/v1/consents', { headers: { 'x-request-id': requestId() } });
    expectError(reply, 405, 'SERVICE_INVALID');
    expect(reply.headers.allow).toBe('POST');
  });

  it('answers problem+json when Accept is exactly application/problem+json', async () => {
    const reply = await get('/v1/card-accounts/unknown', cardHeaders(consentId, { accept: 'application/problem+json' }));
    expect(reply.status).toBe(404);
    expect(reply.headers['content-type']).toBe('application/problem+json');
    const body = reply.json as { type: string; title: string; detail: string; code: string };
    expect(body.code).toBe('RESOURCE_UNKNOWN');
    expect(body.type).toBe('https://berlin-group.org/problem/resource-unknown');
    expect(body.title.length).toBeLessThanOrEqual(70);
    expect(body.detail.length).toBeGreaterThan(0);
    // Success bodies stay application/json whatever the Accept.
    const okReply = await get('/v1/card-accounts', cardHeaders(consentId, { accept: 'application/problem+json' }));
    expect(okReply.status).toBe(200);
    expect(okReply.headers['content-type']).toBe('application/json');
  });

  it('negotiates Accept: JSON-compatible types pass, others get 406', async () => {
    for (const accept of ['*/*', 'application/*', 'application/json;charset=utf-8', 'text/html, application/json;q=0.5', '']) {
      expect((await get('/v1/card-accounts', cardHeaders(consentId, { accept }))).status, accept).toBe(200);
    }
    for (const accept of ['text/xml', 'application/json;q=0']) {
      expectError(await get('/v1/card-accounts', cardHeaders(consentId, { accept })), 406, 'REQUESTED_FORMATS_INVALID');
    }
  });

  it('answers HEAD like GET without a body', async () => {
    const reply = await call(bank.baseUrl, 'HEAD', '/v1/card-accounts', { headers: cardHeaders(consentId) });
    expect(reply.status).toBe(200);
    expect(reply.text).toBe('');
  });
});

describe('links', () => {
  it('every href in every response resolves with GET (200)', async () => {
    const seen = new Set<string>();
    // Consent links first: the first GET of the consent authorises it (simulated SCA).
    const queue: string[] = [];
    const created = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.10', 'content-type': 'application/json' },
      body: JSON.stringify({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: '2026-12-31',
        frequencyPerDay: 4,
        combinedServiceIndicator: false,
      }),
    });
    expect(created.status).toBe(201);
    const hrefs = (body: unknown): string[] => {
      if (Array.isArray(body)) return body.flatMap(hrefs);
      if (typeof body !== 'object' || body === null) return [];
      return Object.entries(body).flatMap(([k, v]) => (k === 'href' && typeof v === 'string' ? [v] : hrefs(v)));
    };
    queue.push(...hrefs(created.json));
    const consent = (created.json as { consentId: string }).consentId;
    queue.push(created.headers.location!, '/v1/card-accounts');
    while (queue.length > 0) {
      const href = queue.shift()!;
      if (seen.has(href)) continue;
      seen.add(href);
      expect(href.startsWith('/')).toBe(true);
      const reply = await call(bank.baseUrl, 'GET', href, { headers: cardHeaders(consent) });
      expect(reply.status, href).toBe(200);
      queue.push(...hrefs(reply.json));
    }
    expect(seen.size).toBeGreaterThan(30);
  });
});
