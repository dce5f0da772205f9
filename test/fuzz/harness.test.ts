// The fuzz harness itself: it must see each kind of failure, its mutators must reach the length
// fields they claim to, its seeds must be found, and every saved regression input must now pass.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { check, loadRegressions, regressionName, signature } from '../../fuzz/engine.mjs';
import { captureLengthFields, mutate } from '../../fuzz/mutate.mjs';
import { Rng } from '../../fuzz/prng.mjs';
import { captureSeeds, hexVectors, vectorSeeds } from '../../fuzz/seeds.mjs';
import { buildTargets, decodeScript, encodeScript } from '../../fuzz/targets.mjs';
import { DecodeError } from '../../src/wire/errors.js';
import { modules } from './modules.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url)).replace(/\/$/, '');
const decodeError = (offset: number): DecodeError =>
  new DecodeError({ code: 'INVALID_FIELD', layer: 'rdp', pdu: 'PDU', field: 'field', offset, reason: 'test' });
const decoder = (run: (b: Uint8Array) => unknown) => ({ name: 't', kind: 'decoder', run });
const input = new Uint8Array(8);

describe('check', () => {
  it('passes a decoder that returns or throws a DecodeError inside the input', () => {
    expect(check(decoder(() => 1), input, DecodeError).why).toBeUndefined();
    expect(check(decoder(() => { throw decodeError(8); }), input, DecodeError)).toEqual({ why: undefined, rejected: true });
  });

  it('fails any other exception, a DecodeError outside the input, and any exception of a total target', () => {
    expect(check(decoder(() => [][1]!.x), input, DecodeError).why).toMatch(/^TypeError/);
    expect(check(decoder(() => { throw new RangeError('r'); }), input, DecodeError).why).toMatch(/^RangeError: r/);
    expect(check(decoder(() => { throw decodeError(9); }), input, DecodeError).why).toMatch(/outside the input/);
    expect(check({ ...decoder(() => { throw decodeError(0); }), kind: 'total' }, input, DecodeError).why).toMatch(/^DecodeError/);
  });

  it('fails a slow run and a large allocation', () => {
    const spin = decoder(() => { const end = performance.now() + 30; while (performance.now() < end); });
    expect(check(spin, input, DecodeError, { ms: 10, bytes: 2 ** 30 }).why).toMatch(/^took \d+ ms/);
    const big = decoder(() => new Uint8Array(8 << 20).fill(1));
    expect(check(big, input, DecodeError, { ms: 10_000, bytes: 1 << 20 }).why).toMatch(/^allocated \d+ MiB/);
  });

  it('names a failure without its numbers, and an input by its hash', () => {
    expect(signature('need 12 bytes at 40')).toBe(signature('need 7 bytes at 3'));
    expect(regressionName(new Uint8Array(0))).toBe('e3b0c44298fc1c14.bin');
  });
});

describe('mutations', () => {
  it('change the input, stay bounded and are deterministic', () => {
    const seed = Uint8Array.from({ length: 64 }, (_, i) => i);
    const a = new Rng(5);
    const b = new Rng(5);
    for (let i = 0; i < 2000; i++) {
      const x = mutate(a, seed, seed);
      expect(x).toEqual(mutate(b, seed, seed));
      expect(x.length).toBeLessThan(1 << 20);
    }
    expect(seed).toEqual(Uint8Array.from({ length: 64 }, (_, i) => i));
  });

  it('find the record and block length fields of pcap and pcapng files', () => {
    for (const { name, bytes } of captureSeeds(ROOT)) {
      const fields = captureLengthFields(bytes);
      expect(fields.length, name).toBeGreaterThan(2);
    }
    const pcapng = captureSeeds(ROOT).find((c) => c.name.endsWith('.pcapng'))!.bytes;
    // the Section Header Block's total length, little-endian, at offset 4
    expect(captureLengthFields(pcapng)[0]).toEqual({ at: 4, le: true });
  });
});

describe('seeds', () => {
  it('reads hex vectors: literals, joined arrays, comments ignored', () => {
    const src = "// it's '00 11'\nexport const A = [\n  '01 02', // one's\n  '03 04',\n].join(' ');\nexport const B = 'a1b2c3d4';\n";
    expect(hexVectors(src).map((b) => Buffer.from(b).toString('hex'))).toEqual(['01020304', 'a1b2c3d4']);
  });

  it('finds the spec vectors and the bundled captures', () => {
    const vectors = vectorSeeds(ROOT);
    expect(vectors.length).toBeGreaterThan(50);
    // [MS-RDPBCGR] 4.1.1 Connection Request is among them
    const cr = Buffer.from('030000' + '2c27e0', 'hex');
    expect(vectors.some((v) => Buffer.from(v.subarray(0, 6)).equals(cr))).toBe(true);
    expect(captureSeeds(ROOT).length).toBeGreaterThanOrEqual(20);
  });

  it('tracker scripts survive encoding, records of 64 KiB and more split in pieces', () => {
    const records = [{ kind: 0, bytes: new Uint8Array(70_000).fill(7) }, { kind: 5, bytes: new Uint8Array(0) }];
    const back = decodeScript(encodeScript(records));
    expect(back.map((r: { kind: number; bytes: Uint8Array }) => [r.kind, r.bytes.length])).toEqual([[0, 65535], [0, 4465], [5, 0]]);
  });
});

describe('regressions', async () => {
  const saved = loadRegressions(`${ROOT}/fixtures/fuzz/regressions`);
  const m = await modules();
  const targets = new Map(buildTargets(m, ROOT, { seed: 1, perCodec: 1 }).map((t) => [t.name, t]));

  it('the directory explains its format', () => {
    expect(readFileSync(`${ROOT}/fixtures/fuzz/regressions/README.md`, 'utf8')).toMatch(/<target>\/<sha256 prefix>\.bin/);
  });

  it.each(saved.map((s) => [s.file, s] as const))('%s passes', (_file, s) => {
    const target = targets.get(s.target);
    expect(target, `no target ${s.target}`).toBeDefined();
    expect(check(target!, s.input, m.errors.DecodeError).why).toBeUndefined();
  });
});
