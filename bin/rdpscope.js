#!/usr/bin/env node
// Thin entry: everything lives in src/cli, compiled to dist/cli and bundled into dist/cli/rdpscope.cjs
// by `npm run build`; bin/bundle.js runs the bundle with its code cache. Not for analyze: the cache
// saves about 50 ms of start-up, nothing to a run of seconds, while its code (some 8 MB once
// deserialized) raises the peak RSS analyze is held to (bench/README.md).
import { loadBundle } from './bundle.js';

const argv = process.argv.slice(2);
loadBundle({ cache: argv.find((a) => !a.startsWith('-')) !== 'analyze' }).exports.main(argv).then((code) => { process.exitCode = code; });
