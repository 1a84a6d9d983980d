import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferenceBank } from './index.js';
import { call, cardHeaders, consentBody, createConsent, requestId, type Reply } from './test-client.js';
import type { RunningBank } from './types.js';

const TODAY = '2026-11-20';
let bank: RunningBank;
let maskedPans: string[];
let ids: string[];

const post = (body: string, headers: Record<string, string> = {}): Promise<Reply> =>
  call(bank.baseUrl, 'POST', '/v1/consents', {
    headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.10', 'content-type': 'application/json', ...headers },
    body,
  });
const get = (path: string, headers: Record<string, string> = { 'x-request-id': requestId() }): Promise<Reply> => call(bank.baseUrl, 'GET', path, { headers });

function expectError(reply: Reply, status: number, code: string, path?: string): void {
  expect(reply.status, reply.text).toBe(status);
  const message = (reply.json as { tppMessages: { code: string; path?: string }[] }).tppMessages[0]!;
  expect(message.code).toBe(code);
  if (path !== undefined) expect(message.path).toBe(path);
}

beforeAll(async () => {
  bank = await startReferenceBank({ today: TODAY });
  const consent = await createConsent(bank.baseUrl);
  const list = (await get('/v1/card-accounts', cardHeaders(consent))).json as { cardAccounts: { maskedPan: string; resourceId: string }[] };
  maskedPans = list.cardAccounts.map((a) => a.maskedPan);
  ids = list.cardAccounts.map((a) => encodeURIComponent(a.resourceId));
});
afterAll(async () => {
  await bank.close();
});

