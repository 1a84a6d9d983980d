// The catalogues of the shipped profiles (bits-no as an overlay on Berlin Group, handelsbanken
// as its own document), and what one body shape gets under another profile's rules.
import { describe, expect, it } from 'vitest';
import type { Rule, RuleResult } from '../../core/model.js';
import { loadProfile, type Profile } from '../../config/profile.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { currencyInfo } from '../../schemas/currencies.js';
import { SchemaValidators } from '../../schemas/validators.js';
import type { ErrorResponseParams } from '../kinds/error-response.js';
import { judgeRule, observe } from '../judge.js';
import { exchange } from '../testing.js';
import { buildCatalogue, okProbe, type Catalogue } from './generate.js';

const catalogueOf = (name: string): Catalogue => {
  const p = loadProfile(name);
  return buildCatalogue(loadProfileSpec(p), p);
};
const bg = catalogueOf('berlin-group');
const bits = catalogueOf('bits-no');
const hb = catalogueOf('handelsbanken');
const rule = (c: Catalogue, id: string): Rule => {
  const r = c.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};
const ids = (c: Catalogue): string[] => c.rules.map((r) => r.id);

const REQUEST_ID = '2f3c9ab0-1111-4222-8333-444455556666';

/** Judges the rules of one operation's body on one 200 answer, as a vitest worker would. */
function judge(c: Catalogue, operationId: string, body: unknown): Map<string, RuleResult> {
  const exchanges = observe([exchange(body, { probe: okProbe(operationId), headers: { 'x-request-id': REQUEST_ID } })]);
  const ctx = { exchanges, profile: c.profile, validators: new SchemaValidators(c.defs), notSent: {} };
  return new Map(c.rules.filter((r) => r.probes.includes(okProbe(operationId))).map((r) => [r.id, judgeRule(r, ctx)]));
}
const statusOf = (results: Map<string, RuleResult>, id: string): string => {
  const r = results.get(id);
  if (!r) throw new Error(`no result for ${id}`);
  return r.status;
};

/** The card-account list as Handelsbanken's portal shows it (amounts as JSON numbers, its own balance types). */
const handelsbankenList = (amount: number = 2000) => ({
  cardAccounts: [
    {
      accountId: 'ae577250-6cf3-11e9-9c41-e957ce7d7d69',
      cards: [{ maskedPan: '5123********3283' }],
      currency: 'SEK',
      product: 'Platinum',
      creditLimit: { currency: 'SEK', amount },
      balances: [{ balanceType: 'AVAILABLE_AMOUNT', balanceAmount: { currency: 'SEK', amount: 1500.5 } }],
      _links: { balances: { href: '/v1/card-accounts/ae577250-6cf3-11e9-9c41-e957ce7d7d69/balances' } },
    },
  ],
});

/** A Berlin Group list every BG rule passes. */
const bgList = (over: Record<string, unknown> = {}) => ({
  cardAccounts: [
    {
      resourceId: 'enc!!aI55HS7YpeXJhHqt4PmNavMmogFrZWG789qlE',
      maskedPan: '123456xxxxxx1234',
      currency: 'NOK',
      product: 'Visa Gold',
      creditLimit: { currency: 'NOK', amount: '50000.00' },
      balances: [{ balanceType: 'expected', balanceAmount: { currency: 'NOK', amount: '1432.10' } }],
      _links: { balances: { href: '/v1/card-accounts/x/balances', verbs: ['GET'] } },
      ...over,
    },
  ],
});

describe('the profiles load', () => {
  it('bits-no: overlay, signing, exact minor units, x-accept-fix; handelsbanken: pre-authorised consent only', () => {
    const b: Profile = loadProfile('bits-no');
    expect(b.overlays.map((o) => o.split('/').slice(-2).join('/'))).toEqual(['bits-no/overlay.yaml']);
    expect([b.signing.required, b.amounts.exactMinorUnits, b.requestHeaders['x-accept-fix']]).toEqual([true, true, 'none']);
    expect(loadProfile('berlin-group').amounts.exactMinorUnits).toBe(false);
    const h = loadProfile('handelsbanken');
    expect(h.consentPolicy.preAuthorisedOnly).toBe(true);
    expect(h.consentPolicy.note).toMatch(/Consents API/);
    expect([h.operations.createConsent, h.operations.deleteConsent]).toEqual(['', '']);
    expect(h.accountIds).toBe('/cardAccounts/*/accountId');
  });
});

