// The bank file, checked by the same loader `run` uses, but past its first error: each field
// at fault is reported, then patched out (or given a stand-in) and the file loaded again, so
// one doctor run lists every problem. Fields that were patched are "broken": checks that
// depend on them are skipped rather than run on stand-in values.
import { FILE_CAPS, readBoundedText } from '../../core/fs/read-bounded.js';
import { dirname, resolve } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { loadBankFile, parseBankFile } from '../../config/load.js';
import { ConfigError, type BankConfig } from '../../config/types.js';
import { findPlaceholders, unsetPlaceholders, type Placeholder } from './environment.js';
import { fail, pass, type CheckLine } from './types.js';

export interface DoctorBank {
  file: string;
  /** Undefined when the file cannot be read or parsed at all. */
  config?: BankConfig;
  /** Loader errors, in the order found (messages without the file name). */
  problems: { field?: string; message: string }[];
  /** Fields that could not be used, with the reason (a problem above, or an unset variable). */
  broken: Map<string, string>;
  placeholders: Placeholder[];
  /** Values never to print: environment values the file reads, consent and PSU ids. */
  secrets: string[];
}

type Raw = Record<string, unknown>;

// Root fields the loader requires: a stand-in keeps the rest of the file checkable.
const STAND_INS: Record<string, (profiles: readonly string[]) => unknown> = {
  id: () => 'doctor-check',
  profile: (profiles) => profiles[0] ?? 'berlin-group',
  baseUrl: () => 'https://bank.invalid',
  consent: () => ({ create: true }),
};
// Sections whose fields only make sense together (certificate + key): a broken field drops the section.
const WHOLE_SECTIONS = new Set(['signing', 'tls', 'consent']);
const MAX_ROUNDS = 30;

const isRaw = (v: unknown): v is Raw => v !== null && typeof v === 'object' && !Array.isArray(v);

export function loadForDoctor(file: string, env: NodeJS.ProcessEnv, profiles: readonly string[]): DoctorBank {
  const bank: DoctorBank = { file, problems: [], broken: new Map(), placeholders: [], secrets: [] };
  const options = { file, baseDir: dirname(resolve(file)), env, profiles };
  let text: string;
  try {
    text = readBoundedText(file, FILE_CAPS.bankFile);
  } catch {
    // The loader words the reason ("cannot read the bank file: no such file").
    return withProblem(bank, () => loadBankFile(file, env, { profiles }));
  }
  const doc = parseDocument(text, { uniqueKeys: true });
  const raw: unknown = doc.errors.length === 0 ? doc.toJS({ maxAliasCount: 100 }) : undefined;
  // Unparseable, empty or not a mapping: the loader's one-line message says which.
  if (!isRaw(raw)) return withProblem(bank, () => parseBankFile(text, options));

  bank.placeholders = findPlaceholders(raw);
  bank.secrets = secretsOf(raw, bank.placeholders, env);
  // An unset variable is the environment check's to report; here its field is only set aside.
  for (const p of unsetPlaceholders(bank.placeholders, env)) {
    if (!bank.broken.has(p.field)) bank.broken.set(p.field, `needs ${p.name}, which is not set`);
    patch(raw, p.field, profiles);
  }

  let source = bank.broken.size > 0 ? stringify(raw) : text;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    try {
      bank.config = parseBankFile(source, options);
      return bank;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // No field, or the same field again after patching it: nothing more can be learned.
      if (err.field === undefined || bank.broken.has(err.field)) {
        if (!bank.problems.some((p) => p.field === err.field)) bank.problems.push(problemOf(err));
        return bank;
      }
      bank.problems.push(problemOf(err));
      bank.broken.set(err.field, 'has a problem (see above)');
      patch(raw, err.field, profiles);
      source = stringify(raw);
    }
  }
  return bank;
}

/** The bank-file lines: one ✗ per loader error, or a ✓ naming the bank. */
export function checkBankFile(bank: DoctorBank): CheckLine[] {
  if (bank.problems.length > 0) return bank.problems.map((p) => fail('bank file', p.field ? `${p.field}: ${p.message}` : p.message, p.field));
  if (!bank.config) return [];
  const c = bank.config;
  const unset = [...bank.broken.keys()];
  const what = `id ${c.id}, profile ${c.profile}, baseUrl ${bank.broken.has('baseUrl') ? '(unset)' : c.baseUrl}`;
  return [pass('bank file', unset.length > 0 ? `${what}; not checked until their variables are set: ${unset.join(', ')}` : what)];
}

/** The first broken field among `fields` (a field or any field under it), with its reason. */
export function brokenAmong(bank: DoctorBank, fields: readonly string[]): string | undefined {
  for (const [field, why] of bank.broken) {
    if (fields.some((f) => field === f || field.startsWith(`${f}.`) || f.startsWith(`${field}.`))) return `${field} ${why}`;
  }
  return undefined;
}

function withProblem(bank: DoctorBank, load: () => BankConfig): DoctorBank {
  try {
    bank.config = load();
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    bank.problems.push(problemOf(err));
  }
  return bank;
}

function problemOf(err: ConfigError): { field?: string; message: string } {
  // The report names the file once at the top; drop it from each line.
  const prefix = err.field ? `${err.file}: ${err.field}: ` : `${err.file}: `;
  const message = err.message.startsWith(prefix) ? err.message.slice(prefix.length) : err.message;
  return err.field ? { field: err.field, message } : { message };
}

/** Removes a field (or its whole section, or gives a required root field a stand-in) so the next load gets past it. */
function patch(raw: Raw, field: string, profiles: readonly string[]): void {
  const dot = field.indexOf('.');
  const section = dot < 0 ? field.replace(/\[\d+\]$/, '') : field.slice(0, dot);
  const key = dot < 0 ? undefined : field.slice(dot + 1);
  const inner = raw[section];
  if (key !== undefined && !WHOLE_SECTIONS.has(section) && isRaw(inner) && key in inner) {
    delete inner[key];
    return;
  }
  const standIn = STAND_INS[section];
  if (standIn) raw[section] = standIn(profiles);
  else delete raw[section];
}

function secretsOf(raw: Raw, placeholders: Placeholder[], env: NodeJS.ProcessEnv): string[] {
  const out = new Set<string>();
  for (const p of placeholders) {
    const v = env[p.name];
    if (v) out.add(v);
  }
  // Literal ids written in the file are secrets too (config/: consent id, PSU ids).
  const consent = raw.consent;
  const psu = raw.psu;
  for (const v of [isRaw(consent) ? consent.id : undefined, isRaw(psu) ? psu.id : undefined, isRaw(psu) ? psu.corporateId : undefined]) {
    if (typeof v === 'string' && v !== '' && !v.includes('${')) out.add(v);
  }
  return [...out];
}
