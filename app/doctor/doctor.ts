// `card-conformance doctor --bank FILE`: every check of a bank file, reported together.
// Local checks first (file, environment, certificates and keys); then, only if the bank file
// gives a usable address, the network: TLS handshake, the base URL, the consent.
import type { BankConfig } from '../../config/types.js';
import { tlsOptionsFromConfig } from '../../transport/http/tls-options.js';
import { loadProfile, profileNames, type Profile } from '../../config/profile.js';
import { createRedactor } from '../../core/redact.js';
import { findOperations, type OperationInfo } from '../../rules/operations.js';
import { loadProfileSpec } from '../../schemas/load-profile-spec.js';
import { versionSegmentHint } from '../../collect/version-hint.js';
import { brokenAmong, checkBankFile, loadForDoctor, type DoctorBank } from './bank-file.js';
import { checkConsent } from './consent.js';
import { checkEnvironment } from './environment.js';
import { localChecks } from './local.js';
import { checkReachable } from './reachability.js';
import { checkRequestHeaders } from './request-headers.js';
import { checkTlsHandshake } from './tls-handshake.js';
import { fail, skip, warn, type CheckLine } from './types.js';

export interface DoctorOptions {
  file: string;
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

export interface DoctorReport {
  file: string;
  bankId?: string;
  /** Already redacted: safe to print. */
  lines: CheckLine[];
  problems: number;
  warnings: number;
}

export async function runDoctor(opts: DoctorOptions): Promise<DoctorReport> {
  const env = opts.env ?? process.env;
  const bank = loadForDoctor(opts.file, env, profileNames());
  const lines: CheckLine[] = [...checkBankFile(bank), ...checkEnvironment(bank.placeholders, env)];
  const config = bank.config;
  if (config) {
    const local = localChecks(config, {
      now: opts.now,
      full: true,
      unusable: (section) => brokenAmong(bank, [section]),
    });
    lines.push(...local);
    const headers = checkRequestHeaders(config, brokenAmong(bank, ['profile', 'psu', 'tpp', 'headers']));
    lines.push(headers);
    // A bad client certificate would only fail the handshake again, less clearly.
    const tlsProblem = local.find((l) => l.status === 'fail' && l.field?.startsWith('tls'));
    // A file with errors is not sent to the bank at all: fix it first, then the network is checked.
    const problem = lines.find((l) => l.status === 'fail');
    if (problem && !tlsProblem && !brokenAmong(bank, ['baseUrl', 'tls']))
      lines.push(skip('network', `not checked: the bank file has ${lines.filter((l) => l.status === 'fail').length} problem(s) (see above); nothing was sent`));
    else
      lines.push(
        ...(await networkChecks(bank, config, tlsProblem?.field, headers.status === 'fail' ? `${headers.field} has a problem (see above)` : undefined)),
      );
  } else {
    lines.push(skip('other checks', 'not run: the bank file could not be read'));
  }
  // Messages quote values from the file and the bank's answers; none may carry a secret.
  const redactor = createRedactor([...bank.secrets, ...(config?.secrets ?? [])]);
  const safe = lines.map((l) => ({ ...l, message: redactor.redactText(l.message) }));
  return {
    file: opts.file,
    ...(config && !bank.broken.has('id') ? { bankId: config.id } : {}),
    lines: safe,
    problems: safe.filter((l) => l.status === 'fail').length,
    warnings: safe.filter((l) => l.status === 'warn').length,
  };
}

async function networkChecks(bank: DoctorBank, config: BankConfig, tlsProblemField: string | undefined, headersProblem?: string): Promise<CheckLine[]> {
  const addressBroken = brokenAmong(bank, ['baseUrl', 'tls']) ?? (tlsProblemField && `${tlsProblemField} has a problem (see above)`);
  if (addressBroken) return [skip('network', `not checked: ${addressBroken}`)];
  let tls: ReturnType<typeof tlsOptionsFromConfig>;
  try {
    tls = tlsOptionsFromConfig(config.tls, config.source);
  } catch (err) {
    return [fail('network', `not checked: ${err instanceof Error ? err.message : String(err)}`, 'tls')];
  }
  const lines: CheckLine[] = [];
  const handshake = await checkTlsHandshake(config.baseUrl, tls, config.limits.timeoutMs);
  lines.push(handshake);
  // A failed handshake already explains why nothing else will answer.
  if (handshake.status === 'fail') {
    lines.push(skip('base URL', 'not checked: the TLS handshake failed'), skip('consent', 'not checked: the TLS handshake failed'));
    return lines;
  }
  const reach = await checkReachable(config.baseUrl, config.limits, tls);
  lines.push(reach.line);
  if (!reach.ok) {
    lines.push(skip('consent', 'not checked: the base URL is not reachable'));
    return lines;
  }
  const consentBroken = brokenAmong(bank, ['consent', 'headers', 'psu', 'signing', 'profile']) ?? headersProblem;
  if (consentBroken) {
    lines.push(skip('consent', `not checked: ${consentBroken}`));
    return lines;
  }
  let profile: Profile;
  let operations: OperationInfo[];
  try {
    profile = loadProfile(config.profile, `${config.source}: profile`);
    operations = findOperations(loadProfileSpec(profile), profile);
  } catch (err) {
    lines.push(fail('consent', `not checked: ${err instanceof Error ? err.message : String(err)}`, 'profile'));
    return lines;
  }
  // A baseUrl ending in /v1 under a spec whose paths start with /v1 sends every request to /v1/v1/….
  const firstPath = operations.find((o) => o.role === 'listCardAccounts')?.path ?? operations[0]?.path;
  const hint = firstPath ? versionSegmentHint(config.baseUrl, firstPath) : undefined;
  if (hint) lines.push(warn('base URL', hint, 'baseUrl'));
  lines.push(await checkConsent(config, profile, operations, tls));
  return lines;
}
