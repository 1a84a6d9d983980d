import { describe, expect, it } from 'vitest';
import { backoffDelay, isIdempotent, parseRetryAfter } from './retry.js';

describe('isIdempotent', () => {
  it.each(['GET', 'get', 'HEAD', 'OPTIONS', 'DELETE', 'PUT'])('%s may be retried', (m) => expect(isIdempotent(m)).toBe(true));
  it.each(['POST', 'PATCH', 'post'])('%s is never retried', (m) => expect(isIdempotent(m)).toBe(false));
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T12:00:00Z');
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });
  it('reads an HTTP date', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 12:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 11:59:00 GMT', now)).toBe(0); // in the past: go now
  });
  it('ignores what it cannot read', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('1.5', now)).toBeUndefined();
    expect(parseRetryAfter('-1', now)).toBeUndefined();
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, with jitter between half and all of the step', () => {
    expect(backoffDelay(0, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 10_000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 10_000, () => 0.5)).toBe(600);
  });
  it('is capped', () => {
    expect(backoffDelay(20, 100, 5_000, () => 1)).toBe(5_000);
  });
});
