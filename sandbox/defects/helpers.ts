// Small building blocks for defect and variant mutations: which responses to touch, and
// walks over the JSON bodies the bank produces.
import { minorUnits } from '../money.js';
import type { IncomingRequestInfo, MutationContext, RawMutationContext, RawResponse, SandboxResponse } from '../types.js';

export const CARD_OPS = ['getCardAccountList', 'readCardAccountDetails', 'getCardAccountBalances', 'getCardAccountTransactionList'] as const;
export type CardOperation = (typeof CARD_OPS)[number];

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const isSuccess = (r: { status: number }): boolean => r.status >= 200 && r.status < 300;
export const isCardOp = (operationId: string, ops: readonly string[] = CARD_OPS): boolean => ops.includes(operationId);

export function queryOf(request: IncomingRequestInfo): URLSearchParams {
  const i = request.path.indexOf('?');
  return new URLSearchParams(i < 0 ? '' : request.path.slice(i + 1));
}

/** Calls fn on every object inside a JSON value, parents first, with the key it sits under. */
export function visitObjects(value: unknown, fn: (obj: Record<string, unknown>, key: string | undefined) => void, key?: string): void {
  if (Array.isArray(value)) {
    for (const v of value) visitObjects(v, fn, key);
    return;
  }
  if (!isRecord(value)) return;
  fn(value, key);
  for (const [k, v] of Object.entries(value)) visitObjects(v, fn, k);
}

/** Every `{ currency, amount }` object (balanceAmount, transactionAmount, creditLimit, …). */
export function visitAmounts(value: unknown, fn: (a: { currency: string; amount: string }) => void): void {
  visitObjects(value, (o) => {
    if (typeof o.currency === 'string' && typeof o.amount === 'string') fn(o as { currency: string; amount: string });
  });
}

const CURRENCY_KEYS = new Set(['currency', 'sourceCurrency', 'targetCurrency', 'unitCurrency']);

/** Rewrites every currency code field through fn. */
export function mapCurrencies(value: unknown, fn: (code: string) => string): void {
  visitObjects(value, (o) => {
    for (const k of Object.keys(o)) if (CURRENCY_KEYS.has(k) && typeof o[k] === 'string') o[k] = fn(o[k]);
  });
}

/** ISO 4217 minor units, or undefined for a code the table does not know. */
export function digitsOf(currency: string): number | undefined {
  try {
    return minorUnits(currency);
  } catch {
    return undefined;
  }
}

/** An `apply` hook that edits the body of successful responses of the given operations. */
export function onSuccessBody(
  fn: (body: Record<string, unknown>, ctx: MutationContext) => Record<string, unknown> | void,
  ops: readonly string[] = CARD_OPS,
): (ctx: MutationContext) => SandboxResponse | void {
  return (ctx) => {
    if (!isCardOp(ctx.operationId, ops) || !isSuccess(ctx.response) || !isRecord(ctx.response.body)) return;
    const replaced = fn(ctx.response.body, ctx);
    if (replaced) ctx.response.body = replaced;
  };
}

/** A `raw` hook that rewrites the text of successful responses of the given operations. */
export function onSuccessText(
  fn: (text: string, ctx: RawMutationContext) => string,
  ops: readonly string[] = CARD_OPS,
): (ctx: RawMutationContext) => RawResponse | void {
  return (ctx) => {
    if (!isCardOp(ctx.operationId, ops) || !isSuccess(ctx.raw)) return;
    ctx.raw.bodyText = fn(ctx.raw.bodyText, ctx);
  };
}

/** Every `_links` object in a body, with its parent. */
export function visitLinks(body: unknown, fn: (links: Record<string, unknown>, parent: Record<string, unknown>) => void): void {
  visitObjects(body, (o) => {
    if (isRecord(o._links)) fn(o._links, o);
  });
}

/** The Luhn check digit that makes `digits` + it a valid card number. */
export function luhnCheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}
