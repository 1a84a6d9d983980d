import { defineConfig } from 'vitest/config';

// `npm test`: the unit cases beside each module and the end-to-end tests in tests/.
// The conformance suites themselves (suites/*.suite.ts) run under suites/vitest.suites.config.ts,
// started by `card-conformance run`.
export default defineConfig({
  test: {
    include: ['{lib,rules,schemas,sandbox,reporters,bin,specs,tests}/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // The end-to-end files mostly wait on child processes and loopback servers: more workers than cores pay off.
    maxWorkers: 4,
  },
});
