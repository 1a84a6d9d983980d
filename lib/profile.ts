import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './config/types.js';
import { projectPath } from './paths.js';

/** The parts a run needs the spec's operations to play. */
export const OPERATION_ROLES = [
  'listCardAccounts', 'readCardAccount', 'readBalances', 'readTransactions',
  'createConsent', 'getConsentStatus', 'getConsentInformation', 'deleteConsent',
] as const;
export type OperationRole = (typeof OPERATION_ROLES)[number];

/** A profile: the spec to generate rules from plus the policy the spec cannot express. */
export interface Profile {
  name: string;
  title: string;
  /** Absolute path of the OpenAPI document. */
  spec: string;
  /** Absolute paths of OpenAPI Overlay documents, applied in order. */
  overlays: string[];
  operations: Record<OperationRole, string>;
  /** Path (with * for array items) in the list response that holds the account ids. */
  accountIds: string;
  transactions: {
    booked: string;
    pending: string;
    next: string;
    entryId: string;
    bookingDate: string;
    entryDate: string;
  };
  maskedPan: { visibleLeading: number; visibleTrailing: number };
  consent: {
    access: Record<string, unknown>;
    recurringIndicator: boolean;
    validDays: number;
    frequencyPerDay: number;
    combinedServiceIndicator: boolean;
  };
  signing: { required: boolean };
  requestHeaders: Record<string, string>;
}

const PROFILE_DIR = projectPath('specs', 'profiles');

/** The names of the profiles shipped in specs/profiles/. */
export function profileNames(): string[] {
  return readdirSync(PROFILE_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -5)).sort();
}

export function loadProfile(name: string, origin = '--profile'): Profile {
  const file = resolve(PROFILE_DIR, `${name}.yaml`);
  if (!/^[a-z0-9-]+$/.test(name) || !existsSync(file)) {
    throw new ConfigError(origin, undefined, `unknown profile '${name}' (known: ${profileNames().join(', ')})`);
  }
  const raw = parseYaml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  const need = (field: string): unknown => {
    if (raw[field] === undefined) throw new ConfigError(file, field, 'missing');
    return raw[field];
  };
  const operations = need('operations') as Record<string, string>;
  for (const role of OPERATION_ROLES) if (typeof operations[role] !== 'string') throw new ConfigError(file, `operations.${role}`, 'missing');
  const base = dirname(file);
  return {
    name: String(need('name')),
    title: String(need('title')),
    spec: resolve(base, String(need('spec'))),
    overlays: ((raw.overlays as string[] | undefined) ?? []).map((o) => resolve(base, o)),
    operations: operations as Record<OperationRole, string>,
    accountIds: String(need('accountIds')),
    transactions: need('transactions') as Profile['transactions'],
    maskedPan: need('maskedPan') as Profile['maskedPan'],
    consent: need('consent') as Profile['consent'],
    signing: (raw.signing as Profile['signing'] | undefined) ?? { required: false },
    requestHeaders: (raw.requestHeaders as Record<string, string> | undefined) ?? {},
  };
}
