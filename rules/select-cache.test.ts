import { describe, expect, it } from 'vitest';
import { selectAll } from './select.js';
import { patternOf, selectShared } from './select-cache.js';

const body = {
  cardTransactions: {
    booked: [{ transactionAmount: { amount: '1.00', currency: 'EUR' } }, { transactionAmount: { amount: 2, currency: 'SEK' }, 'a/b': { '~x': 1 } }],
    pending: [],
  },
  transactions: [
    { status: 'BOOKED', amount: 1 },
    { status: 'PENDING', amount: 2 },
    { status: 'BOOKED', amount: 3 },
  ],
  top: 'x',
};

describe('selectShared', () => {
  it('selects exactly what selectAll selects, whatever was selected before', () => {
    const paths = [
      '',
      '/top',
      '/cardTransactions/booked/*',
      '/cardTransactions/booked/*/transactionAmount/currency',
      '/cardTransactions/booked/*/transactionAmount',
      '/cardTransactions/booked/*/a~1b/~0x',
      '/cardTransactions/pending/*/x',
      '/transactions[status=BOOKED]/*/amount',
      '/transactions[status=BOOKED]/*',
      '/missing/*/x',
      '/top/*',
    ];
    for (const order of [paths, [...paths].reverse()]) {
      const root = structuredClone(body);
      const plain = (xs: readonly { pointer: string; value: unknown }[]) => xs.map((x) => ({ pointer: x.pointer, value: x.value }));
      for (const p of order) expect(plain(selectShared(root, p)), p).toEqual(selectAll(root, p));
    }
  });
  it('computes a selection once per body and path', () => {
    const root = structuredClone(body);
    expect(selectShared(root, '/cardTransactions/booked/*')).toBe(selectShared(root, '/cardTransactions/booked/*'));
    expect(selectShared(structuredClone(body), '/cardTransactions/booked/*')).not.toBe(selectShared(root, '/cardTransactions/booked/*'));
    expect(selectShared('text', '/a')).toEqual([]);
  });
  it('compiles a pattern once', () => {
    expect(patternOf('^\\d+$')).toBe(patternOf('^\\d+$'));
  });
});
