// Shape adapters. The bank's data and handlers are Berlin Group–shaped; a profile whose API uses
// other field names or JSON types gets each card-account body rewritten here, per operation,
// before the mutation pipeline (so defects and the suite see what goes on the wire).
import type { WireShape } from './profiles.js';
import type { Amount, Balance, CardAccountRecord, CardTransaction, ReportExchangeRate } from './types.js';

type Json = Record<string, unknown>;

/** The body `operationId` sends in the profile's wire shape; `account` is the one the path names. */
export function adaptBody(wire: WireShape, operationId: string, body: Json, accounts: CardAccountRecord[], account?: CardAccountRecord): Json {
  switch (wire) {
    case 'berlin-group': return body;
    case 'handelsbanken': return handelsbanken(operationId, body, accounts, account);
  }
}

// ---- Handelsbanken (specs/handelsbanken.openapi.yaml) ------------------------------------

/**
 * An amount as a JSON number. The data's text has exactly the currency's minor units and at
 * most 15 significant digits, so Number() is exact and JSON.stringify writes the same digits
 * without trailing zeros: "2000.00" → 2000, "1250.50" → 1250.5, "-12.345" → -12.345.
 */
export function numberAmount(a: Amount): { currency: string; amount: number } {
  return { currency: a.currency, amount: Number(a.amount) };
}

/** Copies the listed keys that are present, in the spec's order. */
function pick<T extends object>(value: T, keys: (keyof T)[]): Json {
  const out: Json = {};
  for (const k of keys) if (value[k] !== undefined) out[k as string] = value[k];
  return out;
}

function hbBalance(b: Balance): Json {
  return { balanceType: b.balanceType, balanceAmount: numberAmount(b.balanceAmount), ...pick(b, ['creditLimitIncluded', 'lastChangeDateTime', 'referenceDate']) };
}

function hbTransaction(tx: CardTransaction): Json {
  const out = pick(tx, ['cardTransactionId', 'transactionDate', 'bookingDate', 'valueDate']);
  out.transactionAmount = numberAmount(tx.transactionAmount);
  if (tx.originalAmount) out.originalAmount = numberAmount(tx.originalAmount);
  if (tx.currencyExchange) out.currencyExchange = tx.currencyExchange.map((r: ReportExchangeRate) => pick(r, ['sourceCurrency', 'exchangeRate', 'unitCurrency', 'targetCurrency', 'quotationDate']));
  return { ...out, ...pick(tx, ['maskedPAN', 'transactionDetails', 'merchantCategoryCode', 'invoiced']) };
}

/** A BG account view (resourceId, maskedPan, …) as Handelsbanken's cardAccount (accountId, cards[], …). */
function hbAccount(view: Json, accounts: CardAccountRecord[]): Json {
  const record = accounts.find((a) => a.resourceId === view.resourceId);
  const pans = record?.cards ?? [String(view.maskedPan)];
  const out: Json = { accountId: view.resourceId, cards: pans.map((maskedPan) => ({ maskedPan })), currency: view.currency };
  if (view.product !== undefined) out.product = view.product;
  if (view.creditLimit !== undefined) out.creditLimit = numberAmount(view.creditLimit as Amount);
  if (Array.isArray(view.balances)) out.balances = (view.balances as Balance[]).map(hbBalance);
  if (view._links !== undefined) out._links = view._links;
  return out;
}

function handelsbanken(operationId: string, body: Json, accounts: CardAccountRecord[], account?: CardAccountRecord): Json {
  // cardAccountReference: the account's id and its own card's masked PAN.
  const reference = account && { accountId: account.resourceId, maskedPan: account.maskedPan };
  switch (operationId) {
    case 'getCardAccountList':
      return { cardAccounts: (body.cardAccounts as Json[]).map((v) => hbAccount(v, accounts)) };
    case 'readCardAccountDetails':
      return { cardAccount: hbAccount(body.cardAccount as Json, accounts) };
    case 'getCardAccountBalances':
      return { cardAccount: reference, balances: (body.balances as Balance[]).map(hbBalance) };
    case 'getCardAccountTransactionList': {
      const report = body.cardTransactions as { booked?: CardTransaction[]; pending?: CardTransaction[]; _links: unknown };
      const out: Json = {};
      if (report.booked) out.booked = report.booked.map(hbTransaction);
      if (report.pending) out.pending = report.pending.map(hbTransaction);
      out._links = report._links;
      return { cardAccount: reference, cardTransactions: out };
    }
  }
  return body;
}
