// Negative cases generated from an operation's parameters: for each parameter, a value that
// breaks exactly one of its constraints (format, pattern, enum, maxLength, type), plus two cases
// about the request as a whole (a dateTo before dateFrom, an Accept the bank cannot serve). Each
// case is one request; a bank must refuse it with a 4xx, never a 5xx, never a 2xx. Pure: from the
// OpenAPI document to plain data, deterministic for a seed.
import type { OpenAPIV3 } from 'openapi-types';
import { deref, resolvePointer } from '../../../schemas/refs.js';
import { isObject, type SpecDocument } from '../../../schemas/spec-document.js';
import type { ExpectedAnswer } from '../error-response.js';
import type { OperationInfo } from '../../operations.js';

/** Which constraint a case breaks (the rule id's suffix is `negative-<constraint>`). */
export type Constraint = 'format' | 'format-text' | 'period' | 'accept' | 'type' | 'enum' | 'max-length' | 'pattern';

export interface NegativeCase {
  /** The rule id: `<operationId>:<in>.<name>:negative-<constraint>`. */
  id: string;
  operationId: string;
  in: 'header' | 'query' | 'path';
  /** The parameter as the spec spells it. */
  name: string;
  constraint: Constraint;
  /** The values sent instead of valid ones, by parameter name (as the spec spells it). */
  values: Record<string, string>;
  /** For messages: "dateFrom=2026-13-45 (not a calendar date)". */
  description: string;
  /** The answers the standard gives (the kind notes any other 4xx). */
  expected: ExpectedAnswer[];
  /** JSON pointer of the parameter (or the operation) in the spec, for the rule's specRef. */
  location: string;
  /** How informative the case is: lower is sent first (see RANKS). */
  rank: number;
  /** False for a header the spec makes optional (a bank may ignore what it does not use). */
  mandatory: boolean;
  /**
   * What orders cases of equal rank (with the seed): the operation's role, not its operationId, so
   * the same cases are chosen under every version of the spec (getCardAccount or getCardAccountList).
   */
  orderKey: string;
}

/** The seed of the order in which cases of equal rank are sent (any fixed number keeps runs comparable). */
export const NEGATIVE_SEED = 20261130;

/**
 * Most informative first: a malformed date is where gateways crash (500 with a stack trace) or
 * silently ignore the value (200); then a reversed period, the malformed X-Request-ID every call
 * carries, an Accept the bank cannot serve, unknown enum values and wrong types; optional headers'
 * formats and patterns last.
 */
const RANKS = { dateFormat: 0, dateText: 1, period: 2, requiredFormat: 3, accept: 4, enum: 5, type: 6, maxLength: 7, pattern: 8, optionalFormat: 9 } as const;

const BAD_REQUEST: ExpectedAnswer[] = [{ status: 400, codes: ['FORMAT_ERROR', 'PARAMETER_NOT_SUPPORTED'] }];
const BAD_PERIOD: ExpectedAnswer[] = [{ status: 400, codes: ['PERIOD_INVALID', 'FORMAT_ERROR', 'PARAMETER_NOT_CONSISTENT'] }];
const NOT_ACCEPTABLE: ExpectedAnswer[] = [
  { status: 406, codes: ['REQUESTED_FORMATS_INVALID'] },
  { status: 400, codes: ['FORMAT_ERROR'] },
];

/** Headers the signature rejection suite owns (a wrong one is a signature case, not a format case). */
const SIGNING_HEADERS = new Set(['digest', 'signature', 'tpp-signature-certificate', 'authorization']);

/** A value of the right shape that is no calendar date, and text that is no date at all. */
const FORMAT_VALUES: Record<string, { value: string; why: string }> = {
  date: { value: '2026-13-45', why: 'not a calendar date' },
  'date-time': { value: '2026-13-45T25:61:00Z', why: 'not a date-time' },
  uuid: { value: 'card-conformance-not-a-uuid', why: 'not a UUID' },
  ipv4: { value: '192.0.2.999', why: 'not an IPv4 address' },
  uri: { value: 'not a uri', why: 'not a URI' },
};

const ENUM_VALUE = 'card-conformance-unsupported';
const PATTERN_CANDIDATES = ['card-conformance-invalid', '~', '0'];

