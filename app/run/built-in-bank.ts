import type { BankConfig } from '../../config/types.js';
import { ConfigError } from '../../config/types.js';
import type { TestPki } from '../../transport/pki/generate.js';
import { getProfile, GIVE_BANK_FILE, startReferenceBank } from '../../sandbox/index.js';
import { findDefects, findVariants, UnknownDefectError } from '../../sandbox/defects/index.js';
import type { Defect, Variant } from '../../sandbox/defects/types.js';
import { referenceBankOptions } from '../../sandbox/reference-options.js';

export interface BuiltInBank {
  baseUrl: string;
  close(): Promise<void>;
  /** The consent the bank holds as authorised, for a profile whose API creates none. */
  preAuthorisedConsentId?: string;
}

export interface BuiltInBankOptions {
  profile: string;
  /** Defect ids from sandbox/defects/ (--defects). */
  defects: string[];
  /** Negative-control variant ids from sandbox/defects/variants.ts (--variants). */
  variants?: string[];
  /** Transport faults (--faults). */
  faults?: string[];
  /** The run's test PKI: when given, every request must be signed by its QSealC. */
  pki?: TestPki;
  /** The spelling the spec in use allows for a revoked certificate's error code. */
  revokedCode?: 'CERTIFICATE_REVOKED' | 'CERTIFICATE_REVOKE';
}

/** Shortens the built-in bank's timeoutMs (default 10 s), e.g. for quick runs against --faults timeout. */
export const BUILTIN_TIMEOUT_ENV = 'CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS';

/**
 * The sandbox options for `--defects` / `--variants`. An unknown id is a usage error (exit 2),
 * raised before the bank starts, so nothing is sent.
 */
export function defectEntries(opts: { defects?: string[]; variants?: string[] }): (Defect | Variant)[] {
  try {
    return [...findDefects(opts.defects ?? []), ...findVariants(opts.variants ?? [])];
  } catch (e) {
    if (e instanceof UnknownDefectError) throw new ConfigError(e.kind === 'defect' ? '--defects' : '--variants', undefined, e.message);
    throw e;
  }
}

/**
 * A run without a bank file plays the profile on the built-in bank: a profile folder without
 * reference-bank.yaml cannot, a ConfigError (exit 2) naming --profile and saying to give --bank.
 */
export function assertBuiltInBankPlays(profile: string): void {
  getProfile(profile, '--profile', GIVE_BANK_FILE);
}

/** The embedded reference bank, started in-process on a free loopback port for a run without a bank file. */
export async function startBuiltInBank(opts: BuiltInBankOptions): Promise<BuiltInBank> {
  const bank = await startReferenceBank({
    ...referenceBankOptions({ pki: opts.pki, entries: defectEntries(opts), faults: opts.faults, revokedCode: opts.revokedCode }),
    profile: opts.profile,
    host: '127.0.0.1',
    port: 0,
  });
  const preAuthorisedConsentId = getProfile(opts.profile).preAuthorisedConsentId;
  return { baseUrl: bank.baseUrl, close: () => bank.close(), ...(preAuthorisedConsentId ? { preAuthorisedConsentId } : {}) };
}

/** The built-in bank's config with CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS applied, when set. */
export function withBuiltInTimeout(config: BankConfig, env: NodeJS.ProcessEnv): BankConfig {
  const text = env[BUILTIN_TIMEOUT_ENV];
  if (text === undefined || text === '') return config;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1) throw new ConfigError(BUILTIN_TIMEOUT_ENV, undefined, `'${text}' is not a positive whole number of milliseconds`);
  return { ...config, limits: { ...config.limits, timeoutMs: ms } };
}
