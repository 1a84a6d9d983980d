// No silent pass, judged in-process on recorded-style exchanges: a body under keys the spec does not
// name fails on its own; undeclared properties are minor findings with a did-you-mean; a request that
// could not be built because the account list failed is broken, not skipped; one failed page leaves
// the other pages judged; findings carry how many instances were judged.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Exchange, RuleResult } from '../core/model.js';
import { loadProfile } from '../config/profile.js';
import { buildCatalogue, okProbe } from '../rules/catalogue/generate.js';
import { judgeRule, observe } from '../rules/judge.js';
import { exchange } from '../rules/testing.js';
import { toFinding } from '../reporters/findings.js';
import { SchemaValidators } from '../schemas/validators.js';
import { loadSpecDocument } from '../schemas/spec-document.js';
import { officialRevokeSpellingSpec, writeSpec } from './fixtures/specs/berlin-group-variants.js';

const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);
const REQUEST_ID = '2f3c9ab0-1111-4222-8333-444455556666';
const LIST = 'getCardAccountList';
const TX = 'getCardAccountTransactionList';

const at = (operationId: string, body: unknown, opts: Parameters<typeof exchange>[1] = {}): Exchange => ({
  ...exchange(body, { probe: okProbe(operationId), headers: { 'x-request-id': REQUEST_ID }, requestHeaders: { 'x-request-id': REQUEST_ID }, ...opts }),
  operationId,
});

function judge(exchanges: Exchange[], notSent: Record<string, string> = {}): Map<string, RuleResult> {
  const ctx = { exchanges: observe(exchanges), profile, validators: new SchemaValidators(catalogue.defs), notSent };
  return new Map(catalogue.rules.map((r) => [r.id, judgeRule(r, ctx)]));
}
const result = (results: Map<string, RuleResult>, id: string): RuleResult => {
  const r = results.get(id);
  if (!r) throw new Error(`no rule ${id}`);
  return r;
};

const amount = (value: string) => ({ amount: value, currency: 'SEK' });
const booked = (id: string, extra: Record<string, unknown> = {}) => ({
  cardTransactionId: id,
  transactionDate: '2026-11-02',
  bookingDate: '2026-11-03',
  transactionAmount: amount('-120.50'),
  maskedPAN: '123456xxxxxx1234',
  transactionDetails: 'Coffee',
  ...extra,
});
const page = (entries: unknown[], next?: string) => ({ cardTransactions: { booked: entries, _links: next ? { next: { href: next } } : {} } });

describe('a 2xx body carrying none of the fields the spec defines', () => {
  it('SEB Kort style (transactions: {booked, pending}) fails body-fields (schema, major), while the field rules find nothing', () => {
    const r = judge([at(TX, { transactions: { booked: [booked('a')], pending: [] } })]);
    expect(result(r, `${TX}:body-fields`)).toMatchObject({
      status: 'failed',
      severity: 'major',
      rule: { category: 'schema', mandatory: true },
      message:
        'the body carries none of the fields the spec defines for this response; it has: transactions (the spec defines: cardAccount, debitAccounting, cardTransactions, balances)',
    });
    expect(result(r, `${TX}:/cardTransactions/booked/*/transactionAmount:minor-units`).status).toBe('skipped');
  });

  it('Handelsbanken style (a flat transactions[]) fails the same way', () => {
    const r = judge([
      at(TX, {
        transactions: [{ transactionDate: '2026-11-02', status: 'BOOKED', creditDebit: 'DEBITED', transactionAmount: { amount: 120.5, currency: 'SEK' } }],
      }),
    ]);
    expect(result(r, `${TX}:body-fields`).message).toMatch(/none of the fields the spec defines for this response; it has: transactions/);
  });

  it("a body with its data under the spec's names passes", () => {
    expect(result(judge([at(TX, page([booked('a')]))]), `${TX}:body-fields`)).toMatchObject({ status: 'passed', checked: 1 });
  });
});

