// Fixed-size string fields of the GCC blocks: UTF-16LE (clientName, imeFileName, clientDigProductId)
// and ANSI (CHANNEL_DEF name), NUL-padded. Decoding stops at the first NUL; encoding pads with NULs.
import type { ByteReader } from '../wire/reader.js';
import { untilNul, utf16leBytes, utf16leText } from '../wire/text.js';

/** WHATWG 'latin1' is windows-1252: bytes 0x80-0x9F decode as the ANSI code page characters. */
const ansi = new TextDecoder('latin1');

/** A `size`-byte UTF-16LE field, up to its first NUL character. */
export function readUtf16Field(r: ByteReader, size: number, field: string): string {
  return utf16leText(untilNul(r.bytes(size, field), 2));
}

/** A `size`-byte 8-bit field, up to its first NUL byte. */
export function readAnsiField(r: ByteReader, size: number, field: string): string {
  return ansi.decode(untilNul(r.bytes(size, field), 1));
}

/**
 * `s` as UTF-16LE in a `size`-byte field with at least one NUL after it. Longer strings are cut to
 * (size / 2) - 1 UTF-16 code units.
 */
export function utf16Field(s: string, size: number): Uint8Array {
  const out = new Uint8Array(size);
  out.set(utf16leBytes(s.slice(0, size / 2 - 1)));
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
