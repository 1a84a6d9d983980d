// Turns ajv's errors for a bank file into the one-line messages users read: the field in the
// file's own notation (`limits.timeoutMs`, `headers.x-foo`, `allowedOrigins[1]`) and a detail
// that says what is expected, with "did you mean …?" for misspellings. The rules themselves are in
// banks/bank-file.schema.json; here is only how each kind of failure is worded.

import type { ErrorObject } from 'ajv';
import { fieldsAt, schemaAt } from './bank-schema.js';
import { joinPath } from './substitute.js';
import { suggest } from './suggest.js';

export interface FieldProblem {
  field: string | undefined;
  detail: string;
}

export interface Wording {
  /** Quotes a value, unless it carries a secret. */
  show: (value: string) => string;
  /** Known profile names, for the hint of a missing profile. */
  profiles?: readonly string[];
}

/** What `required` says for each required field. */
function requiredHint(field: string, w: Wording): string {
  switch (field) {
    case 'id':
      return 'required (a short name such as sr-bank-sandbox)';
    case 'profile':
      return `required (${w.profiles?.length ? `one of ${w.profiles.join(', ')}` : 'e.g. berlin-group'})`;
    case 'baseUrl':
      return 'required (the API root, e.g. https://api.bank.example/psd2)';
    case 'consent':
      return 'required: give consent.id (a pre-authorised consent) or consent.create: true';
    default:
      return 'required';
  }
}

/** "required when …" for fields that come in pairs. */
const PAIRED: Record<string, string> = {
  'signing.certificate': 'required when signing.key is given (give both or neither)',
  'signing.key': 'required when signing.certificate is given (give both or neither)',
  'tls.key': 'required when tls.certificate is given (the QWAC private key)',
  'tls.certificate': 'required when tls.key is given (the QWAC certificate)',
};

const UNITS: Record<string, string> = {
  timeoutMs: ' (milliseconds: 1 s to 10 min)',
  maxBodyBytes: ' (bytes; 52428800 is 50 MiB)',
};

/** What a limit must be, worded from its range in the schema. */
export function limitWanted(key: string): string {
  const node = schemaAt(['limits', key]);
  if (!node) return 'a number';
  const range = node.anyOf?.find((b) => b.minimum !== undefined) ?? node;
  const from = `from ${range.minimum} to ${range.maximum}`;
  if (node.type === 'integer') return `a whole number ${from}${UNITS[key] ?? ''}`;
  const zero = node.anyOf?.some((b) => b.const === 0) ? '0 (unlimited) or ' : '';
  return `${zero}a number ${from}${UNITS[key] ?? ''}`;
}

export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

/** Why a base URL is unusable, or undefined when it is fine. */
export function baseUrlProblem(text: string, w: Wording): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${w.show(text)} is not an absolute URL (expected e.g. https://api.bank.example/psd2)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http or https URL, not ${url.protocol}`;
  // Credentials in the URL would end up in reports and curl lines.
  if (url.username || url.password) return 'must not contain credentials; pass them as headers with ${VAR} placeholders';
  if (url.search || url.hash || text.includes('?') || text.includes('#'))
    return 'must not have a query string or fragment; it is the root the API paths are appended to';
  if (/\s/.test(text)) return `${w.show(text)} contains white space`;
  return undefined;
}

/** Why an allowedOrigins entry is not an origin, or undefined when it is one. */
export function originProblem(text: string, w: Wording): string | undefined {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return `${w.show(text)} is not an origin (expected e.g. https://auth.bank.example)`;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return `must be an http or https origin, not ${url.protocol}`;
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username || /[?#@]/.test(text)) {
    return `${w.show(text)} must be an origin only (scheme, host and port), without path, query or credentials`;
  }
  return undefined;
}

const PATTERN_WORDING: Record<string, string> = {
  '^[^\\r\\n\\u0000]*$': 'must not contain line breaks or NUL',
  // undici refuses anything above U+00FF; RFC 2047 encoding is the bank's documented way out.
  '^[\\u0000-\\u00ff]*$': 'contains characters outside Latin-1; encode the value (RFC 2047, =?utf-8?B?…?=)',
};

interface Located {
  error: ErrorObject;
  /** Path segments of the value at fault (object keys and array indices). */
  segments: (string | number)[];
  field: string | undefined;
}

function locate(error: ErrorObject, doc: unknown): Located {
  const segments: (string | number)[] = [];
  let node: unknown = doc;
  for (const raw of error.instancePath.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const seg: string | number = Array.isArray(node) ? Number(key) : key;
    // why the cast: a non-null object, indexed by the instance path's segment
    segments.push(seg);
    node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  }
  let field: string | undefined = segments.reduce<string>((path, seg) => joinPath(path, seg), '') || undefined;
  // ajv types params per keyword only loosely; these are the names its keywords use.
  const child = error.params as { additionalProperty?: string; missingProperty?: string; propertyName?: string };
  const extra =
    error.keyword === 'additionalProperties'
      ? child.additionalProperty
      : error.keyword === 'required' || error.keyword === 'dependentRequired'
        ? child.missingProperty
        : error.keyword === 'propertyNames'
          ? child.propertyName
          : undefined;
  if (extra !== undefined) field = joinPath(field ?? '', extra);
  return { error, segments, field };
}

function valueAt(doc: unknown, segments: readonly (string | number)[]): unknown {
  let node: unknown = doc;
  // why the cast: a non-null object, indexed by the instance path's segment
  for (const seg of segments) node = node !== null && typeof node === 'object' ? (node as Record<string | number, unknown>)[seg] : undefined;
  return node;
}

