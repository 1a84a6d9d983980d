import type { Writable } from 'node:stream';
import { createVitest } from 'vitest/node';
import type { Reporter } from 'vitest/reporters';
import type { TestCase } from 'vitest/node';
import type { RuleResult } from '../../core/model.js';
import { projectPath, ROOT } from '../../core/paths.js';
import type { RunData } from './run-file.js';

export interface SuiteRun {
  /** The banks' catalogues and recorded exchanges, handed to the worker in memory. */
  run: RunData;
  resultsDir: string;
  /** Shown in the Allure report's environment block. */
  environment: Record<string, string>;
  /** Where vitest and the worker print (redacting streams: nothing reaches the console unredacted). */
  stdout: Writable;
  stderr: Writable;
  /** Aborted: the current test finishes, the rest are not run, and what was judged is returned. */
  signal?: AbortSignal;
  /** How long an aborted run waits for the worker to stop before returning what it has. */
  abortGraceMs?: number;
  /** Filled with each rule's test duration in ms (key: bank id, NUL, rule id), for JUnit. */
  durations?: Map<string, number>;
  /** Called once, when the first verdict arrives (the run says it is judging). */
  onFirstResult?: () => void;
}

/** Prints nothing: the run prints its own matrix; vitest's default reporter would list every rule. */
const silent: Reporter = {};

/**
 * Runs the conformance suites in vitest with the Allure reporter, and returns each test's
 * verdict (bank id → rule id → result), gathered as each test ends so an interrupted run keeps
 * every verdict reached so far.
 */
export async function runSuites(run: SuiteRun): Promise<Map<string, Map<string, RuleResult>>> {
  const byBank = new Map<string, Map<string, RuleResult>>();
  const record = (tc: TestCase): void => {
    const rec = tc.meta().cardConformance;
    if (!rec) return;
    if (byBank.size === 0) run.onFirstResult?.();
    const results = byBank.get(rec.bankId) ?? new Map<string, RuleResult>();
    byBank.set(rec.bankId, results);
    results.set(rec.result.rule.id, rec.result);
    const ms = tc.diagnostic()?.duration;
    if (ms !== undefined) run.durations?.set(`${rec.bankId}\u0000${rec.result.rule.id}`, ms);
  };
  const collector: Reporter = { onTestCaseResult: record };
  if (run.signal?.aborted) return byBank;

  // vitest's logger exits the process 1 ms after SIGINT/SIGTERM; the run handles those itself
  // (it keeps what was judged), so the listeners vitest adds are taken off again.
  const before = { SIGINT: process.listeners('SIGINT'), SIGTERM: process.listeners('SIGTERM') };
  const vitest = await createVitest(
    'test',
    {
      root: ROOT,
      config: projectPath('suites', 'vitest.suites.config.ts'),
      watch: false,
      provide: { cardConformanceRun: run.run },
      reporters: [silent, collector, ['allure-vitest/reporter', { resultsDir: run.resultsDir, reportMatchers: false, environmentInfo: run.environment }]],
    },
    {},
    { stdout: run.stdout, stderr: run.stderr },
  );
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    for (const l of process.listeners(sig)) if (!before[sig].includes(l)) process.off(sig, l);
  }

  const say = (line: string): void => {
    run.stderr.write(`${line}\n`);
  };
  let stopped: (() => void) | undefined;
  const aborted = new Promise<'aborted'>((resolve) => {
    stopped = () => {
      void vitest.cancelCurrentRun('keyboard-input').catch(() => undefined);
      setTimeout(() => resolve('aborted'), run.abortGraceMs ?? 500).unref();
    };
    run.signal?.addEventListener('abort', stopped, { once: true });
  });
  try {
    const outcome = await Promise.race([vitest.start(), aborted]);
    if (outcome !== 'aborted') {
      const { testModules, unhandledErrors } = outcome;
      for (const m of testModules) {
        for (const tc of m.children.allTests()) record(tc);
        for (const e of m.errors()) say(`suite error: ${e.message}`);
      }
      for (const e of unhandledErrors) say(`suite error: ${(e as Error).message ?? String(e)}`);
    }
  } finally {
    if (stopped) run.signal?.removeEventListener('abort', stopped);
    // An aborted run does not wait long for the worker: the process is about to exit.
    const closing = vitest.close().catch(() => undefined);
    if (run.signal?.aborted) await Promise.race([closing, new Promise((r) => setTimeout(r, 200).unref())]);
    else await closing;
  }
  return new Map([...byBank].map(([k, v]) => [k, new Map(v)]));
}
