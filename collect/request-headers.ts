// The profile's request headers (config/profile-headers.ts) filled from the bank file: TPP-Session-ID
// once per run, TPP-Redirect-URI from tpp.redirectUri, PSU-IP-Address from psu.ipAddress, the
// optional PSU headers from psu:, x-accept-fix from headers:. Every value is checked against the
// profile's format, and a required header without a value is a ConfigError naming the bank-file
// field, so a run stops (exit 2) before anything is sent.
import { randomUUID } from 'node:crypto';
import type { BankConfig, PsuConfig, TppConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import { BUILT_IN_SOURCE } from '../config/load.js';
import { BUILT_IN_TPP, PSU_HEADER_FIELDS } from '../config/request-headers.js';
import type { Profile } from '../config/profile.js';
import { headerValueProblem, type RequestHeaderSpec } from '../config/profile-headers.js';
import { encodeHeaderValue } from '../core/rfc2047.js';

// One TPP-Session-ID per run and bank: the run holds one BankConfig per bank.
const sessions = new WeakMap<BankConfig, string>();

/** The TPP-Session-ID of this run for this bank (a UUID, made on first use). */
export function sessionIdFor(bank: BankConfig): string {
  let id = sessions.get(bank);
  if (id === undefined) {
    id = randomUUID();
    sessions.set(bank, id);
  }
  return id;
}

/** The bank-file field a header's value comes from, as a message names it. */
function fieldOf(spec: RequestHeaderSpec): string {
  return spec.from === 'headers' ? `headers.${spec.name.toLowerCase()}` : spec.from;
}

function valueFrom(spec: RequestHeaderSpec, bank: BankConfig, profile: Profile): string | undefined {
  const from = spec.from;
  if (from === 'session') return sessionIdFor(bank);
  if (from === 'headers') {
    const lower = spec.name.toLowerCase();
    return bank.headers[lower] ?? Object.entries(profile.requestHeaders).find(([k]) => k.toLowerCase() === lower)?.[1];
  }
  if (from.startsWith('psu.')) return bank.psu[from.slice(4) as keyof PsuConfig];
  if (from.startsWith('tpp.')) {
    const key = from.slice(4) as keyof TppConfig;
    // The built-in reference bank has no bank file: the suite stands in for the TPP's own values.
    return bank.tpp?.[key] ?? (bank.source === BUILT_IN_SOURCE ? BUILT_IN_TPP[key] : undefined);
  }
  return undefined; // generated per request, or added by the signer
}

/**
 * The headers the profile sends on every call, lower-case names, values RFC 2047-encoded where
 * they leave ASCII. Throws ConfigError (exit 2) for a required header the bank file cannot
 * supply, for a value of the wrong format, and for a psu: field the profile has no header for.
 */
export function profileRequestHeaders(bank: BankConfig, profile: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of profile.headers) {
    if (spec.from === 'generated' || spec.from === 'signer') continue;
    // The bank file's headers: may give any header outright (baseHeaders sends it as written).
    const lower = spec.name.toLowerCase();
    const given = spec.from !== 'headers' && bank.headers[lower] !== undefined;
    const value = given ? bank.headers[lower] : valueFrom(spec, bank, profile);
    const field = given ? `headers.${lower}` : fieldOf(spec);
    if (value === undefined || value.trim() === '') {
      if (spec.required)
        throw new ConfigError(
          bank.source,
          field,
          `required by the ${profile.name} profile: it is sent as ${spec.name} on every call (set it in the bank file)`,
        );
      continue;
    }
    const problem = headerValueProblem(spec, value);
    if (problem) throw new ConfigError(bank.source, field, `${problem} (the ${profile.name} profile's format)`);
    out[spec.name.toLowerCase()] = encodeHeaderValue(value);
  }
  // A PSU field no header of the profile carries would be dropped without a word.
  for (const key of PSU_HEADER_FIELDS) {
    if (bank.psu[key] !== undefined && !profile.headers.some((h) => h.from === `psu.${key}`)) {
      throw new ConfigError(bank.source, `psu.${key}`, `the ${profile.name} profile sends no header for it (remove it, or send it under headers:)`);
    }
  }
  return out;
}

/** Checks, before anything is sent, that the bank file supplies every header the profile needs (throws ConfigError). */
export function checkRequestHeaders(bank: BankConfig, profile: Profile): void {
  profileRequestHeaders(bank, profile);
}
