import { basename, dirname, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from './types.js';
import { FILE_CAPS, readConfigFile } from '../core/fs/read-bounded.js';
import { profileSchemaProblem } from './profile-schema.js';
import { EXAMPLE_BANK_FILE, PROFILE_FILE, profileFile, profileFolder, REFERENCE_BANK_FILE } from './profile-folders.js';
import { readProfileSigning, readRequestHeaderSpecs, type ProfileSigning, type RequestHeaderSpec } from './profile-headers.js';

/** The parts a run needs the spec's operations to play. */
export const OPERATION_ROLES = [
  'listCardAccounts',
  'readCardAccount',
  'readBalances',
  'readTransactions',
  'createConsent',
  'getConsentStatus',
  'getConsentInformation',
  'deleteConsent',
] as const;
export type OperationRole = (typeof OPERATION_ROLES)[number];

/** The consent body fields a profile gives when its API can create consents. */
export interface ConsentRequest {
  access: Record<string, unknown>;
  recurringIndicator: boolean;
  validDays: number;
  frequencyPerDay: number;
  combinedServiceIndicator: boolean;
}

/** A profile: the spec to generate rules from plus the policy the spec cannot express. */
export interface Profile {
  /** The name of the profile's folder. */
  name: string;
  title: string;
  /** Absolute path of the profile's folder (specs/profiles/NAME/ or one CARD_CONFORMANCE_PROFILES adds). */
  folder: string;
  /** Absolute path of the reference bank's data (reference-bank.yaml), when the profile has one. */
  referenceBank?: string;
  /** Absolute path of the example bank file (example-bank.yaml), when the profile has one. */
  exampleBank?: string;
  /** Absolute path of the OpenAPI document. */
  spec: string;
  /** Absolute paths of OpenAPI Overlay documents, applied in order. */
  overlays: string[];
  /** operationIds by role that override the path matching; '' where the profile names none. */
  operations: Record<OperationRole, string>;
  /** Path (with * for array items) in the list response that holds the account ids. */
  accountIds: string;
  transactions: {
    booked: string;
    pending: string;
    next: string;
    /** The field that identifies an entry across pages; '' where the bank's entries carry none. */
    entryId: string;
    bookingDate: string;
    entryDate: string;
  };
  maskedPan: { visibleLeading: number; visibleTrailing: number };
  /** The body the suite sends with `consent: { create: true }` (the request's fields only). */
  consent: ConsentRequest;
  /** Read from the profile's `consent.preAuthorisedOnly` / `consent.note`. */
  consentPolicy: {
    /**
     * true: the API gives consents elsewhere (e.g. a separate Consents API), so a run needs a
     * pre-authorised consent (consent.id in the bank file); the consent roles may be left out.
     */
    preAuthorisedOnly: boolean;
    /** Why, in words a user can act on. */
    note?: string;
  };
  /** Signing rules (config/profile-headers.ts): required, signed header list, keyId format, non-ASCII. */
  signing: ProfileSigning;
  amounts: {
    /** Fraction digits must equal the currency's ISO 4217 minor units ("5768.20", not "5768.2"). */
    exactMinorUnits: boolean;
  };
  requestHeaders: Record<string, string>;
  /** The request headers the profile sends, required or optional, with their sources and formats (`headers:`). */
  headers: RequestHeaderSpec[];
}

export { profileNames } from './profile-folders.js';

/**
 * The profile of that name: its folder's profile.yaml, read and checked. An unknown name is a
 * ConfigError naming the flag (origin '--profile') or the file and field (origin FILE, field 'profile').
 */
export function loadProfile(name: string, origin = '--profile', field?: string): Profile {
  return loadProfileFile(resolve(profileFolder(name, origin, field), PROFILE_FILE), origin);
}

/**
 * Reads a profile's profile.yaml (bounded), validates it against specs/profiles/profile.schema.json,
 * and resolves its paths against its folder, whose name is the profile's.
 */
export function loadProfileFile(file: string, origin = '--profile'): Profile {
  let raw: Record<string, unknown>;
  try {
    raw = parseYaml(readConfigFile(file, { source: origin, field: undefined, maxBytes: FILE_CAPS.profile })) as Record<string, unknown>;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, undefined, `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const problem = profileSchemaProblem(raw);
  if (problem) throw new ConfigError(file, problem.field, problem.detail);
  const need = (field: string): unknown => {
    if (raw[field] === undefined) throw new ConfigError(file, field, 'missing');
    return raw[field];
  };
  const { consent, consentPolicy } = readConsent(file, need('consent'));
  // An override: the spec's operations are found by method and path template (rules/operations.ts);
  // an operationId named here is taken as is where the spec has it.
  const operations = (raw.operations ?? {}) as Record<string, unknown>;
  if (typeof operations !== 'object' || operations === null || Array.isArray(operations))
    throw new ConfigError(file, 'operations', 'must be a mapping of role to operationId');
  const roles = {} as Record<OperationRole, string>;
  for (const role of OPERATION_ROLES) {
    const id = operations[role];
    if (typeof id === 'string') roles[role] = id;
    else if (id === undefined || id === null) roles[role] = '';
    else throw new ConfigError(file, `operations.${role}`, 'must be an operationId (a string)');
  }
  for (const key of Object.keys(operations)) {
    if (!(OPERATION_ROLES as readonly string[]).includes(key))
      throw new ConfigError(file, `operations.${key}`, `unknown role (known: ${OPERATION_ROLES.join(', ')})`);
  }
  const amounts = (raw.amounts ?? {}) as Record<string, unknown>;
  if (amounts.exactMinorUnits !== undefined && typeof amounts.exactMinorUnits !== 'boolean')
    throw new ConfigError(file, 'amounts.exactMinorUnits', 'must be true or false');
  const base = dirname(file);
  const name = basename(base);
  // `name:` is optional; where given it must be the folder's, or a copied folder would carry its original's name.
  if (raw.name !== undefined && raw.name !== name)
    throw new ConfigError(
      file,
      'name',
      `'${typeof raw.name === 'string' ? raw.name : JSON.stringify(raw.name)}' differs from the folder's name '${name}' (leave name out)`,
    );
  const referenceBank = profileFile(base, REFERENCE_BANK_FILE);
  const exampleBank = profileFile(base, EXAMPLE_BANK_FILE);
  return {
    name,
    title: String(need('title')),
    folder: base,
    ...(referenceBank ? { referenceBank } : {}),
    ...(exampleBank ? { exampleBank } : {}),
    spec: resolve(base, String(need('spec'))),
    overlays: ((raw.overlays as string[] | undefined) ?? []).map((o) => resolve(base, o)),
    operations: roles,
    accountIds: String(need('accountIds')),
    // entryId may be left out where entries carry no id: duplicates across pages then cannot be named.
    transactions: { entryId: '', ...(need('transactions') as Omit<Profile['transactions'], 'entryId'>) },
    maskedPan: need('maskedPan') as Profile['maskedPan'],
    consent,
    consentPolicy,
    signing: readProfileSigning(file, raw.signing),
    amounts: { exactMinorUnits: amounts.exactMinorUnits === true },
    requestHeaders: (raw.requestHeaders as Record<string, string> | undefined) ?? {},
    headers: readRequestHeaderSpecs(file, raw.headers),
  };
}

// Never sent: a profile whose API cannot create consents has no body to give.
const NO_CONSENT_REQUEST: ConsentRequest = { access: {}, recurringIndicator: false, validDays: 0, frequencyPerDay: 0, combinedServiceIndicator: false };

const CONSENT_FIELDS = ['access', 'recurringIndicator', 'validDays', 'frequencyPerDay', 'combinedServiceIndicator'] as const;

/** Splits the profile's `consent` section into the request body and the policy (the body is sent as is). */
function readConsent(file: string, raw: unknown): Pick<Profile, 'consent' | 'consentPolicy'> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigError(file, 'consent', 'must be a mapping');
  const c = raw as Record<string, unknown>;
  if (c.preAuthorisedOnly !== undefined && typeof c.preAuthorisedOnly !== 'boolean')
    throw new ConfigError(file, 'consent.preAuthorisedOnly', 'must be true or false');
  if (c.note !== undefined && typeof c.note !== 'string') throw new ConfigError(file, 'consent.note', 'must be a string');
  const consentPolicy = { preAuthorisedOnly: c.preAuthorisedOnly === true, ...(c.note !== undefined ? { note: c.note } : {}) };
  if (consentPolicy.preAuthorisedOnly) return { consent: NO_CONSENT_REQUEST, consentPolicy };
  for (const f of CONSENT_FIELDS) {
    if (c[f] === undefined) throw new ConfigError(file, `consent.${f}`, 'missing (or set consent.preAuthorisedOnly: true when the API cannot create consents)');
  }
  const consent = Object.fromEntries(CONSENT_FIELDS.map((f) => [f, c[f]])) as unknown as ConsentRequest;
  return { consent, consentPolicy };
}
