// Shape adapters. The bank's data and handlers are Berlin Group–shaped; a profile whose API uses
// other field names or JSON types gets each card-account body rewritten here, per operation,
// before the mutation pipeline (so defects and the suite see what goes on the wire).
import type { BankProfile } from './profiles.js';
import type { Amount, Balance, CardAccountRecord, CardTransaction } from './types.js';

type Json = Record<string, unknown>;

/** What an adapter may need besides the body: the bank's profile and data, and the request's origin. */
export interface ShapeContext {
  profile: BankProfile;
  accounts: CardAccountRecord[];
  /** The account the path names. */
  account?: CardAccountRecord;
  /** scheme://host[:port] the request reached, for profiles whose links are absolute URLs. */
  origin: string;
}

/** The body `operationId` sends in the profile's wire shape. */
export function adaptBody(operationId: string, body: Json, ctx: ShapeContext): Json {
  switch (ctx.profile.wire) {
    case 'berlin-group':
      return body;
    case 'handelsbanken':
      return handelsbanken(operationId, body, ctx);
  }
}

// ---- Handelsbanken (specs/profiles/handelsbanken/openapi.yaml) --------------------------

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

const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A link as the profile writes it: absolute on the bank's origin, or as the handler made it. */
function link(value: unknown, ctx: ShapeContext): unknown {
  if (!ctx.profile.absoluteLinks || !isJson(value) || typeof value.href !== 'string' || !value.href.startsWith('/')) return value;
  return { ...value, href: `${ctx.origin}${value.href}` };
}

/** Balances in the API's own codes; a type it has no code for is not reported. */
function hbBalances(balances: Balance[], ctx: ShapeContext): Json[] {
  const names = ctx.profile.balanceTypeNames ?? {};
  return balances.flatMap((b) => {
    const balanceType = names[b.balanceType];
    if (balanceType === undefined) return [];
    return [{ balanceType, balanceAmount: numberAmount(b.balanceAmount), ...pick(b, ['creditLimitIncluded', 'lastChangeDateTime', 'referenceDate']) }];
  });
}

/** One entry of the flat list: status and direction as words, the amount without sign. */
function hbTransaction(tx: CardTransaction, status: 'BOOKED' | 'PENDING'): Json {
  const out = pick(tx, ['transactionDate', 'bookingDate']);
  out.status = status;
  const amount = numberAmount(tx.transactionAmount);
  out.creditDebit = amount.amount < 0 ? 'DEBITED' : 'CREDITED';
  out.transactionAmount = { currency: amount.currency, amount: Math.abs(amount.amount) };
  if (tx.transactionDetails !== undefined) out.transactionDetails = tx.transactionDetails;
  if (tx.maskedPAN !== undefined) out.card = { maskedPan: tx.maskedPAN };
  return out;
}

/** A BG account view (resourceId, maskedPan, …) as Handelsbanken's cardAccount (accountId, cards[], …). */
function hbAccount(view: Json, ctx: ShapeContext): Json {
  const index = ctx.accounts.findIndex((a) => a.resourceId === view.resourceId);
  const record = ctx.accounts[index];
  const holders = ctx.profile.accounts[index]?.cardHolders ?? [];
  const pans = record?.cards ?? [String(view.maskedPan)];
  const out: Json = { accountId: view.resourceId, currency: view.currency };
  if (view.product !== undefined) out.product = view.product;
  out.cards = pans.map((maskedPan, i) => (holders[i] !== undefined ? { maskedPan, name: holders[i] } : { maskedPan }));
  if (view.creditLimit !== undefined) out.creditLimit = numberAmount(view.creditLimit as Amount);
  if (Array.isArray(view.balances)) out.balances = hbBalances(view.balances as Balance[], ctx);
  // The live list links each account to its transactions only.
  if (isJson(view._links) && view._links.transactions !== undefined) out._links = { transactions: link(view._links.transactions, ctx) };
  return out;
}

function handelsbanken(operationId: string, body: Json, ctx: ShapeContext): Json {
  const account = ctx.account;
  switch (operationId) {
    case 'getCardAccountList':
      return { cardAccounts: (body.cardAccounts as Json[]).map((v) => hbAccount(v, ctx)) };
    case 'readCardAccountDetails':
      return { cardAccount: hbAccount(body.cardAccount as Json, ctx) };
    case 'getCardAccountBalances':
      // cardAccountReference: the account's id and its own card's masked PAN.
      return { cardAccount: account && { accountId: account.resourceId, maskedPan: account.maskedPan }, balances: hbBalances(body.balances as Balance[], ctx) };
    case 'getCardAccountTransactionList': {
      // One flat list in the page's order (pending entries are the newest, so they lead).
      const report = body.cardTransactions as { booked?: CardTransaction[]; pending?: CardTransaction[]; _links: Json };
      const transactions = [
        ...(report.pending ?? []).map((tx) => hbTransaction(tx, 'PENDING')),
        ...(report.booked ?? []).map((tx) => hbTransaction(tx, 'BOOKED')),
      ];
      const links: Json = {};
      for (const name of ['first', 'previous', 'next', 'last']) if (report._links[name] !== undefined) links[name] = link(report._links[name], ctx);
      return { transactions, _links: links };
    }
  }
  return body;
}
