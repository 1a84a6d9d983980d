import { describe, expect, it } from 'vitest';
import { generateBankData, sizedProfile } from './data.js';
import { addDays, isIsoDate } from './dates.js';
import { convertMinor, decimalText, formatMinor, minorUnits, parseDecimal, parseMinor } from './money.js';
import { getProfile } from './profiles.js';
import { createRng } from './prng.js';
import { BALANCE_TYPES, type Amount, type BankData, type CardTransaction } from './types.js';

const BERLIN_GROUP = getProfile('berlin-group');

const TODAY = '2026-11-20';
const data = generateBankData(BERLIN_GROUP, 1, TODAY);
const AMOUNT = /^-?[0-9]{1,14}(\.[0-9]{1,3})?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every {currency, amount} object anywhere in a value, with its JSON pointer. */
function amounts(value: unknown, pointer = ''): { pointer: string; amount: Amount }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => amounts(v, `${pointer}/${i}`));
  if (typeof value !== 'object' || value === null) return [];
  const obj = value as Record<string, unknown>;
  const own = typeof obj.currency === 'string' && 'amount' in obj ? [{ pointer, amount: obj as unknown as Amount }] : [];
  return [...own, ...Object.entries(obj).flatMap(([k, v]) => amounts(v, `${pointer}/${k}`))];
}

const allTransactions = (d: BankData): CardTransaction[] => d.accounts.flatMap((a) => [...a.booked, ...a.pending]);

describe('money', () => {
  it('formats minor units with exactly the currency digits', () => {
    expect(formatMinor(125_000n, 'JPY')).toBe('125000');
    expect(formatMinor(-4550n, 'SEK')).toBe('-45.50');
    expect(formatMinor(12_345n, 'KWD')).toBe('12.345');
    expect(formatMinor(5n, 'EUR')).toBe('0.05');
    expect(formatMinor(-5n, 'KWD')).toBe('-0.005');
    expect(formatMinor(0n, 'NOK')).toBe('0.00');
  });
  it('parses amounts back, fewer fraction digits allowed, more refused', () => {
    expect(parseMinor('-45.5', 'SEK')).toBe(-4550n);
    expect(parseMinor('12.500', 'KWD')).toBe(12_500n);
    expect(() => parseMinor('1.5', 'JPY')).toThrow('more fraction digits than JPY allows');
  });
  it('converts exactly with half-away-from-zero rounding', () => {
    expect(convertMinor(-3400n, 'JPY', 'SEK', parseDecimal('0.0691'))).toBe(-23_494n); // 234.94 SEK
    expect(convertMinor(-12_500n, 'KWD', 'EUR', parseDecimal('2.98507'))).toBe(-3731n);
    expect(convertMinor(1n, 'EUR', 'JPY', parseDecimal('162'))).toBe(2n); // 1.62 → 2
  });
  it('writes rates without exponents', () => {
    expect(decimalText(0.00206, 6)).toBe('0.00206');
    expect(decimalText(483.58, 6)).toBe('483.58');
    expect(decimalText(11.2, 6)).toBe('11.2');
  });
  it('knows the minor units of the bank currencies', () => {
    expect(['SEK', 'NOK', 'EUR', 'JPY', 'KWD'].map(minorUnits)).toEqual([2, 2, 2, 0, 3]);
  });
});

describe('prng', () => {
  it('is a pure function of its seed parts', () => {
    const a = createRng('x', 1),
      b = createRng('x', 1),
      c = createRng('x', 2);
    const seq = (r: ReturnType<typeof createRng>) => Array.from({ length: 5 }, () => r.int(1000));
    expect(seq(a)).toEqual(seq(b));
    expect(seq(createRng('x', 1))).not.toEqual(seq(c));
  });
});