describe('undeclared properties', () => {
  const list = {
    cardAccounts: [
      {
        resourceId: 'acc-1',
        maskedPan: '123456xxxxxx1234',
        currency: 'SEK',
        balances: [
          { balanceType: 'expected', balanceAmount: amount('10.00'), creditLimitincluded: true },
          { balanceType: 'expected', balanceAmount: amount('11.00'), creditLimitincluded: false },
        ],
        vendorFlag: 'x',
      },
    ],
  };

  it('one minor, optional rule per response: a violation per renamed or misspelt path, with did-you-mean; other names listed as extensions', () => {
    const r = result(judge([at(LIST, list)]), `${LIST}:undeclared-properties`);
    expect(r).toMatchObject({ status: 'failed', severity: 'minor', rule: { category: 'schema', mandatory: false } });
    expect(r.violations.map((v) => v.message)).toEqual([
      '/cardAccounts/*/balances/*/creditLimitincluded is not declared by the spec; did you mean creditLimitIncluded? (2 times, first at /cardAccounts/0/balances/0/creditLimitincluded)',
    ]);
    expect(r.message).toBe(
      `${r.violations[0]!.message}; undeclared properties, taken as vendor extensions (the standard allows them): /cardAccounts/*/vendorFlag`,
    );
  });

  it("a vendor extension alone (a link's verbs, a name far from every declared one) passes and is named", () => {
    const r = result(
      judge([at(LIST, { cardAccounts: [{ maskedPan: '123456xxxxxx1234', currency: 'SEK', _links: { balances: { href: '/b', verbs: ['GET'] } } }] })]),
      `${LIST}:undeclared-properties`,
    );
    expect(r).toMatchObject({
      status: 'passed',
      message: 'undeclared properties, taken as vendor extensions (the standard allows them): /cardAccounts/*/_links/balances/verbs',
    });
  });

  it('a SEB Kort style body also gets the did-you-mean: transactions for cardTransactions', () => {
    const r = result(judge([at(TX, { transactions: { booked: [], pending: [] } })]), `${TX}:undeclared-properties`);
    expect(r.violations.map((v) => v.message)).toEqual(['/transactions is not declared by the spec; did you mean cardTransactions? (at /transactions)']);
  });

  it('maskedPan where maskedPAN is specified, city for townName', () => {
    const body = page([booked('a', { maskedPAN: undefined, maskedPan: '123456xxxxxx1234', cardAcceptorAddress: { city: 'Stockholm', country: 'SE' } })]);
    const messages = result(judge([at(TX, body)]), `${TX}:undeclared-properties`).violations.map((v) => v.message);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/cardTransactions\/booked\/\*\/maskedPan is not declared by the spec; did you mean maskedPAN\?/),
        expect.stringMatching(/^\/cardTransactions\/booked\/\*\/cardAcceptorAddress\/city is not declared by the spec; did you mean townName\?/),
      ]),
    );
  });

  it('measures coverage: the share of declared properties the answers carried', () => {
    const r = result(judge([at(LIST, { cardAccounts: [{ maskedPan: '123456xxxxxx1234', currency: 'SEK' }] })]), `${LIST}:undeclared-properties`);
    expect(r.status).toBe('passed');
    expect(r.coverage!.exercised).toBe(3); // cardAccounts, …/maskedPan, …/currency
    expect(r.coverage!.properties).toBeGreaterThan(20);
    expect(toFinding(r)).toMatchObject({ checked: 2, coverage: r.coverage });
  });
});

describe('the account list failed: what depends on it is broken, never skipped', () => {
  const failedList = at(
    LIST,
    { tppMessages: [{ category: 'ERROR', code: 'INTERNAL_SERVER_ERROR' }] },
    { status: 500, url: 'http://127.0.0.1/v1/card-accounts' },
  );
  const results = judge([failedList], { 'per-account': 'the card-account list named no account, so no account was read' });

  it("every rule of the per-account operations is broken with the list's failure as reason", () => {
    const downstream = catalogue.rules.filter((r) => r.after);
    expect(downstream.length).toBeGreaterThan(100);
    for (const rule of downstream) {
      const r = result(results, rule.id);
      expect(r.status, rule.id).toBe('broken');
      expect(r.message, rule.id).toBe('no account was read: GET /v1/card-accounts answered 500, so its body could not be judged');
    }
    expect(result(results, 'semantic:pagination-complete').status).toBe('broken');
    expect(result(results, 'readCardAccountDetails:error:unknown-account-id').status).toBe('broken');
  });

  it('an empty list (answered 200) leaves them skipped, saying the list named no account', () => {
    const r = judge([at(LIST, { cardAccounts: [] })], { 'per-account': 'the card-account list named no account, so no account was read' });
    expect(result(r, 'readCardAccountDetails:status-code')).toMatchObject({
      status: 'skipped',
      message: 'the card-account list named no account, so no account was read',
    });
  });
});

