// The bank file's JSON Schema (banks/bank-file.schema.json) as the loader uses it: the one
// source of truth for fields, types, lengths and ranges. Editors read the file as is, where a
// typed field may also hold a `${VAR}` placeholder; the loader validates after substitution, so
// it compiles a copy with the placeholder alternatives taken out.

import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { projectPath } from '../core/paths.js';

/** The subset of JSON Schema the bank-file schema uses, enough to walk it. */
export interface SchemaNode {
  type?: string;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  anyOf?: SchemaNode[];
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  maxLength?: number;
  $ref?: string;
  [keyword: string]: unknown;
}

export const BANK_SCHEMA_PATH = projectPath('banks', 'bank-file.schema.json');

const PLACEHOLDER_REF = '#/$defs/placeholder';
const BOOLEAN_REF = '#/$defs/boolean';

function isPlaceholder(node: SchemaNode): boolean {
  return node.$ref === PLACEHOLDER_REF;
}

/** A copy without `${VAR}` alternatives: what a value must be once the environment is read. */
function resolvedSchema(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(resolvedSchema);
  if (node === null || typeof node !== 'object') return node;
  const src = node as SchemaNode;
  if (src.$ref === BOOLEAN_REF) {
    const { $ref: _ref, ...rest } = src;
    return { ...(resolvedSchema(rest) as object), type: 'boolean' };
  }
  let out: SchemaNode = {};
  for (const [k, v] of Object.entries(src)) out[k] = resolvedSchema(v);
  if (Array.isArray(src.anyOf) && src.anyOf.some(isPlaceholder)) {
    // out.anyOf is src.anyOf resolved branch by branch: the same positions.
    const placeholders = new Set(src.anyOf.flatMap((b, i) => (isPlaceholder(b) ? [i] : [])));
    const kept = (out.anyOf ?? []).filter((_b, i) => !placeholders.has(i));
    delete out.anyOf;
    // One alternative left: it is the field's schema; merge it so errors name its keyword directly.
    if (kept.length === 1) out = { ...out, ...kept[0] };
    else out.anyOf = kept;
  }
  // A field that must be a placeholder (signing.keyPassphrase) holds the substituted text now.
  if (isPlaceholder(src)) {
    const { $ref: _ref, ...rest } = out;
    return { ...rest, type: 'string' };
  }
  return out;
}

let schemas: { source: SchemaNode; resolved: SchemaNode } | undefined;
let validator: ValidateFunction | undefined;

function load(): NonNullable<typeof schemas> {
  if (schemas) return schemas;
  // The schema ships with the package; it is not a file the user names, so a plain read is right.
  const source = JSON.parse(readFileSync(BANK_SCHEMA_PATH, 'utf8')) as SchemaNode;
  schemas = { source, resolved: resolvedSchema(source) as SchemaNode };
  return schemas;
}

/** Compiled on first use: commands that never load a bank file do not pay for it. */
function compiled(): ValidateFunction {
  if (validator) return validator;
  // validateSchema off: checking the schema against the draft's meta-schema costs ~100 ms of CPU on
  // every start; the project's tests compile it with the meta-schema check instead.
  const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true, validateSchema: false });
  addFormats(ajv, ['ipv4']);
  validator = ajv.compile(load().resolved);
  return validator;
}

/** The schema as editors read it. */
export function bankFileSchema(): SchemaNode {
  return load().source;
}

/** The schema after substitution (no placeholder alternatives), for walking field types. */
export function resolvedBankFileSchema(): SchemaNode {
  return load().resolved;
}

/** ajv's errors for a substituted bank file, or [] when it is valid. */
export function validateBankFile(doc: unknown): ErrorObject[] {
  const validate = compiled();
  return validate(doc) ? [] : [...(validate.errors ?? [])];
}

/** The schema node of a field path such as ['limits', 'timeoutMs'], if the schema names it. */
export function schemaAt(path: readonly string[]): SchemaNode | undefined {
  let node: SchemaNode | undefined = load().resolved;
  for (const key of path) {
    if (!node) return undefined;
    const props: Record<string, SchemaNode> | undefined = node.properties;
    if (props && Object.hasOwn(props, key)) node = props[key];
    else node = typeof node.additionalProperties === 'object' ? node.additionalProperties : undefined;
  }
  return node;
}

/** The names a mapping accepts (for "unknown field (did you mean …?)"). */
export function fieldsAt(path: readonly string[]): string[] {
  return Object.keys(schemaAt(path)?.properties ?? {});
}
