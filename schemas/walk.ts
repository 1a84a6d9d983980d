import { anchorPattern } from './json-schema.js';
import { refName, resolvePointer } from './refs.js';
import { isObject, type OpenApiDocument } from './spec-document.js';

interface Located {
  schema: unknown;
  /** JSON pointer of the schema in the spec document. */
  location: string;
}

/** A schema with its $refs followed and allOf merged: what a value at one path must be. */
export interface FlatSchema {
  types: Set<string>;
  properties: Map<string, Located>;
  required: Set<string>;
  enum?: unknown[];
  pattern?: string;
  maxLength?: number;
  items?: Located;
  /** additionalProperties is true or a schema: properties beyond the declared ones are expected. */
  open: boolean;
  /** oneOf/anyOf alternatives: what they require is conditional. */
  branches: Located[];
  /** Component names passed through on the way (e.g. currencyCode). */
  refNames: string[];
  /** The $refs followed to get here, so walking below stops at recursion. */
  refStack: string[];
  location: string;
}

const MAX_REF_DEPTH = 64;

export function flatten(doc: OpenApiDocument, located: Located, stack: string[] = []): FlatSchema {
  const flat: FlatSchema = {
    types: new Set(),
    properties: new Map(),
    required: new Set(),
    open: false,
    branches: [],
    refNames: [],
    refStack: stack,
    location: located.location,
  };
  let { schema, location } = located;
  const seen = [...stack];
  while (isObject(schema) && typeof schema.$ref === 'string') {
    if (seen.includes(schema.$ref) || seen.length > MAX_REF_DEPTH) return flat; // a recursive schema: stop here
    seen.push(schema.$ref);
    flat.refNames.push(refName(schema.$ref));
    location = schema.$ref.startsWith('#') ? schema.$ref.slice(1) : schema.$ref;
    schema = resolvePointer(doc, schema.$ref);
  }
  flat.location = location.startsWith('#') ? location.slice(1) : location;
  if (!isObject(schema)) return flat;
  if (Array.isArray(schema.allOf)) {
    schema.allOf.forEach((part, i) => merge(flat, flatten(doc, { schema: part, location: `${flat.location}/allOf/${i}` }, seen)));
  }
  const t = schema.type;
  if (typeof t === 'string') flat.types.add(t);
  if (Array.isArray(t)) t.forEach((x) => typeof x === 'string' && flat.types.add(x));
  if (isObject(schema.properties)) {
    for (const [name, s] of Object.entries(schema.properties)) flat.properties.set(name, { schema: s, location: `${flat.location}/properties/${name}` });
  }
  if (Array.isArray(schema.required)) schema.required.forEach((r) => typeof r === 'string' && flat.required.add(r));
  if (schema.additionalProperties === true || isObject(schema.additionalProperties)) flat.open = true;
  if (Array.isArray(schema.enum)) flat.enum = schema.enum;
  if (typeof schema.pattern === 'string') flat.pattern = schema.pattern;
  if (typeof schema.maxLength === 'number') flat.maxLength = Math.min(schema.maxLength, flat.maxLength ?? Infinity);
  if (schema.items !== undefined && !Array.isArray(schema.items)) flat.items = { schema: schema.items, location: `${flat.location}/items` };
  for (const key of ['oneOf', 'anyOf'] as const) {
    const list = schema[key];
    if (Array.isArray(list)) list.forEach((b, i) => flat.branches.push({ schema: b, location: `${flat.location}/${key}/${i}` }));
  }
  flat.refStack = seen;
  return flat;
}

function merge(into: FlatSchema, part: FlatSchema): void {
  part.types.forEach((t) => into.types.add(t));
  part.properties.forEach((v, k) => {
    if (!into.properties.has(k)) into.properties.set(k, v);
  });
  part.required.forEach((r) => into.required.add(r));
  into.open ||= part.open;
  into.enum ??= part.enum;
  into.pattern ??= part.pattern;
  if (part.maxLength !== undefined) into.maxLength = Math.min(part.maxLength, into.maxLength ?? Infinity);
  into.items ??= part.items;
  into.branches.push(...part.branches);
  into.refNames.push(...part.refNames);
}

export interface VisitedNode {
  /** The path with `*` for array items: /cardAccounts/*\/balances. */
  path: string;
  /** The property name this node has in its parent ('' for the body, '*' for an array item). */
  name: string;
  flat: FlatSchema;
  /** True under a oneOf/anyOf: the node may legitimately not apply. */
  conditional: boolean;
}

const MAX_PATH_DEPTH = 16;

/** Visits every schema node reachable from a response schema, once per path. */
export function walkSchema(doc: OpenApiDocument, root: Located, visit: (node: VisitedNode) => void): void {
  const seenPaths = new Set<string>();
  const go = (located: Located, path: string, name: string, conditional: boolean, stack: string[], depth: number): void => {
    if (depth > MAX_PATH_DEPTH) return;
    const flat = flatten(doc, located, stack);
    const below = flat.refStack;
    const key = `${path}|${flat.location}|${conditional}`;
    if (seenPaths.has(key)) return;
    seenPaths.add(key);
    visit({ path, name, flat, conditional });
    for (const [prop, sub] of flat.properties) go(sub, `${path}/${prop.replace(/~/g, '~0').replace(/\//g, '~1')}`, prop, conditional, below, depth + 1);
    if (flat.items) go(flat.items, `${path}/*`, '*', conditional, below, depth + 1);
    for (const b of flat.branches) go(b, path, name, true, below, depth + 1);
  };
  go(root, '', '', false, [], 0);
}

const CURRENCY_PATTERNS = new Set(['^(?:[A-Z]{3})$', '^[A-Z]{3}$']);

export function isCurrencyField(node: VisitedNode): boolean {
  const { flat, name } = node;
  if (flat.refNames.some((n) => n.toLowerCase() === 'currencycode')) return true;
  if (flat.pattern && CURRENCY_PATTERNS.has(anchorPattern(flat.pattern))) return true;
  return /currency$/i.test(name) && (flat.types.has('string') || flat.types.size === 0) && flat.properties.size === 0;
}

export function isAmountObject(flat: FlatSchema): boolean {
  return flat.properties.has('amount') && flat.properties.has('currency');
}

export function isMaskedPan(node: VisitedNode): boolean {
  return node.name.toLowerCase() === 'maskedpan' && (node.flat.types.has('string') || node.flat.types.size === 0) && node.flat.properties.size === 0;
}

/** The component that declares the node (the last $ref followed to it), for messages: "one of balanceType". */
export function declaredBy(node: VisitedNode): string | undefined {
  return node.flat.refNames[node.flat.refNames.length - 1];
}
