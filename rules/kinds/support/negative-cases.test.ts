import { describe, expect, it } from 'vitest';
import { loadProfile } from '../../../config/profile.js';
import { asSpecDocument, loadSpecDocument } from '../../../schemas/spec-document.js';
import { buildCatalogue } from '../../catalogue/generate.js';
import { negativeCasesFor, selectNegativeCases, type NegativeCase } from './negative-cases.js';
import { findOperations } from '../../operations.js';

const profile = loadProfile('berlin-group');
const spec = loadSpecDocument(profile.spec);
const operations = findOperations(spec, profile);
const opOf = (role: string) => operations.find((o) => o.role === role)!;
const casesOf = (role: string): NegativeCase[] => negativeCasesFor(spec, opOf(role));
const CARD_ROLES = ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions'];
const all = operations.filter((o) => CARD_ROLES.includes(o.role)).flatMap((o) => negativeCasesFor(spec, o));

describe('negative cases generated from the Berlin Group spec', () => {
  it('break each date parameter twice (an impossible date, text), the period once, and a type', () => {
    const tx = casesOf('readTransactions');
    const byId = new Map(tx.map((c) => [c.id, c]));
    expect(byId.get('getCardAccountTransactionList:query.dateFrom:negative-format')?.values).toEqual({ dateFrom: '2026-13-45' });
    expect(byId.get('getCardAccountTransactionList:query.dateFrom:negative-format-text')?.values).toEqual({ dateFrom: 'abc' });
    expect(byId.get('getCardAccountTransactionList:query.dateTo:negative-format')?.values).toEqual({ dateTo: '2026-13-45' });
    expect(byId.get('getCardAccountTransactionList:query.dateTo:negative-period')?.values).toEqual({ dateFrom: '2026-01-31', dateTo: '2026-01-01' });
    expect(byId.get('getCardAccountTransactionList:query.deltaList:negative-type')?.values).toEqual({ deltaList: 'maybe' });
  });

  it('give every operation a malformed X-Request-ID and an Accept it declares no content for', () => {
    for (const role of ['listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions']) {
      const op = opOf(role);
      const cases = casesOf(role);
      const requestId = cases.find((c) => c.id === `${op.operationId}:header.X-Request-ID:negative-format`);
      expect(requestId?.values).toEqual({ 'X-Request-ID': 'card-conformance-not-a-uuid' });
      const accept = cases.find((c) => c.constraint === 'accept')!;
      expect(accept.values).toEqual({ Accept: 'application/xml' });
      expect(accept.expected.map((e) => e.status)).toEqual([406, 400]);
    }
  });

  it('leave out what other rules own: signing headers, the required enum (an error probe), parameters without constraints', () => {
    const names = new Set(all.map((c) => c.name.toLowerCase()));
    const owned = ['digest', 'signature', 'tpp-signature-certificate', 'consent-id', 'account-id', 'bookingstatus', 'entryreferencefrom'];
    for (const n of owned) expect(names.has(n), n).toBe(false);
    expect(all.every((c) => c.id === `${c.operationId}:${c.in}.${c.name}:negative-${c.constraint}`)).toBe(true);
    expect(new Set(all.map((c) => c.id)).size).toBe(all.length);
  });

  it('break a pattern with a value the pattern rejects, an optional header enum with an unknown value', () => {
    const geo = all.find((c) => c.name === 'PSU-Geo-Location')!;
    expect(new RegExp('^GEO:-?[0-9]{1,2}\\.[0-9]{6};-?[0-9]{1,3}\\.[0-9]{6}$').test(geo.values['PSU-Geo-Location']!)).toBe(false);
    expect(geo.mandatory).toBe(false);
    expect(all.find((c) => c.name === 'PSU-Http-Method')?.values).toEqual({ 'PSU-Http-Method': 'card-conformance-unsupported' });
  });

  it('break maxLength by one where nothing else constrains the text, and nothing when a pattern does', () => {
    const doc = {
      openapi: '3.0.3',
      info: { title: 't', version: '1' },
      paths: {
        '/v1/card-accounts': {
          get: {
            operationId: 'list',
            parameters: [
              { name: 'PSU-ID', in: 'header', schema: { type: 'string', maxLength: 5 } },
              { name: 'PSU-Corporate-ID', in: 'header', schema: { type: 'string', maxLength: 5, pattern: '^[A-Z]+$' } },
              { name: 'page', in: 'query', schema: { type: 'integer' } },
            ],
            responses: { '200': { description: 'ok', content: { 'application/json': { schema: { type: 'object' } } } } },
          },
        },
      },
    };
    const s = asSpecDocument('inline.yaml', doc);
    const cases = negativeCasesFor(s, findOperations(s, profile)[0]!);
    expect(cases.map((c) => [c.id, Object.values(c.values)[0]])).toEqual([
      ['list:header.PSU-ID:negative-max-length', 'xxxxxx'],
      ['list:header.PSU-Corporate-ID:negative-pattern', '~'],
      ['list:query.page:negative-type', 'maybe'],
      ['list:header.Accept:negative-accept', 'application/xml'],
    ]);
  });
});

