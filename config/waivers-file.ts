// The waivers file (`run --waivers FILE`): YAML validated against banks/waivers.schema.json.
// A bad file is a configuration error naming the file and the field (exit 2), before anything is sent.
import { readFileSync } from 'node:fs';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parseDocument } from 'yaml';
import { readConfigFile } from '../core/fs/read-bounded.js';
import type { Waiver } from '../core/model.js';
import { projectPath } from '../core/paths.js';
import { ConfigError } from './types.js';

export const WAIVERS_SCHEMA_PATH = projectPath('banks', 'waivers.schema.json');
/** A waivers file is a short list written by people; anything larger is a mistake. */
const MAX_WAIVERS_BYTES = 1024 * 1024;

let validator: ValidateFunction | undefined;
function validate(): ValidateFunction {
  if (!validator) {
    const ajv = new Ajv2020({ allErrors: true, strict: true });
    addFormats(ajv, ['date']);
    // why the cast: our own JSON Schema file; ajv checks it when compiling
    validator = ajv.compile(JSON.parse(readFileSync(WAIVERS_SCHEMA_PATH, 'utf8')) as object);
  }
  return validator;
}

/** `/waivers/0/expires` → `waivers[0].expires`. */
function fieldOf(pointer: string, extra?: string): string {
  const parts = pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (extra) parts.push(extra);
  return parts.reduce((acc, p) => (/^\d+$/.test(p) ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(top level)';
}

export interface WaiversFile {
  source: string;
  waivers: Waiver[];
}

/** Reads and checks a waivers file; every problem is a ConfigError naming the file and the field. */
export function loadWaiversFile(path: string): WaiversFile {
  const text = readConfigFile(path, { source: '--waivers', field: undefined, maxBytes: MAX_WAIVERS_BYTES });
  // The YAML 1.2 core schema keeps `2027-01-31` a string (no timestamp type), which the schema's date format checks.
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) throw new ConfigError(path, undefined, `not valid YAML: ${doc.errors[0]?.message.split('\n')[0] ?? ''}`);
  const data: unknown = doc.toJS();
  const check = validate();
  if (!check(data)) {
    const e = check.errors?.[0];
    if (!e) throw new ConfigError(path, undefined, 'invalid'); // not reached: ajv sets errors whenever validation fails
    if (e.keyword === 'required') throw new ConfigError(path, fieldOf(e.instancePath, String(e.params.missingProperty)), 'required');
    if (e.keyword === 'additionalProperties')
      throw new ConfigError(path, fieldOf(e.instancePath, String(e.params.additionalProperty)), 'unknown field (known: rule, bank, reason, ticket, expires)');
    if (e.keyword === 'format') throw new ConfigError(path, fieldOf(e.instancePath), 'must be a date YYYY-MM-DD');
    throw new ConfigError(path, fieldOf(e.instancePath), e.message ?? 'invalid');
  }
  // why the cast: the schema accepted `data` just above
  const waivers = (data as { waivers: Waiver[] }).waivers;
  // The format accepts any YYYY-MM-DD; a day that does not exist (2027-02-30) is a typo too.
  for (const [i, w] of waivers.entries()) {
    const d = new Date(`${w.expires}T00:00:00Z`);
    if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== w.expires)
      throw new ConfigError(path, `waivers[${i}].expires`, `'${w.expires}' is not a calendar date`);
  }
  return { source: path, waivers };
}
