import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../core/model.js';
import { exchange, messages, run, testKind } from '../testing.js';
import { linksOrigin } from './links-origin.js';

const withRefused = (ex: Exchange, notFollowed: Exchange['notFollowed']): Exchange => ({ ...ex, notFollowed });

describe('links-origin', () => {
  it('passes answers whose links all stayed on the origin, counting each answer', () => {
    expect(run(linksOrigin, {}, [exchange({ _links: { next: { href: '/v1/x?page=2' } } }), exchange({})])).toMatchObject({ checked: 2, violations: [] });
  });
  it('reports each link that was not followed, naming the href, where it was found and that it was not followed', () => {
    const page = withRefused(
      exchange(
        { cardTransactions: { _links: { next: { href: 'https://evil.example/p2' } } } },
        { url: 'http://127.0.0.1/v1/card-accounts/a/transactions?bookingStatus=booked' },
      ),
      [
        {
          link: '_links.next',
          href: 'https://evil.example/p2',
          reason: "https://evil.example is not the bank's origin",
          pointer: '/cardTransactions/_links/next/href',
        },
      ],
    );
    const redirect = withRefused(exchange('', { status: 302, headers: { location: 'http://127.0.0.1:9/x' } }), [
      { link: 'redirect (Location)', href: 'http://127.0.0.1:9/x', reason: "http://127.0.0.1:9 is not the bank's origin" },
    ]);
    const o = run(linksOrigin, {}, [page, redirect]);
    expect(o.violations).toHaveLength(2);
    expect(o.violations[0]!.instancePath).toBe('/cardTransactions/_links/next/href');
    expect(messages(o)[0]).toBe(
      "link leaves the bank's origin: https://evil.example/p2 (_links.next in the answer to GET /v1/card-accounts/a/transactions?bookingStatus=booked); it was not followed: https://evil.example is not the bank's origin",
    );
    expect(messages(o)[1]).toContain('redirect (Location)');
  });
  it('says so when no answer was received at all', () => {
    const failed: Exchange = {
      probe: 'ok:test',
      operationId: 'test',
      endpoint: 'GET /test',
      request: { method: 'GET', url: 'http://127.0.0.1/test', headers: {} },
      failure: { kind: 'connection', message: 'refused' },
    };
    expect(run(linksOrigin, {}, [failed])).toMatchObject({ checked: 0, skipped: expect.stringContaining('no answer') });
  });
});

testKind(linksOrigin, {
  valid: [{ name: 'an answer whose links stayed on the origin', params: {}, exchanges: [exchange({ _links: { next: { href: '/v1/x?page=2' } } })] }],
  invalid: [
    {
      name: 'a next link to another origin',
      params: {},
      exchanges: [withRefused(exchange({}), [{ link: '_links.next', href: 'https://evil.example/p2', reason: "not the bank's origin" }])],
      errors: ["link leaves the bank's origin: https://evil.example/p2"],
    },
  ],
});
