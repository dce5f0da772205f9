// TPKT header (RFC 1006 §6 / T.123 §8): version 3, reserved, 16-bit big-endian length incl. header.
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { DecodeError } from '../wire/errors.js';

export const TPKT_VERSION = 3;
export const TPKT_HEADER_SIZE = 4;

export interface TpktHeader {
  version: number;
  length: number;
}

export function decodeTpktHeader(r: ByteReader): TpktHeader {
  r.ensure(TPKT_HEADER_SIZE, 'header');
  const at = r.absolute;
  const version = r.u8('version');
  if (version !== TPKT_VERSION) {
    throw r.error('UNSUPPORTED_VERSION', 'version', `expected 3, got ${version}`, at);
  }
  r.u8('reserved');
  const length = r.u16be('length');
  if (length < TPKT_HEADER_SIZE + 1) {
    throw r.error('INVALID_FIELD', 'length', `${length} is shorter than a TPKT header plus a TPDU`, at + 2);
  }
  return { version, length };
}

export function encodeTpktHeader(w: ByteWriter, totalLength: number): void {
  w.u8(TPKT_VERSION).u8(0).u16be(totalLength);
}

/**
 * Framing hint: total size of the TPKT at the head of buf, or undefined when more bytes are needed.
 * Throws DecodeError when the bytes cannot be a TPKT (wrong version, impossible length).
 */
export function findTpktSize(buf: Uint8Array, base = 0): number | undefined {
  if (buf.length >= 1 && buf[0] !== TPKT_VERSION) {
    throw new DecodeError({
      code: 'UNSUPPORTED_VERSION', layer: 'tpkt', pdu: 'TPKT', field: 'version', offset: base,
      reason: `expected 3, got ${buf[0]}`,
    });
  }
  if (buf.length < TPKT_HEADER_SIZE) return undefined;
  return decodeTpktHeader(new ByteReader(buf, 'tpkt', 'TPKT', base)).length;
}
