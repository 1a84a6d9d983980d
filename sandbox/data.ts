// The reference bank's data: card accounts, balances and card transactions, all derived from
// the seed and the anchor date through seeded PRNG streams (one per account, so changing one
// account's template does not reshuffle the others). Amounts are computed in integer minor
// units and only written as strings at the end, so no float rounding reaches a response.
import { addDays, firstOfMonth, instantOf, isIsoDate, localDateTime } from './dates.js';
import { amountOf, convertMinor, decimalText, divRound, minorUnits, parseDecimal } from './money.js';
import { createRng, type Rng } from './prng.js';
import type { AccountTemplate, BankProfile, MerchantSeed } from './profiles.js';
import type { Balance, BalanceType, BankData, CardAccountRecord, CardTransaction } from './types.js';

export function generateBankData(profile: BankProfile, seed: number, today: string): BankData {
  if (!isIsoDate(today)) throw new Error(`sandbox: today must be a date as YYYY-MM-DD, got '${today}'`);
  const usedIds = new Set<string>();
  const accounts = profile.accounts.map((template, index) => generateAccount(profile, template, index, seed, today, usedIds));
  // A private copy of the profile: a mutation's mutateData must not reach other banks in the process.
  return { profile: structuredClone(profile), seed, today, accounts };
}

/**
 * The profile resized for a benchmark: `accounts` repeats its account templates (each account keeps
 * its own PRNG stream, so the data differ), `transactionsPerAccount` fixes the booked entries per
 * account. Without either, the profile itself: the default data stay exactly as they were.
 */
export function sizedProfile(profile: BankProfile, size: { accounts?: number; transactionsPerAccount?: number }): BankProfile {
  const { accounts, transactionsPerAccount: perAccount } = size;
  if (accounts === undefined && perAccount === undefined) return profile;
  if (accounts !== undefined && (!Number.isInteger(accounts) || accounts < 1 || accounts > 100_000)) {
    throw new Error(`sandbox: accounts must be a whole number from 1 to 100000, got ${accounts}`);
  }
  if (perAccount !== undefined && (!Number.isInteger(perAccount) || perAccount < 1 || perAccount > 1_000_000)) {
    throw new Error(`sandbox: transactionsPerAccount must be a whole number from 1 to 1000000, got ${perAccount}`);
  }
  const templates = profile.accounts;
  return {
    ...profile,
    // The templates' order is kept, so the first accounts are the default ones.
    // oxlint-disable-next-line typescript/no-non-null-assertion -- i % length is in range; a profile has accounts
    ...(accounts !== undefined ? { accounts: Array.from({ length: accounts }, (_, i) => templates[i % templates.length]!) } : {}),
    ...(perAccount !== undefined ? { bookedCount: [perAccount, perAccount] as [number, number] } : {}),
  };
}

/**
 * Sort key of an entry in time: booked entries count from their booking date, pending ones
 * from their transaction date (the dates the BG date filters use), then the acceptor time.
 * Used for the newest-first order and for entryReferenceFrom ("entries after this one").
 */
export function entryKey(tx: CardTransaction): string {
  const day = tx.bookingDate ?? tx.transactionDate ?? '';
  const ms = tx.acceptorTransactionDateTime ? instantOf(tx.acceptorTransactionDateTime) : NaN;
  const instant = Number.isNaN(ms) ? `${tx.transactionDate ?? day}T12:00:00.000Z` : new Date(ms).toISOString();
  return `${day}|${instant}|${tx.cardTransactionId ?? ''}`;
}

/** Sorts drafts newest first; each entry's key is computed once (a long history has millions of comparisons). */
function sortNewestFirst(drafts: Draft[]): void {
  const keys = new Map(drafts.map((d) => [d, entryKey(d.tx)]));
  const keyOf = (d: Draft): string => keys.get(d) ?? ''; // every draft has its key, set just above
  drafts.sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
}

/** Drops keys whose value is undefined, so `'field' in object` matches what is serialised. */
function compact<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}

