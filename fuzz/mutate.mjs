// Mutations of a seed input: bit flips, byte sets, truncation, splices, insertion/deletion, and
// edits of the length fields of the formats rdpscope reads (TPKT, BER/DER, PER, TLS record and
// handshake, pcap record and pcapng block lengths). Each returns a new array; seeds stay untouched.

const SPECIAL = [0x00, 0xff, 0x80, 0x7f];
/** most inputs are bounded by this, so one input cannot make the run slow by its size alone */
export const MAX_INPUT = 1 << 20;

const concat = (...parts) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** a value for a length field that was `was`: off by one, zero, huge, or all ones */
function lengthValue(rng, was, max) {
  switch (rng.int(7)) {
    case 0: return 0;
    case 1: return max;
    case 2: return Math.max(0, Math.min(max, was + rng.pick([-1, 1, -2, 2, -4, 4, 8])));
    case 3: return Math.min(max, Math.floor(max / 2) + 1);
    case 4: return Math.min(max, was * 2 + 1);
    case 5: return Math.max(0, was - rng.int(was + 1));
    default: return rng.int(max + 1);
  }
}

function writeUint(b, at, width, value, le) {
  for (let i = 0; i < width; i++) {
    const byte = Number((BigInt(value) >> BigInt(8 * (le ? i : width - 1 - i))) & 0xffn);
    if (at + i < b.length) b[at + i] = byte;
  }
}

function readUint(b, at, width, le) {
  let v = 0;
  for (let i = 0; i < width; i++) v = v * 256 + (b[at + (le ? width - 1 - i : i)] ?? 0);
  return v;
}

/** offsets where `match(b, i)` holds, at most 64 of them */
function find(b, match) {
  const out = [];
  for (let i = 0; i < b.length && out.length < 64; i++) if (match(b, i)) out.push(i);
  return out;
}

const MUTATORS = {
  bitFlip(rng, b) {
    if (!b.length) return b;
    const out = b.slice();
    for (let i = 0, n = 1 + rng.int(8); i < n; i++) out[rng.int(out.length)] ^= 1 << rng.int(8);
    return out;
  },
  byteSet(rng, b) {
    if (!b.length) return b;
    const out = b.slice();
    for (let i = 0, n = 1 + rng.int(4); i < n; i++) out[rng.int(out.length)] = rng.pick(SPECIAL);
    return out;
  },
  truncate(rng, b) { return b.slice(0, rng.int(b.length + 1)); },
  splice(rng, b, other) {
    return concat(b.subarray(0, rng.int(b.length + 1)), other.subarray(rng.int(other.length + 1)));
  },
  insert(rng, b, other) {
    const at = rng.int(b.length + 1);
    let piece;
    if (rng.bool() && other.length) {
      const from = rng.int(other.length);
      piece = other.subarray(from, from + 1 + rng.size(256));
    } else {
      piece = rng.bool() ? rng.bytes(1 + rng.size(64)) : new Uint8Array(1 + rng.size(64)).fill(rng.pick(SPECIAL));
    }
    return concat(b.subarray(0, at), piece, b.subarray(at));
  },
  delete(rng, b) {
    if (!b.length) return b;
    const at = rng.int(b.length);
    return concat(b.subarray(0, at), b.subarray(at + 1 + rng.size(b.length - at - 1)));
  },
  duplicate(rng, b) {
    if (!b.length) return b;
    const at = rng.int(b.length);
    const piece = b.subarray(at, at + 1 + rng.size(256));
    const to = rng.int(b.length + 1);
    return concat(b.subarray(0, to), piece, b.subarray(to));
  },
  /** any 1-4 byte integer, either byte order, set to an edge value or nudged */
  integer(rng, b) {
    if (!b.length) return b;
    const out = b.slice();
    const width = rng.pick([1, 2, 2, 3, 4, 4]);
    const le = rng.bool();
    const at = rng.int(out.length);
    const max = 2 ** (8 * width) - 1;
    writeUint(out, at, width, lengthValue(rng, readUint(out, at, width, le), max), le);
    return out;
  },
  /** TPKT header 03 00 LL LL: the length */
  tpktLength(rng, b) {
    const at = find(b, (x, i) => x[i] === 3 && x[i + 1] === 0 && i + 3 < x.length);
    if (!at.length) return null;
    const out = b.slice();
    const i = rng.pick(at);
    writeUint(out, i + 2, 2, lengthValue(rng, readUint(out, i + 2, 2, false), 0xffff), false);
    return out;
  },
  /** a BER/DER length: replaced by a long, indefinite, non-minimal or short form */
  berLength(rng, b) {
    if (b.length < 2) return null;
    const long = find(b, (x, i) => x[i] >= 0x81 && x[i] <= 0x84 && i > 0);
    const at = long.length && rng.bool(0.7) ? rng.pick(long) : 1 + rng.int(b.length - 1);
    const n = b[at] >= 0x81 && b[at] <= 0x84 ? b[at] & 0x7f : 0;
    const forms = [
      [0x84, 0xff, 0xff, 0xff, 0xff], [0x84, 0x7f, 0xff, 0xff, 0xff], [0x83, 0xff, 0xff, 0xff], [0x82, 0xff, 0xff],
      [0x80], [0x85, 1, 0, 0, 0, 0], [0x81, 0x00], [0x82, 0x00, rng.int(256)], [rng.int(0x80)], [0x81, rng.int(256)],
      [0x84, 0, 0, rng.int(256), rng.int(256)], [0xff],
    ];
    return concat(b.subarray(0, at), Uint8Array.from(rng.pick(forms)), b.subarray(at + 1 + n));
  },
  /** an aligned PER length determinant (X.691 10.9): short, two-byte, or a fragmentation marker */
  perLength(rng, b) {
    if (!b.length) return null;
    const at = rng.int(b.length);
    const two = (b[at] & 0xc0) === 0x80;
    const forms = [[0xbf, 0xff], [0x80, 0x00], [0xc0], [0xc4], [0xff], [0x7f], [0x80 | rng.int(0x40), rng.int(256)], [0x00]];
    return concat(b.subarray(0, at), Uint8Array.from(rng.pick(forms)), b.subarray(at + (two ? 2 : 1)));
  },
  /** a TLS record length, or the 24-bit length of a handshake message after it */
  tlsLength(rng, b) {
    const at = find(b, (x, i) => x[i] >= 20 && x[i] <= 24 && x[i + 1] === 3 && x[i + 2] <= 4 && i + 4 < x.length);
    if (!at.length) return null;
    const out = b.slice();
    const i = rng.pick(at);
    if (out[i] === 22 && i + 8 < out.length && rng.bool()) {
      writeUint(out, i + 6, 3, lengthValue(rng, readUint(out, i + 6, 3, false), 0xffffff), false);
    } else {
      writeUint(out, i + 3, 2, lengthValue(rng, readUint(out, i + 3, 2, false), 0xffff), false);
    }
    return out;
  },
  /** a pcap record's caplen/len, or a pcapng block's total length (either copy) or EPB caplen */
  captureLength(rng, b) {
    const fields = captureLengthFields(b);
    if (!fields.length) return null;
    const out = b.slice();
    const { at, le } = rng.pick(fields);
    writeUint(out, at, 4, lengthValue(rng, readUint(out, at, 4, le), 0xffffffff), le);
    return out;
  },
};

