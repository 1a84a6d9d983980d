// Loads and validates a bank file (docs/architecture.md "Bank file").
// Every problem becomes a one-line ConfigError naming the file and the field, so the
// command line can print it and exit 2 before anything is sent to the bank.

import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { BoundedReadError, FILE_CAPS, readBoundedText } from '../core/fs/read-bounded.js';
import { ConfigError } from './types.js';
import type { BankConfig, KeyIdFormat, Limits, SigningConfig, TlsConfig } from './types.js';
import { fieldsAt, resolvedBankFileSchema, validateBankFile, type SchemaNode } from './bank-schema.js';
import { isEncryptedPem, openPrivateKey } from './private-key.js';
import { profileNames } from './profile-folders.js';
import { baseUrlProblem, describeValue, firstProblem, originProblem, type FieldProblem, type Wording } from './schema-errors.js';
import { joinPath, substituteEnv, SubstitutionError } from './substitute.js';
import { suggest } from './suggest.js';
import { applyRequestHeaderFields } from './request-headers.js';

export interface LoadOptions {
  /** Known profile names; the error for an unknown profile lists them. Omitted: loadBankFile reads the profile folders. */
  profiles?: readonly string[];
}

export const KEY_ID_FORMATS: readonly KeyIdFormat[] = ['bg-example', 'adorsys', 'plain-rfc2253', 'decimal-serial'];
export const DIGEST_ALGORITHMS: readonly SigningConfig['digestAlgorithm'][] = ['SHA-256', 'SHA-512'];

/** An address from the documentation range (RFC 5737), so no real PSU is implied. */
export const DEFAULT_PSU_IP_ADDRESS = '192.0.2.10';
export const BUILT_IN_SOURCE = '(built-in reference bank)';

/** Defaults for a bank file: polite to a real sandbox. */
export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  concurrency: 4,
  requestsPerSecond: 5,
  timeoutMs: 10_000,
  retries: 2,
  maxBodyBytes: 5 * 1024 * 1024,
  maxAccounts: 50,
  maxPages: 50,
  // Small: a sandbox portal may count calls per consent and day.
  negativeRequests: 12,
});

/** The fields each section of the bank file accepts, as the JSON Schema lists them. */
export const BANK_FILE_FIELDS = {
  root: fieldsAt([]),
  consent: fieldsAt(['consent']),
  psu: fieldsAt(['psu']),
  tpp: fieldsAt(['tpp']),
  signing: fieldsAt(['signing']),
  tls: fieldsAt(['tls']),
  limits: fieldsAt(['limits']),
} as const;

/** The embedded reference bank (`card-conformance run` without --bank). */
export function defaultBankConfig(baseUrl: string, profile: string): BankConfig {
  return {
    id: 'reference-bank',
    name: 'Reference bank',
    profile,
    baseUrl: trimTrailingSlash(baseUrl),
    consent: { create: true },
    psu: { ipAddress: DEFAULT_PSU_IP_ADDRESS },
    // In-process and on loopback: no reason to slow it down.
    limits: { ...DEFAULT_LIMITS, requestsPerSecond: 0 },
    allowedOrigins: [],
    signingRequired: true,
    headers: {},
    source: BUILT_IN_SOURCE,
    secrets: [],
  };
}

/** Reads, substitutes and validates a bank file. Throws ConfigError only. */
export function loadBankFile(path: string, env: NodeJS.ProcessEnv = process.env, options: LoadOptions = {}): BankConfig {
  let text: string;
  try {
    text = readBoundedText(path, FILE_CAPS.bankFile);
  } catch (err) {
    if (err instanceof BoundedReadError) throw new ConfigError(path, undefined, `cannot read the bank file: ${err.detail}`);
    throw err;
  }
  // The profile must name a profile folder (config/profile-folders.ts) unless the caller gives the list.
  return parseBankFile(text, { file: path, baseDir: dirname(resolve(path)), env, profiles: options.profiles ?? profileNames() });
}

export interface ParseOptions extends LoadOptions {
  /** The name used in messages and as `source`. */
  file: string;
  /** Folder that relative certificate paths are resolved against. */
  baseDir: string;
  env?: NodeJS.ProcessEnv;
}