function generateAccount(profile: BankProfile, t: AccountTemplate, index: number, seed: number, today: string, usedIds: Set<string>): CardAccountRecord {
  const rng = createRng('account', seed, today, index);
  // Opaque-ish ids with '-' or '_' in them: clients must treat them as opaque path segments.
  let resourceId: string;
  do resourceId = rng.bytes(12).toString('base64url');
  while (!/[-_]/.test(resourceId) || usedIds.has(resourceId));
  usedIds.add(resourceId);

  const maskedPan = `${t.bin}${profile.maskChar.repeat(6)}${rng.digits(4)}`;
  const currency = t.currency;
  const creditLimitMinor = BigInt(t.creditLimit) * 10n ** BigInt(minorUnits(currency));
  const owner = rng.pick(t.owners);
  const displayName = rng.pick(t.displayNames);

  const history = generateHistory(profile, t, rng, seed, today, maskedPan, usedIds);
  // Extra cards from their own stream, so adding them leaves every other value as it was.
  const cardRng = createRng('cards', seed, today, index);
  const cards = t.extraCards
    ? [maskedPan, ...Array.from({ length: t.extraCards }, () => `${t.bin}${profile.maskChar.repeat(6)}${cardRng.digits(4)}`)]
    : undefined;
  const balances = computeBalances(profile, t, today, creditLimitMinor, history);

  return compact<CardAccountRecord>({
    resourceId,
    maskedPan,
    currency,
    ownerName: owner,
    name: t.name,
    displayName,
    product: t.product,
    debitAccounting: false,
    status: 'enabled',
    usage: t.usage,
    details: t.details,
    creditLimit: amountOf(creditLimitMinor, currency),
    relatedAccount: t.relatedAccount && { other: { ...t.relatedAccount } },
    cards,
    balances,
    booked: history.booked.map((d) => d.tx),
    pending: history.pending.map((d) => d.tx),
  });
}

interface Draft {
  tx: CardTransaction;
  /** Effect on the account balance in account minor units (debits negative). */
  effect: bigint;
}

interface History {
  /** Debt before the first entry of the history (negative). */
  opening: bigint;
  booked: Draft[];
  pending: Draft[];
}

/** A purchase price: mostly small, sometimes large (a cubic skew), in EUR cents. */
function priceEurCents(rng: Rng): number {
  const r = rng.next();
  return 300 + Math.floor(24_700 * r * r * r);
}

function rateOf(profile: BankProfile, currency: string): number {
  const rate = profile.ratesPerEur[currency];
  if (rate === undefined) throw new Error(`sandbox profile ${profile.id}: no reference rate for ${currency}`);
  return rate;
}

function eurToMinor(profile: BankProfile, eurCents: number, currency: string): bigint {
  const rate = rateOf(profile, currency);
  const minor = Math.round((eurCents / 100) * rate * 10 ** minorUnits(currency));
  return BigInt(Math.max(1, minor));
}

