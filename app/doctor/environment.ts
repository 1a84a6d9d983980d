// Which ${NAME} placeholders the bank file uses, and whether the environment has them.
// The loader stops at the first unset variable; the doctor lists every one.
import { joinPath } from '../../config/substitute.js';
import { fail, pass, skip, warn, type CheckLine } from './types.js';

export interface Placeholder {
  name: string;
  /** The field holding it, as the loader names fields: `consent.id`, `headers.x-api-key`. */
  field: string;
}

// `$${` is a literal `${` (config/substitute.ts), so it is matched first and ignored.
const PLACEHOLDER = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Every well-formed placeholder in the string values of a parsed bank file (malformed ones are the loader's to report). */
export function findPlaceholders(raw: unknown): Placeholder[] {
  const out: Placeholder[] = [];
  const walk = (value: unknown, path: string): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(PLACEHOLDER)) if (m[1]) out.push({ name: m[1], field: path });
    } else if (Array.isArray(value)) value.forEach((v, i) => walk(v, joinPath(path, i)));
    else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, joinPath(path, k));
  };
  walk(raw, '');
  return out;
}

/** The variables unset in `env` (each with the fields that need it). */
export function unsetPlaceholders(placeholders: Placeholder[], env: NodeJS.ProcessEnv): Placeholder[] {
  return placeholders.filter((p) => env[p.name] === undefined);
}

export function checkEnvironment(placeholders: Placeholder[], env: NodeJS.ProcessEnv): CheckLine[] {
  const check = 'environment';
  if (placeholders.length === 0) return [skip(check, 'the bank file reads no environment variables')];
  const fieldsOf = new Map<string, string[]>();
  for (const p of placeholders) fieldsOf.set(p.name, [...(fieldsOf.get(p.name) ?? []), p.field]);
  const lines: CheckLine[] = [];
  const set: string[] = [];
  for (const [name, fields] of fieldsOf) {
    const where = fields.join(', ');
    const value = env[name];
    if (value === undefined) lines.push(fail(check, `${name} is not set (needed by ${where})`, fields[0]));
    else if (value.trim() === '') lines.push(warn(check, `${name} is set but empty (needed by ${where})`, fields[0]));
    else set.push(`${name} (${where})`);
  }
  if (set.length > 0) lines.unshift(pass(check, `${set.join(', ')} ${set.length === 1 ? 'is' : 'are'} set`));
  return lines;
}
