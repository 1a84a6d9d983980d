import { exchange, testKind } from '../testing.js';
import { bookingStatus } from './booking-status.js';

const params = { booked: '/cardTransactions/booked', pending: '/cardTransactions/pending', entryId: 'cardTransactionId' };
const page = (booked: object[], pending: object[], context: Record<string, string>) => exchange({ cardTransactions: { booked, pending } }, { context });

testKind(bookingStatus, {
  valid: [
    {
      name: 'booked and pending lists kept apart',
      params,
      exchanges: [
        page([{ cardTransactionId: 'b1' }], [], { bookingStatus: 'booked', accountId: 'a' }),
        page([], [{ cardTransactionId: 'p1' }], { bookingStatus: 'pending', accountId: 'a' }),
      ],
    },
  ],
  invalid: [
    {
      name: 'a pending entry under bookingStatus=booked',
      params,
      exchanges: [page([], [{ cardTransactionId: 'p1' }], { bookingStatus: 'booked' })],
      errors: ['1 pending entry returned for bookingStatus=booked'],
    },
    {
      name: 'one entry both booked and pending',
      params,
      exchanges: [
        page([{ cardTransactionId: 'x' }], [], { bookingStatus: 'booked', accountId: 'a' }),
        page([], [{ cardTransactionId: 'x' }], { bookingStatus: 'pending', accountId: 'a' }),
      ],
      errors: ['entry x is reported both as booked and as pending'],
    },
  ],
});
