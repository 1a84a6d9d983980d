import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { masking, maskingProblem } from './masking.js';
import { maxLength } from './max-length.js';

const body = (...pans: unknown[]) => ({ cardAccounts: pans.map((maskedPan) => ({ maskedPan })) });
const path = '/cardAccounts/*/maskedPan';

describe('max-length', () => {
  it('accepts a PAN mask at the limit', () => {
    expect(run(maxLength, { path, maxLength: 16, source: 'the profile' }, [exchange(body('123456xxxxxx1234'))])).toMatchObject({ checked: 1, violations: [] });
  });
  it('reports the length and the limit', () => {
    const o = run(maxLength, { path, maxLength: 16, source: 'the profile' }, [exchange(body('Xxxx Xxxx Xxxx 1111'))]);
    expect(o.violations[0]!.message).toBe('maskedPan has 19 characters; the profile allows 16');
  });
});

describe('masking', () => {
  it('accepts the usual masks', () => {
    for (const pan of ['123456xxxxxx1234', '5123********3283', 'xxxxxxxxxxxx1111', 'Xxxx Xxxx Xxxx 1111', '****-****-****-1234']) {
      expect(maskingProblem(pan, 6, 4), pan).toBeUndefined();
    }
  });
  it('flags a Luhn-valid full card number as critical and reports it masked', () => {
    const o = run(masking, { path }, [exchange(body('4925000000000004'))]);
    expect(o.violations[0]!.severity).toBe('critical');
    expect(o.violations[0]!.message).toContain('492500xxxxxx0004');
    expect(o.violations[0]!.message).not.toContain('4925000000000004');
  });
  it('flags too many visible digits and digits in the middle', () => {
    expect(maskingProblem('1234567xxxxx1234', 6, 4)?.critical).toBe(true);
    expect(maskingProblem('123456xxxxx12345', 6, 4)?.critical).toBe(true);
    expect(maskingProblem('1234xx5678xx1234', 6, 4)?.critical).toBe(true);
    expect(maskingProblem('1234567890123456', 6, 4)?.critical).toBe(true);
  });
  it('flags a value with no mask at all', () => {
    expect(maskingProblem('card ending', 6, 4)).toBeDefined();
  });
});

testKind(masking, {
  valid: [{ name: 'first six and last four digits', params: { path }, exchanges: [exchange(body('123456xxxxxx1234', '************1234'))] }],
  invalid: [{ name: 'a full card number', params: { path }, exchanges: [exchange(body('4111111111111111'))], errors: ['a full card number'] }],
});
