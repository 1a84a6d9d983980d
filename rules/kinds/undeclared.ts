import { suggest } from '../../lib/config/suggest.js';
import type { CheckOutcome } from '../../lib/model.js';
import type { DeclaredProperties } from '../catalogue/declared.js';
import type { RuleKind } from '../kind.js';
import { isRecord } from '../select.js';

export type UndeclaredParams = DeclaredProperties;

/**
 * Renames seen at real banks that no edit distance finds (Berlin Group address fields and the
 * like): undeclared name (lower case) → the declared names it may stand for.
 */
const SYNONYMS: Record<string, string[]> = {
  city: ['townName'],
  town: ['townName'],
  street: ['streetName'],
  zip: ['postCode'],
  zipcode: ['postCode'],
  postalcode: ['postCode'],
  postcode: ['postCode'],
  housenumber: ['buildingNumber'],
  transactions: ['cardTransactions'],
  accounts: ['cardAccounts'],
  account: ['cardAccount'],
  accountid: ['resourceId'],
  id: ['resourceId', 'cardTransactionId', 'transactionId'],
  amount: ['transactionAmount', 'balanceAmount'],
  status: ['bookingStatus', 'consentStatus'],
};

/** The declared name an undeclared one probably means, if any. */
export function didYouMean(name: string, declared: string[]): string | undefined {
  const synonym = (SYNONYMS[name.toLowerCase()] ?? []).find((s) => declared.includes(s));
  if (synonym) return synonym;
  return suggest(name, declared);
}

const MAX_DEPTH = 32;
const escapeToken = (t: string): string => t.replace(/~/g, '~0').replace(/\//g, '~1');

interface Seen { first: string; count: number; exchange: number; suggestion?: string }

/**
 * Every property the body carries is declared by the spec (minor, not mandatory: the standard
 * allows extensions). One rule per response, one violation per undeclared path (not per instance),
 * with a did-you-mean against the names declared there. It also measures coverage: which of the
 * spec's response properties the bank's answers carried at all.
 */
export const undeclared: RuleKind<UndeclaredParams> = {
  kind: 'undeclared-properties',
  category: 'schema',
  severity: 'minor',
  description: 'Every property of a success body is declared by the spec (typos and renames show here); also measures which declared properties the answers exercised.',
  needs: 'json-body',
  check: ({ params, exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    const undeclaredPaths = new Map<string, Seen>();
    const exercised = new Set<string>();
    const visit = (value: unknown, path: string, pointer: string, exchange: number, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (Array.isArray(value)) { value.forEach((v, i) => visit(v, `${path}/*`, `${pointer}/${i}`, exchange, depth + 1)); return; }
      if (!isRecord(value)) return;
      const declared = params.objects[path];
      if (!declared) return; // not an object the spec describes property by property
      out.checked++;
      for (const [key, child] of Object.entries(value)) {
        const at = `${path}/${escapeToken(key)}`;
        if (declared.names.includes(key)) {
          exercised.add(at);
          visit(child, at, `${pointer}/${escapeToken(key)}`, exchange, depth + 1);
        } else if (!declared.open) {
          const seen = undeclaredPaths.get(at);
          if (seen) seen.count++;
          else undeclaredPaths.set(at, { first: `${pointer}/${escapeToken(key)}`, count: 1, exchange, suggestion: didYouMean(key, declared.names) });
        }
      }
    };
    for (const ex of exchanges) visit(ex.json, '', '', ex.index, 0);
    for (const [path, seen] of undeclaredPaths) {
      const where = seen.count > 1 ? ` (${seen.count} times, first at ${seen.first})` : ` (at ${seen.first})`;
      out.violations.push({
        exchange: seen.exchange, instancePath: seen.first,
        message: `${path} is not declared by the spec${seen.suggestion ? `; did you mean ${seen.suggestion}?` : ''}${where}`,
      });
    }
    const total = params.properties.length;
    out.coverage = { properties: total, exercised: params.properties.filter((p) => exercised.has(p)).length };
    return out;
  },
};
