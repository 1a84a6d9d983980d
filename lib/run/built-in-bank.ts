import { startReferenceBank } from '../../sandbox/index.js';
import { signatureGuard } from '../../sandbox/signature/guard.js';
import type { TestPki } from '../pki/generate.js';
import type { BankConfig } from '../config/types.js';
import { ConfigError } from '../config/types.js';

/** Shortens the built-in bank's timeoutMs (default 10 s), e.g. for quick runs against --faults timeout. */
export const BUILTIN_TIMEOUT_ENV = 'CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS';

export interface BuiltInBank {
  baseUrl: string;
  close(): Promise<void>;
}

/** The embedded reference bank, started in-process on a free loopback port for a run without a bank file. */
export async function startBuiltInBank(opts: { profile: string; defects: string[]; faults?: string[]; pki?: TestPki }): Promise<BuiltInBank> {
  // Like the Norwegian banks, the reference bank mandates signing: every request must carry a valid
  // signature by a QSealC from the run's test PKI.
  const requestGuard = opts.pki && signatureGuard({ requireSignature: true, trustedRootsPem: [opts.pki.rootCaPem], revokedSerials: opts.pki.revokedSerials, blockedSerials: opts.pki.blockedSerials, requiredRole: 'PSP_AI' });
  return startReferenceBank({ profile: opts.profile, host: '127.0.0.1', port: 0, faults: opts.faults, requestGuard });
}

/** The built-in bank's config with CARD_CONFORMANCE_BUILTIN_TIMEOUT_MS applied, when set. */
export function withBuiltInTimeout(config: BankConfig, env: NodeJS.ProcessEnv): BankConfig {
  const text = env[BUILTIN_TIMEOUT_ENV];
  if (text === undefined || text === '') return config;
  const ms = Number(text);
  if (!Number.isInteger(ms) || ms < 1) throw new ConfigError(BUILTIN_TIMEOUT_ENV, undefined, `'${text}' is not a positive whole number of milliseconds`);
  return { ...config, limits: { ...config.limits, timeoutMs: ms } };
}
