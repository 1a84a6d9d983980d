// Loads and validates a bank file (DESIGN.md "Bank file").
// Every problem becomes a one-line ConfigError naming the file and the field, so the
// command line can print it and exit 2 before anything is sent to the bank.

import { readFileSync, statSync } from 'node:fs';
import { isIPv4 } from 'node:net';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './types.js';
import type { BankConfig, KeyIdFormat, Limits, SigningConfig, TlsConfig } from './types.js';
import { joinPath, substituteEnv, SubstitutionError } from './substitute.js';
import { suggest } from './suggest.js';
import { applyRequestHeaderFields, PSU_HEADER_FIELDS, TPP_FIELDS } from './request-headers.js';

export interface LoadOptions {
  /** Known profile names; the error for an unknown profile lists them. Omitted: any [a-z0-9-]+ name. */
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
});

/** The fields each section of the bank file accepts (the JSON schema is tested against this). */
export const BANK_FILE_FIELDS = {
  root: ['id', 'name', 'profile', 'baseUrl', 'consent', 'psu', 'tpp', 'signing', 'tls', 'limits', 'headers', 'allowedOrigins'],
  consent: ['id', 'create'],
  psu: ['ipAddress', 'id', 'corporateId', ...PSU_HEADER_FIELDS],
  tpp: [...TPP_FIELDS],
  signing: ['required', 'certificate', 'key', 'keyIdFormat', 'signDate', 'signRequestTarget', 'digestAlgorithm'],
  tls: ['certificate', 'key', 'ca'],
  limits: ['concurrency', 'requestsPerSecond', 'timeoutMs', 'retries', 'maxBodyBytes', 'maxAccounts', 'maxPages'],
} as const;

