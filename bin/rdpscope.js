#!/usr/bin/env node
// Thin entry: everything lives in src/cli, compiled to dist/cli and bundled into dist/cli/rdpscope.cjs
// by `npm run build`; bin/bundle.js runs the bundle with its code cache.
import { loadBundle } from './bundle.js';

loadBundle().exports.main(process.argv.slice(2)).then((code) => { process.exitCode = code; });
