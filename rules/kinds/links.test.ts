import { describe, expect, it } from 'vitest';
import { exchange, run, testKind } from '../testing.js';
import { hrefProblem, links } from './links.js';

const params = { path: '/cardAccount/_links' };

describe('links', () => {
  it('accepts link objects with relative or absolute hrefs and vendor fields', () => {
    const o = run(links, params, [
      exchange({
        cardAccount: { _links: { balances: { href: '/v1/card-accounts/a/balances' }, transactions: { href: 'https://bank.example/v1/x', verbs: ['GET'] } } },
      }),
    ]);
    expect(o).toMatchObject({ checked: 1, violations: [] });
  });
  it('flags links as an array, as strings, and hrefs with spaces', () => {
    expect(run(links, params, [exchange({ cardAccount: { _links: [{ href: '/a' }] } })]).violations).toHaveLength(1);
    expect(run(links, params, [exchange({ cardAccount: { _links: { balances: '/v1/a' } } })]).violations).toHaveLength(1);
    expect(run(links, params, [exchange({ cardAccount: { _links: { balances: { href: '/v1/a b' } } } })]).violations).toHaveLength(1);
  });
  it('explains href problems', () => {
    expect([hrefProblem('/ok'), hrefProblem(''), hrefProblem('http://[bad')]).toEqual([undefined, 'is empty', 'is not a valid URI reference']);
  });
});

testKind(links, {
  valid: [
    { name: 'named links with hrefs', params, exchanges: [exchange({ cardAccount: { _links: { balances: { href: '/v1/card-accounts/a/balances' } } } })] },
  ],
  invalid: [
    {
      name: 'a link given as a string',
      params,
      exchanges: [exchange({ cardAccount: { _links: { balances: '/v1/x' } } })],
      errors: ["link 'balances' at /cardAccount/_links/balances"],
    },
  ],
});
