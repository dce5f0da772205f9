// Property tests: for every codec with an encoder and a decoder, random valid values encode, decode
// back to the same fields, and the decoder reads the bytes at any base offset with the same result.
import { beforeAll, describe, expect, it } from 'vitest';
import { CODECS, containsAt } from '../../fuzz/codecs.mjs';
import { Rng } from '../../fuzz/prng.mjs';
import { modules } from './modules.js';

const RUNS = 300;
let m: Record<string, any>;
beforeAll(async () => { m = await modules(); });

describe.each(CODECS.map((c) => [c.name, c] as const))('%s', (name, codec) => {
  it(`decode(encode(v)) holds v for ${RUNS} random values`, () => {
    const rng = new Rng([...name].reduce((h, c) => Math.imul(h ^ c.charCodeAt(0), 0x01000193), 0x811c9dc5));
    for (let i = 0; i < RUNS; i++) {
      const v = codec.gen(rng);
      const bytes: Uint8Array = codec.encode(m, v);
      const decoded = codec.decode(m, bytes, 0, v);
      const diff = containsAt(decoded, codec.expected ? codec.expected(v) : v);
      if (diff) expect.fail(`run ${i}: ${diff} differs\nvalue ${JSON.stringify(v, replacer)}\ndecoded ${JSON.stringify(decoded, replacer)}`);
      const base = 1 + rng.int(100_000);
      expect(containsAt(codec.decode(m, bytes, base, v), codec.expected ? codec.expected(v) : v), `run ${i} at base ${base}`).toBe('');
    }
  });
});

function replacer(_k: string, v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  return typeof v === 'bigint' ? v.toString() : v;
}

it('containsAt finds a difference in a nested field, an array length and bytes', () => {
  expect(containsAt({ a: { b: 1, c: 2 } }, { a: { b: 1 } })).toBe('');
  expect(containsAt({ a: { b: 1 } }, { a: { b: 2 } })).toBe('$.a.b');
  expect(containsAt({ a: [1, 2] }, { a: [1] })).toBe('$.a.length');
  expect(containsAt({ a: Uint8Array.of(1, 2) }, { a: Uint8Array.of(1, 3) })).toBe('$.a');
});
