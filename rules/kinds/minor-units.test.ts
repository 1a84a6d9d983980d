import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { fractionDigits, minorUnits } from './minor-units.js';

const amounts = (...a: [unknown, string][]) => ({ balances: a.map(([amount, currency]) => ({ balanceAmount: { amount, currency } })) });
const params = { path: '/balances/*/balanceAmount', amountType: 'string' as const, pattern: '^-?[0-9]{1,14}(\\.[0-9]{1,3})?$' };

describe('minor-units', () => {
  it('accepts digits within the minor units, and fewer (BG allows "5768.2")', () => {
    const o = run(minorUnits, params, [exchange(amounts(['1250', 'JPY'], ['-45.50', 'SEK'], ['12.345', 'KWD'], ['5768.2', 'EUR'], ['15000', 'EUR']))]);
    expect(o).toMatchObject({ checked: 5, violations: [] });
  });
  it('flags more fraction digits than ISO 4217 allows', () => {
    const o = run(minorUnits, params, [exchange(amounts(['100.5', 'JPY'], ['1.234', 'SEK']))]);
    expect(o.violations.map((v) => v.instancePath)).toEqual(['/balances/0/balanceAmount/amount', '/balances/1/balanceAmount/amount']);
    expect(o.violations[0]!.message).toContain('ISO 4217 allows 0 for JPY');
  });
  it('flags a JSON number where the spec requires a string', () => {
    const o = run(minorUnits, params, [exchange(amounts([150.02, 'EUR']))]);
    expect(o.violations[0]!.message).toContain('JSON number');
  });
  it('flags strings that are not decimals of the spec form', () => {
    expect(run(minorUnits, params, [exchange(amounts(['1,50', 'EUR'], ['1.5e3', 'EUR'], [' 12', 'EUR']))]).violations).toHaveLength(3);
  });
  it('checks JSON numbers where the profile types them as numbers (Handelsbanken)', () => {
    const p = { path: '/balances/*/balanceAmount', amountType: 'number' as const };
    expect(run(minorUnits, p, [exchange(amounts([2000, 'SEK'], [12.5, 'SEK']))]).violations).toHaveLength(0);
    expect(run(minorUnits, p, [exchange(amounts([12.505, 'SEK'], ['12', 'SEK']))]).violations).toHaveLength(2);
  });
  it('requires exactly the minor units when the profile says so', () => {
    expect(run(minorUnits, { ...params, exact: true }, [exchange(amounts(['15000', 'EUR'], ['1.50', 'EUR']))]).violations).toHaveLength(1);
  });
  it('counts fraction digits', () => {
    expect([fractionDigits('1'), fractionDigits('-1.50'), fractionDigits('1.'), fractionDigits('x')]).toEqual([0, 2, undefined, undefined]);
  });
});

testKind(minorUnits, {
  valid: [{ name: 'fraction digits within the minor units', params, exchanges: [exchange(amounts(['1250', 'JPY'], ['-45.50', 'SEK']))] }],
  invalid: [
    { name: 'more fraction digits than ISO 4217 allows', params, exchanges: [exchange(amounts(['1250.5', 'JPY']))], errors: ['ISO 4217 allows 0 for JPY'] },
    { name: 'a JSON number where the spec requires a string', params, exchanges: [exchange(amounts([12.5, 'EUR']))], errors: ['the spec requires a string'] },
  ],
});
