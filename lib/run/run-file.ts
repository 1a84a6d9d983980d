import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ExchangeLog } from '../collect/collect.js';
import type { RuleResult } from '../model.js';
import type { JudgingCatalogue } from '../../rules/catalogue/generate.js';
// Loads vitest's types so the TaskMeta / ProvidedContext augmentation below has a module to extend.
import type {} from 'vitest';

/** What the CLI hands the vitest suites for one bank: the catalogue and what the bank answered. */
export interface BankRun {
  id: string;
  name: string;
  profile: string;
  baseUrl: string;
  /** Values to redact from every attachment. */
  secrets: string[];
  catalogue: JudgingCatalogue;
  log: ExchangeLog;
}

export interface RunFile {
  banks: BankRun[];
}

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
    runFile: string;
  }
}

/**
 * The run file holds unredacted exchanges (the rules must judge what the bank really sent),
 * so it lives in a private temporary folder, never under the output folder, and is removed
 * when the run ends.
 */
export function writeRunFile(run: RunFile): { path: string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'card-conformance-'));
  chmodSync(dir, 0o700);
  const path = join(dir, 'run.json');
  writeFileSync(path, JSON.stringify(run), { mode: 0o600 });
  return { path, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

export function readRunFile(path: string): RunFile {
  return JSON.parse(readFileSync(path, 'utf8')) as RunFile;
}
