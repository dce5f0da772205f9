#!/usr/bin/env node
// Thin entry: everything lives in src/cli (compiled to dist/cli).
import { main } from '../dist/cli/main.js';

main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