function generateHistory(profile: BankProfile, t: AccountTemplate, rng: Rng, seed: number, today: string, maskedPan: string, usedIds: Set<string>): History {
  const home = profile.countries[t.home];
  if (!home) throw new Error(`sandbox profile ${profile.id}: unknown home country ${t.home}`);
  const invoiceDay = firstOfMonth(today);
  const uniqueId = (date: string): string => {
    let id: string;
    do id = `${date.replaceAll('-', '')}${rng.digits(8)}`;
    while (usedIds.has(id));
    usedIds.add(id);
    return id;
  };
  const foreignCountries = Object.keys(profile.countries).filter((c) => profile.countries[c]?.currency !== t.currency);

  const purchase = (transactionDate: string, bookingDate: string | undefined, forcedCountry?: string): Draft => {
    const countryCode = forcedCountry ?? (rng.chance(profile.foreignShare) ? rng.pick(foreignCountries) : t.home);
    const country = profile.countries[countryCode];
    if (!country) throw new Error(`sandbox profile ${profile.id}: no country ${countryCode}`);
    const merchant: MerchantSeed = rng.pick(country.merchants);
    const acceptorRng = createRng('acceptor', seed, merchant.name);
    const minute = rng.between(7 * 60, 21 * 60 + 59);
    const eurCents = priceEurCents(rng);
    const foreign = country.currency !== t.currency;
    const booked = bookingDate !== undefined;

    let transactionMinor: bigint;
    let fx: Partial<CardTransaction> = {};
    let effect: bigint;
    if (foreign) {
      const originalMinor = -eurToMinor(profile, eurCents, country.currency);
      const reference = rateOf(profile, t.currency) / rateOf(profile, country.currency);
      const exchangeRate = decimalText(reference * (1 + (rng.next() - 0.5) * 0.02), 6);
      transactionMinor = convertMinor(originalMinor, country.currency, t.currency, parseDecimal(exchangeRate));
      if (transactionMinor === 0n) transactionMinor = -1n;
      const pct = parseDecimal(profile.markupFeePercentage);
      let markupMinor = divRound(transactionMinor * pct.mantissa, 100n * 10n ** BigInt(pct.scale));
      if (markupMinor === 0n) markupMinor = -1n;
      const grandTotal = transactionMinor + markupMinor;
      effect = grandTotal;
      fx = {
        grandTotalAmount: amountOf(grandTotal, t.currency),
        currencyExchange: [
          {
            sourceCurrency: country.currency,
            exchangeRate,
            unitCurrency: country.currency,
            targetCurrency: t.currency,
            quotationDate: transactionDate,
            contractIdentification: `FX${transactionDate.replaceAll('-', '')}${rng.digits(6)}`,
          },
        ],
        originalAmount: amountOf(originalMinor, country.currency),
        markupFee: amountOf(markupMinor, t.currency),
        markupFeePercentage: profile.markupFeePercentage,
      };
    } else {
      transactionMinor = -eurToMinor(profile, eurCents, t.currency);
      effect = transactionMinor;
    }
    const id = uniqueId(transactionDate);
    const tx = compact<CardTransaction>({
      cardTransactionId: id,
      terminalId: rng.chance(0.8) ? `T${acceptorRng.digits(7)}` : undefined,
      transactionDate,
      acceptorTransactionDateTime: localDateTime(transactionDate, minute, rng.int(60), country.offset),
      bookingDate,
      valueDate: bookingDate,
      transactionAmount: amountOf(transactionMinor, t.currency),
      grandTotalAmount: fx.grandTotalAmount,
      currencyExchange: fx.currencyExchange,
      originalAmount: fx.originalAmount,
      markupFee: fx.markupFee,
      markupFeePercentage: fx.markupFeePercentage,
      cardAcceptorId: `${countryCode}${acceptorRng.digits(11)}`,
      cardAcceptorAddress: {
        streetName: merchant.streetName,
        buildingNumber: merchant.buildingNumber,
        townName: merchant.townName,
        postCode: merchant.postCode,
        country: countryCode,
      },
      cardAcceptorPhone: merchant.phone,
      merchantCategoryCode: merchant.mcc,
      maskedPAN: maskedPan,
      transactionDetails: `${merchant.name}, ${merchant.townName}`,
      invoiced: booked ? bookingDate < invoiceDay : false,
      proprietaryBankTransactionCode: foreign ? 'PURCHASE-FX' : 'PURCHASE',
    });
    return { tx, effect };
  };

  // Booked purchases over the history window, strictly before the anchor date (nothing in the
  // future even when the anchor is the real current date).
  const bookedCount = rng.between(profile.bookedCount[0], profile.bookedCount[1]);
  const firstDay = addDays(today, -(profile.historyDays - 1));
  const dueDates: string[] = [];
  for (let day = firstOfMonth(firstDay); day < today; day = firstOfMonth(addDays(day, 32))) {
    const due = addDays(day, profile.paymentDueDay - 1);
    if (due >= firstDay && due < today) dueDates.push(due);
  }
  const purchaseCount = bookedCount - dueDates.length;
  const booked: Draft[] = [];
  for (let k = 0; k < purchaseCount; k++) {
    const transactionDate = addDays(today, -rng.between(3, profile.historyDays - 1));
    const bookingDate = addDays(transactionDate, rng.between(1, 2));
    booked.push(purchase(transactionDate, bookingDate, t.forcedForeign[k]));
  }

  // The invoice of each month is paid in full on its due date: a credit (positive) entry.
  const opening = -eurToMinor(profile, rng.between(20_000, 150_000), t.currency);
  for (const due of dueDates) {
    const invoiceDate = firstOfMonth(due);
    const debt = opening + booked.filter((d) => d.tx.bookingDate !== undefined && d.tx.bookingDate < invoiceDate).reduce((s, d) => s + d.effect, 0n);
    const paid = debt < 0n ? -debt : 10n ** BigInt(minorUnits(t.currency));
    const tx = compact<CardTransaction>({
      cardTransactionId: uniqueId(due),
      transactionDate: due,
      bookingDate: due,
      valueDate: due,
      transactionAmount: amountOf(paid, t.currency),
      maskedPAN: maskedPan,
      transactionDetails: 'Payment received, thank you',
      invoiced: due < invoiceDay,
      proprietaryBankTransactionCode: 'PAYMENT',
    });
    booked.push({ tx, effect: paid });
  }

  const pendingCount = rng.between(profile.pendingCount[0], profile.pendingCount[1]);
  const pending: Draft[] = [];
  for (let k = 0; k < pendingCount; k++) pending.push(purchase(addDays(today, -rng.between(1, 3)), undefined));

  sortNewestFirst(booked);
  sortNewestFirst(pending);
  return { opening, booked, pending };
}

