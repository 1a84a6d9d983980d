import { fullFormats } from 'ajv-formats/dist/formats.js';
import { isObject, type SpecDocument } from './spec-document.js';

/** JSON Schema (draft 2020-12) as plain data. */
export type JsonSchema = { [key: string]: unknown } | boolean;

/** The $id under which every component schema of the spec is registered with ajv. */
export const SPEC_SCHEMA_ID = 'urn:card-conformance:spec';
const COMPONENT_PREFIX = '#/components/schemas/';

const KNOWN_FORMATS = new Set(Object.keys(fullFormats));
// OpenAPI keywords that are not validation keywords in JSON Schema 2020-12.
const DROPPED = new Set(['example', 'xml', 'externalDocs', 'discriminator', 'nullable']);
const SCHEMA_MAPS = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];
const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
const SCHEMA_VALUES = [
  'items',
  'additionalProperties',
  'not',
  'contains',
  'if',
  'then',
  'else',
  'propertyNames',
  'unevaluatedProperties',
  'unevaluatedItems',
  'additionalItems',
];

/**
 * Anchors a pattern. OpenAPI/JSON Schema patterns match anywhere in the string,
 * so `[A-Z]{3}` accepts "EURO"; the standard means the whole value.
 */
export function anchorPattern(pattern: string): string {
  const starts = pattern.startsWith('^');
  const ends = pattern.endsWith('$') && !pattern.endsWith('\\$');
  if (starts && ends) return pattern;
  const body = pattern.slice(starts ? 1 : 0, ends ? -1 : undefined);
  return `^(?:${body})$`;
}

/**
 * Translates one OpenAPI schema object (3.0 or 3.1) into JSON Schema 2020-12 for ajv:
 * component refs point into the spec's $defs, patterns are anchored, 3.0's `nullable`
 * and boolean exclusive bounds become their 2020-12 forms, unknown formats and
 * documentation-only keywords are dropped.
 */
export function toJsonSchema(schema: unknown, dialect: SpecDocument['dialect']): JsonSchema {
  if (typeof schema === 'boolean') return schema;
  if (!isObject(schema)) return {};
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED.has(key) || key.startsWith('x-')) continue;
    if (key === '$ref' && typeof value === 'string') {
      out.$ref = value.startsWith(COMPONENT_PREFIX) ? `${SPEC_SCHEMA_ID}#/$defs/${value.slice(COMPONENT_PREFIX.length)}` : value;
    } else if (key === 'pattern' && typeof value === 'string') {
      out.pattern = anchorPattern(value);
    } else if (key === 'format' && typeof value === 'string') {
      if (KNOWN_FORMATS.has(value)) out.format = value;
    } else if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, dialect)]));
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map((v) => toJsonSchema(v, dialect));
    } else if (SCHEMA_VALUES.includes(key) && (isObject(value) || typeof value === 'boolean')) {
      out[key] = toJsonSchema(value, dialect);
    } else {
      out[key] = value;
    }
  }
  if (dialect === '3.0') {
    for (const [flag, bound] of [
      ['exclusiveMinimum', 'minimum'],
      ['exclusiveMaximum', 'maximum'],
    ] as const) {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else if (typeof out[flag] === 'boolean') delete out[flag];
    }
    if (schema.nullable === true) return allowNull(out);
  }
  return out;
}

function allowNull(s: Record<string, unknown>): JsonSchema {
  if (typeof s.type === 'string' && !s.$ref && !s.allOf && !s.oneOf && !s.anyOf) {
    const widened: Record<string, unknown> = { ...s, type: [s.type, 'null'] };
    if (Array.isArray(s.enum)) widened.enum = [...s.enum, null];
    return widened;
  }
  return { anyOf: [s, { type: 'null' }] };
}

/** Every component schema of the spec, translated, keyed by component name. */
export function componentDefs(spec: SpecDocument): Record<string, JsonSchema> {
  // why the cast: schemas are walked as plain JSON; openapi-types' union of schema and $ref objects adds nothing here
  const schemas = (spec.document.components?.schemas ?? {}) as Record<string, unknown>;
  return Object.fromEntries(Object.entries(schemas).map(([name, s]) => [name, toJsonSchema(s, spec.dialect)]));
}
