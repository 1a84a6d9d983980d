import { exchange, testKind } from '../testing.js';
import { dateRange } from './date-range.js';

const params = {
  booked: '/cardTransactions/booked',
  pending: '/cardTransactions/pending',
  entryId: 'cardTransactionId',
  bookingDate: 'bookingDate',
  entryDate: 'transactionDate',
};
const window = { dateFrom: '2026-01-01', dateTo: '2026-01-31' };
const page = (booked: object[], pending: object[]) => exchange({ cardTransactions: { booked, pending } }, { context: window });

testKind(dateRange, {
  valid: [{ name: "dates on the window's edges (inclusive)", params, exchanges: [page([{ bookingDate: '2026-01-01' }], [{ transactionDate: '2026-01-31' }])] }],
  invalid: [
    {
      name: 'a booking date before dateFrom',
      params,
      exchanges: [page([{ bookingDate: '2025-12-31' }], [])],
      errors: ['bookingDate 2025-12-31 at /cardTransactions/booked/0 is outside the requested 2026-01-01..2026-01-31'],
    },
    {
      name: 'a pending entry after dateTo, judged by its entry date',
      params,
      exchanges: [page([], [{ transactionDate: '2026-02-01' }])],
      errors: ['transactionDate 2026-02-01'],
    },
  ],
});