describe('the budget (limits.negativeRequests)', () => {
  it('takes one case of each kind of fault first, dates first, and lists the rest as left out', () => {
    const { selected, leftOut } = selectNegativeCases(all, 12);
    expect(selected).toHaveLength(12);
    expect(selected.length + leftOut.length).toBe(all.length);
    const kinds = new Set(all.map((c) => c.rank));
    // The first round holds one case of every rank, in rank order.
    expect(selected.slice(0, kinds.size).map((c) => c.rank)).toEqual([...kinds].sort((a, b) => a - b));
    expect(selected[0]!.constraint).toBe('format');
    expect(selected[0]!.name).toMatch(/^date(From|To)$/);
    expect(new Set([...selected.map((c) => c.id), ...leftOut]).size).toBe(all.length);
  });

  it('is deterministic for a seed; another seed changes the order within a kind only', () => {
    const a = selectNegativeCases(all, 100).selected.map((c) => c.id);
    expect(selectNegativeCases([...all].reverse(), 100).selected.map((c) => c.id)).toEqual(a);
    const b = selectNegativeCases(all, 100, 7).selected;
    expect(b.map((c) => c.rank)).toEqual(selectNegativeCases(all, 100).selected.map((c) => c.rank));
    expect(b.map((c) => c.id)).not.toEqual(a);
  });

  it('0 sends nothing and leaves every case out', () => {
    expect(selectNegativeCases(all, 0)).toEqual({ selected: [], leftOut: selectNegativeCases(all, 100).selected.map((c) => c.id) });
  });

  it('makes rules only for the cases it sends; the lifecycle rules do not count against it', () => {
    for (const budget of [0, 3, 12, 1000]) {
      const catalogue = buildCatalogue(spec, profile, { limits: { negativeRequests: budget } });
      const generated = catalogue.rules.filter((r) => r.kind === 'negative' && !r.id.includes(':consent-lifecycle:'));
      expect(generated).toHaveLength(Math.min(budget, all.length));
      expect(catalogue.negativeProbes.map((p) => p.probe)).toEqual(generated.map((r) => r.probes[0]));
      expect(catalogue.sampling.negative).toEqual({ generated: all.length, budget, leftOut: selectNegativeCases(all, budget).leftOut });
      expect(
        catalogue.rules
          .filter((r) => r.id.includes(':consent-lifecycle:'))
          .map((r) => r.id)
          .sort(),
      ).toEqual([
        'getCardAccountBalances:consent-lifecycle:deleted-consent-refused',
        'getCardAccountList:consent-lifecycle:deleted-consent-refused',
        'getCardAccountTransactionList:consent-lifecycle:deleted-consent-refused',
        'getConsentStatus:consent-lifecycle:terminated-by-tpp',
        'readCardAccountDetails:consent-lifecycle:deleted-consent-refused',
        'readCardAccountDetails:consent-lifecycle:outside-access',
      ]);
      const mine = catalogue.rules.filter((r) => r.id.includes(':negative-') || r.id.includes(':consent-lifecycle:'));
      expect(mine.every((r) => r.category === 'negative')).toBe(true);
    }
  });
});
