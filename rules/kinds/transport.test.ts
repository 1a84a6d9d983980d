import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { transport } from './transport.js';

describe('transport', () => {
  it('passes complete answers, whatever their status', () => {
    expect(run(transport, {}, [exchange({}), exchange({}, { status: 503 })])).toMatchObject({ checked: 2, violations: [] });
  });
  it('fails each request that timed out, was reset or cut', () => {
    const timedOut = { ...exchange({}), response: undefined, failure: { kind: 'timeout' as const, message: 'no answer within 1000 ms' } };
    const cut = { ...exchange('{"a":'), failure: { kind: 'too-large' as const, message: 'cut at 5 MiB' } };
    const o = run(transport, {}, [timedOut, cut]);
    expect(o.violations.map((v) => v.message)).toEqual(['GET /test: timeout: no answer within 1000 ms', 'GET /test: too-large: cut at 5 MiB']);
  });
});

testKind(transport, {
  valid: [{ name: 'a complete answer, whatever its status', params: {}, exchanges: [exchange({}, { status: 503 })] }],
  invalid: [
    {
      name: 'a timeout',
      params: {},
      exchanges: [{ ...exchange({}), response: undefined, failure: { kind: 'timeout', message: 'no answer' } }],
      errors: ['GET /test: timeout: no answer'],
    },
  ],
});
