import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { consentStatus } from './consent-lifecycle.js';

const params = { expected: 'terminatedByTpp', after: "after the run's DELETE" };

describe('consent-status', () => {
  it('passes terminatedByTpp', () => {
    expect(run(consentStatus, params, [exchange({ consentStatus: 'terminatedByTpp' })])).toEqual({ checked: 1, violations: [] });
  });
  it('a consent still valid after DELETE is major; another status is minor', () => {
    const valid = run(consentStatus, params, [exchange({ consentStatus: 'valid' })]).violations[0];
    expect(valid).toMatchObject({ severity: 'major', message: "the consent status after the run's DELETE is 'valid'; expected 'terminatedByTpp'" });
    expect(run(consentStatus, params, [exchange({ consentStatus: 'expired' })]).violations[0]!.severity).toBe('minor');
  });
  it('a bank that forgot the consent is minor; a 5xx or a body without consentStatus fails', () => {
    const forgot = run(consentStatus, params, [exchange({ tppMessages: [{ category: 'ERROR', code: 'CONSENT_UNKNOWN' }] }, { status: 403 })]);
    const message = expect.stringContaining('answered 403 CONSENT_UNKNOWN: the bank no longer knows the consent');
    expect(forgot.violations[0]).toMatchObject({ severity: 'minor', message });
    expect(run(consentStatus, params, [exchange('', { status: 500 })]).violations[0]!.severity).toBeUndefined();
    expect(run(consentStatus, params, [exchange({ status: 'terminatedByTpp' })]).violations[0]!.message).toContain('without a consentStatus');
  });
});

testKind(consentStatus, {
  valid: [{ name: 'terminatedByTpp after the DELETE', params, exchanges: [exchange({ consentStatus: 'terminatedByTpp' })] }],
  invalid: [
    { name: 'still valid after the DELETE', params, exchanges: [exchange({ consentStatus: 'valid' })], errors: ["is 'valid'; expected 'terminatedByTpp'"] },
  ],
});