describe('generated bank data', () => {
  it('is deterministic from seed and anchor date', () => {
    expect(JSON.stringify(generateBankData(BERLIN_GROUP, 1, TODAY))).toBe(JSON.stringify(data));
    expect(JSON.stringify(generateBankData(BERLIN_GROUP, 2, TODAY))).not.toBe(JSON.stringify(data));
    expect(JSON.stringify(generateBankData(BERLIN_GROUP, 1, '2026-11-21'))).not.toBe(JSON.stringify(data));
  });

  it('refuses an anchor that is not a date', () => {
    expect(() => generateBankData(BERLIN_GROUP, 1, '2026-02-30')).toThrow(/YYYY-MM-DD/);
  });

  it('has five card accounts in SEK, NOK, EUR, JPY and KWD with opaque unique ids', () => {
    expect(data.accounts.map((a) => a.currency)).toEqual(['SEK', 'NOK', 'EUR', 'JPY', 'KWD']);
    const ids = data.accounts.map((a) => a.resourceId);
    expect(new Set(ids).size).toBe(5);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(ids.every((id) => /[-_]/.test(id))).toBe(true);
  });

  it('masks every PAN as 6 digits, 6 x, 4 digits', () => {
    for (const a of data.accounts) {
      expect(a.maskedPan).toMatch(/^\d{6}x{6}\d{4}$/);
      for (const tx of [...a.booked, ...a.pending]) expect(tx.maskedPAN).toBe(a.maskedPan);
    }
  });

  it('fills every cardAccountDetails field within the BG limits', () => {
    for (const a of data.accounts) {
      expect(a).toMatchObject({ debitAccounting: false, status: 'enabled' });
      expect(['PRIV', 'ORGA']).toContain(a.usage);
      expect(a.ownerName!.length).toBeLessThanOrEqual(140);
      expect(a.name!.length).toBeLessThanOrEqual(70);
      expect(a.displayName!.length).toBeLessThanOrEqual(70);
      expect(a.product!.length).toBeLessThanOrEqual(35);
      expect(a.details!.length).toBeLessThanOrEqual(1000);
      expect(a.creditLimit!.currency).toBe(a.currency);
    }
  });

  it.each([1, 2, 3, 42, 2024])('writes every amount as a string within the currency minor units (seed %i)', (seed) => {
    const d = seed === 1 ? data : generateBankData(BERLIN_GROUP, seed, TODAY);
    const found = amounts(d.accounts);
    expect(found.length).toBeGreaterThan(200);
    for (const { pointer, amount } of found) {
      expect(typeof amount.amount, pointer).toBe('string');
      expect(amount.amount, pointer).toMatch(AMOUNT);
      const digits = amount.amount.split('.')[1]?.length ?? 0;
      expect(digits, `${pointer} ${amount.amount} ${amount.currency}`).toBe(minorUnits(amount.currency));
    }
  });

  it('uses all seven balance types, with dates and offset date-times', () => {
    const types = new Set(data.accounts.flatMap((a) => a.balances.map((b) => b.balanceType)));
    expect([...types].sort()).toEqual([...BALANCE_TYPES].sort());
    for (const a of data.accounts) {
      for (const b of a.balances) {
        expect(b.balanceAmount.currency).toBe(a.currency);
        expect(isIsoDate(b.referenceDate!)).toBe(true);
        expect(b.lastChangeDateTime).toMatch(DATE_TIME);
        expect(typeof b.creditLimitIncluded).toBe('boolean');
        expect(b.referenceDate! <= TODAY).toBe(true);
      }
    }
  });

  it('keeps balances consistent with the credit limit', () => {
    expect(data.accounts.length).toBeGreaterThan(0);
    for (const a of data.accounts) {
      const by = Object.fromEntries(a.balances.map((b) => [b.balanceType, parseMinor(b.balanceAmount.amount, a.currency)]));
      const limit = parseMinor(a.creditLimit!.amount, a.currency);
      if (by.interimBooked !== undefined && by.interimAvailable !== undefined) expect(by.interimAvailable).toBe(limit + by.interimBooked);
      if (by.openingBooked !== undefined && by.closingBooked !== undefined) expect(by.openingBooked).toBe(by.closingBooked);
      for (const b of a.balances) if (b.creditLimitIncluded) expect(parseMinor(b.balanceAmount.amount, a.currency) > 0n).toBe(true);
    }
  });

  it.each([1, 7, 99])('has 25–40 booked and 3–6 pending entries per account inside the 90 days before the anchor (seed %i)', (seed) => {
    const d = generateBankData(BERLIN_GROUP, seed, TODAY);
    const earliest = addDays(TODAY, -90);
    for (const a of d.accounts) {
      expect(a.booked.length).toBeGreaterThanOrEqual(25);
      expect(a.booked.length).toBeLessThanOrEqual(40);
      expect(a.pending.length).toBeGreaterThanOrEqual(3);
      expect(a.pending.length).toBeLessThanOrEqual(6);
      for (const tx of a.booked) {
        expect(tx.bookingDate! >= earliest && tx.bookingDate! < TODAY).toBe(true);
        expect(tx.transactionDate! <= tx.bookingDate!).toBe(true);
      }
      for (const tx of a.pending) {
        expect(tx.bookingDate).toBeUndefined();
        expect(tx.valueDate).toBeUndefined();
        expect(tx.invoiced).toBe(false);
        expect(tx.transactionDate! >= earliest && tx.transactionDate! < TODAY).toBe(true);
      }
    }
    const ids = allTransactions(d).map((tx) => tx.cardTransactionId!);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(35);
  });

  it('fills every BG cardTransaction field on some transaction', () => {
    const fields = [
      'cardTransactionId',
      'terminalId',
      'transactionDate',
      'acceptorTransactionDateTime',
      'bookingDate',
      'valueDate',
      'transactionAmount',
      'grandTotalAmount',
      'currencyExchange',
      'originalAmount',
      'markupFee',
      'markupFeePercentage',
      'cardAcceptorId',
      'cardAcceptorAddress',
      'cardAcceptorPhone',
      'merchantCategoryCode',
      'maskedPAN',
      'transactionDetails',
      'invoiced',
      'proprietaryBankTransactionCode',
    ];
    const txs = allTransactions(data);
    for (const field of fields)
      expect(
        txs.some((tx) => field in tx),
        field,
      ).toBe(true);
    const exchange = txs.flatMap((tx) => tx.currencyExchange ?? []);
    expect(exchange.some((x) => x.contractIdentification !== undefined)).toBe(true);
    const address = txs.map((tx) => tx.cardAcceptorAddress).filter((x) => x !== undefined);
    expect(address.some((x) => x.streetName && x.buildingNumber && x.townName && x.postCode)).toBe(true);
    expect(txs.some((tx) => tx.invoiced === true)).toBe(true);
  });

  it('writes card fields in the BG formats', () => {
    for (const tx of allTransactions(data)) {
      if (tx.cardAcceptorPhone !== undefined) expect(tx.cardAcceptorPhone).toMatch(/^\+[0-9]{1,3}-[0-9()+-]{1,30}$/);
      if (tx.merchantCategoryCode !== undefined) expect(tx.merchantCategoryCode).toMatch(/^\d{4}$/);
      if (tx.cardAcceptorAddress !== undefined) expect(tx.cardAcceptorAddress.country).toMatch(/^[A-Z]{2}$/);
      if (tx.acceptorTransactionDateTime !== undefined) {
        expect(tx.acceptorTransactionDateTime).toMatch(DATE_TIME);
        expect(tx.acceptorTransactionDateTime.slice(0, 10)).toBe(tx.transactionDate); // local date at the acceptor
      }
      for (const f of ['terminalId', 'cardAcceptorId', 'proprietaryBankTransactionCode'] as const) {
        if (tx[f] !== undefined) expect(tx[f].length).toBeLessThanOrEqual(35);
      }
    }
  });

  it('books foreign purchases in the account currency with the FX details, domestic ones without', () => {
    for (const a of data.accounts) {
      const txs = [...a.booked, ...a.pending];
      const foreign = txs.filter((tx) => tx.originalAmount !== undefined);
      expect(foreign.length, a.currency).toBeGreaterThan(0);
      for (const tx of txs) {
        expect(tx.transactionAmount.currency).toBe(a.currency);
        if (tx.originalAmount === undefined) {
          expect(tx.currencyExchange).toBeUndefined();
          continue;
        }
        const [fx] = tx.currencyExchange!;
        expect(tx.originalAmount.currency).not.toBe(a.currency);
        expect(fx).toMatchObject({
          sourceCurrency: tx.originalAmount.currency,
          unitCurrency: tx.originalAmount.currency,
          targetCurrency: a.currency,
          quotationDate: tx.transactionDate,
        });
        // transactionAmount = originalAmount × exchangeRate, to the minor unit.
        const expected = convertMinor(parseMinor(tx.originalAmount.amount, fx!.sourceCurrency), fx!.sourceCurrency, a.currency, parseDecimal(fx!.exchangeRate));
        expect(parseMinor(tx.transactionAmount.amount, a.currency)).toBe(expected);
        const fee = parseMinor(tx.markupFee!.amount, a.currency);
        expect(parseMinor(tx.grandTotalAmount!.amount, a.currency)).toBe(expected + fee);
      }
    }
    const sek = data.accounts[0]!,
      eur = data.accounts[2]!;
    expect(sek.booked.some((tx) => tx.originalAmount?.currency === 'JPY' && /^-\d+$/.test(tx.originalAmount.amount))).toBe(true);
    expect(eur.booked.some((tx) => tx.originalAmount?.currency === 'KWD' && /^-\d+\.\d{3}$/.test(tx.originalAmount.amount))).toBe(true);
  });

  it('quotes debits negative and credits positive, consistently inside a transaction', () => {
    for (const tx of allTransactions(data)) {
      const negative = tx.transactionAmount.amount.startsWith('-');
      expect(negative).toBe(tx.proprietaryBankTransactionCode !== 'PAYMENT');
      for (const other of [tx.originalAmount, tx.markupFee, tx.grandTotalAmount]) {
        if (other) expect(other.amount.startsWith('-')).toBe(negative);
      }
    }
  });

  it('lists entries newest first', () => {
    for (const a of data.accounts) {
      const dates = a.booked.map((tx) => tx.bookingDate!);
      expect([...dates].sort().reverse()).toEqual(dates);
    }
  });
});