function word(loc: Located, doc: unknown, w: Wording): string {
  const { error, segments, field } = loc;
  const value = valueAt(doc, segments);
  const keys = segments.filter((s): s is string => typeof s === 'string');
  const section = keys[0];
  const params = error.params as Record<string, unknown>; // ajv: a plain object per keyword

  if (error.keyword === 'additionalProperties') {
    const known = fieldsAt(keys);
    const near = suggest(String(params.additionalProperty), known);
    return near ? `unknown field (did you mean ${near}?)` : `unknown field (known fields: ${known.join(', ')})`;
  }
  if (error.keyword === 'required') return requiredHint(field ?? '', w);
  if (error.keyword === 'dependentRequired') return PAIRED[field ?? ''] ?? `required when ${joinPath(keys.join('.'), String(params.property))} is given`;
  // Every failure of a limit (type, range, fraction) is worded as its range.
  if (section === 'limits' && segments.length === 2) {
    return `must be ${limitWanted(String(segments[1]))}, found ${typeof value === 'number' ? value : describeValue(value)}`;
  }
  if (error.keyword === 'propertyNames') {
    const name = String(params.propertyName);
    return name.length > 256
      ? 'is longer than 256 characters, too long for a header name'
      : "is not a valid header name (letters, digits and !#$%&'*+-.^_`|~ only)";
  }
  switch (error.keyword) {
    case 'type': {
      const found = describeValue(value);
      if (params.type === 'object') return `must be a mapping (key: value lines), found ${found}`;
      if (params.type === 'array') return `must be a list of origins such as https://auth.bank.example, found ${found}`;
      if (params.type === 'boolean') return `must be true or false, found ${found}`;
      const quote = section === 'headers' && (typeof value === 'number' || typeof value === 'boolean') ? ' (quote it)' : '';
      return `must be a ${String(params.type)}, found ${found}${quote}`;
    }
    case 'minLength':
      return 'must not be empty';
    case 'maxLength':
      return `is ${typeof value === 'string' ? value.length : 'too many'} characters long; at most ${String(params.limit)} are allowed`;
    case 'maxProperties':
      return `has more than ${String(params.limit)} entries`;
    case 'maxItems':
      return `has more than ${String(params.limit)} entries`;
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String); // ajv's enum error carries the list
      const near = typeof value === 'string' ? suggest(value, allowed) : undefined;
      return `${typeof value === 'string' ? w.show(value) : describeValue(value)} is not one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`;
    }
    case 'format':
      if (params.format === 'ipv4') return `${w.show(String(value))} is not an IPv4 address (e.g. 192.0.2.10)`;
      return `${w.show(String(value))} is not a valid ${String(params.format)}`;
    case 'pattern': {
      const text = String(value);
      if (field === 'id') return `${w.show(text)} must match [a-z0-9-]+ (lower-case letters, digits and dashes); it names output folders`;
      if (field === 'profile') return `${w.show(text)} is not a profile name ([a-z0-9-]+)`;
      if (field === 'baseUrl') return baseUrlProblem(text, w) ?? `${w.show(text)} is not an http(s) URL without query, fragment or credentials`;
      if (section === 'allowedOrigins') return originProblem(text, w) ?? `${w.show(text)} is not an origin (scheme://host:port)`;
      return PATTERN_WORDING[String(params.pattern)] ?? `${w.show(text)} does not have the expected form (${String(params.pattern)})`;
    }
    case 'anyOf':
      if (field === 'consent') return 'give id (a pre-authorised consent) or create: true (POST /v1/consents)';
      if (field === 'signing')
        return 'certificate and key are required in a signing section (or required: true alone; omit the whole section to sign with a generated test QSealC)';
      return error.message ?? 'is not valid';
    case 'not':
      if (field === 'consent') return 'give either id or create: true, not both';
      return error.message ?? 'is not valid';
    default:
      return error.message ?? 'is not valid';
  }
}

/**
 * The problem to report: unknown fields first (a misspelt name explains the rest), then in the
 * order of the file's sections, the most specific field first. Errors of the alternatives inside
 * an anyOf are left out; the anyOf's own error says what was expected.
 */
export function firstProblem(
  errors: readonly ErrorObject[],
  doc: unknown,
  w: Wording,
  order: readonly string[],
  /** Problems found in code (what a schema cannot say), ranked with the schema's. */
  extra: readonly FieldProblem[] = [],
): FieldProblem | undefined {
  const located = errors.filter((e) => !/\/(anyOf\/\d+|propertyNames)\//.test(e.schemaPath)).map((e) => locate(e, doc));
  const all = [
    ...located.map((l, index) => ({ field: l.field, unknown: l.error.keyword === 'additionalProperties', index, detail: () => word(l, doc, w) })),
    ...extra.map((p, i) => ({ field: p.field, unknown: false, index: located.length + i, detail: () => p.detail })),
  ];
  if (all.length === 0) return undefined;
  const rank = (p: (typeof all)[number]): number[] => {
    const top = p.field?.split(/[.[]/)[0] ?? '';
    const at = order.indexOf(top);
    return [p.unknown ? 0 : 1, at < 0 ? order.length : at, -(p.field?.length ?? 0), p.index];
  };
  all.sort((a, b) => {
    const ra = rank(a);
    const rb = rank(b);
    for (const [i, x] of ra.entries()) {
      const y = rb[i] ?? 0;
      if (x !== y) return x - y;
    }
    return 0;
  });
  const [first] = all;
  if (!first) return { field: undefined, detail: 'invalid' }; // not reached: the caller passes at least one error
  return { field: first.field, detail: first.detail() };
}
