import { describe, expect, it } from 'vitest';
import { Semaphore, TokenBucket } from './limiter.js';

describe('Semaphore', () => {
  it('admits at most max holders and serves waiters in order', async () => {
    const s = new Semaphore(2);
    const order: number[] = [];
    const r1 = await s.acquire();
    const r2 = await s.acquire();
    const p3 = s.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const p4 = s.acquire().then((r) => {
      order.push(4);
      return r;
    });
    await Promise.resolve();
    expect(s.inFlight).toBe(2);
    expect(order).toEqual([]);
    r1();
    r1(); // releasing twice must not free a second slot
    const r3 = await p3;
    expect(order).toEqual([3]);
    r2();
    const r4 = await p4;
    expect(order).toEqual([3, 4]);
    r3();
    r4();
    expect(s.inFlight).toBe(0);
  });

  it('rejects a nonsensical limit', () => {
    expect(() => new Semaphore(0)).toThrow(RangeError);
  });
});

describe('TokenBucket', () => {
  it('0 means unlimited', () => {
    const b = new TokenBucket(0);
    for (let i = 0; i < 100; i++) expect(b.reserve()).toBe(0);
  });

  it('spaces requests 1/rate apart by default', () => {
    let t = 1000;
    const b = new TokenBucket(5, { now: () => t });
    expect([b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 200, 400]);
    t += 1000; // idle for a second: the bucket refills to its size (1), no more
    expect([b.reserve(), b.reserve()]).toEqual([0, 200]);
  });

  it('allows a burst of the bucket size, then the rate', () => {
    const t = 0;
    const b = new TokenBucket(10, { burst: 3, now: () => t });
    expect([b.reserve(), b.reserve(), b.reserve(), b.reserve(), b.reserve()]).toEqual([0, 0, 0, 100, 200]);
  });

  it('supports fractional rates', () => {
    const b = new TokenBucket(0.5, { now: () => 0 });
    expect([b.reserve(), b.reserve()]).toEqual([0, 2000]);
  });
});
