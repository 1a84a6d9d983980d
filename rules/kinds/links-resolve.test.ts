import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../core/model.js';
import { exchange, messages, run, testKind } from '../testing.js';
import { linksResolve } from './links-resolve.js';

const attempt = (status: number, url: string, context: Exchange['context']): Exchange => exchange({}, { status, url, probe: 'follow:links', context });
const ctx = (linkId: string, convention: string, extra: Record<string, string> = {}) => ({
  linkId,
  link: 'transactions',
  href: '/v1/card-accounts/a/transactions',
  from: 'GET /v1/card-accounts',
  convention,
  ...extra,
});

describe('links-resolve', () => {
  it('passes a link that resolves on its second convention (base path) and counts the link once', () => {
    const o = run(linksResolve, {}, [
      attempt(404, 'http://h/v1/card-accounts/a/transactions?bookingStatus=booked', ctx('L1', 'against the origin')),
      attempt(200, 'http://h/api/v1/card-accounts/a/transactions?bookingStatus=booked', ctx('L1', "against baseUrl's path /api")),
    ]);
    expect(o).toMatchObject({ checked: 1, violations: [] });
  });
  it('fails a link no convention resolves, naming every URL fetched, the convention and the added query', () => {
    const o = run(linksResolve, {}, [
      attempt(404, 'http://h/v1/x?bookingStatus=booked', ctx('L1', 'against the origin', { addedQuery: 'bookingStatus=booked' })),
      attempt(404, 'http://h/api/v1/x?bookingStatus=booked', ctx('L1', "against baseUrl's path /api", { addedQuery: 'bookingStatus=booked' })),
      attempt(200, 'http://h/v1/y', ctx('L2', 'as given')),
    ]);
    expect(o.checked).toBe(2);
    expect(messages(o)).toEqual([
      "link transactions (/v1/card-accounts/a/transactions) from GET /v1/card-accounts does not resolve: GET http://h/v1/x?bookingStatus=booked (against the origin, added bookingStatus=booked) answered 404; GET http://h/api/v1/x?bookingStatus=booked (against baseUrl's path /api, added bookingStatus=booked) answered 404",
    ]);
  });
  it('is broken, not passed, when no try got an answer', () => {
    const lost: Exchange = {
      probe: 'follow:links',
      operationId: 'followLinks',
      endpoint: 'GET {_links href}',
      request: { method: 'GET', url: 'http://h/v1/x', headers: {} },
      failure: { kind: 'timeout', message: 'no answer in 10 s' },
      context: ctx('L1', 'as given'),
    };
    expect(run(linksResolve, {}, [lost])).toMatchObject({ checked: 0, violations: [], broken: expect.stringContaining('timeout') });
  });
});

testKind(linksResolve, {
  valid: [{ name: 'a link that answers 2xx', params: {}, exchanges: [attempt(200, 'http://h/v1/card-accounts/a/balances', ctx('L1', 'against the origin'))] }],
  invalid: [
    {
      name: 'a link that answers 404',
      params: {},
      exchanges: [attempt(404, 'http://h/v1/card-accounts/a/balances', ctx('L1', 'against the origin'))],
      errors: ['does not resolve'],
    },
  ],
});