interface Param {
  name: string;
  in: NegativeCase['in'];
  required: boolean;
  schema: OpenAPIV3.SchemaObject;
  location: string;
}

/** The operation's parameters with their schemas (path-item parameters first, the operation's win). */
function parametersOf(spec: SpecDocument, op: OperationInfo): Param[] {
  const doc = spec.document;
  const opNode = resolvePointer(doc, `#${op.location}`);
  const itemLocation = op.location.slice(0, op.location.lastIndexOf('/'));
  const item = resolvePointer(doc, `#${itemLocation}`);
  const found = new Map<string, Param>();
  const read = (list: unknown, at: string): void => {
    if (!Array.isArray(list)) return;
    list.forEach((entry, i) => {
      const p = deref<OpenAPIV3.ParameterObject>(doc, entry as OpenAPIV3.ParameterObject);
      if (!p?.name || !['header', 'query', 'path'].includes(p.in)) return;
      const schema = deref<OpenAPIV3.SchemaObject>(doc, p.schema ?? {}) ?? {};
      const ref = isObject(entry) && typeof entry.$ref === 'string' ? entry.$ref.slice(1) : `${at}/parameters/${i}`;
      found.set(`${p.in}:${p.name.toLowerCase()}`, { name: p.name, in: p.in as Param['in'], required: p.required === true, schema, location: ref });
    });
  };
  if (isObject(item)) read(item.parameters, itemLocation);
  if (isObject(opNode)) read(opNode.parameters, op.location);
  return [...found.values()];
}

const typeOf = (s: OpenAPIV3.SchemaObject): string | undefined => {
  const t = (s as { type?: unknown }).type;
  if (Array.isArray(t)) return t.find((x) => x !== 'null') as string | undefined;
  return typeof t === 'string' ? t : undefined;
};

/**
 * Every negative case of one operation, in the spec's parameter order. `required` gets no case of
 * its own: every required header and query parameter is left out by a hand-written error probe
 * already (error-cases.ts), and a path parameter cannot be left out.
 */
