import { describe, expect, it } from 'vitest';
import type { OperationInfo } from '../rules/operations.js';
import { linkCandidates, operationFor, withRequiredQuery } from './link-resolver.js';

const tx = {
  operationId: 'getCardAccountTransactionList',
  method: 'get',
  path: '/v1/card-accounts/{account-id}/transactions',
  parameters: [
    { name: 'account-id', in: 'path', required: true },
    { name: 'bookingStatus', in: 'query', required: true, enum: ['information', 'booked', 'pending', 'both'] },
    { name: 'dateFrom', in: 'query', required: false },
  ],
} as unknown as OperationInfo; // only the fields the resolver reads
const details = { operationId: 'readCardAccountDetails', method: 'get', path: '/v1/card-accounts/{account-id}', parameters: [] } as unknown as OperationInfo;

describe('linkCandidates', () => {
  it('takes an absolute href as given', () => {
    expect(linkCandidates('https://other.example/x', 'https://bank.example/api/v1/a', 'https://bank.example/api')).toEqual([
      { url: 'https://other.example/x', convention: 'as given' },
    ]);
  });
  it("resolves a path-absolute href against the origin, then under baseUrl's path when it lacks it", () => {
    expect(linkCandidates('/v1/a/b?c=1', 'https://bank.example/api/v1/a', 'https://bank.example/api/')).toEqual([
      { url: 'https://bank.example/v1/a/b?c=1', convention: 'against the origin' },
      { url: 'https://bank.example/api/v1/a/b?c=1', convention: "against baseUrl's path /api" },
    ]);
    expect(linkCandidates('/v1/a', 'https://bank.example/api/v1', 'https://bank.example/api', true).map((c) => c.convention)[0]).toBe(
      "against baseUrl's path /api",
    );
  });
  it('has one candidate where the href carries the base path or baseUrl has none; none for a broken href', () => {
    expect(linkCandidates('/api/v1/a', 'https://bank.example/api/v1', 'https://bank.example/api')).toHaveLength(1);
    expect(linkCandidates('/v1/a', 'https://bank.example/v1', 'https://bank.example')).toHaveLength(1);
    expect(linkCandidates('balances', 'https://bank.example/api/v1/card-accounts/x/', 'https://bank.example/api')).toEqual([
      { url: 'https://bank.example/api/v1/card-accounts/x/balances', convention: "against the answer's URL" },
    ]);
    expect(linkCandidates('/v1/a b', 'https://bank.example/', 'https://bank.example')).toEqual([]);
  });
});

describe('operationFor and withRequiredQuery', () => {
  it('finds the operation by path template, with or without the base path', () => {
    expect(operationFor('https://bank.example/api/v1/card-accounts/a!b=/transactions?x=1', [details, tx], 'https://bank.example/api')?.operationId).toBe(
      'getCardAccountTransactionList',
    );
    expect(operationFor('https://bank.example/v1/card-accounts/a', [tx, details], 'https://bank.example/api')?.operationId).toBe('readCardAccountDetails');
    expect(operationFor('https://bank.example/v1/consents/a', [tx, details], 'https://bank.example')).toBeUndefined();
  });
  it('adds a missing required parameter (carried value first, else booked) and nothing else', () => {
    expect(withRequiredQuery('https://b/v1/card-accounts/a/transactions', tx)).toEqual({
      url: 'https://b/v1/card-accounts/a/transactions?bookingStatus=booked',
      added: ['bookingStatus=booked'],
    });
    expect(withRequiredQuery('https://b/v1/card-accounts/a/transactions?page=2', tx, new URLSearchParams('bookingStatus=pending')).added).toEqual([
      'bookingStatus=pending',
    ]);
    expect(withRequiredQuery('https://b/x?bookingStatus=both', tx)).toEqual({ url: 'https://b/x?bookingStatus=both', added: [] });
    expect(withRequiredQuery('https://b/x', undefined)).toEqual({ url: 'https://b/x', added: [] });
  });
});
