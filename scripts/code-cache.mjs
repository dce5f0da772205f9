// `npm run build` step 3: dist/cli/rdpscope.cache, V8's code cache for the bundle (bin/bundle.js).
// A cache holds the functions compiled when it is made, so it is made after a run of what users run:
// `rdpscope demo`, as text and as --json (the bundled captures analysed, then probes of scenario
// servers on loopback: X.224, TLS, NLA, MCS, licensing, the reports), its output discarded.
// Without a cache every command still works, only its start-up is slower: a failure here is a warning.
import { loadBundle, writeCodeCache } from '../bin/bundle.js';

const { exports, script } = loadBundle({ cache: false });
const silent = {
  out() {}, err() {}, color: false, interactive: false, env: process.env, promptSecret: async () => undefined,
};
try {
  for (const argv of [['demo'], ['demo', '--json']]) await exports.main(argv, silent);
} catch (e) {
  process.stderr.write(`code cache: the warm-up run failed (${e.message}); the cache holds less\n`);
}
writeCodeCache(script);
process.exit(0);