export function negativeCasesFor(spec: SpecDocument, op: OperationInfo): NegativeCase[] {
  const cases: NegativeCase[] = [];
  const params = parametersOf(spec, op);
  const add = (
    p: Pick<Param, 'name' | 'in' | 'location' | 'required'>,
    constraint: Constraint,
    values: Record<string, string>,
    description: string,
    expected: ExpectedAnswer[],
    rank: number,
  ): void => {
    const mandatory = p.in !== 'header' || p.required;
    cases.push({
      id: `${op.operationId}:${p.in}.${p.name}:negative-${constraint}`,
      operationId: op.operationId,
      in: p.in,
      name: p.name,
      constraint,
      values,
      description,
      expected,
      location: p.location,
      rank,
      mandatory,
      orderKey: `${op.role}:${p.in}.${p.name.toLowerCase()}:${constraint}`,
    });
  };
  for (const p of params) {
    if (p.in === 'header' && SIGNING_HEADERS.has(p.name.toLowerCase())) continue;
    const s = p.schema;
    const type = typeOf(s);
    const format = typeof s.format === 'string' ? s.format : undefined;
    const isDate = type === 'string' && (format === 'date' || format === 'date-time');
    const bad = format !== undefined ? FORMAT_VALUES[format] : undefined;
    if (type === 'string' && bad) {
      const rank = isDate ? RANKS.dateFormat : p.required ? RANKS.requiredFormat : RANKS.optionalFormat;
      add(p, 'format', { [p.name]: bad.value }, `${p.name}: ${bad.value} (${bad.why})`, BAD_REQUEST, rank);
      if (isDate) add(p, 'format-text', { [p.name]: 'abc' }, `${p.name}: abc (not a date)`, BAD_REQUEST, RANKS.dateText);
    }
    // A required query parameter's unknown value is a hand-written error probe already (error-cases.ts).
    if (Array.isArray(s.enum) && s.enum.length > 0 && !(p.in === 'query' && p.required) && !s.enum.map(String).includes(ENUM_VALUE)) {
      add(p, 'enum', { [p.name]: ENUM_VALUE }, `${p.name}: ${ENUM_VALUE} (not one of ${s.enum.map(String).join(', ')})`, BAD_REQUEST, RANKS.enum);
    }
    if (type === 'boolean' || type === 'integer' || type === 'number') {
      add(p, 'type', { [p.name]: 'maybe' }, `${p.name}: maybe (not a ${type})`, BAD_REQUEST, RANKS.type);
    }
    // One over the limit breaks only maxLength where nothing else constrains the text.
    if (type === 'string' && typeof s.maxLength === 'number' && s.maxLength < 4096 && !format && !s.pattern && !s.enum) {
      const over = s.maxLength + 1;
      add(p, 'max-length', { [p.name]: 'x'.repeat(over) }, `${p.name}: ${over} characters (at most ${s.maxLength})`, BAD_REQUEST, RANKS.maxLength);
    }
    if (type === 'string' && typeof s.pattern === 'string' && !format && !s.enum) {
      const value = patternBreaker(s.pattern, s.maxLength, s.minLength);
      if (value !== undefined) add(p, 'pattern', { [p.name]: value }, `${p.name}: ${value} (does not match ${s.pattern})`, BAD_REQUEST, RANKS.pattern);
    }
  }
  // A reversed period: both dates valid, dateTo before dateFrom.
  const from = params.find((p) => p.in === 'query' && p.name === 'dateFrom' && p.schema.format === 'date');
  const to = params.find((p) => p.in === 'query' && p.name === 'dateTo' && p.schema.format === 'date');
  if (from && to) add(to, 'period', { dateFrom: '2026-01-31', dateTo: '2026-01-01' }, 'dateTo 2026-01-01 before dateFrom 2026-01-31', BAD_PERIOD, RANKS.period);
  // An Accept the operation declares no content for.
  const declared = new Set(op.responses.flatMap((r) => Object.keys(r.content)));
  // Two candidates: at least one is not declared unless the operation declares both.
  const media = ['application/xml', 'text/csv'].find((m) => !declared.has(m));
  if (declared.size > 0 && media !== undefined) {
    add(
      { name: 'Accept', in: 'header', location: `${op.location}/responses`, required: true },
      'accept',
      { Accept: media },
      `Accept: ${media} (the operation declares ${[...declared].join(', ')} only)`,
      NOT_ACCEPTABLE,
      RANKS.accept,
    );
  }
  return cases;
}

/** A value that the (unanchored, as JSON Schema reads it) pattern rejects, within the length limits. */
function patternBreaker(pattern: string, maxLength?: number, minLength?: number): string | undefined {
  let re: RegExp;
  try {
    re = new RegExp(pattern, 'u');
  } catch {
    return undefined;
  }
  const fits = (v: string): boolean => (maxLength === undefined || v.length <= maxLength) && (minLength === undefined || v.length >= minLength);
  return PATTERN_CANDIDATES.find((v) => !re.test(v) && fits(v));
}

/** FNV-1a over the seed and the text: a stable, seeded order among cases of equal rank. */
function seededKey(seed: number, text: string): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The order cases are sent in, and which fit the budget: one case of each rank in turn (so a
 * small budget still tries every kind of fault), most informative rank first; within a rank the
 * seed decides. Returns the cases to send and the ids left out.
 */
export function selectNegativeCases(cases: NegativeCase[], budget: number, seed = NEGATIVE_SEED): { selected: NegativeCase[]; leftOut: string[] } {
  const byRank = new Map<number, NegativeCase[]>();
  for (const c of cases) byRank.set(c.rank, [...(byRank.get(c.rank) ?? []), c]);
  const queues = [...byRank.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, list]) => list.sort((a, b) => seededKey(seed, a.orderKey) - seededKey(seed, b.orderKey) || a.orderKey.localeCompare(b.orderKey)));
  const ordered: NegativeCase[] = [];
  for (let round = 0; ordered.length < cases.length; round++) {
    for (const q of queues) {
      const c = q[round];
      if (c !== undefined) ordered.push(c);
    }
  }
  const n = Math.max(0, Math.floor(budget));
  return { selected: ordered.slice(0, n), leftOut: ordered.slice(n).map((c) => c.id) };
}
