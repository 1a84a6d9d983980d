import { describe, expect, it } from 'vitest';
import { exchange, messages, run, testKind } from '../testing.js';
import { required } from './required.js';

describe('required', () => {
  const params = { parent: '/cardAccounts/*', property: 'maskedPan', declaredBy: 'cardAccountDetails' };
  it('passes when every instance has the property', () => {
    const o = run(required, params, [exchange({ cardAccounts: [{ maskedPan: 'a' }, { maskedPan: 'b' }] })]);
    expect(o).toMatchObject({ checked: 2, violations: [] });
  });
  it('flags each instance without it, with the concrete path', () => {
    const o = run(required, params, [exchange({ cardAccounts: [{ maskedPan: 'a' }, { currency: 'SEK' }] })]);
    expect(o.violations).toHaveLength(1);
    expect(o.violations[0]).toMatchObject({ instancePath: '/cardAccounts/1/maskedPan' });
    expect(messages(o)[0]).toContain('required by cardAccountDetails');
  });
  it('flags an explicit null', () => {
    expect(run(required, params, [exchange({ cardAccounts: [{ maskedPan: null }] })]).violations).toHaveLength(1);
  });
  it('checks a property of the body itself', () => {
    expect(run(required, { parent: '', property: 'cardAccounts' }, [exchange({ accounts: [] })]).violations).toHaveLength(1);
  });
  it('judges nothing when the optional parent is absent', () => {
    expect(run(required, { parent: '/cardAccount/creditLimit', property: 'amount' }, [exchange({ cardAccount: {} })])).toMatchObject({
      checked: 0,
      violations: [],
    });
  });
});

testKind(required, {
  valid: [
    {
      name: 'every parent carries it',
      params: { parent: '/cardAccounts/*', property: 'maskedPan' },
      exchanges: [exchange({ cardAccounts: [{ maskedPan: 'a' }] })],
    },
  ],
  invalid: [
    {
      name: 'missing on one parent, null on another',
      params: { parent: '/cardAccounts/*', property: 'maskedPan', declaredBy: 'cardAccountDetails' },
      exchanges: [exchange({ cardAccounts: [{ currency: 'SEK' }, { maskedPan: null }] })],
      errors: ['maskedPan is missing at /cardAccounts/0 (required by cardAccountDetails)', 'maskedPan is null at /cardAccounts/1'],
    },
  ],
});