describe('sized banks (benchmarks)', () => {
  it('leaves the default data as they are', () => {
    expect(sizedProfile(BERLIN_GROUP, {})).toBe(BERLIN_GROUP);
    expect(JSON.stringify(generateBankData(sizedProfile(BERLIN_GROUP, {}), 1, TODAY))).toBe(JSON.stringify(data));
  });
  it('repeats the account templates, each account with its own data, the first ones as by default', () => {
    const n = BERLIN_GROUP.accounts.length * 2 + 1;
    const big = generateBankData(sizedProfile(BERLIN_GROUP, { accounts: n }), 1, TODAY);
    expect(big.accounts).toHaveLength(n);
    expect(new Set(big.accounts.map((a) => a.resourceId)).size).toBe(n);
    expect(big.accounts[0]).toEqual(data.accounts[0]);
  });
  it('fixes the booked entries per account, every id distinct', () => {
    const long = generateBankData(sizedProfile(BERLIN_GROUP, { accounts: 1, transactionsPerAccount: 2000 }), 1, TODAY);
    expect(long.accounts[0]!.booked).toHaveLength(2000);
    expect(new Set(long.accounts[0]!.booked.map((t) => t.cardTransactionId)).size).toBe(2000);
  });
  it('refuses sizes that are not whole numbers in range', () => {
    expect(() => sizedProfile(BERLIN_GROUP, { accounts: 0 })).toThrow(/accounts must be a whole number/);
    expect(() => sizedProfile(BERLIN_GROUP, { transactionsPerAccount: 1.5 })).toThrow(/transactionsPerAccount must be a whole number/);
  });
});