const ID_PATTERN = /^[a-z0-9-]+$/;
// RFC 9110 token characters.
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

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
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(path, undefined, `cannot read the bank file: ${describeFsError(err)}`);
  }
  return parseBankFile(text, { file: path, baseDir: dirname(resolve(path)), env, profiles: options.profiles });
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
    const detail = yamlError.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    // `{ id: ${X} }` is the usual way to get here: in flow style `{` ends a plain scalar.
    const line = pos ? text.split(/\r?\n/)[pos.line - 1] ?? '' : '';
    const hint = /[[{].*\$\{/.test(line) ? ' (inside { } or [ ], quote ${…} placeholders: "${NAME}")' : '';
    throw new ConfigError(file, undefined, pos ? `invalid YAML at line ${pos.line}, column ${pos.col}: ${detail}${hint}` : `invalid YAML: ${detail}`);
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  if (raw === null || raw === undefined) {
    throw new ConfigError(file, undefined, 'the file is empty; expected a mapping with at least id, profile, baseUrl and consent');
  }
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ConfigError(file, undefined, `expected a mapping (id: …, profile: …) at the top level, found ${describe(raw)}`);
  }

  let substituted;
  try {
    substituted = substituteEnv(raw, opts.env ?? process.env);
  } catch (err) {
    if (err instanceof SubstitutionError) throw new ConfigError(file, err.path, err.message);
    throw err;
  }
  const r = new Reader(file, opts.baseDir, substituted.whollySubstituted, substituted.secrets);
  const root = substituted.value as Record<string, unknown>;
  r.onlyKnown(root, '', BANK_FILE_FIELDS.root);

  const id = r.requiredString(root, 'id', 'a short name such as sr-bank-sandbox');
  if (!ID_PATTERN.test(id)) r.fail('id', `${r.show(id)} must match [a-z0-9-]+ (lower-case letters, digits and dashes); it names output folders`);
  const name = r.optionalString(root, 'name') ?? id;
  const profile = readProfile(r, root, opts.profiles);
  const baseUrl = readBaseUrl(r, root);
  const consent = readConsent(r, root);
  const psu = readPsu(r, root);
  const signingRequired = readSigningRequired(r, root);
  const signing = readSigning(r, root);
  const tls = readTls(r, root);
  const limits = readLimits(r, root);
  const headers = readHeaders(r, root);
  const allowedOrigins = readAllowedOrigins(r, root);

  const secrets = [...r.secrets];
  for (const s of [consent.id, psu.id, psu.corporateId]) if (s && !secrets.includes(s)) secrets.push(s);

  const config: BankConfig = { id, name, profile, baseUrl, consent, psu, limits, allowedOrigins, signingRequired, headers, source: file, secrets };
  if (signing) config.signing = signing;
  if (tls) config.tls = tls;
  applyRequestHeaderFields(config, root);
  return config;
}

// ---------------------------------------------------------------------------------------------
// Sections

function readProfile(r: Reader, root: Record<string, unknown>, profiles: readonly string[] | undefined): string {
  const profile = r.requiredString(root, 'profile', profiles?.length ? `one of ${profiles.join(', ')}` : 'e.g. berlin-group');
  if (profiles && profiles.length > 0) {
    if (!profiles.includes(profile)) {
      const near = suggest(profile, profiles);
      r.fail('profile', `unknown profile ${r.show(profile)}${near ? ` (did you mean ${near}?)` : ''}; known profiles: ${profiles.join(', ')}`);
    }
  } else if (!ID_PATTERN.test(profile)) {
    r.fail('profile', `${r.show(profile)} is not a profile name ([a-z0-9-]+)`);
  }
  return profile;
}

function readBaseUrl(r: Reader, root: Record<string, unknown>): string {
  const text = r.requiredString(root, 'baseUrl', 'the API root, e.g. https://api.bank.example/psd2');
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return r.fail('baseUrl', `${r.show(text)} is not an absolute URL (expected e.g. https://api.bank.example/psd2)`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') r.fail('baseUrl', `must be an http or https URL, not ${url.protocol}`);
  // Credentials in the URL would end up in reports and curl lines.
  if (url.username || url.password) r.fail('baseUrl', 'must not contain credentials; pass them as headers with ${VAR} placeholders');
  if (url.search || url.hash) r.fail('baseUrl', 'must not have a query string or fragment; it is the root the API paths are appended to');
  return trimTrailingSlash(text);
}

function readConsent(r: Reader, root: Record<string, unknown>): BankConfig['consent'] {
  if (root.consent === undefined || root.consent === null) {
    r.fail('consent', 'required: give consent.id (a pre-authorised consent) or consent.create: true');
  }
  const consent = r.mapping(root.consent, 'consent');
  r.onlyKnown(consent, 'consent', BANK_FILE_FIELDS.consent);
  const id = r.optionalString(consent, 'id', 'consent');
  const create = r.optionalBoolean(consent, 'create', 'consent') ?? false;
  if (id !== undefined && create) r.fail('consent', 'give either id or create: true, not both');
  if (id === undefined && !create) r.fail('consent', 'give id (a pre-authorised consent) or create: true (POST /v1/consents)');
  return id !== undefined ? { id, create } : { create };
}

function readPsu(r: Reader, root: Record<string, unknown>): BankConfig['psu'] {
  const psu = root.psu === undefined || root.psu === null ? {} : r.mapping(root.psu, 'psu');
  r.onlyKnown(psu, 'psu', BANK_FILE_FIELDS.psu);
  const ipAddress = r.optionalString(psu, 'ipAddress', 'psu') ?? DEFAULT_PSU_IP_ADDRESS;
  if (!isIPv4(ipAddress)) r.fail('psu.ipAddress', `${r.show(ipAddress)} is not an IPv4 address (e.g. ${DEFAULT_PSU_IP_ADDRESS})`);
  const out: BankConfig['psu'] = { ipAddress };
  const id = r.optionalString(psu, 'id', 'psu');
  const corporateId = r.optionalString(psu, 'corporateId', 'psu');
  if (id !== undefined) out.id = id;
  if (corporateId !== undefined) out.corporateId = corporateId;
  return out;
}

function readSigningRequired(r: Reader, root: Record<string, unknown>): boolean {
  if (root.signing === undefined || root.signing === null) return false;
  return r.optionalBoolean(r.mapping(root.signing, 'signing'), 'required', 'signing') ?? false;
}

function readSigning(r: Reader, root: Record<string, unknown>): SigningConfig | undefined {
  if (root.signing === undefined || root.signing === null) return undefined;
  const s = r.mapping(root.signing, 'signing');
  r.onlyKnown(s, 'signing', BANK_FILE_FIELDS.signing);
  const certificate = r.optionalString(s, 'certificate', 'signing');
  const key = r.optionalString(s, 'key', 'signing');
  // `signing: { required: true }` alone: the bank mandates signing, the run signs with its test QSealC.
  if (certificate === undefined && key === undefined && s.required !== undefined && Object.keys(s).length === 1) return undefined;
  // The contract's SigningConfig always carries both files; options alone cannot be expressed.
  if (certificate === undefined && key === undefined) {
    r.fail('signing', 'certificate and key are required in a signing section (omit the whole section to sign with a generated test QSealC)');
  }
  if (certificate === undefined) r.fail('signing.certificate', 'required when signing.key is given (give both or neither)');
  if (key === undefined) r.fail('signing.key', 'required when signing.certificate is given (give both or neither)');
  const keyIdFormat = (r.optionalEnum(s, 'keyIdFormat', KEY_ID_FORMATS, 'signing') ?? 'bg-example') as KeyIdFormat;
  const digestAlgorithm = (r.optionalEnum(s, 'digestAlgorithm', DIGEST_ALGORITHMS, 'signing') ?? 'SHA-256') as SigningConfig['digestAlgorithm'];
  return {
    certificate: r.pemFile(certificate as string, 'signing.certificate', 'CERTIFICATE'),
    key: r.pemFile(key as string, 'signing.key', 'PRIVATE KEY'),
    keyIdFormat,
    signDate: r.optionalBoolean(s, 'signDate', 'signing') ?? false,
    signRequestTarget: r.optionalBoolean(s, 'signRequestTarget', 'signing') ?? false,
    digestAlgorithm,
  };
}

function readTls(r: Reader, root: Record<string, unknown>): TlsConfig | undefined {
  if (root.tls === undefined || root.tls === null) return undefined;
  const t = r.mapping(root.tls, 'tls');
  r.onlyKnown(t, 'tls', BANK_FILE_FIELDS.tls);
  const certificate = r.optionalString(t, 'certificate', 'tls');
  const key = r.optionalString(t, 'key', 'tls');
  const ca = r.optionalString(t, 'ca', 'tls');
  if (certificate !== undefined && key === undefined) r.fail('tls.key', 'required when tls.certificate is given (the QWAC private key)');
  if (key !== undefined && certificate === undefined) r.fail('tls.certificate', 'required when tls.key is given (the QWAC certificate)');
  const out: TlsConfig = {};
  if (certificate !== undefined) out.certificate = r.pemFile(certificate, 'tls.certificate', 'CERTIFICATE');
  if (key !== undefined) out.key = r.pemFile(key, 'tls.key', 'PRIVATE KEY');
  if (ca !== undefined) out.ca = r.pemFile(ca, 'tls.ca', 'CERTIFICATE');
  return Object.keys(out).length > 0 ? out : undefined;
}

function readLimits(r: Reader, root: Record<string, unknown>): Limits {
  const l = root.limits === undefined || root.limits === null ? {} : r.mapping(root.limits, 'limits');
  r.onlyKnown(l, 'limits', BANK_FILE_FIELDS.limits);
  return {
    concurrency: r.optionalNumber(l, 'concurrency', 'limits', { integer: true, min: 1 }) ?? DEFAULT_LIMITS.concurrency,
    // Fractions allowed: some banks allow only a few calls a minute.
    requestsPerSecond: r.optionalNumber(l, 'requestsPerSecond', 'limits', { integer: false, min: 0 }) ?? DEFAULT_LIMITS.requestsPerSecond,
    timeoutMs: r.optionalNumber(l, 'timeoutMs', 'limits', { integer: true, min: 1 }) ?? DEFAULT_LIMITS.timeoutMs,
    // 0 is meaningful here: never retry.
    retries: r.optionalNumber(l, 'retries', 'limits', { integer: true, min: 0 }) ?? DEFAULT_LIMITS.retries,
    maxBodyBytes: r.optionalNumber(l, 'maxBodyBytes', 'limits', { integer: true, min: 1 }) ?? DEFAULT_LIMITS.maxBodyBytes,
    maxAccounts: r.optionalNumber(l, 'maxAccounts', 'limits', { integer: true, min: 1 }) ?? DEFAULT_LIMITS.maxAccounts,
    maxPages: r.optionalNumber(l, 'maxPages', 'limits', { integer: true, min: 1 }) ?? DEFAULT_LIMITS.maxPages,
  };
}

function readHeaders(r: Reader, root: Record<string, unknown>): Record<string, string> {
  if (root.headers === undefined || root.headers === null) return {};
  const h = r.mapping(root.headers, 'headers');
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(h)) {
    const field = joinPath('headers', name);
    if (!HEADER_NAME.test(name)) r.fail(field, 'is not a valid header name (letters, digits and !#$%&\'*+-.^_`|~ only)');
    if (typeof value !== 'string') {
      r.fail(field, `must be a string, found ${describe(value)}${typeof value === 'number' || typeof value === 'boolean' ? ' (quote it)' : ''}`);
    }
    if (/[\r\n\0]/.test(value)) r.fail(field, 'must not contain line breaks or NUL');
    // undici refuses anything above U+00FF; RFC 2047 encoding is the bank's documented way out.
    if (/[^\u0000-\u00ff]/.test(value)) r.fail(field, 'contains characters outside Latin-1; encode the value (RFC 2047, =?utf-8?B?…?=)');
    const lower = name.toLowerCase();
    if (lower in out) r.fail(field, `repeats header ${lower} (header names are case-insensitive)`);
    out[lower] = value;
  }
  return out;
}

function readAllowedOrigins(r: Reader, root: Record<string, unknown>): string[] {
  const list = root.allowedOrigins;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) return r.fail('allowedOrigins', `must be a list of origins such as https://auth.bank.example, found ${describe(list)}`);
  return list.map((item: unknown, i) => {
    const field = `allowedOrigins[${i}]`;
    if (typeof item !== 'string') return r.fail(field, `must be a string, found ${describe(item)}`);
    let url: URL;
    try { url = new URL(item); } catch { return r.fail(field, `${r.show(item)} is not an origin (expected e.g. https://auth.bank.example)`); }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') r.fail(field, `must be an http or https origin, not ${url.protocol}`);
    if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) r.fail(field, `${r.show(item)} must be an origin only (scheme, host and port), without path, query or credentials`);
    return url.origin;
  });
}

