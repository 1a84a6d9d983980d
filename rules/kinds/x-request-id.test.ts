import { exchange, testKind } from '../testing.js';
import { xRequestId } from './x-request-id.js';

const id = '2f3c9ab0-1111-4222-8333-444455556666';

testKind(xRequestId, {
  valid: [{ name: 'echoed (case of the value aside)', params: {}, exchanges: [exchange({}, { headers: { 'x-request-id': id.toUpperCase() } })] }],
  invalid: [
    { name: 'not echoed', params: {}, exchanges: [exchange({})], errors: ['X-Request-ID is not echoed in the response'] },
    {
      name: 'another id echoed',
      params: {},
      exchanges: [exchange({}, { headers: { 'x-request-id': 'other' } })],
      errors: [`X-Request-ID echoed as 'other', but '${id}' was sent`],
    },
  ],
});
