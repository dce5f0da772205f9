// A small seeded PRNG (xoshiro128**, seeded through splitmix32): the same seed gives the same
// inputs on every machine, so a fuzz run and its failures can be replayed.

function splitmix32(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export class Rng {
  /** @param {number} seed */
  constructor(seed) {
    const sm = splitmix32(seed);
    this.s = Uint32Array.of(sm(), sm(), sm(), sm());
    if (this.s.every((w) => w === 0)) this.s[0] = 1;
  }

  /** uniform 32-bit unsigned integer */
  u32() {
    const s = this.s;
    const result = Math.imul(rotl(Math.imul(s[1], 5), 7), 9) >>> 0;
    const t = s[1] << 9;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  }

  /** integer in [0, n) */
  int(n) { return n <= 1 ? 0 : Math.floor((this.u32() / 0x100000000) * n); }
  /** integer in [lo, hi] */
  range(lo, hi) { return lo + this.int(hi - lo + 1); }
  bool(p = 0.5) { return this.u32() / 0x100000000 < p; }
  pick(list) { return list[this.int(list.length)]; }
  bytes(n) {
    const b = new Uint8Array(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
  /** small sizes are much likelier than large ones (0..max) */
  size(max) { return this.int(Math.min(max, 1 << this.int(Math.ceil(Math.log2(max + 1)) + 1)) + 1); }
  /** an independent generator derived from this one */
  fork() { return new Rng(this.u32()); }
}

function rotl(x, k) { return ((x << k) | (x >>> (32 - k))) >>> 0; }
