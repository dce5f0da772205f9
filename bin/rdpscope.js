#!/usr/bin/env node
// Thin entry: everything lives in src/cli, compiled to dist/cli and bundled into dist/cli/rdpscope.js
// by `npm run build` (rolldown.config.mjs).
import { main } from '../dist/cli/rdpscope.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
