// `--faults ID[@operationId],…`: which fault the reference bank injects on which operation.
import { ConfigError } from '../../config/types.js';
import type { RawResponse } from '../types.js';
import { FAULTS, type FaultDefinition } from './faults.js';

export { FAULTS, DRIP_INTERVAL_MS, HOLD_MAX_MS, HUGE_BODY_BYTES } from './faults.js';
export type { FaultDefinition, FaultDelivery } from './faults.js';

/**
 * Default target: the card-account details, so consent and list still work and the run
 * completes; only that endpoint's rules become unjudgeable.
 */
export const DEFAULT_FAULT_OPERATION = 'readCardAccountDetails';

/** Operations a fault may target (the bank's BG operationIds). */
export const FAULT_OPERATIONS = [
  'createConsent',
  'getConsentInformation',
  'getConsentStatus',
  'deleteConsent',
  'getCardAccountList',
  'readCardAccountDetails',
  'getCardAccountBalances',
  'getCardAccountTransactionList',
] as const;

export interface ActiveFault {
  fault: FaultDefinition;
  operationId: string;
}

/** Parses `id` or `id@operationId` items (commas allowed inside items). Unknown ids: ConfigError. */
export function parseFaults(items: readonly string[]): ActiveFault[] {
  const specs = items
    .flatMap((i) => i.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
  const active: ActiveFault[] = [];
  for (const spec of specs) {
    const [id = '', operationId = DEFAULT_FAULT_OPERATION, ...extra] = spec.split('@');
    const fault = FAULTS.find((f) => f.id === id);
    if (!fault) throw new ConfigError('--faults', undefined, `unknown fault '${id}' (known: ${FAULTS.map((f) => f.id).join(', ')})`);
    if (extra.length > 0 || !(FAULT_OPERATIONS as readonly string[]).includes(operationId)) {
      throw new ConfigError('--faults', undefined, `unknown operation in '${spec}' (known: ${FAULT_OPERATIONS.join(', ')})`);
    }
    if (active.some((a) => a.operationId === operationId)) {
      throw new ConfigError('--faults', undefined, `two faults for ${operationId}; one operation takes one fault`);
    }
    active.push({ fault, operationId });
  }
  return active;
}

/**
 * The fault for this response, if any. Only successful answers are replaced: error probes
 * (unknown account, missing header) keep their 4xx, so the fault hits the operation's data.
 */
export function faultFor(faults: readonly ActiveFault[], operationId: string, raw: RawResponse): ActiveFault | undefined {
  if (raw.status < 200 || raw.status >= 300) return undefined;
  return faults.find((f) => f.operationId === operationId);
}

/** One line per fault, for --help. */
export function describeFaults(indent = '  '): string {
  const width = Math.max(...FAULTS.map((f) => f.id.length));
  return FAULTS.map((f) => `${indent}${f.id.padEnd(width)}  ${f.summary}`).join('\n');
}
