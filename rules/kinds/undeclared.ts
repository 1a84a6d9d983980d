import type { CheckOutcome } from '../../core/model.js';
import type { DeclaredProperties } from '../../schemas/declared.js';
import { defineKind } from '../kind.js';
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
};

/** Edit distance (Levenshtein) of two short names. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    // oxlint-disable-next-line typescript/no-non-null-assertion -- index within the row (length b.length + 1)
    let diag = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      // oxlint-disable-next-line typescript/no-non-null-assertion -- index within the row (length b.length + 1)
      const up = row[j]!;
      // oxlint-disable-next-line typescript/no-non-null-assertion -- index within the row (length b.length + 1)
      row[j] = Math.min(up + 1, row[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  // oxlint-disable-next-line typescript/no-non-null-assertion -- index within the row (length b.length + 1)
  return row[b.length]!;
}

/**
 * The declared name an undeclared one probably means: the same name in other case
 * (maskedPan for maskedPAN), a known rename (city for townName), or one or two letters off
 * (a typo). A vendor's own field far from every declared name gets none.
 */
export function didYouMean(name: string, declared: string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameButCase = declared.find((d) => d.toLowerCase() === lower);
  if (sameButCase) return sameButCase;
  const synonym = (SYNONYMS[lower] ?? []).find((s) => declared.includes(s));
  if (synonym) return synonym;
  if (lower.length < 5) return undefined;
  const close = declared
    .map((d) => ({ d, n: distance(lower, d.toLowerCase()) }))
    .filter((x) => x.n <= 2)
    .sort((a, b) => a.n - b.n);
  return close[0]?.d;
}

const MAX_DEPTH = 32;
const escapeToken = (t: string): string => (t.includes('~') || t.includes('/') ? t.replace(/~/g, '~0').replace(/\//g, '~1') : t);

/** The declared names as a set, built once per declared object. */
const nameSets = new WeakMap<string[], Set<string>>();
const namesOf = (names: string[]): Set<string> => {
  let set = nameSets.get(names);
  if (!set) {
    set = new Set(names);
    nameSets.set(names, set);
  }
  return set;
};

interface Seen {
  first: string;
  count: number;
  exchange: number;
  suggestion?: string;
}

const listPaths = (paths: string[], max = 10): string =>
  paths.length > max ? `${paths.slice(0, max).join(', ')}, … (${paths.length} in all)` : paths.join(', ');

/**
 * Every property the body carries is declared by the spec (minor, not mandatory). One rule per
 * response, one entry per undeclared path (not per instance). An undeclared name close to a
 * declared one that the object lacks (a typo or a rename: creditLimitincluded, maskedPan for
 * maskedPAN, city for townName) is a violation with a did-you-mean; any other undeclared name is a
 * vendor extension, which the standard allows: listed in the result, not a failure. It also
 * measures coverage: which of the spec's response properties the bank's answers carried at all.
 */
export const undeclared = defineKind<UndeclaredParams>({
  kind: 'undeclared-properties',
  category: 'schema',
  severity: 'minor',
  mandatory: false,
  idPattern: '{operationId}:undeclared-properties',
  docs: {
    description:
      'Every property of a success body is declared by the spec (typos and renames show here); also measures which declared properties the answers exercised.',
    specRef: 'OpenAPI Schema Object: properties, additionalProperties',
  },
  needs: 'json-body',
  applies: {
    'response:exit': ({ op, response, declared: declaredOf, specRef }) => {
      const declared = declaredOf();
      if (Object.keys(declared.objects).length === 0) return [];
      return [
        {
          id: `${op.operationId}:undeclared-properties`,
          title: `${op.endpoint} body carries only properties the spec declares`,
          specRef: specRef(response.location),
          params: declared,
        },
      ];
    },
  },
  check: ({ params, exchanges }) => {
    const out: CheckOutcome = { checked: 0, violations: [] };
    const undeclaredPaths = new Map<string, Seen>();
    const exercised = new Set<string>();
    // One walk per body, with nothing built per instance that is not needed: the schema paths are
    // built once per (path, key) and the concrete pointer only for the first undeclared instance.
    const childPaths = new Map<string, Map<string, string>>();
    const childPath = (path: string, key: string): string => {
      let byKey = childPaths.get(path);
      if (!byKey) {
        byKey = new Map();
        childPaths.set(path, byKey);
      }
      let at = byKey.get(key);
      if (at === undefined) {
        at = `${path}/${escapeToken(key)}`;
        byKey.set(key, at);
      }
      return at;
    };
    const suggestions = new Map<string, string | undefined>();
    const tokens: string[] = [];
    const pointerTo = (key: string): string => `${tokens.map((t) => `/${t}`).join('')}/${escapeToken(key)}`;
    const visit = (value: unknown, path: string, exchange: number, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (Array.isArray(value)) {
        const items = `${path}/*`;
        for (let i = 0; i < value.length; i++) {
          tokens.push(String(i));
          visit(value[i], items, exchange, depth + 1);
          tokens.pop();
        }
        return;
      }
      if (!isRecord(value)) return;
      const declared = params.objects[path];
      if (!declared) return; // not an object the spec describes property by property
      const names = namesOf(declared.names);
      out.checked++;
      for (const key in value) {
        if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
        const at = childPath(path, key);
        if (names.has(key)) {
          exercised.add(at);
          tokens.push(escapeToken(key));
          visit(value[key], at, exchange, depth + 1);
          tokens.pop();
        } else if (!declared.open) {
          const seen = undeclaredPaths.get(at);
          // A suggestion the object already carries is no rename: the key is an extension beside it.
          let suggestion = seen?.suggestion ?? suggestions.get(at);
          if (suggestion === undefined && !suggestions.has(at)) {
            suggestion = didYouMean(key, declared.names);
            suggestions.set(at, suggestion);
          }
          const rename = suggestion !== undefined && !(suggestion in value) ? suggestion : undefined;
          if (seen) {
            seen.count++;
            seen.suggestion ??= rename;
          } else undeclaredPaths.set(at, { first: pointerTo(key), count: 1, exchange, suggestion: rename });
        }
      }
    };
    for (const ex of exchanges) visit(ex.json, '', ex.index, 0);
    const extensions: string[] = [];
    for (const [path, seen] of undeclaredPaths) {
      if (!seen.suggestion) {
        extensions.push(path);
        continue;
      }
      const where = seen.count > 1 ? ` (${seen.count} times, first at ${seen.first})` : ` (at ${seen.first})`;
      out.violations.push({
        exchange: seen.exchange,
        instancePath: seen.first,
        message: `${path} is not declared by the spec; did you mean ${seen.suggestion}?${where}`,
      });
    }
    if (extensions.length > 0) out.notes = [`undeclared properties, taken as vendor extensions (the standard allows them): ${listPaths(extensions)}`];
    const total = params.properties.length;
    out.coverage = { properties: total, exercised: params.properties.filter((p) => exercised.has(p)).length };
    return out;
  },
});
