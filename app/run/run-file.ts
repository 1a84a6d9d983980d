import type { ExchangeLog } from '../../collect/collect.js';
import type { RuleResult } from '../../core/model.js';
import type { Secret } from '../../core/redact.js';
import type { JudgingCatalogue } from '../../rules/catalogue/generate.js';
// Loads vitest's types so the TaskMeta / ProvidedContext augmentation below has a module to extend.

/** What the CLI hands the vitest suites for one bank: the catalogue and what the bank answered. */
export interface BankRun {
  id: string;
  name: string;
  profile: string;
  baseUrl: string;
  /** Values to redact from every attachment, with what they are. */
  secrets: Secret[];
  catalogue: JudgingCatalogue;
  log: ExchangeLog;
}

/**
 * The recorded exchanges are unredacted (the rules must judge what the bank really sent), so they
 * never touch the disk: the CLI hands them to the vitest worker with `provide`, which the suites'
 * `threads` pool passes by structured clone (postMessage) in memory. A killed run leaves nothing.
 */
export interface RunData {
  banks: BankRun[];
}

/** The key the run data is provided under. */
export const RUN_DATA_KEY = 'cardConformanceRun';

/** The per-test record the suite leaves in vitest's task meta for the CLI to collect. */
export interface TestRecord {
  bankId: string;
  result: RuleResult;
}

declare module 'vitest' {
  interface TaskMeta {
    cardConformance?: TestRecord;
  }
  interface ProvidedContext {
    cardConformanceRun: RunData;
  }
}