describe('consent lifecycle', () => {
  it('creates (201 received), becomes valid on the first GET, and ends terminatedByTpp on DELETE', async () => {
    const requestIdSent = requestId();
    const created = await post(consentBody({ allPsd2: 'allAccounts' }, '2027-01-31'), { 'x-request-id': requestIdSent });
    expect(created.status).toBe(201);
    expect(created.headers['content-type']).toBe('application/json');
    expect(created.headers['x-request-id']).toBe(requestIdSent);
    expect(created.headers['aspsp-sca-approach']).toBe('REDIRECT');
    const body = created.json as { consentStatus: string; consentId: string; _links: Record<string, { href: string }> };
    expect(body.consentStatus).toBe('received');
    const self = `/v1/consents/${encodeURIComponent(body.consentId)}`;
    expect(created.headers.location).toBe(self);
    expect(body._links.self!.href).toBe(self);
    expect(body._links.status!.href).toBe(`${self}/status`);
    expect(body._links.scaRedirect!.href).toMatch(/^\/sandbox\/sca\/consents\//);
    const sca = created.json as {
      scaMethods: { authenticationMethodId: string }[];
      chosenScaMethod: { authenticationMethodId: string };
      challengeData: { otpFormat: string };
    };
    expect(sca.scaMethods.map((m) => m.authenticationMethodId)).toContain(sca.chosenScaMethod.authenticationMethodId);
    expect(sca.challengeData.otpFormat).toBe('integer');

    // Not yet authorised: card reads are refused.
    expectError(await get('/v1/card-accounts', cardHeaders(body.consentId)), 401, 'CONSENT_INVALID', 'Consent-ID');

    const info = await get(self);
    expect(info.status).toBe(200);
    // A global consent is spelled out: every card by reference (maskedPan, or the bank's own
    // number for a corporate account), for every service, beside the flag the TPP sent.
    const infoBody = info.json as { access: Record<string, unknown> };
    const refs = infoBody.access.accounts as Record<string, unknown>[];
    expect(refs).toHaveLength(5);
    expect(refs.filter((r) => typeof r.maskedPan === 'string' && r.currency !== undefined)).toHaveLength(4);
    expect(refs.filter((r) => r.other !== undefined)).toEqual([
      { other: { identification: 'KORT-FI-0042-7731', schemeNameProprietary: 'CARD-ACCOUNT-NUMBER' }, currency: 'EUR' },
    ]);
    expect(infoBody.access).toEqual({
      allPsd2: 'allAccounts',
      availableAccounts: 'allAccounts',
      availableAccountsWithBalance: 'allAccounts',
      accounts: refs,
      balances: refs,
      transactions: refs,
      additionalInformation: { ownerName: refs, trustedBeneficiaries: refs },
    });
    expect(info.json).toEqual({
      access: infoBody.access,
      recurringIndicator: true,
      validUntil: '2027-01-31',
      frequencyPerDay: 4,
      lastActionDate: TODAY,
      consentStatus: 'valid',
      _links: { 'card-account': { href: '/v1/card-accounts' } },
    });
    expect((await get(`${self}/status`)).json).toEqual({ consentStatus: 'valid' });
    expect((await get('/v1/card-accounts', cardHeaders(body.consentId))).status).toBe(200);

    const deleteId = requestId();
    const deleted = await call(bank.baseUrl, 'DELETE', self, { headers: { 'x-request-id': deleteId } });
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(deleted.headers['x-request-id']).toBe(deleteId);
    expect((await get(`${self}/status`)).json).toEqual({ consentStatus: 'terminatedByTpp' });
    const after = (await get(self)).json as Record<string, unknown>;
    expect(after.consentStatus).toBe('terminatedByTpp');
    expect(after._links).toBeUndefined();
    expectError(await get('/v1/card-accounts', cardHeaders(body.consentId)), 401, 'CONSENT_INVALID');
  });

  it('approves the consent on a visit of its scaRedirect page', async () => {
    const created = (await post(consentBody())).json as { consentId: string; _links: Record<string, { href: string }> };
    const page = await get(created._links.scaRedirect!.href, {});
    expect(page.status).toBe(200);
    expect(page.json).toEqual({ consentStatus: 'valid', scaStatus: 'finalised' });
    expect((await get('/v1/card-accounts', cardHeaders(created.consentId))).status).toBe(200);
  });

  it('shortens validUntil to the bank maximum (180 days)', async () => {
    const id = (await post(consentBody({ allPsd2: 'allAccounts' }, '9999-12-31'))).json as { consentId: string };
    const info = (await get(`/v1/consents/${encodeURIComponent(id.consentId)}`)).json as { validUntil: string };
    expect(info.validUntil).toBe('2027-05-19');
  });

  it('answers 403 CONSENT_UNKNOWN on every consent operation for an unknown id', async () => {
    expectError(await get('/v1/consents/unknown'), 403, 'CONSENT_UNKNOWN', 'consentId');
    expectError(await get('/v1/consents/unknown/status'), 403, 'CONSENT_UNKNOWN', 'consentId');
    expectError(await call(bank.baseUrl, 'DELETE', '/v1/consents/unknown', { headers: { 'x-request-id': requestId() } }), 403, 'CONSENT_UNKNOWN');
    expectError(await get('/sandbox/sca/consents/unknown', {}), 404, 'RESOURCE_UNKNOWN');
  });

  it('requires X-Request-ID on the consent endpoints', async () => {
    const id = await createConsent(bank.baseUrl);
    expectError(await get(`/v1/consents/${id}`, {}), 400, 'FORMAT_ERROR', 'X-Request-ID');
    expectError(await get(`/v1/consents/${id}/status`, { 'x-request-id': 'abc' }), 400, 'FORMAT_ERROR', 'X-Request-ID');
    expectError(await call(bank.baseUrl, 'DELETE', `/v1/consents/${id}`), 400, 'FORMAT_ERROR', 'X-Request-ID');
    expectError(await post(consentBody(), { 'x-request-id': '' }), 400, 'FORMAT_ERROR', 'X-Request-ID');
  });
});

describe('createConsent validation', () => {
  const valid = { access: { allPsd2: 'allAccounts' }, recurringIndicator: true, validUntil: '2027-01-01', frequencyPerDay: 4, combinedServiceIndicator: false };
  const without = (key: string): string => JSON.stringify(Object.fromEntries(Object.entries(valid).filter(([k]) => k !== key)));
  const withValue = (key: string, value: unknown): string => JSON.stringify({ ...valid, [key]: value });

  it.each(['access', 'recurringIndicator', 'validUntil', 'frequencyPerDay', 'combinedServiceIndicator'])('answers 400 FORMAT_ERROR without %s', async (key) => {
    expectError(await post(without(key)), 400, 'FORMAT_ERROR', key);
  });

  it.each([
    ['access', 'all', 'access'],
    ['access', { accounts: 'x' }, 'access.accounts'],
    ['access', { balances: [1] }, 'access.balances[0]'],
    ['access', { transactions: [{ maskedPan: 5 }] }, 'access.transactions[0].maskedPan'],
    ['access', { allPsd2: 'everything' }, 'access.allPsd2'],
    ['recurringIndicator', 'yes', 'recurringIndicator'],
    ['validUntil', '2027-02-30', 'validUntil'],
    ['validUntil', '2020-01-01', 'validUntil'],
    ['frequencyPerDay', 0, 'frequencyPerDay'],
    ['frequencyPerDay', 1.5, 'frequencyPerDay'],
    ['combinedServiceIndicator', 'false', 'combinedServiceIndicator'],
  ])('answers 400 FORMAT_ERROR for %s = %j', async (key, value, path) => {
    expectError(await post(withValue(key, value)), 400, 'FORMAT_ERROR', path);
  });

  it('answers 400 SESSIONS_NOT_SUPPORTED for a combined service', async () => {
    expectError(await post(withValue('combinedServiceIndicator', true)), 400, 'SESSIONS_NOT_SUPPORTED');
  });

  it('answers 400 FORMAT_ERROR for bodies that are not a JSON object', async () => {
    for (const body of ['', '{', 'null', '[]', '"x"', '{"access":', '\u0000\u0001', '{"a":'.repeat(100) + '1' + '}'.repeat(100)]) {
      expectError(await post(body), 400, 'FORMAT_ERROR');
    }
  });

  it('requires PSU-IP-Address and a JSON content type', async () => {
    const noIp = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': requestId(), 'content-type': 'application/json' },
      body: JSON.stringify(valid),
    });
    expectError(noIp, 400, 'FORMAT_ERROR', 'PSU-IP-Address');
    expectError(await post(JSON.stringify(valid), { 'psu-ip-address': '300.1.1.1' }), 400, 'FORMAT_ERROR', 'PSU-IP-Address');
    expectError(await post(JSON.stringify(valid), { 'content-type': 'text/plain' }), 415, 'FORMAT_ERROR', 'Content-Type');
    expect((await post(JSON.stringify(valid), { 'content-type': 'application/json; charset=utf-8' })).status).toBe(201);
  });
});

