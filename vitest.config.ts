import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // real-server suites start daemons on fixed loopback ports: run files one at a time per worker
    fileParallelism: true,
    maxWorkers: 2,
  },
});
