import { defineConfig } from 'vitest/config';

// The conformance suites, started by `card-conformance run` (app/run) with the run file
// provided as `runFile`; reporters are added there, because the output folder is per run.
export default defineConfig({
  test: {
    include: ['suites/**/*.suite.ts'],
    testTimeout: 60_000,
    pool: 'threads',
    maxWorkers: 1,
    // Judging is pure and fast; one worker keeps the Allure results in rule order.
    fileParallelism: false,
  },
});
