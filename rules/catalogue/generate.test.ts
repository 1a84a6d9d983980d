import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../config/profile.js';
import { CATEGORIES } from '../../core/model.js';
import { loadSpecDocument } from '../../schemas/spec-document.js';
import { KINDS } from '../registry.js';
import { buildCatalogue } from './generate.js';

const profile = loadProfile('berlin-group');
const catalogue = buildCatalogue(loadSpecDocument(profile.spec), profile);
const ids = catalogue.rules.map((r) => r.id);

describe('the catalogue generated from specs/berlin-group.openapi.yaml', () => {
  it('has unique ids, known kinds and categories', () => {
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of catalogue.rules) {
      expect(KINDS[r.kind], r.id).toBeDefined();
      expect(CATEGORIES).toContain(r.category);
      // Generated rules point into the spec; hand-written ones (chosen ids) may cite other clauses.
      if (!/^(semantic|signature|certificate|transport):/.test(r.id)) expect(r.specRef, r.id).toMatch(/^berlin-group\.openapi\.yaml#\//);
    }
  });

  it('has the per-operation rules for each of the eight operations', () => {
    for (const op of [
      'getCardAccountList',
      'readCardAccountDetails',
      'getCardAccountBalances',
      'getCardAccountTransactionList',
      'createConsent',
      'getConsentInformation',
      'getConsentStatus',
      'deleteConsent',
    ]) {
      expect(ids, op).toContain(`${op}:status-code`);
    }
    for (const op of ['getCardAccountList', 'readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList']) {
      for (const k of ['content-type', 'x-request-id', 'schema']) expect(ids).toContain(`${op}:${k}`);
    }
  });

  it('derives field rules from the schemas, through $ref, allOf and arrays', () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'readCardAccountDetails:/cardAccount/maskedPan:max-length', // the example id of docs/architecture.md
        'readCardAccountDetails:/cardAccount/maskedPan:masking',
        'getCardAccountList:/cardAccounts/*/maskedPan:required',
        'getCardAccountList:/cardAccounts/*/currency:currency',
        'getCardAccountList:/cardAccounts/*/balances/*/balanceType:enum',
        'getCardAccountBalances:/balances/*/balanceAmount:minor-units',
        'getCardAccountTransactionList:/cardTransactions/booked/*/maskedPAN:masking',
        'getCardAccountTransactionList:/cardTransactions/booked/*/originalAmount:minor-units',
        'getCardAccountTransactionList:/cardTransactions/booked/*/currencyExchange/*/targetCurrency:currency',
        'getCardAccountTransactionList:/cardTransactions/_links:required',
        'createConsent:/consentStatus:enum',
      ]),
    );
    const balanceType = catalogue.rules.find((r) => r.id === 'getCardAccountBalances:/balances/*/balanceType:enum')!;
    expect((balanceType.params as { values: string[] }).values).toHaveLength(7);
    const maskedPan = catalogue.rules.find((r) => r.id === 'readCardAccountDetails:/cardAccount/maskedPan:max-length')!;
    expect(maskedPan.params).toMatchObject({ maxLength: 35 });
  });

  it('derives the error probes from the parameters', () => {
    expect(ids).toEqual(
      expect.arrayContaining([
        'readCardAccountDetails:error:unknown-account-id',
        'getCardAccountList:error:missing-header-x-request-id',
        'getCardAccountList:error:missing-header-consent-id',
        'getCardAccountList:error:unknown-consent',
        'getCardAccountTransactionList:error:missing-query-bookingStatus',
      ]),
    );
    expect(ids).not.toContain('getCardAccountList:error:unknown-account-id'); // the list has no path id
  });

  it('adds the semantic rules', () => {
    expect(ids).toEqual(
      expect.arrayContaining(['semantic:booking-status-respected', 'semantic:date-range-respected', 'semantic:pagination-complete', 'semantic:links-resolve']),
    );
  });

  it('is stable: the same spec gives the same ids in the same order', () => {
    expect(buildCatalogue(loadSpecDocument(profile.spec), profile).rules.map((r) => r.id)).toEqual(ids);
  });
});
