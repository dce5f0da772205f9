// Bounded DER reader/writer for CredSSP and SPNEGO (ITU-T X.690 §8.1-8.3, §8.19, §10.1). Our own
// instead of asn1js: every element must be named by field and absolute offset in a DecodeError, and
// asn1js reports neither (its errors are strings, and it accepts BER forms DER forbids).
import type { ByteReader } from '../wire/reader.js';
import { concatBytes } from '../wire/writer.js';

/** One element: its tag, the absolute offset of the tag byte, and a reader over its contents. */
export interface Tlv {
  tag: number;
  at: number;
  body: ByteReader;
}

/** Context-specific constructed tag [n] (EXPLICIT). */
export const ctx = (n: number): number => 0xa0 | n;

export const TAG = { integer: 0x02, bitString: 0x03, octetString: 0x04, oid: 0x06, enumerated: 0x0a, generalString: 0x1b, sequence: 0x30 } as const;

const hex2 = (v: number): string => `0x${v.toString(16).padStart(2, '0')}`;

/**
 * Reads one TLV: a single-byte tag (the high-tag-number form is refused) and a definite length of at
 * most 4 length octets. The contents are bounds-checked before any use. With `tag`, any other tag
 * is UNEXPECTED_TYPE.
 */
export function readTlv(r: ByteReader, field: string, tag?: number): Tlv {
  const at = r.absolute;
  const t = r.u8(field);
  if ((t & 0x1f) === 0x1f) throw r.error('UNSUPPORTED_VALUE', field, `multi-byte tag ${hex2(t)}`, at);
  if (tag !== undefined && t !== tag) throw r.error('UNEXPECTED_TYPE', field, `tag ${hex2(t)}, expected ${hex2(tag)}`, at);
  const lengthAt = r.absolute;
  const first = r.u8(`${field} length`);
  let length = first;
  if (first === 0x80) throw r.error('INVALID_FIELD', `${field} length`, 'indefinite length (BER, not DER)', lengthAt);
  if (first > 0x80) {
    const n = first & 0x7f;
    if (n > 4) throw r.error('LIMIT_EXCEEDED', `${field} length`, `${n} length octets`, lengthAt);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + r.u8(`${field} length`);
  }
  return { tag: t, at, body: r.sub(length, field) };
}

/** The next element has this tag (nothing is consumed). */
export function nextIs(r: ByteReader, tag: number): boolean {
  return r.peekU8() === tag;
}

/** Throws INVALID_FIELD when r has bytes left (the contents of `field` hold more than expected). */
export function expectEnd(r: ByteReader, field: string): void {
  if (r.remaining > 0) throw r.error('INVALID_FIELD', field, `${r.remaining} unexpected bytes`);
}

/** [n] EXPLICIT wrapper holding exactly one element with tag `inner`: that element's contents. */
export function explicit(r: ByteReader, n: number, inner: number, field: string): Tlv {
  const wrapper = readTlv(r, field, ctx(n)).body;
  const t = readTlv(wrapper, field, inner);
  expectEnd(wrapper, field);
  return t;
}

/** A DER INTEGER of 1..maxOctets content octets as a two's complement number (maxOctets <= 6). */
export function integer(t: Tlv, field: string, maxOctets: number): number {
  const b = t.body;
  if (b.remaining === 0) throw b.error('INVALID_FIELD', field, 'empty INTEGER');
  if (b.remaining > maxOctets) throw b.error('UNSUPPORTED_VALUE', field, `${b.remaining}-octet INTEGER (at most ${maxOctets})`);
  const first = b.u8(field);
  let v = first >= 0x80 ? first - 0x100 : first;
  while (b.remaining > 0) v = v * 256 + b.u8(field);
  return v;
}

/** OBJECT IDENTIFIER contents in dotted form (X.690 §8.19); arcs above 2^53 are refused. */
export function oid(t: Tlv, field: string): string {
  const b = t.body;
  if (b.remaining === 0) throw b.error('INVALID_FIELD', field, 'empty OBJECT IDENTIFIER');
  const arcs: number[] = [];
  let v = 0;
  let first = true;
  while (b.remaining > 0) {
    const at = b.absolute;
    const c = b.u8(field);
    if (v === 0 && c === 0x80) throw b.error('INVALID_FIELD', field, 'arc with a leading 0x80 octet', at);
    v = v * 128 + (c & 0x7f);
    if (v > Number.MAX_SAFE_INTEGER) throw b.error('LIMIT_EXCEEDED', field, 'arc above 2^53', at);
    if (c & 0x80) {
      if (b.remaining === 0) throw b.error('NOT_ENOUGH_BYTES', field, 'last arc is cut', at);
      continue;
    }
    if (first) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
    else arcs.push(v);
    first = false;
    v = 0;
  }
  return arcs.join('.');
}

/** tag + minimal definite length + contents. */
export function der(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = concatBytes(contents);
  const n = body.length;
  if (n >= 0x1000000) throw new RangeError(`DER element of ${n} bytes`);
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : [0x83, n >> 16, (n >> 8) & 0xff, n & 0xff];
  return concatBytes([Uint8Array.of(tag, ...len), body]);
}

/** Minimal two's complement INTEGER for a safe integer in the signed 32-bit range. */
export function derInteger(v: number): Uint8Array {
  if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`INTEGER ${v} is outside int32`);
  const bytes = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
  while (bytes.length > 1 && ((bytes[0] === 0 && bytes[1]! < 0x80) || (bytes[0] === 0xff && bytes[1]! >= 0x80))) bytes.shift();
  return der(TAG.integer, Uint8Array.from(bytes));
}

/** Dotted OID → OBJECT IDENTIFIER element. */
export function derOid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0) || arcs[0]! > 2 || (arcs[0]! < 2 && arcs[1]! >= 40)) {
    throw new RangeError(`not an OID: ${dotted}`);
  }
  const out: number[] = [];
  for (const a of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const groups = [a % 128];
    for (let x = Math.floor(a / 128); x > 0; x = Math.floor(x / 128)) groups.unshift((x % 128) | 0x80);
    out.push(...groups);
  }
  return der(TAG.oid, Uint8Array.from(out));
}