// ---------------------------------------------------------------------------------------------
// Helpers

class Reader {
  constructor(
    readonly file: string,
    readonly baseDir: string,
    readonly whollySubstituted: Set<string>,
    readonly secrets: string[],
  ) {}

  fail(field: string | undefined, detail: string): never {
    throw new ConfigError(this.file, field, detail);
  }

  /** Quotes a value for a message, unless it carries a secret from the environment. */
  show(value: string): string {
    return this.secrets.some((s) => value.includes(s)) ? '(the value from the environment)' : `'${value}'`;
  }

  mapping(value: unknown, path: string): Record<string, unknown> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      this.fail(path, `must be a mapping (key: value lines), found ${describe(value)}`);
    }
    return value as Record<string, unknown>;
  }

  onlyKnown(obj: Record<string, unknown>, path: string, known: readonly string[]): void {
    for (const key of Object.keys(obj)) {
      if (known.includes(key)) continue;
      const near = suggest(key, known);
      this.fail(joinPath(path, key), near ? `unknown field (did you mean ${near}?)` : `unknown field (known fields: ${known.join(', ')})`);
    }
  }

  requiredString(obj: Record<string, unknown>, key: string, hint: string): string {
    if (obj[key] === undefined || obj[key] === null) this.fail(key, `required (${hint})`);
    return this.optionalString(obj, key) as string;
  }

  optionalString(obj: Record<string, unknown>, key: string, parent = ''): string | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const path = joinPath(parent, key);
    if (typeof value !== 'string') this.fail(path, `must be a string, found ${describe(value)}`);
    if (value.trim() === '') this.fail(path, 'must not be empty');
    return value;
  }

  optionalBoolean(obj: Record<string, unknown>, key: string, parent: string): boolean | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const path = joinPath(parent, key);
    if (typeof value === 'boolean') return value;
    // A placeholder always yields a string; accept the two spellings it can mean.
    if (this.whollySubstituted.has(path) && (value === 'true' || value === 'false')) return value === 'true';
    return this.fail(path, `must be true or false, found ${describe(value)}`);
  }

  optionalNumber(
    obj: Record<string, unknown>,
    key: string,
    parent: string,
    rule: { integer: boolean; min: number },
  ): number | undefined {
    const value = obj[key];
    if (value === undefined || value === null) return undefined;
    const path = joinPath(parent, key);
    let n: number | undefined;
    if (typeof value === 'number') n = value;
    else if (typeof value === 'string' && this.whollySubstituted.has(path) && /^\d+(\.\d+)?$/.test(value.trim())) n = Number(value);
    const what = rule.integer
      ? rule.min === 0 ? 'a whole number ≥ 0' : 'a positive whole number'
      : 'a number ≥ 0 (0 = unlimited)';
    if (n === undefined || !Number.isFinite(n) || n < rule.min || (rule.integer && !Number.isInteger(n))) {
      return this.fail(path, `must be ${what}, found ${typeof value === 'number' ? value : describe(value)}`);
    }
    return n;
  }

  optionalEnum(obj: Record<string, unknown>, key: string, allowed: readonly string[], parent: string): string | undefined {
    const value = this.optionalString(obj, key, parent);
    if (value === undefined) return undefined;
    if (!allowed.includes(value)) {
      const near = suggest(value, allowed);
      this.fail(joinPath(parent, key), `${this.show(value)} is not one of ${allowed.join(', ')}${near ? ` (did you mean ${near}?)` : ''}`);
    }
    return value;
  }

  /** Resolves a PEM path against the bank file's folder and checks that it can be read. */
  pemFile(path: string, field: string, label: 'CERTIFICATE' | 'PRIVATE KEY'): string {
    const abs = resolve(this.baseDir, path);
    const where = abs === path ? path : `${path} (${abs})`;
    let text: string;
    try {
      if (statSync(abs).isDirectory()) this.fail(field, `${where} is a folder, not a PEM file`);
      text = readFileSync(abs, 'utf8');
    } catch (err) {
      if (err instanceof ConfigError) throw err;
      return this.fail(field, `cannot read ${where}: ${describeFsError(err)}`);
    }
    // A cheap check that catches swapped or DER files early; the signer and doctor check the contents.
    const begin = label === 'CERTIFICATE' ? /-----BEGIN CERTIFICATE-----/ : /-----BEGIN [A-Z ]*PRIVATE KEY-----/;
    if (!begin.test(text)) this.fail(field, `${where} is not a PEM file with a ${label} block`);
    return abs;
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

function describeFsError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT': return 'no such file';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a folder, not a file';
    default: return err instanceof Error ? err.message : String(err);
  }
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
