// BER (ITU-T X.690 §8.1-8.7) as T.125 Connect-Initial / Connect-Response use it ([MS-RDPBCGR]
// 2.2.1.3, 2.2.1.4: "BER-encoded ... using definite-length encoding"). Unlike src/credssp/der.ts this
// reads the high-tag-number form: Connect-Initial is [APPLICATION 101] = 7f 65.
import type { ByteReader } from '../wire/reader.js';
import { ByteWriter, concatBytes } from '../wire/writer.js';

/**
 * Tags as their identifier octets read big-endian: 0x30 is SEQUENCE, 0x7f65 is [APPLICATION 101]
 * constructed (class 01, constructed, high-tag-number form, 101).
 */
export const BER_TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  ENUMERATED: 0x0a,
  SEQUENCE: 0x30,
  CONNECT_INITIAL: 0x7f65,
  CONNECT_RESPONSE: 0x7f66,
} as const;

/** One element: its tag, the absolute offset of the tag, and a reader over exactly its contents. */
export interface BerTlv {
  tag: number;
  at: number;
  body: ByteReader;
}

const hex = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

/** Identifier octets (X.690 §8.1.2): low form, or high form with at most two subsequent octets. */
export function readBerTag(r: ByteReader, field: string): number {
  const at = r.absolute;
  const first = r.u8(field);
  if ((first & 0x1f) !== 0x1f) return first;
  let tag = first;
  let number = 0;
  for (let i = 0; ; i++) {
    if (i === 2) throw r.error('LIMIT_EXCEEDED', field, 'tag number above 16383', at);
    const o = r.u8(field);
    if (i === 0 && o === 0x80) throw r.error('INVALID_FIELD', field, 'tag number has a leading zero septet', at);
    tag = tag * 256 + o;
    number = number * 128 + (o & 0x7f);
    if ((o & 0x80) === 0) break;
  }
  if (number < 31) throw r.error('INVALID_FIELD', field, `tag number ${number} must use the one-octet form`, at);
  return tag;
}

/** Definite length (X.690 §8.1.3): short form or 1-4 length octets; indefinite is refused. */
export function readBerLength(r: ByteReader, field: string): number {
  const at = r.absolute;
  const first = r.u8(`${field} length`);
  if (first < 0x80) return first;
  if (first === 0x80) throw r.error('INVALID_FIELD', `${field} length`, 'indefinite length; T.125 requires definite lengths', at);
  const n = first & 0x7f;
  if (n > 4) throw r.error('LIMIT_EXCEEDED', `${field} length`, `${n} length octets (at most 4)`, at);
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + r.u8(`${field} length`);
  return length;
}

/**
 * One TLV with bounds-checked contents. With `tag`, any other tag is UNEXPECTED_TYPE; with
 * `maxLength`, a longer element is LIMIT_EXCEEDED before anything is taken from the buffer.
 */
export function readBerTlv(r: ByteReader, field: string, tag?: number, maxLength?: number): BerTlv {
  const at = r.absolute;
  const t = readBerTag(r, field);
  if (tag !== undefined && t !== tag) throw r.error('UNEXPECTED_TYPE', field, `tag ${hex(t)}, expected ${hex(tag)}`, at);
  const lengthAt = r.absolute;
  const length = readBerLength(r, field);
  if (maxLength !== undefined && length > maxLength) {
    throw r.error('LIMIT_EXCEEDED', `${field} length`, `${length} bytes (at most ${maxLength})`, lengthAt);
  }
  return { tag: t, at, body: r.sub(length, field) };
}

/**
 * INTEGER or ENUMERATED contents as an unsigned number. T.125 declares every such field (0..MAX),
 * and Windows clients write 65535 as `02 02 ff ff` (two's complement -1): reading the octets
 * unsigned is what every RDP peer does. At most maxOctets significant octets (one leading 00 is allowed).
 * Errors point at the element's tag.
 */
export function berUnsigned(t: BerTlv, field: string, maxOctets = 4): number {
  const b = t.body;
  const n = b.remaining;
  if (n === 0) throw b.error('INVALID_FIELD', field, 'empty INTEGER', t.at);
  if (n > maxOctets + 1 || (n === maxOctets + 1 && b.peekU8() !== 0)) {
    throw b.error('LIMIT_EXCEEDED', field, `${n}-octet INTEGER (at most ${maxOctets})`, t.at);
  }
  let v = 0;
  while (b.remaining > 0) v = v * 256 + b.u8(field);
  return v;
}

/** BOOLEAN contents (X.690 §8.2): one octet, zero is FALSE. */
export function berBoolean(t: BerTlv, field: string): boolean {
  const b = t.body;
  if (b.remaining !== 1) throw b.error('INVALID_FIELD', field, `BOOLEAN of ${b.remaining} octets`, t.at);
  return b.u8(field) !== 0;
}

/** Throws INVALID_FIELD when r has bytes left (an element holds more than its type allows). */
export function berExpectEnd(r: ByteReader, field: string): void {
  if (r.remaining > 0) throw r.error('INVALID_FIELD', field, `${r.remaining} unexpected bytes`);
}

// ---- encoding ----

/**
 * How INTEGER contents are written. 'twos-complement' is X.690 §8.3 (65528 → 00 ff f8, as the
 * Windows server in [MS-RDPBCGR] 4.1.4 writes); 'unsigned' is the fewest octets of the unsigned value
 * (65535 → ff ff, as the Windows client in 4.1.3 writes).
 */
export type BerIntegerForm = 'twos-complement' | 'unsigned';

function tagBytes(tag: number): number[] {
  const out: number[] = [];
  let t = tag;
  do { out.unshift(t & 0xff); t = Math.floor(t / 256); } while (t > 0);
  return out;
}

function lengthBytes(n: number): number[] {
  if (n < 0x80) return [n];
  const out: number[] = [];
  let x = n;
  while (x > 0) { out.unshift(x & 0xff); x = Math.floor(x / 256); }
  return [0x80 | out.length, ...out];
}

/** tag | definite length (shortest form) | contents. */
export function berTlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(contents);
  return concatBytes([Uint8Array.from([...tagBytes(tag), ...lengthBytes(body.length)]), body]);
}

/** A non-negative INTEGER (or ENUMERATED with tag) below 2^32. */
export function berInteger(v: number, form: BerIntegerForm = 'twos-complement', tag: number = BER_TAG.INTEGER): Uint8Array {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`BER: ${v} is not an unsigned 32-bit integer`);
  const out: number[] = [];
  let x = v;
  do { out.unshift(x & 0xff); x = Math.floor(x / 256); } while (x > 0);
  if (form === 'twos-complement' && out[0]! >= 0x80) out.unshift(0);
  return berTlv(tag, Uint8Array.from(out));
}

export function berBooleanTlv(b: boolean): Uint8Array {
  return berTlv(BER_TAG.BOOLEAN, Uint8Array.of(b ? 0xff : 0x00));
}