describe('what a consent grants', () => {
  it('grants the listed card only, by maskedPan, and refuses the others with 401 CONSENT_INVALID', async () => {
    const pan = maskedPans[1]!;
    const consent = await createConsent(bank.baseUrl, { accounts: [{ maskedPan: pan }], balances: [{ maskedPan: pan }], transactions: [] });
    const list = (await get('/v1/card-accounts', cardHeaders(consent))).json as {
      cardAccounts: { maskedPan: string; balances?: unknown; _links?: Record<string, unknown> }[];
    };
    // transactions: [] is a bank-offered list that the simulated PSU fills with every card.
    expect(list.cardAccounts.map((a) => a.maskedPan)).toEqual(maskedPans);
    const [first, second] = list.cardAccounts;
    expect(second!.balances).toBeDefined();
    expect(Object.keys(second!._links!)).toEqual(['balances', 'transactions']);
    expect(first!.balances).toBeUndefined();
    expect(Object.keys(first!._links!)).toEqual(['transactions']);
    expect((await get(`/v1/card-accounts/${ids[1]}/balances`, cardHeaders(consent))).status).toBe(200);
    expectError(await get(`/v1/card-accounts/${ids[0]}/balances`, cardHeaders(consent)), 401, 'CONSENT_INVALID');
  });

  it('lists accounts without details access for availableAccounts', async () => {
    const consent = await createConsent(bank.baseUrl, { availableAccounts: 'allAccounts' });
    const list = (await get('/v1/card-accounts', cardHeaders(consent))).json as { cardAccounts: Record<string, unknown>[] };
    expect(list.cardAccounts).toHaveLength(5);
    for (const a of list.cardAccounts) {
      expect(a.balances).toBeUndefined();
      expect(a._links).toBeUndefined();
    }
    expectError(await get(`/v1/card-accounts/${ids[0]}`, cardHeaders(consent)), 401, 'CONSENT_INVALID');
    const withBalance = await createConsent(bank.baseUrl, { availableAccountsWithBalance: 'allAccounts' });
    const list2 = (await get('/v1/card-accounts', cardHeaders(withBalance))).json as { cardAccounts: Record<string, unknown>[] };
    expect(list2.cardAccounts.every((a) => Array.isArray(a.balances))).toBe(true);
  });
});
