import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { didYouMean, undeclared } from './undeclared.js';

const params = {
  objects: { '': { names: ['cardAccounts'], open: false }, '/cardAccounts/*': { names: ['maskedPan', 'currency'], open: false } },
  properties: ['/cardAccounts', '/cardAccounts/*/maskedPan', '/cardAccounts/*/currency'],
};

testKind(undeclared, {
  valid: [
    { name: 'declared properties only', params, exchanges: [exchange({ cardAccounts: [{ maskedPan: 'x', currency: 'EUR' }] })] },
    {
      name: 'a vendor extension far from every declared name (listed, not failed)',
      params,
      exchanges: [exchange({ cardAccounts: [{ currency: 'EUR', acmeLoyaltyTier: 'gold' }] })],
    },
  ],
  invalid: [
    {
      name: 'a rename in other case',
      params,
      exchanges: [exchange({ cardAccounts: [{ maskedPAN: 'x', currency: 'EUR' }] })],
      errors: ['/cardAccounts/*/maskedPAN is not declared by the spec; did you mean maskedPan? (at /cardAccounts/0/maskedPAN)'],
    },
  ],
});

describe('undeclared-properties', () => {
  it('measures which declared properties the answers carried', () => {
    expect(run(undeclared, params, [exchange({ cardAccounts: [{ currency: 'EUR' }] })]).coverage).toEqual({ properties: 3, exercised: 2 });
  });
  it('suggests known renames and typos, nothing for a far name', () => {
    expect(didYouMean('city', ['townName'])).toBe('townName');
    expect(didYouMean('creditLimitincluded', ['creditLimitIncluded'])).toBe('creditLimitIncluded');
    expect(didYouMean('acmeLoyaltyTier', ['maskedPan', 'currency'])).toBeUndefined();
  });
});