function computeBalances(profile: BankProfile, t: AccountTemplate, today: string, creditLimit: bigint, h: History): Balance[] {
  const invoiceDay = firstOfMonth(today);
  const statementDay = addDays(invoiceDay, -1);
  const sum = (drafts: Draft[]): bigint => drafts.reduce((s, d) => s + d.effect, 0n);
  const invoicedDebt = h.opening + sum(h.booked.filter((d) => d.tx.bookingDate !== undefined && d.tx.bookingDate < invoiceDay));
  const nonInvoiced = sum(h.booked.filter((d) => d.tx.bookingDate !== undefined && d.tx.bookingDate >= invoiceDay));
  const bookedDebt = invoicedDebt + nonInvoiced;
  const pending = sum(h.pending);
  const lastBooked = h.booked[0]?.tx.cardTransactionId;
  const at = (date: string, minute: number, second = 0): string => localDateTime(date, minute, second, profile.bankOffset);
  const current = at(today, 15); // 00:15 on the anchor day: never in the future of "today"

  const balance = (type: BalanceType): Balance => {
    const b = (minor: bigint, referenceDate: string, lastChangeDateTime: string, creditLimitIncluded: boolean, extra: Partial<Balance> = {}): Balance =>
      compact<Balance>({ balanceAmount: amountOf(minor, t.currency), balanceType: type, creditLimitIncluded, lastChangeDateTime, referenceDate, ...extra });
    switch (type) {
      // closingBooked: invoiced and not yet paid, as of the last statement day.
      case 'closingBooked':
        return b(invoicedDebt, statementDay, at(statementDay, 23 * 60 + 59, 59), false);
      // openingBooked: the same amount, carried into the current invoice period.
      case 'openingBooked':
        return b(invoicedDebt, invoiceDay, at(invoiceDay, 0), false);
      case 'interimBooked':
        return b(bookedDebt, today, current, false, { lastCommittedTransaction: lastBooked });
      case 'nonInvoiced':
        return b(nonInvoiced, today, current, false);
      // The available amounts include the credit limit ("money to spend").
      case 'interimAvailable':
        return b(creditLimit + bookedDebt, today, current, true);
      case 'expected':
        return b(creditLimit + bookedDebt + pending, today, current, true);
      case 'forwardAvailable':
        return b(creditLimit + bookedDebt + pending, today, current, true);
    }
  };
  return t.balanceTypes.map(balance);
}
