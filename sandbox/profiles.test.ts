// The reference bank per profile, over HTTP: what each profile changes on the wire. The full
// engine runs against every profile are in tests/profiles.e2e.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile, minorUnits, startReferenceBank, type RunningBank } from './index.js';
import { call, cardHeaders, createConsent, requestId } from './test-client.js';

const TODAY = '2026-11-20';
type Json = Record<string, unknown>;
const BITS_NO = getProfile('bits-no');
const HANDELSBANKEN = getProfile('handelsbanken');
const HANDELSBANKEN_SANDBOX_CONSENT_ID = HANDELSBANKEN.preAuthorisedConsentId!; // the profile's data gives one (asserted below)
const BITS_BALANCE_TYPES = ['closingBooked', 'openingBooked', 'expected', 'interimAvailable', 'forwardAvailable'];

describe('profile data', () => {
  it('reads one data file per shipped profile, each naming its wire shape', () => {
    expect(['berlin-group', 'bits-no', 'handelsbanken'].map((p) => getProfile(p).wire)).toEqual(['berlin-group', 'berlin-group', 'handelsbanken']);
    expect(HANDELSBANKEN.preAuthorisedConsentId).toMatch(/^hb-sandbox-/);
    expect(getProfile('berlin-group').preAuthorisedConsentId).toBeUndefined();
  });

  it('bits-no uses the 5 BITS balance types only, and a product on every account', () => {
    for (const a of BITS_NO.accounts) {
      for (const t of a.balanceTypes) expect(BITS_BALANCE_TYPES).toContain(t);
      expect(a.product.length).toBeGreaterThan(0);
      expect(a.product.length).toBeLessThanOrEqual(35);
    }
  });
});

describe('the bits-no sandbox', () => {
  let bank: RunningBank;
  let consentId: string;
  // SR-Bank's page requires these on every call (this unguarded bank checks presence only, not the signature).
  const fix = {
    'x-accept-fix': 'none',
    'tpp-session-id': '7b2f0a4e-55c1-4c3e-9a51-0d6f1f0b9e11',
    'tpp-redirect-uri': 'https://tpp.example/cb',
    'psu-ip-address': '192.0.2.10',
    signature: 'unverified',
    'tpp-signature-certificate': 'unverified',
  };
  beforeAll(async () => {
    bank = await startReferenceBank({ profile: 'bits-no', today: TODAY });
    consentId = await createConsentWithFix(bank.baseUrl);
  });
  afterAll(() => bank.close());

  async function createConsentWithFix(baseUrl: string): Promise<string> {
    const created = await call(baseUrl, 'POST', '/v1/consents', {
      headers: { 'x-request-id': requestId(), 'content-type': 'application/json', ...fix },
      body: JSON.stringify({
        access: { allPsd2: 'allAccounts' },
        recurringIndicator: true,
        validUntil: '2027-01-01',
        frequencyPerDay: 4,
        combinedServiceIndicator: false,
      }),
    });
    expect(created.status, created.text).toBe(201);
    const id = (created.json as { consentId: string }).consentId;
    await call(baseUrl, 'GET', `/v1/consents/${encodeURIComponent(id)}/status`, { headers: { 'x-request-id': requestId(), ...fix } });
    return id;
  }

  it('answers a card GET without x-accept-fix with 400 FORMAT_ERROR and tppMessages', async () => {
    const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId) });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ tppMessages: [{ category: 'ERROR', code: 'FORMAT_ERROR', path: 'x-accept-fix', text: 'The x-accept-fix header is missing' }] });
    // The consent endpoints require it too (the overlay adds it to every operation).
    await expect(createConsent(bank.baseUrl)).rejects.toThrow(/400/);
  });

  it('lists 16-character masked PANs, a product everywhere, relatedAccount on some accounts and link verbs', async () => {
    const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders(consentId, fix) });
    expect(r.status).toBe(200);
    const accounts = (r.json as { cardAccounts: Json[] }).cardAccounts;
    expect(accounts).toHaveLength(BITS_NO.accounts.length);
    for (const a of accounts) {
      expect(a.maskedPan).toMatch(/^\d{6}x{6}\d{4}$/);
      expect(typeof a.product).toBe('string');
      for (const link of Object.values(a._links as Record<string, Json>)) expect(link.verbs).toEqual(['GET']);
      for (const b of a.balances as { balanceType: string; balanceAmount: { currency: string; amount: string } }[]) {
        expect(BITS_BALANCE_TYPES).toContain(b.balanceType);
        expect(b.balanceAmount.amount.split('.')[1]?.length ?? 0).toBe(minorUnits(b.balanceAmount.currency));
      }
    }
    const related = accounts.filter((a) => a.relatedAccount !== undefined);
    expect(related.length).toBeGreaterThan(0);
    expect(related.length).toBeLessThan(accounts.length);
    expect(related[0]!.relatedAccount).toEqual({ other: { identification: expect.any(String), schemeNameProprietary: 'BBAN' } });
  });
});

