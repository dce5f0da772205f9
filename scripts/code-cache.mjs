// `npm run build` step 3: dist/cli/rdpscope.cache, V8's code cache for the bundle (bin/bundle.js).
// A cache holds the functions compiled when it is made, and V8 reads all of it at every start, so it
// is made from what the client commands run: probes (text and --json: X.224, TLS, CredSSP up to the
// NTLM CHALLENGE, MCS, licensing, the diagnosis and reports) and a scan, against a scenario server on
// loopback. The server runs in a child process, so its code (and node-forge's) stays out of the cache:
// 1.4 MB instead of the 2 MB a `rdpscope demo` run gave, 23-27 ms to load instead of 32-33 ms.
// `analyze` does not use the cache (bin/rdpscope.js). Without a cache every command still works, only
// its start-up is slower: a failure here is a warning.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { loadBundle, writeCodeCache } from '../bin/bundle.js';

const BIN = fileURLToPath(new URL('../bin/rdpscope.js', import.meta.url));
const { exports, script } = loadBundle({ cache: false });
const silent = {
  out() {}, err() {}, color: false, interactive: false, env: process.env, promptSecret: async () => undefined,
};
const server = spawn(process.execPath, [BIN, 'serve', '--scenario', 'ok', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
try {
  const line = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the scenario server did not start within 10 s')), 10_000);
    server.once('exit', (code) => reject(new Error(`the scenario server exited (${code})`)));
    createInterface({ input: server.stdout }).once('line', (l) => {
      clearTimeout(timer);
      resolve(l);
    });
  });
  const { host, port } = JSON.parse(line).listening;
  const target = `${host}:${port}`;
  for (const argv of [['probe', target], ['probe', target, '--json'], ['scan', target, '--json']]) await exports.main(argv, silent);
} catch (e) {
  process.stderr.write(`code cache: the warm-up run failed (${e.message}); the cache holds less\n`);
} finally {
  server.kill();
}
writeCodeCache(script);
process.exit(0);
