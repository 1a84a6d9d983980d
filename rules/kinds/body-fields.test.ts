import { exchange, testKind } from '../testing.js';
import { bodyFields } from './body-fields.js';

const params = { fields: ['cardTransactions', 'balances'] };

testKind(bodyFields, {
  valid: [{ name: 'a body with one of the fields', params, exchanges: [exchange({ cardTransactions: { booked: [] }, vendor: 1 })] }],
  invalid: [
    {
      name: 'the data under another key',
      params,
      exchanges: [exchange({ transactions: { booked: [] } })],
      errors: ['the body carries none of the fields the spec defines for this response; it has: transactions'],
    },
    { name: 'an array instead of an object', params, exchanges: [exchange([])], errors: ['the body is a JSON array'] },
  ],
});
