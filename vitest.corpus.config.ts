// The corpus agreement check: rdpscope against the peers' expected outputs on the public captures
// (docs/corpus-agreement.md). Run where ../shared exists: npx vitest run --config vitest.corpus.config.ts
// The corpus folder is RDPSCOPE_CORPUS (relative to this project, or absolute), default ../shared/corpus/public;
// a missing folder fails the suite.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const root = dirname(fileURLToPath(import.meta.url));
const corpus = resolve(root, process.env.RDPSCOPE_CORPUS ?? '../shared/corpus/public');

export default defineConfig({
  root,
  test: {
    include: ['test/corpus/**/*.test.ts'],
    env: { RDPSCOPE_CORPUS_DIR: corpus },
    testTimeout: 60_000,
  },
});
