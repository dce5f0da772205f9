// Hex helpers for evidence, reports and tests.

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** ASCII of the hex digits, and a scratch buffer the space-separated form is written into. */
const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
const SCRATCH_BYTES = 3 * 1024;
const scratch = Buffer.alloc(SCRATCH_BYTES);

export function toHex(b: Uint8Array, sep = ' '): string {
  if (b.length === 0) return '';
  // the common case (PDU heads for every event): written as ASCII and decoded once, rather than
  // concatenated byte by byte into a string of many pieces
  if (sep === ' ' && 3 * b.length <= SCRATCH_BYTES) {
    let j = 0;
    for (let i = 0; i < b.length; i++) {
      const v = b[i]!;
      if (i > 0) scratch[j++] = 0x20;
      scratch[j++] = HEX_DIGITS[v >> 4]!;
      scratch[j++] = HEX_DIGITS[v & 15]!;
    }
    return scratch.toString('latin1', 0, j);
  }
  let s = BYTE_HEX[b[0]!]!;
  for (let i = 1; i < b.length; i++) s += sep + BYTE_HEX[b[i]!]!;
  return s;
}

/** Parses "03 00 00 13", "0300 0013" or "0x03,0x00" into bytes; ignores whitespace, commas and 0x. */
export function fromHex(s: string): Uint8Array {
  const clean = s.replace(/0x/gi, '').replace(/[\s,]/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-f]/i.test(clean)) throw new Error(`bad hex: ${s}`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/** First n bytes as hex, with an ellipsis and the total when longer. */
export function hexPreview(b: Uint8Array, n = 16): string {
  return b.length <= n ? toHex(b) : `${toHex(b.subarray(0, n))} … (${b.length} bytes)`;
}

export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
}

export function hexN(v: number, width = 2): string {
  return `0x${(v >>> 0).toString(16).padStart(width, '0')}`;
}
