import { exchange, testKind } from '../testing.js';
import { maxLength } from './max-length.js';

const body = (...pans: unknown[]) => ({ cardAccounts: pans.map((maskedPan) => ({ maskedPan })) });
const params = { path: '/cardAccounts/*/maskedPan', maxLength: 16, source: 'the profile' };

testKind(maxLength, {
  valid: [{ name: 'a mask at the limit', params, exchanges: [exchange(body('123456xxxxxx1234', 'xxxx1234'))] }],
  invalid: [
    {
      name: 'a mask one character over',
      params,
      exchanges: [exchange(body('123456xxxxxxx1234'))],
      errors: ['maskedPan has 17 characters; the profile allows 16'],
    },
  ],
});
