// Text in wire fields: Latin-1 (one character per byte: exact for ASCII and for the ANSI fields RDP
// sends) and UTF-16LE, the encodings MS-RDPBCGR, MS-NLMP and MS-CSSP use.

/** One character per byte. */
export function latin1(b: Uint8Array): string {
  return Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1');
}

/** One byte per character (the low 8 bits). */
export function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i) & 0xff;
  return out;
}

const UTF16LE = new TextDecoder('utf-16le');

/** UTF-16LE bytes as text (an odd last byte or a lone surrogate decodes as U+FFFD). */
export function utf16leText(b: Uint8Array): string {
  return UTF16LE.decode(b);
}

/** UTF-16LE code units of s (no terminator). */
export function utf16leBytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length * 2);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** b up to its first NUL unit (1 byte, or 2 for UTF-16), or all of it. */
export function untilNul(b: Uint8Array, unit: 1 | 2): Uint8Array {
  for (let i = 0; i + unit <= b.length; i += unit) {
    if (b[i] === 0 && (unit === 1 || b[i + 1] === 0)) return b.subarray(0, i);
  }
  return unit === 2 ? b.subarray(0, b.length & ~1) : b;
}