describe('bits-no catalogue (Berlin Group + specs/profiles/bits-no/overlay.yaml)', () => {
  it('keeps every Berlin Group rule id (the overlay only tightens and adds)', () => {
    expect(ids(bits)).toEqual(expect.arrayContaining(ids(bg)));
    expect(bits.spec.file).toBe(bg.spec.file);
  });

  it('limits maskedPan to 16 characters, and the message says the profile sets it', () => {
    for (const id of [
      'getCardAccountList:/cardAccounts/*/maskedPan:max-length',
      'readCardAccountDetails:/cardAccount/maskedPan:max-length',
      'getCardAccountTransactionList:/cardTransactions/booked/*/maskedPAN:max-length',
    ]) {
      expect(rule(bits, id).params, id).toMatchObject({ maxLength: 16, source: 'the profile' });
    }
    expect(rule(bg, 'getCardAccountList:/cardAccounts/*/maskedPan:max-length').params).toMatchObject({ maxLength: 35, source: 'the spec' });
    const results = judge(bits, 'getCardAccountList', bgList({ maskedPan: '123456xxxxxxxxx1234' }));
    expect(results.get('getCardAccountList:/cardAccounts/*/maskedPan:max-length')!.message).toBe('maskedPan has 19 characters; the profile allows 16');
  });

  it('requires product (max 35), has ownerName max 140 and the relatedAccount extension', () => {
    expect(rule(bits, 'getCardAccountList:/cardAccounts/*/product:required').params).toMatchObject({ parent: '/cardAccounts/*', property: 'product' });
    expect(ids(bg)).not.toContain('getCardAccountList:/cardAccounts/*/product:required');
    expect(ids(bits)).toEqual(
      expect.arrayContaining([
        'getCardAccountList:/cardAccounts/*/relatedAccount/other:required',
        'getCardAccountList:/cardAccounts/*/relatedAccount/other/identification:required',
      ]),
    );
    expect(statusOf(judge(bits, 'getCardAccountList', bgList({ product: undefined })), 'getCardAccountList:/cardAccounts/*/product:required')).toBe('failed');
    const long = judge(bits, 'readCardAccountDetails', {
      cardAccount: {
        ...bgList().cardAccounts[0],
        product: 'x'.repeat(36),
        ownerName: 'y'.repeat(141),
        relatedAccount: { other: { identification: 'z'.repeat(36), schemeNameProprietary: 'BBAN' } },
      },
    });
    const schema = long.get('readCardAccountDetails:schema')!;
    expect(schema.status).toBe('failed');
    expect(schema.violations.map((v) => v.instancePath).sort((a = '', b = '') => (a < b ? -1 : a > b ? 1 : 0))).toEqual([
      '/cardAccount/ownerName',
      '/cardAccount/product',
      '/cardAccount/relatedAccount/other/identification',
    ]);
  });

  it('limits balanceType to the 5 BITS values (BG interimBooked fails)', () => {
    const values = (rule(bits, 'getCardAccountBalances:/balances/*/balanceType:enum').params as { values: string[] }).values;
    expect(values).toEqual(['closingBooked', 'openingBooked', 'expected', 'interimAvailable', 'forwardAvailable']);
    const body = { balances: [{ balanceType: 'interimBooked', balanceAmount: { currency: 'EUR', amount: '1.00' } }] };
    expect(statusOf(judge(bits, 'getCardAccountBalances', body), 'getCardAccountBalances:/balances/*/balanceType:enum')).toBe('failed');
    expect(statusOf(judge(bg, 'getCardAccountBalances', body), 'getCardAccountBalances:/balances/*/balanceType:enum')).toBe('passed');
  });

  it("restricts currencies to the BITS list: every ISO code plus the profile's historic and non-ISO codes", () => {
    const allowed = (rule(bits, 'getCardAccountList:/cardAccounts/*/currency:currency').params as { allowed?: string[] }).allowed!;
    expect(allowed).toEqual(
      expect.arrayContaining(['NOK', 'SEK', 'EUR', 'XXX', 'BYR', 'MRO', 'STD', 'VEF', 'ZWD', 'HRK', 'SLL', 'CUC', 'GGP', 'IMP', 'JEP', 'SPL', 'TVD']),
    );
    expect(allowed).toHaveLength(179 + 12);
    expect(allowed.filter((c) => currencyInfo(c).status === 'unknown')).toEqual([]);
    expect((rule(bg, 'getCardAccountList:/cardAccounts/*/currency:currency').params as { allowed?: string[] }).allowed).toBeUndefined();
    // ZWL (withdrawn 2024) is in neither ISO List One 2024-06-25 nor the profile's extras.
    const results = judge(bits, 'getCardAccountList', bgList({ currency: 'ZWL' }));
    expect(results.get('getCardAccountList:/cardAccounts/*/currency:currency')!.message).toBe(
      "currency ZWL at /cardAccounts/0/currency is not in the profile's currency list",
    );
  });

  it('requires exact minor units: "5768.2" EUR fails under BITS and passes under Berlin Group', () => {
    expect(rule(bits, 'getCardAccountList:/cardAccounts/*/creditLimit:minor-units').params).toMatchObject({
      amountType: 'string',
      exact: true,
      pattern: '^-?[0-9]{1,13}(\\.[0-9]{1,5})?$',
    });
    expect(rule(bg, 'getCardAccountList:/cardAccounts/*/creditLimit:minor-units').params).not.toHaveProperty('exact');
    const body = bgList({ currency: 'EUR', creditLimit: { currency: 'EUR', amount: '5768.2' } });
    const id = 'getCardAccountList:/cardAccounts/*/creditLimit:minor-units';
    expect(judge(bits, 'getCardAccountList', body).get(id)!.message).toBe(
      "amount '5768.2' EUR at /cardAccounts/0/creditLimit/amount has 1 fraction digit; the profile requires exactly 2 for EUR",
    );
    expect(statusOf(judge(bg, 'getCardAccountList', body), id)).toBe('passed');
  });

  it('knows link verbs: an enum rule for them, and a BITS body with verbs passes every list rule', () => {
    expect((rule(bits, 'getCardAccountList:/cardAccounts/*/_links/balances/verbs/*:enum').params as { values: string[] }).values).toEqual([
      'GET',
      'PUT',
      'POST',
      'DELETE',
    ]);
    const results = judge(bits, 'getCardAccountList', bgList());
    expect([...results].filter(([, r]) => r.status === 'failed').map(([id, r]) => `${id}: ${r.message}`)).toEqual([]);
    expect(
      statusOf(
        judge(bits, 'getCardAccountList', bgList({ _links: { balances: { href: '/b', verbs: ['PATCH'] } } })),
        'getCardAccountList:/cardAccounts/*/_links/balances/verbs/*:enum',
      ),
    ).toBe('failed');
  });

  it('probes a missing x-accept-fix on the four card GETs, expecting 400 FORMAT_ERROR', () => {
    for (const op of ['getCardAccountList', 'readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList']) {
      const r = rule(bits, `${op}:error:missing-header-x-accept-fix`);
      expect((r.params as ErrorResponseParams).expected, op).toEqual([{ status: 400, codes: ['FORMAT_ERROR'] }]);
      expect(r.title).toMatch(/without x-accept-fix is answered 400 FORMAT_ERROR/);
      expect(bits.errorProbes).toContainEqual({
        probe: `error:${op}:missing-header-x-accept-fix`,
        operationId: op,
        fault: { type: 'omit-header', name: 'x-accept-fix' },
      });
    }
    // PSU-IP-Address stays optional (a bank answers without it, within the 4-calls-a-day limit).
    expect(ids(bits).filter((id) => id.includes('psu-ip-address'))).toEqual([]);
  });
});

