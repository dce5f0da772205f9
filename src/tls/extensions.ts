// Hello extensions (RFC 8446 §4.2, RFC 5246 §7.4.1.4): Extension extensions<0..2^16-1>, each
// ExtensionType (2) | opaque extension_data<0..2^16-1>; no type may appear twice. Also the vector
// readers and writers the hello codecs share (RFC 8446 §3.4 vectors).
import { ByteReader } from '../wire/reader.js';
import { ByteWriter, concatBytes } from '../wire/writer.js';
import { extensionName } from './groups.js';

export interface Extension {
  type: number;
  name: string;
  /** a view into the decoded message */
  data: Uint8Array;
  /** absolute offset of the extension's type field */
  offset: number;
}

/** Reads the extensions block that must fill the rest of r. */
export function decodeExtensions(r: ByteReader): Extension[] {
  const block = readVector(r, 2, 'extensions');
  if (r.remaining > 0) throw r.error('INVALID_FIELD', 'trailing data', `${r.remaining} bytes after the extensions`);
  const out: Extension[] = [];
  const seen = new Set<number>();
  while (block.remaining > 0) {
    const offset = block.absolute;
    block.ensure(4, 'extension header');
    const type = block.u16be('extension type');
    if (seen.has(type)) throw block.error('INVALID_FIELD', 'extension type', `${extensionName(type)} appears twice`, offset);
    seen.add(type);
    const data = readVector(block, 2, `${extensionName(type)} extension_data`).peekRest();
    out.push({ type, name: extensionName(type), data, offset });
  }
  return out;
}

/** A reader over an extension's data, keeping absolute offsets. */
export function extensionReader(e: Extension, pdu: string): ByteReader {
  return new ByteReader(e.data, 'tls', pdu, e.offset + 4);
}

/** A length-prefixed vector (1, 2 or 3 length bytes) as a child reader. */
export function readVector(r: ByteReader, lengthBytes: 1 | 2 | 3, field: string, min = 0, max = Infinity): ByteReader {
  const at = r.absolute;
  r.ensure(lengthBytes, `${field} length`);
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + r.u8(`${field} length`);
  if (length < min || length > max) {
    throw r.error('INVALID_FIELD', `${field} length`, `${length} is outside ${min}..${max}`, at);
  }
  return r.sub(length, field);
}

/** A vector of uint16 values (cipher suites, groups, signature schemes, versions). */
export function readU16List(r: ByteReader, lengthBytes: 1 | 2, field: string, min = 0): number[] {
  const at = r.absolute;
  const list = readVector(r, lengthBytes, field, min);
  if (list.length % 2 !== 0) throw r.error('INVALID_FIELD', `${field} length`, `odd length ${list.length}`, at);
  const out: number[] = [];
  while (list.remaining > 0) out.push(list.u16be(field));
  return out;
}

/** Throws unless r is exhausted. */
export function expectEnd(r: ByteReader, what: string): void {
  if (r.remaining > 0) throw r.error('INVALID_FIELD', 'trailing data', `${r.remaining} unexpected bytes at the end of ${what}`);
}

/** opaque<..> with a 1- or 2-byte length prefix. */
export function vector(lengthBytes: 1 | 2, body: Uint8Array): Uint8Array {
  const w = new ByteWriter(lengthBytes + body.length);
  if (lengthBytes === 1) w.u8(body.length);
  else w.u16be(body.length);
  return w.bytes(body).finish();
}

export function u16Bytes(values: readonly number[]): Uint8Array {
  const w = new ByteWriter(values.length * 2);
  for (const v of values) w.u16be(v);
  return w.finish();
}

/** The extensions block: uint16 total length, then type | length | data for each. */
export function encodeExtensions(list: readonly { type: number; data: Uint8Array }[]): Uint8Array {
  return vector(2, concatBytes(list.map((e) => concatBytes([u16Bytes([e.type]), vector(2, e.data)]))));
}
