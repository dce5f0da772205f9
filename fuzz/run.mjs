#!/usr/bin/env node
// npm run fuzz -- [--count N] [--seed N] [--target NAME[,NAME...]] [--list]
// Mutation fuzzing of the built decoders, tracker and capture replay (dist/: run `npm run build`
// first). N inputs in all, shared evenly by the targets. Failing inputs are written to
// fixtures/fuzz/regressions/<target>/<sha256 prefix>.bin; the exit code is 1 if there was any.
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { fuzzTarget, saveRegression, signature } from './engine.mjs';
import { loadModules } from './modules.mjs';
import { MAX_INPUT } from './mutate.mjs';
import { Rng } from './prng.mjs';
import { buildTargets } from './targets.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
const REGRESSIONS = `${ROOT}/fixtures/fuzz/regressions`;
/** distinct failures of one kind whose inputs are saved, per target */
const SAVED_PER_SIGNATURE = 10;
/** no input finished for this long: a hang the time bound cannot see, since the loop is stuck */
const WATCHDOG_SECONDS = 30;

const { values: opts } = parseArgs({
  options: {
    count: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    target: { type: 'string' },
    list: { type: 'boolean', default: false },
  },
});
const count = Number(opts.count);
const seed = Number(opts.seed);
if (!Number.isSafeInteger(count) || count < 1 || !Number.isSafeInteger(seed)) {
  console.error('usage: npm run fuzz -- [--count N] [--seed N] [--target NAME[,NAME...]] [--list]');
  process.exit(2);
}

const m = await loadModules((p) => import(`../dist/${p}.js`));
let targets = buildTargets(m, ROOT, { seed });
if (opts.list) {
  for (const t of targets) console.log(t.name);
  process.exit(0);
}
if (opts.target) {
  const names = opts.target.split(',');
  const unknown = names.filter((n) => !targets.some((t) => t.name === n));
  if (unknown.length) { console.error(`unknown target(s): ${unknown.join(', ')} (see --list)`); process.exit(2); }
  targets = targets.filter((t) => names.includes(t.name));
}

// The watchdog thread sees each input before it runs; if the loop stops moving it saves that input.
const shared = new SharedArrayBuffer(12 + MAX_INPUT + 64 * 1024);
const control = new Int32Array(shared, 0, 3);
const data = new Uint8Array(shared, 12);
const watchdog = new Worker(new URL('./watchdog.mjs', import.meta.url), {
  workerData: { shared, names: targets.map((t) => t.name), dir: REGRESSIONS, seconds: WATCHDOG_SECONDS },
});
watchdog.unref();

const hash = (s) => [...s].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5);
const per = Math.ceil(count / targets.length);
const width = Math.max(...targets.map((t) => t.name.length));
console.log(`fuzzing ${targets.length} targets, ${per} inputs each, seed ${seed}`);
let total = 0;
let failed = 0;
const started = performance.now();
for (const [index, target] of targets.entries()) {
  const savedBySignature = new Map();
  const heartbeat = (input) => {
    const n = Math.min(input.length, data.length);
    data.set(input.subarray(0, n));
    control[1] = n;
    control[2] = index;
    Atomics.add(control, 0, 1);
  };
  const onFailure = ({ why, input }) => {
    const sig = signature(why);
    const saved = savedBySignature.get(sig) ?? 0;
    savedBySignature.set(sig, saved + 1);
    if (saved >= SAVED_PER_SIGNATURE) return;
    const path = saveRegression(REGRESSIONS, target.name, input);
    if (saved === 0) console.log(`  FAIL ${target.name}: ${why}\n       ${path.slice(ROOT.length + 1)}`);
  };
  const rng = new Rng((seed * 1_000_003 + hash(target.name)) >>> 0);
  const r = fuzzTarget(target, { count: per, rng, DecodeError: m.errors.DecodeError, onFailure, heartbeat });
  total += r.count;
  failed += r.failures;
  const rate = r.count / (r.ms / 1000);
  const kinds = savedBySignature.size ? ` (${savedBySignature.size} kinds)` : '';
  const accepted = (100 * (r.count - r.rejected)) / r.count;
  console.log(`${target.name.padEnd(width)}  ${String(r.count).padStart(9)} inputs  ${accepted.toFixed(0).padStart(3)}% accepted  ${String(r.failures).padStart(6)} failures${kinds}  ${rate.toFixed(0).padStart(8)}/s`);
}
const seconds = (performance.now() - started) / 1000;
console.log(`total: ${total} inputs, ${failed} failures, ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(0)} inputs/s`);
process.exit(failed ? 1 : 0);
