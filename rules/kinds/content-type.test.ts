import { exchange, testKind } from '../testing.js';
import { contentType } from './content-type.js';

const params = { mediaTypes: ['application/json'] };

testKind(contentType, {
  valid: [
    {
      name: 'the declared media type, with a charset and in another case',
      params,
      exchanges: [exchange({}, { headers: { 'content-type': 'Application/JSON; charset=utf-8' } })],
    },
    {
      name: 'a refusal is not a success body (other rules judge it)',
      params,
      exchanges: [exchange({}), exchange('<html/>', { status: 500, headers: { 'content-type': 'text/html' } })],
    },
  ],
  invalid: [
    {
      name: 'an HTML page',
      params,
      exchanges: [exchange('<html/>', { headers: { 'content-type': 'text/html' } })],
      errors: ["Content-Type is 'text/html'; the spec declares application/json"],
    },
    { name: 'no Content-Type', params, exchanges: [exchange({}, { headers: { 'content-type': '' } })], errors: ['Content-Type is missing'] },
  ],
});
