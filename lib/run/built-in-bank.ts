import type { BankConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';
import type { TestPki } from '../pki/generate.js';
import { startReferenceBank } from '../../sandbox/index.js';
import { findDefects, findVariants, sandboxOptionsFor, UnknownDefectError } from '../../sandbox/defects/index.js';
import { signatureGuard } from '../../sandbox/signature/guard.js';

export interface BuiltInBank {
  baseUrl: string;
  close(): Promise<void>;
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
}

/** Shortens the built-in bank's timeoutMs (default 10 s), e.g. for quick runs against --faults timeout. */
export const BUILTIN_TIMEOUT_ENV = 'CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS';

/**
 * The sandbox options for `--defects` / `--variants`. An unknown id is a usage error (exit 2),
 * raised before the bank starts, so nothing is sent.
 */
export function defectOptions(opts: { defects?: string[]; variants?: string[] }): ReturnType<typeof sandboxOptionsFor> {
  try {
    return sandboxOptionsFor([...findDefects(opts.defects ?? []), ...findVariants(opts.variants ?? [])]);
  } catch (e) {
    if (e instanceof UnknownDefectError) throw new ConfigError(e.kind === 'defect' ? '--defects' : '--variants', undefined, e.message);
    throw e;
  }
}

/** The embedded reference bank, started in-process on a free loopback port for a run without a bank file. */
export async function startBuiltInBank(opts: BuiltInBankOptions): Promise<BuiltInBank> {
  const defects = defectOptions(opts);
  // Like the Norwegian banks, the reference bank mandates signing: every request must carry a valid
  // signature by a QSealC from the run's test PKI.
  const signature = opts.pki && signatureGuard({ requireSignature: true, trustedRootsPem: [opts.pki.rootCaPem], revokedSerials: opts.pki.revokedSerials, blockedSerials: opts.pki.blockedSerials, requiredRole: 'PSP_AI' });
  const defectGuard = defects.requestGuard;
  // The signature check runs first, as the bank's gateway would; then any guard a defect brings.
  const requestGuard = signature && defectGuard ? (req: Parameters<typeof signature>[0]) => signature(req) ?? defectGuard(req) : signature ?? defectGuard;
  return startReferenceBank({ ...defects, profile: opts.profile, host: '127.0.0.1', port: 0, faults: opts.faults, requestGuard });
}

/** The built-in bank's config with CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS applied, when set. */
export function withBuiltInTimeout(config: BankConfig, env: NodeJS.ProcessEnv): BankConfig {
  const text = env[BUILTIN_TIMEOUT_ENV];
  if (text === undefined || text === '') return config;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1) throw new ConfigError(BUILTIN_TIMEOUT_ENV, undefined, `'${text}' is not a positive whole number of milliseconds`);
  return { ...config, limits: { ...config.limits, timeoutMs: ms } };
}
