import { exchange, testKind } from '../testing.js';
import { pagination } from './pagination.js';

const params = { booked: '/cardTransactions/booked', pending: '/cardTransactions/pending', entryId: 'cardTransactionId' };
const page = (ids: string[], context: Record<string, string | number>) =>
  exchange({ cardTransactions: { booked: ids.map((cardTransactionId) => ({ cardTransactionId })) } }, { context });

testKind(pagination, {
  valid: [
    {
      name: 'a chain of distinct entries to its end',
      params,
      exchanges: [page(['a'], { chain: 'c', page: 1 }), page(['b'], { chain: 'c', page: 2, chainEnd: 'complete' })],
    },
  ],
  invalid: [
    {
      name: 'an entry on two pages',
      params,
      exchanges: [page(['a'], { chain: 'c', page: 1 }), page(['a'], { chain: 'c', page: 2, chainEnd: 'complete' })],
      errors: ['entry a appears again on page 2 of c (first on page 1)'],
    },
    {
      name: 'a next link back to a fetched page',
      params,
      exchanges: [page(['a'], { chain: 'c', page: 1 }), page(['b'], { chain: 'c', page: 2, chainEnd: 'cycle' })],
      errors: ['the next link of c leads back to a page already fetched'],
    },
  ],
});
