import { describe, expect, it } from 'vitest';
import { exchange, run } from '../testing.js';
import { bookingStatus } from './booking-status.js';
import { dateRange } from './date-range.js';
import { linksResolve } from './links-resolve.js';
import { pagination } from './pagination.js';

const paths = { booked: '/cardTransactions/booked', pending: '/cardTransactions/pending', entryId: 'cardTransactionId' };
const page = (booked: object[], pending: object[] | undefined, context: Record<string, string | number>) =>
  exchange({ cardTransactions: { booked, ...(pending ? { pending } : {}), _links: {} } }, { context });

describe('booking-status', () => {
  it('passes separate booked and pending lists', () => {
    const o = run(bookingStatus, paths, [
      page([{ cardTransactionId: 'b1' }], undefined, { bookingStatus: 'booked', accountId: 'a' }),
      page([], [{ cardTransactionId: 'p1' }], { bookingStatus: 'pending', accountId: 'a' }),
    ]);
    expect(o).toMatchObject({ checked: 2, violations: [] });
  });
  it('flags pending entries under bookingStatus=booked', () => {
    expect(run(bookingStatus, paths, [page([], [{ cardTransactionId: 'p1' }], { bookingStatus: 'booked' })]).violations).toHaveLength(1);
  });
  it('flags an entry reported as booked and as pending', () => {
    const o = run(bookingStatus, paths, [
      page([{ cardTransactionId: 'x' }], undefined, { bookingStatus: 'booked', accountId: 'a' }),
      page([], [{ cardTransactionId: 'x' }], { bookingStatus: 'pending', accountId: 'a' }),
    ]);
    expect(o.violations[0]!.message).toContain('both as booked and as pending');
  });
});

describe('date-range', () => {
  const params = { ...paths, bookingDate: 'bookingDate', entryDate: 'transactionDate' };
  it('passes dates inside the window (inclusive)', () => {
    expect(
      run(dateRange, params, [page([{ bookingDate: '2026-01-01' }, { bookingDate: '2026-01-31' }], [], { dateFrom: '2026-01-01', dateTo: '2026-01-31' })])
        .violations,
    ).toHaveLength(0);
  });
  it('flags a booking date outside it', () => {
    expect(run(dateRange, params, [page([{ bookingDate: '2025-12-31' }], [], { dateFrom: '2026-01-01', dateTo: '2026-01-31' })]).violations).toHaveLength(1);
  });
});

describe('pagination', () => {
  it('passes a chain with distinct entries', () => {
    const o = run(pagination, paths, [
      page([{ cardTransactionId: 'a' }], undefined, { chain: 'c', page: 1 }),
      page([{ cardTransactionId: 'b' }], undefined, { chain: 'c', page: 2, chainEnd: 'complete' }),
    ]);
    expect(o).toMatchObject({ checked: 1, violations: [] });
  });
  it('flags a duplicate entry across pages and a cycle', () => {
    const o = run(pagination, paths, [
      page([{ cardTransactionId: 'a' }], undefined, { chain: 'c', page: 1 }),
      page([{ cardTransactionId: 'a' }], undefined, { chain: 'c', page: 2, chainEnd: 'cycle' }),
    ]);
    expect(o.violations).toHaveLength(2);
  });
});

describe('links-resolve', () => {
  it('passes a 2xx and flags a 404', () => {
    expect(run(linksResolve, {}, [exchange({}, { status: 200 })]).violations).toHaveLength(0);
    expect(run(linksResolve, {}, [exchange({}, { status: 404 })]).violations).toHaveLength(1);
  });
});
