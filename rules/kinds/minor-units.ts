import { currencyInfo } from '../../schemas/currencies.js';
import { anchorPattern } from '../../schemas/json-schema.js';
import { flatten, isAmountObject } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { isRecord, preview } from '../select.js';
import { patternOf, selectShared } from '../select-cache.js';

export interface MinorUnitsParams {
  /** Path of the amount object(s): { currency, amount }. */
  path: string;
  /** The JSON type the spec gives `amount`: the Berlin Group standard requires a string. */
  amountType: 'string' | 'number';
  /** The spec's pattern for the amount string (anchored), if any. */
  pattern?: string;
  /** Fraction digits must equal the minor units exactly (not only not exceed them). */
  exact?: boolean;
}

const DECIMAL = /^-?\d+(?:\.(\d+))?$/;

/** Fraction digits of a decimal written as text; undefined when it is not a plain decimal. */
export function fractionDigits(text: string): number | undefined {
  const m = DECIMAL.exec(text);
  return m ? (m[1]?.length ?? 0) : undefined;
}

/** The shortest plain decimal text of a JSON number (no exponent). */
function numberText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/0+$/, '').replace(/\.$/, '');
}

/**
 * An amount is written in the form the spec requires, and its fraction digits do not exceed
 * the ISO 4217 minor units of its currency (JPY 0, SEK 2, KWD 3).
 */
export const minorUnits = defineKind<MinorUnitsParams>({
  kind: 'minor-units',
  category: 'minor-units',
  severity: 'major',
  idPattern: '{operationId}:{path}:minor-units',
  docs: {
    description: "Amounts are decimal strings whose fraction digits fit the currency's ISO 4217 minor units.",
    specRef: 'ISO 4217 minor units; Berlin Group amount',
  },
  needs: 'json-body',
  applies: {
    // An object with `amount` and `currency` is an amount.
    node: ({ spec, profile, op, node, specRef }) => {
      const { path, flat } = node;
      const declared = flat.properties.get('amount');
      if (!isAmountObject(flat) || !declared) return [];
      const amount = flatten(spec.document, declared);
      const amountType = amount.types.has('number') || amount.types.has('integer') ? 'number' : 'string';
      return [
        {
          id: `${op.operationId}:${path}:minor-units`,
          title: `${path || '/'} amount is a ${amountType} within its currency's ISO 4217 minor units`,
          specRef: specRef(amount.location),
          params: {
            path,
            amountType,
            pattern: amount.pattern ? anchorPattern(amount.pattern) : undefined,
            ...(profile.amounts.exactMinorUnits ? { exact: true } : {}),
          },
        },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const { path, amountType, pattern, exact } = input.params;
      const amountPattern = pattern ? patternOf(pattern) : undefined;
      let checked = 0;
      for (const o of selectShared(ex.json, path)) {
        if (!isRecord(o.value)) continue;
        const { amount, currency } = o.value as { amount?: unknown; currency?: unknown };
        if (amount === undefined) continue; // a missing amount is the required-field rule's finding
        checked++;
        // Built on first use: most amounts are fine and need no path.
        let atText: string | undefined;
        const atOf = (): string => (atText ??= `${o.pointer}/amount`);
        let text: string;
        if (amountType === 'string') {
          if (typeof amount !== 'string') {
            push({
              instancePath: atOf(),
              message: `amount at ${atOf()} is a JSON ${amount === null ? 'null' : typeof amount} (${preview(amount)}); the spec requires a string`,
            });
            continue;
          }
          if (amountPattern && !amountPattern.test(amount)) {
            push({ instancePath: atOf(), message: `amount ${preview(amount)} at ${atOf()} is not a decimal of the form ${pattern}` });
            continue;
          }
          text = amount;
        } else {
          if (typeof amount !== 'number' || !Number.isFinite(amount)) {
            push({ instancePath: atOf(), message: `amount at ${atOf()} is ${preview(amount)}; the spec requires a JSON number` });
            continue;
          }
          text = numberText(amount);
        }
        const digits = fractionDigits(text);
        if (digits === undefined) {
          push({ instancePath: atOf(), message: `amount ${preview(amount)} at ${atOf()} is not a plain decimal` });
          continue;
        }
        if (typeof currency !== 'string') continue; // the currency rule reports it
        const minor = currencyInfo(currency).digits;
        if (minor === undefined) continue; // unknown currency: the currency rule reports it
        if (digits > minor) {
          push({
            instancePath: atOf(),
            message: `amount ${preview(amount)} ${currency} at ${atOf()} has ${digits} fraction digit${digits === 1 ? '' : 's'}; ISO 4217 allows ${minor} for ${currency}`,
          });
        } else if (exact && digits !== minor) {
          push({
            instancePath: atOf(),
            message: `amount ${preview(amount)} ${currency} at ${atOf()} has ${digits} fraction digit${digits === 1 ? '' : 's'}; the profile requires exactly ${minor} for ${currency}`,
          });
        }
      }
      return checked;
    }),
});
