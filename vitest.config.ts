import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// `npm test`: the unit cases beside each module and the end-to-end tests in tests/.
// The conformance suites themselves (suites/*.suite.ts) run under suites/vitest.suites.config.ts,
// started by `card-conformance run`.
export default defineConfig({
  test: {
    include: ['{bin,app,reporters,collect,rules,schemas,specs,sandbox,transport,config,core,tests}/**/*.test.ts'],
    // Generous: on a busy 2-core CI runner the end-to-end files wait on child processes for long.
    testTimeout: 300_000,
    hookTimeout: 600_000,
    pool: 'forks',
    // As many workers as cores: more would only make every test slower on a busy machine.
    maxWorkers: availableParallelism(),
    globalSetup: ['tests/fixtures/global-tmp.ts'],
  },
});
