import { createVitest } from 'vitest/node';
import type { Reporter } from 'vitest/reporters';
import type { RuleResult } from '../model.js';
import { projectPath, ROOT } from '../paths.js';
import './run-file.js';

export interface SuiteRun {
  runFile: string;
  resultsDir: string;
  /** Shown in the Allure report's environment block. */
  environment: Record<string, string>;
}

/** Prints nothing: the run prints its own matrix; vitest's default reporter would list every rule. */
const silent: Reporter = {};

/**
 * Runs the conformance suites in vitest with the Allure reporter, and returns each test's
 * verdict (bank id → rule id → result) from the task meta the suite leaves.
 */
export async function runSuites(run: SuiteRun): Promise<Map<string, Map<string, RuleResult>>> {
  const vitest = await createVitest('test', {
    root: ROOT,
    config: projectPath('suites', 'vitest.suites.config.ts'),
    watch: false,
    provide: { runFile: run.runFile },
    reporters: [
      silent,
      ['allure-vitest/reporter', { resultsDir: run.resultsDir, reportMatchers: false, environmentInfo: run.environment }],
    ],
  });
  const byBank = new Map<string, Map<string, RuleResult>>();
  try {
    const { testModules, unhandledErrors } = await vitest.start();
    for (const m of testModules) {
      for (const tc of m.children.allTests()) {
        const rec = tc.meta().cardConformance;
        if (!rec) continue;
        const results = byBank.get(rec.bankId) ?? new Map<string, RuleResult>();
        byBank.set(rec.bankId, results);
        results.set(rec.result.rule.id, rec.result);
      }
      for (const e of m.errors()) process.stderr.write(`suite error: ${e.message}\n`);
    }
    for (const e of unhandledErrors) process.stderr.write(`suite error: ${(e as Error).message ?? String(e)}\n`);
  } finally {
    await vitest.close();
  }
  return byBank;
}
