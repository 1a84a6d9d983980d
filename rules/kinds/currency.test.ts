import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { currency } from './currency.js';

const body = (...codes: unknown[]) => ({ cardAccounts: codes.map((c) => ({ currency: c })) });
const params = { path: '/cardAccounts/*/currency' };

describe('currency', () => {
  it('accepts current ISO 4217 codes, XXX included', () => {
    expect(run(currency, params, [exchange(body('SEK', 'NOK', 'EUR', 'JPY', 'KWD', 'XXX'))])).toMatchObject({ checked: 6, violations: [] });
  });
  it('flags an unknown code as a major finding', () => {
    const o = run(currency, params, [exchange(body('ABC'))]);
    expect(o.violations).toHaveLength(1);
    expect(o.violations[0]!.severity).toBeUndefined(); // the rule's own severity: major
  });
  it('flags a historic code as minor', () => {
    const o = run(currency, params, [exchange(body('HRK', 'GGP'))]);
    expect(o.violations.map((v) => v.severity)).toEqual(['minor', 'minor']);
  });
  it('flags lower case, EURO and non-strings', () => {
    expect(run(currency, params, [exchange(body('sek', 'EURO', 978))]).violations).toHaveLength(3);
  });
  it('applies the profile list when the spec restricts the codes', () => {
    expect(run(currency, { ...params, allowed: ['NOK'] }, [exchange(body('NOK', 'SEK'))]).violations).toHaveLength(1);
  });
});

testKind(currency, {
  valid: [{ name: 'current ISO 4217 codes', params, exchanges: [exchange(body('SEK', 'EUR'))] }],
  invalid: [
    {
      name: 'an unknown code and a lower-case one',
      params,
      exchanges: [exchange(body('ABC', 'eur'))],
      errors: ['is not an ISO 4217 code', 'not three upper-case letters'],
    },
  ],
});