describe('handelsbanken catalogue (specs/profiles/handelsbanken/openapi.yaml)', () => {
  it('has the four card operations and no consent operations', () => {
    expect(hb.operations.map((o) => `${o.role} ${o.endpoint}`)).toEqual([
      'listCardAccounts GET /v1/card-accounts',
      'readCardAccount GET /v1/card-accounts/{accountId}',
      'readBalances GET /v1/card-accounts/{accountId}/balances',
      'readTransactions GET /v1/card-accounts/{accountId}/transactions',
    ]);
    expect(ids(hb)).toEqual(
      expect.arrayContaining([
        'getCardAccount:error:unknown-accountid',
        'getCardAccounts:error:unknown-consent',
        'getCardAccountTransactions:error:missing-query-bookingStatus',
      ]),
    );
  });

  it('checks the nested cards[].maskedPan: required, max length and masking', () => {
    expect(ids(hb)).toEqual(
      expect.arrayContaining([
        'getCardAccounts:/cardAccounts/*/accountId:required',
        'getCardAccounts:/cardAccounts/*/cards/*/maskedPan:required',
        'getCardAccounts:/cardAccounts/*/cards/*/maskedPan:masking',
        'getCardAccount:/cardAccount/cards/*/maskedPan:masking',
      ]),
    );
    expect(rule(hb, 'getCardAccounts:/cardAccounts/*/cards/*/maskedPan:max-length').params).toMatchObject({ maxLength: 35, source: 'the spec' });
    expect(ids(hb)).not.toContain('getCardAccounts:/cardAccounts/*/maskedPan:required');
  });

  it('types amounts as JSON numbers in every minor-units rule', () => {
    const minor = hb.rules.filter((r) => r.kind === 'minor-units');
    expect(minor.map((r) => r.id)).toEqual(
      expect.arrayContaining([
        'getCardAccounts:/cardAccounts/*/creditLimit:minor-units',
        'getCardAccounts:/cardAccounts/*/balances/*/balanceAmount:minor-units',
        'getCardAccountBalances:/balances/*/balanceAmount:minor-units',
        'getCardAccountTransactions:/transactions/*/transactionAmount:minor-units',
      ]),
    );
    for (const r of minor) expect(r.params, r.id).toMatchObject({ amountType: 'number' });
    for (const r of minor) expect(r.params, r.id).not.toHaveProperty('exact');
  });
});

