// The CI-sized fuzz run: every target of fuzz/targets.mjs on the TypeScript sources, deterministic
// seeds, a few thousand inputs each (the tracker and capture replay, much slower, fewer). No input may
// fail: a decoder throws only a DecodeError inside the input, the rest nothing, all within bounds.
// `npm run fuzz` runs the same targets on dist/ for as many inputs as asked.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fuzzTarget } from '../../fuzz/engine.mjs';
import { Rng } from '../../fuzz/prng.mjs';
import { buildTargets } from '../../fuzz/targets.mjs';
import { modules } from './modules.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const m = await modules();
const targets = buildTargets(m, ROOT, { seed: 1 });
const SLOW = new Set(['tracker', 'replay', 'capture-chunks', 'x509']);

describe('mutation fuzzing (CI size)', () => {
  it('has a target for every decoder family, the tracker and capture replay', () => {
    const names = targets.map((t) => t.name);
    for (const n of ['x224-connection-request', 'tls-record', 'ts-request', 'ntlm', 'mcs-connect-initial', 'gcc-client-data',
      'rdp-demand-active', 'licensing-pdu', 'capture-tcp', 'tracker', 'replay']) expect(names).toContain(n);
    for (const t of targets) expect(t.own.length, t.name).toBeGreaterThan(0);
  });

  it.each(targets.map((t) => [t.name, t] as const))('%s', (name, target) => {
    const failures: string[] = [];
    const r = fuzzTarget(target, {
      count: SLOW.has(name) ? 250 : 1500,
      rng: new Rng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193) >>> 0, 0x811c9dc5)),
      DecodeError: m.errors.DecodeError,
      onFailure: ({ why }: { why: string }) => failures.push(why),
    });
    expect(failures.slice(0, 3)).toEqual([]);
    // the mutations must not all be rejected at the first byte
    if (target.kind === 'decoder') expect(r.rejected, 'every input rejected').toBeLessThan(r.count);
  });
});
