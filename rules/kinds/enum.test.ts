import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { enumeration } from './enum.js';

const params = {
  path: '/balances/*/balanceType',
  values: ['closingBooked', 'expected', 'openingBooked', 'interimAvailable', 'interimBooked', 'forwardAvailable', 'nonInvoiced'],
  declaredBy: 'balanceType',
};
const body = (...types: unknown[]) => ({ balances: types.map((balanceType) => ({ balanceType })) });

describe('enum', () => {
  it('accepts every value of the list', () => {
    expect(run(enumeration, params, [exchange(body(...params.values))])).toMatchObject({ checked: 7, violations: [] });
  });
  it('flags a value outside it, and case drift', () => {
    const o = run(enumeration, params, [exchange(body('authorised', 'CLOSINGBOOKED'))]);
    expect(o.violations.map((v) => v.instancePath)).toEqual(['/balances/0/balanceType', '/balances/1/balanceType']);
    expect(o.violations[0]!.message).toContain('balanceType');
  });
});

testKind(enumeration, {
  valid: [{ name: 'values of the list', params, exchanges: [exchange(body('expected', 'closingBooked'))] }],
  invalid: [
    { name: 'case drift', params, exchanges: [exchange(body('EXPECTED'))], errors: ["'EXPECTED' at /balances/0/balanceType is not one of balanceType"] },
  ],
});
