// Amounts are kept as integer minor units (bigint) and written as Berlin Group amount strings
// with exactly the currency's ISO 4217 minor units: "1250" JPY, "-45.50" SEK, "12.345" KWD.
import cc from 'currency-codes';
import type { Amount } from './types.js';

/** ISO 4217 minor units of a currency (currency-codes, ISO List One). */
export function minorUnits(currency: string): number {
  const digits = cc.code(currency)?.digits;
  if (digits === undefined) throw new Error(`unknown currency ${currency}`);
  return digits;
}

/** "-45.50" from -4550n minor units of SEK. */
export function formatMinor(minor: bigint, currency: string): string {
  const digits = minorUnits(currency);
  const negative = minor < 0n;
  const abs = (negative ? -minor : minor).toString().padStart(digits + 1, '0');
  const text = digits === 0 ? abs : `${abs.slice(0, -digits)}.${abs.slice(-digits)}`;
  return negative ? `-${text}` : text;
}

export function amountOf(minor: bigint, currency: string): Amount {
  return { currency, amount: formatMinor(minor, currency) };
}

/** Minor units of an amount string written with at most the currency's minor units. */
export function parseMinor(text: string, currency: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a decimal amount: ${text}`);
  const digits = minorUnits(currency);
  const fraction = (m[3] ?? '').padEnd(digits, '0');
  if (fraction.length > digits) throw new Error(`${text} has more fraction digits than ${currency} allows`);
  const value = BigInt((m[2] ?? '') + fraction);
  return m[1] ? -value : value;
}

/** A decimal written as text, as an exact fraction mantissa / 10^scale. */
export interface Decimal {
  mantissa: bigint;
  scale: number;
}

export function parseDecimal(text: string): Decimal {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!m) throw new Error(`not a plain decimal: ${text}`);
  return { mantissa: BigInt((m[1] ?? '') + (m[2] ?? '')), scale: (m[2] ?? '').length };
}

/** Division rounded half away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  const q = (an + ad / 2n) / ad;
  return negative ? -q : q;
}

/**
 * Converts minor units of `from` into minor units of `to` at `rate` (units of `to` per one
 * unit of `from`), exactly and rounded half away from zero.
 */
export function convertMinor(minor: bigint, from: string, to: string, rate: Decimal): bigint {
  const numerator = minor * rate.mantissa * 10n ** BigInt(minorUnits(to));
  const denominator = 10n ** BigInt(minorUnits(from) + rate.scale);
  return divRound(numerator, denominator);
}

/** `value` (a positive float) as a decimal string with `significant` significant digits, never in exponent form. */
export function decimalText(value: number, significant: number): string {
  if (!(value > 0) || !Number.isFinite(value)) throw new Error(`not a positive number: ${value}`);
  const magnitude = Math.floor(Math.log10(value));
  const decimals = Math.max(0, significant - 1 - magnitude);
  const text = value.toFixed(decimals);
  return text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
}