describe('one body, two profiles', () => {
  it('a Handelsbanken-shaped list fails the Berlin Group rules: maskedPan missing, amounts are numbers', () => {
    const results = judge(bg, 'getCardAccountList', handelsbankenList());
    expect(results.get('getCardAccountList:/cardAccounts/*/maskedPan:required')).toMatchObject({ status: 'failed', instancePath: '/cardAccounts/0/maskedPan' });
    expect(statusOf(results, 'getCardAccountList:/cardAccounts/*/currency:required')).toBe('passed'); // same name, same place in both
    expect(results.has('getCardAccountList:/cardAccounts/*/resourceId:required')).toBe(false); // resourceId is optional in BG
    expect(results.get('getCardAccountList:/cardAccounts/*/creditLimit:minor-units')!.message).toBe(
      'amount at /cardAccounts/0/creditLimit/amount is a JSON number (2000); the spec requires a string',
    );
    expect(statusOf(results, 'getCardAccountList:/cardAccounts/*/balances/*/balanceAmount:minor-units')).toBe('failed');
    expect(statusOf(results, 'getCardAccountList:schema')).toBe('failed');
    // The nested masked PAN is outside every BG maskedPan rule: nothing to judge there.
    expect(statusOf(results, 'getCardAccountList:/cardAccounts/*/maskedPan:masking')).toBe('skipped');
  });

  it('the same list passes every Handelsbanken list rule', () => {
    const results = judge(hb, 'getCardAccounts', handelsbankenList());
    expect([...results].filter(([, r]) => r.status === 'failed' || r.status === 'broken').map(([id, r]) => `${id}: ${r.message}`)).toEqual([]);
    for (const id of [
      'getCardAccounts:/cardAccounts/*/cards/*/maskedPan:required',
      'getCardAccounts:/cardAccounts/*/cards/*/maskedPan:masking',
      'getCardAccounts:/cardAccounts/*/creditLimit:minor-units',
      'getCardAccounts:schema',
    ]) {
      expect(statusOf(results, id), id).toBe('passed');
    }
  });

  it('a number amount with too many decimals (12.505 SEK) still fails minor-units under Handelsbanken', () => {
    const results = judge(hb, 'getCardAccounts', handelsbankenList(12.505));
    expect(results.get('getCardAccounts:/cardAccounts/*/creditLimit:minor-units')).toMatchObject({
      status: 'failed',
      message: 'amount 12.505 SEK at /cardAccounts/0/creditLimit/amount has 3 fraction digits; ISO 4217 allows 2 for SEK',
    });
  });

  it('a Berlin Group list fails the Handelsbanken rules (string amounts, no accountId)', () => {
    const results = judge(hb, 'getCardAccounts', bgList());
    expect(statusOf(results, 'getCardAccounts:/cardAccounts/*/accountId:required')).toBe('failed');
    expect(results.get('getCardAccounts:/cardAccounts/*/creditLimit:minor-units')!.message).toMatch(/the spec requires a JSON number/);
  });
});