/** where the 32-bit length fields of a pcap/pcapng file are (the first 256 records) */
export function captureLengthFields(b) {
  if (b.length < 24) return [];
  const magic = readUint(b, 0, 4, false);
  const out = [];
  if (magic === 0x0a0d0d0a) {
    let le = b[8] === 0x4d;
    for (let off = 0, n = 0; off + 12 <= b.length && n < 256; n++) {
      if (readUint(b, off, 4, false) === 0x0a0d0d0a) le = b[off + 8] === 0x4d;
      const type = readUint(b, off, 4, le);
      const len = readUint(b, off + 4, 4, le);
      out.push({ at: off + 4, le });
      if (len >= 12 && off + len <= b.length) out.push({ at: off + len - 4, le });
      if (type === 6) out.push({ at: off + 20, le }, { at: off + 24, le });
      if (type === 3) out.push({ at: off + 8, le });
      if (len < 12 || len % 4) break;
      off += len;
    }
  } else if ([0xa1b2c3d4, 0xa1b23c4d, 0xd4c3b2a1, 0x4d3cb2a1].includes(magic)) {
    const le = magic === 0xd4c3b2a1 || magic === 0x4d3cb2a1;
    out.push({ at: 16, le });
    for (let off = 24, n = 0; off + 16 <= b.length && n < 256; n++) {
      out.push({ at: off + 8, le }, { at: off + 12, le });
      off += 16 + readUint(b, off + 8, 4, le);
    }
  }
  return out;
}

export const MUTATOR_NAMES = Object.keys(MUTATORS);

/**
 * One mutated input: 1-4 stacked mutations of `seed`, `other` (another seed) feeding splices and
 * insertions. `weights` can favour some mutators for a target (e.g. captureLength for capture files).
 */
export function mutate(rng, seed, other, prefer) {
  let b = seed;
  for (let k = 0, n = 1 + (rng.bool(0.5) ? 0 : rng.int(4)); k < n; k++) {
    const name = prefer && rng.bool(0.3) ? rng.pick(prefer) : rng.pick(MUTATOR_NAMES);
    const next = MUTATORS[name](rng, b, other);
    if (next !== null && next.length <= MAX_INPUT) b = next;
  }
  return b === seed ? MUTATORS.bitFlip(rng, seed) : b;
}
