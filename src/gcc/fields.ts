// Fixed-size string fields of the GCC blocks: UTF-16LE (clientName, imeFileName, clientDigProductId)
// and ANSI (CHANNEL_DEF name), NUL-padded. Decoding stops at the first NUL; encoding pads with NULs.
import type { ByteReader } from '../wire/reader.js';

const utf16 = new TextDecoder('utf-16le');
const latin1 = new TextDecoder('latin1');

/** A `size`-byte UTF-16LE field, up to its first NUL character. */
export function readUtf16Field(r: ByteReader, size: number, field: string): string {
  const b = r.bytes(size, field);
  let end = 0;
  while (end + 1 < b.length && (b[end]! | b[end + 1]!) !== 0) end += 2;
  return utf16.decode(b.subarray(0, end));
}

/** A `size`-byte 8-bit field, up to its first NUL byte. */
export function readAnsiField(r: ByteReader, size: number, field: string): string {
  const b = r.bytes(size, field);
  const nul = b.indexOf(0);
  return latin1.decode(b.subarray(0, nul < 0 ? b.length : nul));
}

/**
 * `s` as UTF-16LE in a `size`-byte field with at least one NUL after it. Longer strings are cut to
 * (size / 2) - 1 UTF-16 code units.
 */
export function utf16Field(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  const units = Math.min(s.length, size / 2 - 1);
  for (let i = 0; i < units; i++) {
    const c = s.charCodeAt(i);
    out[2 * i] = c & 0xff;
    out[2 * i + 1] = c >>> 8;
  }
  return out;
}

/** `s` (printable ASCII, at most size - 1 characters) NUL-padded to `size` bytes; RangeError otherwise. */
export function ansiField(s: string, size: number, what: string): Uint8Array {
  if (s.length > size - 1 || !/^[\x20-\x7e]*$/.test(s)) {
    throw new RangeError(`${what} "${s}" must be at most ${size - 1} printable ASCII characters`);
  }
  const out = new Uint8Array(size);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}
