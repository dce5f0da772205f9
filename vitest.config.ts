import { defineConfig } from 'vitest/config';

// Two projects: pure and loopback tests run in parallel; suites driving real servers and clients
// (test/real, test/lab) run one file at a time, since they share the client X display, dumpcap on lo
// and xrdp's listen backlog of 2. The corpus check needs ../shared: .ci/run runs it with
// vitest.corpus.config.ts.
const REAL = ['test/real/**/*.test.ts', 'test/lab/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
    projects: [
      { extends: true, test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: [...REAL, 'test/corpus/**', 'node_modules/**'] } },
      { extends: true, test: { name: 'real', include: REAL, fileParallelism: false } },
    ],
  },
});
