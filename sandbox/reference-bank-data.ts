// The reference bank's data for a profile, read from the profile's folder: reference-bank.yaml
// (its accounts and what it does differently) over sandbox/reference-bank.defaults.yaml (the
// shared merchants and rates, and the Berlin Group behaviour). Both are checked against
// specs/profiles/reference-bank.schema.json; a problem is a ConfigError naming the file and field.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020.js';
import { parse as parseYaml } from 'yaml';
import { ConfigError } from '../config/types.js';
import { profileFile, profileFolder, REFERENCE_BANK_FILE } from '../config/profile-folders.js';
import { schemaProblem } from '../config/profile-schema.js';
import { FILE_CAPS, readConfigFile } from '../core/fs/read-bounded.js';
import { projectPath } from '../core/paths.js';
import type { BankProfile } from './profiles.js';

export const REFERENCE_BANK_SCHEMA_PATH = projectPath('specs', 'profiles', 'reference-bank.schema.json');
export const REFERENCE_BANK_DEFAULTS_PATH = projectPath('sandbox', 'reference-bank.defaults.yaml');

/** What a profile's file may give: every field of the bank's data but its id (the folder's name). */
type BankData = Partial<Omit<BankProfile, 'id'>>;

let validate: ValidateFunction | undefined;
let defaults: BankData | undefined;
const cache = new Map<string, BankProfile>();

function validator(): ValidateFunction {
  // Shipped with the package: a plain read. The meta-schema check is left to the tests (it costs ~100 ms).
  validate ??= new Ajv2020({ allErrors: true, strict: true, strictRequired: false, validateSchema: false }).compile(
    JSON.parse(readFileSync(REFERENCE_BANK_SCHEMA_PATH, 'utf8')) as object,
  );
  return validate;
}

function readData(file: string, origin: string): BankData {
  let raw: unknown;
  try {
    raw = parseYaml(readConfigFile(file, { source: origin, field: undefined, maxBytes: FILE_CAPS.profile }));
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    throw new ConfigError(file, undefined, `not valid YAML: ${(e as Error).message.split('\n')[0]}`);
  }
  const problem = schemaProblem(validator(), raw);
  if (problem) throw new ConfigError(file, problem.field, problem.detail);
  return raw as BankData; // checked against the schema just above
}

/** The hint for a profile without reference-bank data; callers say what the user can do instead. */
export const GIVE_BANK_FILE = 'give --bank FILE to run against a bank';

/**
 * The reference bank's data for the profile of that name. An unknown profile, or one whose folder
 * holds no reference-bank.yaml, is a ConfigError naming `origin` (a flag such as --profile), with
 * `missingHint` saying what to do instead.
 */
export function loadBankProfile(name: string, origin = '--profile', missingHint = GIVE_BANK_FILE): BankProfile {
  const folder = profileFolder(name, origin);
  const file = profileFile(folder, REFERENCE_BANK_FILE);
  if (file === undefined) {
    throw new ConfigError(origin, undefined, `profile '${name}' has no reference-bank data (${join(folder, REFERENCE_BANK_FILE)}); ${missingHint}`);
  }
  const cached = cache.get(file);
  if (cached) return cached;
  defaults ??= readData(REFERENCE_BANK_DEFAULTS_PATH, REFERENCE_BANK_DEFAULTS_PATH);
  const own = readData(file, origin);
  if (own.title === undefined) throw new ConfigError(file, 'title', 'missing');
  if (own.accounts === undefined) throw new ConfigError(file, 'accounts', 'missing: a list of at least one account');
  const merged = {
    ...defaults,
    ...own,
    id: name,
    countries: { ...defaults.countries, ...own.countries },
    ratesPerEur: { ...defaults.ratesPerEur, ...own.ratesPerEur },
  };
  const complete = completeProfile(merged, file);
  cache.set(file, complete);
  return complete;
}

/** The fields a merged profile must have; the defaults file gives them all. */
const REQUIRED: readonly (keyof BankProfile)[] = [
  'title',
  'accounts',
  'countries',
  'ratesPerEur',
  'bankOffset',
  'maskChar',
  'markupFeePercentage',
  'paymentDueDay',
  'bookedCount',
  'pendingCount',
  'historyDays',
  'foreignShare',
  'supportedBookingStatus',
  'deltaListSupported',
  'entryReferenceFromSupported',
  'transactionsLinkQuery',
  'pageParameter',
  'consentMaxValidityDays',
  'scaApproach',
  'problemTypeBase',
  'maxErrorText',
  'wire',
  'accountIdParameter',
  'requiredRequestHeaders',
  'linkVerbs',
  'consentEndpoints',
  'absoluteLinks',
];

/** What the schema cannot say: every field present after the merge, and countries and currencies that exist. */
function completeProfile(p: BankData & { id: string }, file: string): BankProfile {
  for (const field of REQUIRED) {
    if (p[field as keyof typeof p] === undefined) throw new ConfigError(file, field, `missing (and not in ${REFERENCE_BANK_DEFAULTS_PATH})`);
  }
  const profile = p as BankProfile; // every required field checked just above
  const countries = Object.keys(profile.countries);
  const rate = (currency: string, field: string): void => {
    if (profile.ratesPerEur[currency] === undefined) throw new ConfigError(file, field, `'${currency}' has no rate under ratesPerEur; add one`);
  };
  const country = (code: string, field: string): void => {
    if (!countries.includes(code)) throw new ConfigError(file, field, `unknown country '${code}' (known: ${countries.join(', ')}); add it under countries`);
  };
  profile.accounts.forEach((a, i) => {
    rate(a.currency, `accounts[${i}].currency`);
    country(a.home, `accounts[${i}].home`);
    a.forcedForeign.forEach((c, j) => country(c, `accounts[${i}].forcedForeign[${j}]`));
  });
  for (const [code, c] of Object.entries(profile.countries)) rate(c.currency, `countries.${code}.currency`);
  return profile;
}