describe('a skipped rule says why its request was not sent', () => {
  it("no date window could be chosen: the date-range rule names the collector's reason", () => {
    const why = 'no account had two or more booked transactions with a booking date to choose a date window from';
    const r = judge([at(TX, page([booked('a')]), { context: { accountId: 'acc-1', bookingStatus: 'booked', chain: 'account 1 (booked)', page: 1 } })], {
      'date-window': why,
    });
    expect(result(r, 'semantic:date-range-respected')).toMatchObject({ status: 'skipped', message: why });
  });
});

describe('per-page judgement', () => {
  const context = (n: number) => ({ accountId: 'acc-1', bookingStatus: 'booked', chain: 'account 1 (booked)', page: n });
  const pages = [
    at(TX, page([booked('a'), booked('b')], '/v1/card-accounts/acc-1/transactions?page=2'), {
      context: context(1),
      url: 'http://127.0.0.1/v1/card-accounts/acc-1/transactions?bookingStatus=booked',
    }),
    at(
      TX,
      { tppMessages: [{ category: 'ERROR', code: 'INTERNAL_SERVER_ERROR' }] },
      { status: 500, context: { ...context(2) }, url: 'http://127.0.0.1/v1/card-accounts/acc-1/transactions?page=2' },
    ),
    at(TX, page([booked('e')]), {
      context: { ...context(1), accountId: 'acc-2', chain: 'account 2 (booked)' },
      url: 'http://127.0.0.1/v1/card-accounts/acc-2/transactions?bookingStatus=booked',
    }),
  ];
  const results = judge(pages);

  it('the failed page fails the status-code rule; the body rules judge the pages received and name the page that failed', () => {
    expect(result(results, `${TX}:status-code`)).toMatchObject({
      status: 'failed',
      message: expect.stringMatching(/page=2 answered 500; the spec expects 200/),
    });
    const masking = result(results, `${TX}:/cardTransactions/booked/*/maskedPAN:masking`);
    expect(masking).toMatchObject({ status: 'passed', checked: 3 });
    expect(masking.message).toBe(
      'judged 3 instances on 2 responses; page 2 of account 1 (booked) could not be judged: GET /v1/card-accounts/acc-1/transactions?page=2 answered 500, so its body could not be judged',
    );
    expect(result(results, `${TX}:schema`)).toMatchObject({ status: 'passed', checked: 2 });
  });

  it('a violation on a received page still fails, and the message names the page not judged', () => {
    const bad = [...pages];
    bad[2] = at(TX, page([booked('e', { maskedPAN: '1234567812345678' })]), { context: { ...context(1), accountId: 'acc-2', chain: 'account 2 (booked)' } });
    const r = result(judge(bad), `${TX}:/cardTransactions/booked/*/maskedPAN:masking`);
    expect(r.status).toBe('failed');
    expect(r.message).toMatch(/; judged 3 instances on 2 responses; page 2 of account 1 \(booked\) could not be judged/);
  });

  it("a failed first page is still the request's failure: the body rules are broken", () => {
    const r = judge([pages[1]!].map((p) => ({ ...p, context: context(1) })));
    expect(result(r, `${TX}:schema`).status).toBe('broken');
  });
});

describe('CERTIFICATE_REVOKE in the spec, CERTIFICATE_REVOKED from the bank', () => {
  it('the certificate:revoked rule passes and says which spelling it saw', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cc-revoke-'));
    try {
      const official = buildCatalogue(loadSpecDocument(writeSpec(join(dir, 'official-401.json'), officialRevokeSpellingSpec())), profile);
      const rule = official.rules.find((r) => r.id === 'certificate:revoked')!;
      const control = at(LIST, { cardAccounts: [] }, { probe: 'sig:signature:accepts-signed-get' });
      const revoked = at(
        LIST,
        { tppMessages: [{ category: 'ERROR', code: 'CERTIFICATE_REVOKED', text: 'revoked' }] },
        { probe: 'sig:certificate:revoked', status: 401 },
      );
      const ctx = { exchanges: observe([control, revoked]), profile, validators: new SchemaValidators(official.defs), notSent: {} };
      const r = judgeRule(rule, ctx);
      expect(r.status, r.message).toBe('passed');
      expect(r.message).toBe("the bank answered CERTIFICATE_REVOKED; the spec's enum spells it CERTIFICATE_REVOKE; both spellings are accepted");
      // Another code outside that enum still fails the body check.
      const other = at(LIST, { tppMessages: [{ category: 'ERROR', code: 'CERTIFICATE_GONE', text: 'x' }] }, { probe: 'sig:certificate:revoked', status: 401 });
      expect(judgeRule(rule, { ...ctx, exchanges: observe([control, other]) }).status).toBe('failed');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
