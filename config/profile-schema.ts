// Profiles (specs/profiles/NAME/profile.yaml) against specs/profiles/profile.schema.json: the structure is
// checked by ajv before config/profile.ts reads the fields, so a broken profile is one line naming
// the file and the field.

import { readFileSync } from 'node:fs';
import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import { projectPath } from '../core/paths.js';

export const PROFILE_SCHEMA_PATH = projectPath('specs', 'profiles', 'profile.schema.json');

let validate: ValidateFunction | undefined;

function validator(): ValidateFunction {
  // Shipped with the package, not named by the user: a plain read.
  // validateSchema off: the meta-schema check costs ~100 ms per start; tests/inputs-profile-schema.test.ts does it.
  validate ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false, validateSchema: false }).compile(
    JSON.parse(readFileSync(PROFILE_SCHEMA_PATH, 'utf8')) as object,
  );
  return validate;
}

function fieldOf(e: ErrorObject): string | undefined {
  const parts = e.instancePath
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const params = e.params as { missingProperty?: string; additionalProperty?: string; propertyName?: string };
  const extra = params.missingProperty ?? params.additionalProperty ?? params.propertyName;
  if (extra !== undefined) parts.push(extra);
  return parts.length > 0 ? parts.join('.').replace(/\.(\d+)(?=\.|$)/g, '[$1]') : undefined;
}

function detailOf(e: ErrorObject): string {
  switch (e.keyword) {
    case 'required':
      return 'missing';
    case 'additionalProperties':
      return 'unknown field';
    case 'propertyNames':
      return 'is not a known name here';
    case 'type':
      return `must be ${e.params.type === 'object' ? 'a mapping' : e.params.type === 'array' ? 'a list' : `a ${String(e.params.type)}`}`;
    default:
      return e.message ?? 'is not valid';
  }
}

/** The first structural problem of a parsed profile, or undefined. */
export function profileSchemaProblem(raw: unknown): { field: string | undefined; detail: string } | undefined {
  return schemaProblem(validator(), raw);
}

/** The first problem ajv finds with a parsed document, as a field path and a short detail; undefined when valid. */
export function schemaProblem(v: ValidateFunction, raw: unknown): { field: string | undefined; detail: string } | undefined {
  if (v(raw)) return undefined;
  // The sub-errors of a propertyNames failure repeat it; keep the failure itself.
  const errors = (v.errors ?? []).filter((e) => !e.schemaPath.includes('/propertyNames/'));
  const first = errors.find((e) => e.keyword === 'additionalProperties') ?? errors[0];
  return first ? { field: fieldOf(first), detail: detailOf(first) } : { field: undefined, detail: 'is not valid' };
}