/** Validates bank-file text already in memory (loadBankFile without the read). */
export function parseBankFile(text: string, opts: ParseOptions): BankConfig {
  const { file } = opts;
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const pos = yamlError.linePos?.[0];
    // yaml's message repeats the position and adds a code excerpt over several lines; keep one line.
    const detail = (yamlError.message.split('\n')[0] ?? '').replace(/ at line \d+, column \d+:?$/, '');
    // `{ id: ${X} }` is the usual way to get here: in flow style `{` ends a plain scalar.
    const line = pos ? (text.split(/\r?\n/)[pos.line - 1] ?? '') : '';
    const hint = /[[{].*\$\{/.test(line) ? ' (inside { } or [ ], quote ${…} placeholders: "${NAME}")' : '';
    throw new ConfigError(file, undefined, pos ? `invalid YAML at line ${pos.line}, column ${pos.col}: ${detail}${hint}` : `invalid YAML: ${detail}`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, undefined, 'the file is empty; expected a mapping with at least id, profile, baseUrl and consent');
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, undefined, `expected a mapping (id: …, profile: …) at the top level, found ${describeValue(raw)}`);
  }

  let substituted;
  try {
    substituted = substituteEnv(raw, opts.env ?? process.env);
  } catch (err) {
    if (err instanceof SubstitutionError) throw new ConfigError(file, err.path, err.message);
    throw err;
  }
  const secretsSoFar = substituted.secrets;
  const wording: Wording = { show: (value) => showValue(value, secretsSoFar), profiles: opts.profiles };
  const ctx: BuildContext = { ...opts, wording, secrets: secretsSoFar, whollySubstituted: substituted.whollySubstituted };
  const checked = normalise(substituted.value, resolvedBankFileSchema(), '', substituted.whollySubstituted);
  const problem = firstProblem(validateBankFile(checked), checked, wording, BANK_FILE_FIELDS.root, problemsBeyondSchema(checked, wording, ctx));
  if (problem) throw new ConfigError(file, problem.field, problem.detail);
  // The schema accepted it: the shape below is what it describes.
  // why the cast: the schema accepted it (line above), so it has the shape ValidBankFile describes
  return buildConfig(checked as ValidBankFile, ctx);
}

// ---------------------------------------------------------------------------------------------
// After the schema: what it cannot say (known profiles, URL parsing, repeated header names,
// the files named), and the defaults.

/** A bank file the schema accepted. */
interface ValidBankFile {
  id: string;
  name?: string;
  profile: string;
  baseUrl: string;
  consent: { id?: string; create?: boolean };
  psu?: { ipAddress?: string; id?: string; corporateId?: string };
  signing?: {
    required?: boolean;
    certificate?: string;
    key?: string;
    keyPassphrase?: string;
    keyIdFormat?: KeyIdFormat;
    signDate?: boolean;
    signRequestTarget?: boolean;
    digestAlgorithm?: SigningConfig['digestAlgorithm'];
  };
  tls?: TlsConfig;
  limits?: Partial<Limits>;
  headers?: Record<string, string>;
  allowedOrigins?: string[];
}

/**
 * What the schema cannot say: whether the profile is one of the known ones, whether baseUrl and
 * allowedOrigins parse as URLs, header names repeated in another case, whether the files named
 * can be read (bounded) and hold PEM, and whether an encrypted key opens with its passphrase.
 * Ranked with the schema's errors, so the first problem of the file is reported whichever check
 * finds it.
 */
function problemsBeyondSchema(doc: unknown, w: Wording, ctx: BuildContext): FieldProblem[] {
  if (doc === null || typeof doc !== 'object') return [];
  // why the cast: a non-null object, read field by field as unknown
  const d = doc as Record<string, unknown>;
  const out: FieldProblem[] = [];
  const profiles = w.profiles;
  if (typeof d.profile === 'string' && profiles && profiles.length > 0 && !profiles.includes(d.profile)) {
    const near = suggest(d.profile, profiles);
    out.push({
      field: 'profile',
      detail: `unknown profile ${w.show(d.profile)}${near ? ` (did you mean ${near}?)` : ''}; known profiles: ${profiles.join(', ')}`,
    });
  }
  if (typeof d.baseUrl === 'string') {
    const problem = baseUrlProblem(d.baseUrl, w);
    if (problem) out.push({ field: 'baseUrl', detail: problem });
  }
  if (d.headers !== null && typeof d.headers === 'object' && !Array.isArray(d.headers)) {
    const seen = new Set<string>();
    for (const name of Object.keys(d.headers)) {
      const lower = name.toLowerCase();
      if (seen.has(lower)) out.push({ field: joinPath('headers', name), detail: `repeats header ${lower} (header names are case-insensitive)` });
      seen.add(lower);
    }
  }
  const section = (name: string): Record<string, unknown> | undefined => {
    const v = d[name];
    // why the cast: a non-null, non-array object, read field by field as unknown
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  };
  const file = (parent: Record<string, unknown> | undefined, prefix: string, key: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string | undefined => {
    const path = parent?.[key];
    if (typeof path !== 'string' || path === '') return undefined;
    try {
      return pemFile(path, `${prefix}.${key}`, label, ctx).text;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      out.push({ field: err.field, detail: err.message.slice(`${err.file}: ${err.field}: `.length) });
      return undefined;
    }
  };
  const signing = section('signing');
  file(signing, 'signing', 'certificate', 'CERTIFICATE');
  const keyText = file(signing, 'signing', 'key', 'PRIVATE KEY');
  const passphrase = signing?.keyPassphrase;
  if (passphrase !== undefined && !ctx.whollySubstituted.has('signing.keyPassphrase')) {
    out.push({ field: 'signing.keyPassphrase', detail: 'must be a ${VARIABLE} placeholder, so the passphrase is not written in the file' });
  } else if (keyText !== undefined && isEncryptedPem(keyText)) {
    // Opened now, so a wrong or missing passphrase stops the run before anything is sent.
    const opened = openPrivateKey(keyText, typeof passphrase === 'string' ? passphrase : undefined, String(signing?.key));
    if (!opened.ok) out.push({ field: opened.field, detail: opened.detail });
  }
  const tls = section('tls');
  file(tls, 'tls', 'certificate', 'CERTIFICATE');
  file(tls, 'tls', 'key', 'PRIVATE KEY');
  file(tls, 'tls', 'ca', 'CERTIFICATE');
  if (Array.isArray(d.allowedOrigins)) {
    d.allowedOrigins.forEach((item: unknown, i) => {
      const problem = typeof item === 'string' ? originProblem(item, w) : undefined;
      if (problem) out.push({ field: `allowedOrigins[${i}]`, detail: problem });
    });
  }
  return out;
}

interface BuildContext extends ParseOptions {
  wording: Wording;
  secrets: string[];
  whollySubstituted: Set<string>;
}

function buildConfig(v: ValidBankFile, ctx: BuildContext): BankConfig {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(v.headers ?? {})) headers[name.toLowerCase()] = value;
  const allowedOrigins = (v.allowedOrigins ?? []).map((item) => new URL(item).origin);

  const consent: BankConfig['consent'] = v.consent.id !== undefined ? { id: v.consent.id, create: false } : { create: true };
  const psu: BankConfig['psu'] = { ipAddress: v.psu?.ipAddress ?? DEFAULT_PSU_IP_ADDRESS };
  if (v.psu?.id !== undefined) psu.id = v.psu.id;
  if (v.psu?.corporateId !== undefined) psu.corporateId = v.psu.corporateId;

  const limits: Limits = { ...DEFAULT_LIMITS, ...v.limits };
  const signing = readSigning(v.signing, ctx);
  const tls = readTls(v.tls, ctx);

  const secrets = [...ctx.secrets];
  for (const s of [consent.id, psu.id, psu.corporateId]) if (s && !secrets.includes(s)) secrets.push(s);

  const config: BankConfig = {
    id: v.id,
    name: v.name ?? v.id,
    profile: v.profile,
    baseUrl: trimTrailingSlash(v.baseUrl),
    consent,
    psu,
    limits,
    allowedOrigins,
    signingRequired: v.signing?.required ?? false,
    headers,
    source: ctx.file,
    secrets,
  };
  if (signing) config.signing = signing;
  if (tls) config.tls = tls;
  // The schema validated these sections; the profile-driven header fields read them from the same checked object.
  // why the cast: the same validated object, seen as the plain mapping the header fields read
  applyRequestHeaderFields(config, v as unknown as Record<string, unknown>);
  return config;
}

function readSigning(s: ValidBankFile['signing'], ctx: BuildContext): SigningConfig | undefined {
  // `signing: { required: true }` alone: the bank mandates signing, the run signs with its test QSealC.
  if (!s || s.certificate === undefined || s.key === undefined) return undefined;
  // The files were read and checked with the rest of the file (problemsBeyondSchema); here only resolved.
  const out: SigningConfig = {
    certificate: resolve(ctx.baseDir, s.certificate),
    key: resolve(ctx.baseDir, s.key),
    keyIdFormat: s.keyIdFormat ?? 'bg-example',
    signDate: s.signDate ?? false,
    signRequestTarget: s.signRequestTarget ?? false,
    digestAlgorithm: s.digestAlgorithm ?? 'SHA-256',
  };
  if (s.keyPassphrase !== undefined) out.keyPassphrase = s.keyPassphrase;
  return out;
}

function readTls(t: TlsConfig | undefined, ctx: BuildContext): TlsConfig | undefined {
  if (!t) return undefined;
  const out: TlsConfig = {};
  if (t.certificate !== undefined) out.certificate = resolve(ctx.baseDir, t.certificate);
  if (t.key !== undefined) out.key = resolve(ctx.baseDir, t.key);
  if (t.ca !== undefined) out.ca = resolve(ctx.baseDir, t.ca);
  return Object.keys(out).length > 0 ? out : undefined;
}

/** Resolves a PEM path against the bank file's folder and reads it (bounded). */
function pemFile(path: string, field: string, label: 'CERTIFICATE' | 'PRIVATE KEY', ctx: BuildContext): { path: string; text: string } {
  const abs = resolve(ctx.baseDir, path);
  const where = abs === path ? path : `${path} (${abs})`;
  let text: string;
  try {
    text = readBoundedText(abs, FILE_CAPS.pem);
  } catch (err) {
    if (err instanceof BoundedReadError) throw new ConfigError(ctx.file, field, `cannot read ${where}: ${err.detail}`);
    throw err;
  }
  // A cheap check that catches swapped or DER files early; the signer and doctor check the contents.
  const begin = label === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
  if (!begin.test(text)) throw new ConfigError(ctx.file, field, `${where} is not a PEM file with a ${label} block`);
  return { path: abs, text };
}

/**
 * Prepares substituted YAML for the schema: an empty value (`name:`) counts as absent, and a
 * field whose whole value was one `${VAR}` takes the type the schema wants (the environment only
 * holds text: "true", "2500").
 */
function normalise(value: unknown, schema: SchemaNode | undefined, path: string, wholly: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((item, i) => normalise(item, undefined, joinPath(path, i), wholly));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (v === null || v === undefined) continue;
      const child = schema?.properties && Object.hasOwn(schema.properties, k) ? schema.properties[k] : undefined;
      // defineProperty: a key such as "__proto__" stays an ordinary (unknown) field.
      Object.defineProperty(out, k, { value: normalise(v, child, joinPath(path, k), wholly), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (typeof value === 'string' && schema && wholly.has(path)) {
    if (schema.type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
    if ((schema.type === 'integer' || schema.type === 'number') && /^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  }
  return value;
}

/** Quotes a value for a message, unless it carries a secret from the environment; long values are cut. */
function showValue(value: string, secrets: readonly string[]): string {
  if (secrets.some((s) => value.includes(s))) return '(the value from the environment)';
  return value.length > 80 ? `'${value.slice(0, 60)}…' (${value.length} characters)` : `'${value}'`;
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
