import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // the corpus agreement check needs ../shared: .ci/run runs it with vitest.corpus.config.ts
    exclude: ['test/corpus/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // the machine has 2 cores; real-server suites start daemons and clients of their own
    maxWorkers: 2,
  },
});
