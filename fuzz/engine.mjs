// The fuzz loop: mutate a seed, run the target, judge the outcome. A failure is an exception the
// target may not throw, a run over the time bound, or an allocation over the memory bound.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { FuzzFailure } from './targets.mjs';
import { mutate } from './mutate.mjs';

export const LIMITS = { ms: 1000, bytes: 64 * 1024 * 1024 };

const heapBytes = () => {
  const h = getHeapStatistics();
  return h.used_heap_size + h.external_memory;
};

/**
 * Runs one input: `why` says what failed (undefined when it passed), `rejected` whether a decoder
 * refused it with a DecodeError. `DecodeError` is the class decoders may throw (from the same
 * module graph as the target).
 */
export function check(target, input, DecodeError, limits = LIMITS) {
  const before = heapBytes();
  const started = performance.now();
  let why;
  let rejected = false;
  let result;
  try {
    result = target.run(input);
  } catch (e) {
    rejected = true;
    why = judge(target, input, e, DecodeError);
  }
  const ms = performance.now() - started;
  const grew = heapBytes() - before;
  result = undefined;
  if (!why && ms > limits.ms) why = `took ${ms.toFixed(0)} ms (limit ${limits.ms})`;
  if (!why && grew > limits.bytes) why = `allocated ${(grew / 2 ** 20).toFixed(0)} MiB (limit ${limits.bytes / 2 ** 20})`;
  return { why, rejected };
}

function judge(target, input, e, DecodeError) {
  if (target.kind === 'decoder' && e instanceof DecodeError && !(e instanceof FuzzFailure)) {
    if (Number.isInteger(e.offset) && e.offset >= 0 && e.offset <= input.length && e.field && e.pdu) return undefined;
    return `DecodeError without a field or outside the input: ${e.message} (offset ${e.offset}, ${input.length} bytes)`;
  }
  const where = (e?.stack ?? '').split('\n').slice(1, 3).map((l) => l.trim()).join(' ← ');
  return `${e?.name ?? typeof e}: ${e?.message ?? String(e)}${where ? ` (${where})` : ''}`;
}

/** The same failure from many inputs gets one signature: its message without numbers. */
export const signature = (why) => why.replace(/\d+/g, 'N').slice(0, 300);

export const regressionName = (input) => `${createHash('sha256').update(input).digest('hex').slice(0, 16)}.bin`;

/**
 * Fuzzes one target for `count` inputs. Failing inputs go to `onFailure`; returns the counts
 * (`rejected`: inputs a decoder refused with a DecodeError).
 * `heartbeat(input)` is told of each input before it runs (the watchdog's view of a hang).
 */
export function fuzzTarget(target, { count, rng, DecodeError, onFailure, heartbeat, limits = LIMITS }) {
  let failures = 0;
  let rejected = 0;
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    const seed = rng.pick(rng.bool(0.75) ? target.own : target.shared);
    const other = rng.pick(target.shared);
    const input = target.mutate ? target.mutate(rng, seed, other, mutate) : mutate(rng, seed, other, target.prefer);
    heartbeat?.(input);
    const { why, rejected: r } = check(target, input, DecodeError, limits);
    if (r) rejected++;
    if (why === undefined) continue;
    failures++;
    onFailure({ target: target.name, why, input });
  }
  return { count, failures, rejected, ms: performance.now() - started };
}

/** Writes a failing input to dir/<target>/<sha256 prefix>.bin; returns its path. */
export function saveRegression(dir, target, input) {
  const sub = join(dir, target);
  mkdirSync(sub, { recursive: true });
  const path = join(sub, regressionName(input));
  writeFileSync(path, input);
  return path;
}

/** Every saved regression input: { target, file, input }. */
export function loadRegressions(dir) {
  let targets = [];
  try { targets = readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name); } catch { return []; }
  return targets.flatMap((t) => readdirSync(join(dir, t)).filter((f) => f.endsWith('.bin')).sort()
    .map((f) => ({ target: t, file: join(t, f), input: new Uint8Array(readFileSync(join(dir, t, f))) })));
}
