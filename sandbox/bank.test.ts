// The reference bank sends every optional field of the spec somewhere, so that a clean run
// judges every rule: balances and a download link on transaction pages, an account known by
// its own number (accountReference.other), the SCA fields of a created consent. Over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile, startReferenceBank, type RunningBank } from './index.js';
import { call, cardHeaders, createConsent, requestId } from './test-client.js';

const BERLIN_GROUP = getProfile('berlin-group');

type Json = Record<string, unknown>;
const TODAY = '2026-11-20';

describe('optional fields on the wire (berlin-group)', () => {
  let bank: RunningBank;
  let consentId: string;
  let ids: string[];
  const get = (path: string): Promise<{ status: number; json: Json }> =>
    call(bank.baseUrl, 'GET', path, { headers: cardHeaders(consentId) }) as Promise<{ status: number; json: Json }>;
  beforeAll(async () => {
    bank = await startReferenceBank({ profile: 'berlin-group', today: TODAY });
    consentId = await createConsent(bank.baseUrl);
    ids = ((await get('/v1/card-accounts')).json.cardAccounts as Json[]).map((a) => String(a.resourceId));
  });
  afterAll(() => bank.close());
  const tx = (i: number, status: string): string => `/v1/card-accounts/${encodeURIComponent(ids[i]!)}/transactions?bookingStatus=${status}`;

  it('sends the account balances with every transactions page, and a download link with the combined list', async () => {
    const booked = (await get(tx(0, 'booked'))).json;
    expect(booked.balances).toEqual((await get(`/v1/card-accounts/${encodeURIComponent(ids[0]!)}/balances`)).json.balances);
    expect(booked._links).toBeUndefined();
    const both = (await get(tx(0, 'both'))).json;
    const download = (both._links as Record<string, { href: string }>).download!.href;
    expect(download).toBe(`/v1/card-accounts/${encodeURIComponent(ids[0]!)}/transactions/download`);
    const whole = await get(download);
    expect(whole.status).toBe(200);
    const report = whole.json.cardTransactions as { booked: Json[]; pending: Json[] };
    expect(report.booked.length).toBeGreaterThanOrEqual(25);
    expect(report.pending.length).toBeGreaterThanOrEqual(3);
    // The download needs the same consent as the list it belongs to.
    expect((await call(bank.baseUrl, 'GET', download, { headers: cardHeaders('no-such-consent') })).status).toBe(403);
  });

  it('references a card account known by its own number by that number and currency, the others by maskedPan', async () => {
    const numbered = BERLIN_GROUP.accounts.findIndex((a) => a.cardAccountNumber !== undefined);
    expect(numbered).toBeGreaterThanOrEqual(0);
    const other = {
      other: { identification: BERLIN_GROUP.accounts[numbered]!.cardAccountNumber, schemeNameProprietary: 'CARD-ACCOUNT-NUMBER' },
      currency: BERLIN_GROUP.accounts[numbered]!.currency,
    };
    expect((await get(`/v1/card-accounts/${encodeURIComponent(ids[numbered]!)}/balances`)).json.cardAccount).toEqual(other);
    expect((await get(tx(numbered, 'booked'))).json.cardAccount).toEqual(other);
    const plain = numbered === 0 ? 1 : 0;
    expect(Object.keys((await get(tx(plain, 'booked'))).json.cardAccount as Json)).toEqual(['maskedPan']);
  });

  it('offers SCA methods with the created consent and states a global consent in every form', async () => {
    const created = await call(bank.baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': requestId(), 'psu-ip-address': '192.0.2.10', 'content-type': 'application/json' },
      body: JSON.stringify({
        access: { accounts: [], balances: [], transactions: [] },
        recurringIndicator: false,
        validUntil: '2026-12-31',
        frequencyPerDay: 1,
        combinedServiceIndicator: false,
      }),
    });
    const body = created.json as Json;
    expect(body.chosenScaMethod).toEqual((body.scaMethods as Json[])[0]);
    expect(body.challengeData).toMatchObject({ otpFormat: 'integer', otpMaxLength: 6 });
    // A consent that names its accounts is echoed as sent; only a global one is spelled out.
    const info = (await call(bank.baseUrl, 'GET', `/v1/consents/${encodeURIComponent(String(body.consentId))}`, { headers: { 'x-request-id': requestId() } }))
      .json as Json;
    expect(info.access).toEqual({ accounts: [], balances: [], transactions: [] });
  });
});
