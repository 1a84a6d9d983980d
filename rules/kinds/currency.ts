import { currencyInfo } from '../../schemas/currencies.js';
import { isCurrencyField } from '../../schemas/walk.js';
import { defineKind, perExchange } from '../kind.js';
import { preview } from '../select.js';
import { selectShared } from '../select-cache.js';

export interface CurrencyParams {
  path: string;
  /** A list of codes the profile allows (its schema's enum), when it restricts them. */
  allowed?: string[];
}

const ALPHA3 = /^[A-Z]{3}$/;

/** A currency field holds an ISO 4217 alpha-3 code (and one the profile allows). */
export const currency = defineKind<CurrencyParams>({
  kind: 'currency',
  category: 'currency',
  severity: 'major',
  idPattern: '{operationId}:{path}:currency',
  docs: {
    description: 'Currency codes are current ISO 4217 alpha-3 codes; historic codes are a minor finding, unknown ones a major one.',
    specRef: 'ISO 4217; Berlin Group currencyCode',
  },
  needs: 'json-body',
  applies: {
    node: ({ op, node, specRef }) => {
      const { path, flat } = node;
      if (path === '' || !isCurrencyField(node)) return [];
      const allowed = flat.enum?.filter((v): v is string => typeof v === 'string');
      return [
        { id: `${op.operationId}:${path}:currency`, title: `${path} is an ISO 4217 currency code`, specRef: specRef(flat.location), params: { path, allowed } },
      ];
    },
  },
  check: (input) =>
    perExchange(input, (ex, push) => {
      const found = selectShared(ex.json, input.params.path);
      for (const inst of found) {
        const value = inst.value;
        if (typeof value !== 'string') {
          push({ instancePath: inst.pointer, message: `currency at ${inst.pointer} is ${preview(value)}, not a string` });
          continue;
        }
        if (!ALPHA3.test(value)) {
          push({ instancePath: inst.pointer, message: `currency at ${inst.pointer} is ${preview(value)}, not three upper-case letters (ISO 4217 alpha-3)` });
          continue;
        }
        const info = currencyInfo(value);
        if (info.status === 'iso' && !input.params.allowed) continue; // the common case: nothing to say, no pointer built
        const pointer = inst.pointer;
        const at = { instancePath: pointer };
        if (input.params.allowed && !input.params.allowed.includes(value)) {
          push({ ...at, message: `currency ${value} at ${pointer} is not in the profile's currency list` });
        } else if (info.status === 'unknown') {
          push({ ...at, message: `currency ${value} at ${pointer} is not an ISO 4217 code` });
        } else if (info.status !== 'iso') {
          push({ ...at, severity: 'minor', message: `currency ${value} at ${pointer} is not a current ISO 4217 code: ${info.name}` });
        }
      }
      return found.length;
    }),
});