describe('the handelsbanken sandbox', () => {
  let bank: RunningBank;
  let list: { text: string; json: { cardAccounts: Json[] } };
  const headers = (): Record<string, string> => cardHeaders(HANDELSBANKEN_SANDBOX_CONSENT_ID);
  beforeAll(async () => {
    bank = await startReferenceBank({ profile: 'handelsbanken', today: TODAY });
    const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: headers() });
    expect(r.status, r.text).toBe(200);
    list = { text: r.text, json: r.json as { cardAccounts: Json[] } };
  });
  afterAll(() => bank.close());

  it('has no consent endpoints and accepts its fixed pre-authorised consent', async () => {
    const r = await call(bank.baseUrl, 'POST', '/v1/consents', { headers: { 'x-request-id': requestId(), 'content-type': 'application/json' }, body: '{}' });
    expect(r.status).toBe(404);
    expect((await call(bank.baseUrl, 'GET', '/v1/card-accounts', { headers: cardHeaders('another-consent') })).status).toBe(403);
  });

  it('lists accountId, currency, product, cards[{maskedPan, name}], a number creditLimit, its own balance codes and an absolute transactions link', () => {
    const accounts = list.json.cardAccounts;
    expect(accounts).toHaveLength(HANDELSBANKEN.accounts.length);
    for (const a of accounts) {
      expect(Object.keys(a)).toEqual(['accountId', 'currency', 'product', 'cards', 'creditLimit', 'balances', '_links']);
      expect(a.resourceId).toBeUndefined();
      expect(a.maskedPan).toBeUndefined();
      for (const c of a.cards as Json[]) {
        expect(c.maskedPan).toMatch(/^\d{6}\*{6}\d{4}$/);
        expect(typeof c.name).toBe('string');
      }
      expect(typeof (a.creditLimit as Json).amount).toBe('number');
      for (const b of a.balances as Json[]) expect(['AVAILABLE_AMOUNT', 'CURRENT']).toContain(b.balanceType);
      expect(Object.keys(a._links as Json)).toEqual(['transactions']);
      expect(((a._links as Record<string, Json>).transactions!.href as string).startsWith(`${bank.baseUrl}/v1/card-accounts/`)).toBe(true);
    }
    expect(accounts.flatMap((a) => (a.balances as Json[]).map((b) => b.balanceType))).toContain('AVAILABLE_AMOUNT');
    expect(accounts.map((a) => (a.cards as Json[]).length)).toEqual([2, 3, 1]);
    // The JSON text of number amounts: whole limits without fraction, no trailing zeros, no exponent.
    expect(list.text).toContain('"creditLimit":{"currency":"SEK","amount":100000}');
    for (const m of list.text.matchAll(/"amount":(-?[0-9.eE+]+)/g)) expect(m[1]).toMatch(/^-?\d+(\.\d{0,1}[1-9])?$/);
  });

  it('sends balances with number amounts and the accountId reference, and transactions as one flat list', async () => {
    const id = String(list.json.cardAccounts[0]!.accountId);
    const b = await call(bank.baseUrl, 'GET', `/v1/card-accounts/${id}/balances`, { headers: headers() });
    expect(b.status).toBe(200);
    const balances = b.json as { cardAccount: Json; balances: { balanceAmount: { amount: unknown } }[] };
    expect(balances.cardAccount.accountId).toBe(id);
    for (const x of balances.balances) expect(typeof x.balanceAmount.amount).toBe('number');
    const t = await call(bank.baseUrl, 'GET', `/v1/card-accounts/${id}/transactions?bookingStatus=both`, { headers: headers() });
    expect(t.status).toBe(200);
    const page = t.json as { transactions: Json[]; _links: Record<string, Json> };
    expect(Object.keys(page)).toEqual(['transactions', '_links']);
    expect(new Set(page.transactions.map((tx) => tx.status))).toEqual(new Set(['PENDING', 'BOOKED']));
    for (const tx of page.transactions) {
      expect(
        Object.keys(tx).every((k) =>
          ['transactionDate', 'bookingDate', 'status', 'creditDebit', 'transactionAmount', 'transactionDetails', 'card'].includes(k),
        ),
      ).toBe(true);
      const amount = (tx.transactionAmount as Json).amount as number;
      expect(typeof amount).toBe('number');
      expect(amount).toBeGreaterThan(0); // the direction is in creditDebit
      expect(['DEBITED', 'CREDITED']).toContain(tx.creditDebit);
      expect((tx.card as Json).maskedPan).toMatch(/^\d{6}\*{6}\d{4}$/);
      if (tx.status === 'PENDING') expect(tx.bookingDate).toBeUndefined();
    }
    expect(String(page._links.next!.href)).toMatch(new RegExp(`^${bank.baseUrl}/v1/card-accounts/.*page=2`));
    expect(page._links.next!.verbs).toBeUndefined();
    const booked = (await call(bank.baseUrl, 'GET', `/v1/card-accounts/${id}/transactions?bookingStatus=booked`, { headers: headers() })).json as {
      transactions: Json[];
    };
    expect(booked.transactions.every((tx) => tx.status === 'BOOKED')).toBe(true);
  });

  it('names its accountId path parameter in a 404', async () => {
    const r = await call(bank.baseUrl, 'GET', '/v1/card-accounts/nope', { headers: headers() });
    expect(r.status).toBe(404);
    expect(r.json).toMatchObject({ tppMessages: [{ code: 'RESOURCE_UNKNOWN', path: 'accountId' }] });
  });
});
