// X.224 class 0 TPDU headers as RDP uses them ([MS-RDPBCGR] 2.2.1.1, 2.2.1.2; ITU-T X.224 §13):
//   LI | code(hi nibble) | fixed part | variable part / user data
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { decodeTpktHeader, encodeTpktHeader, TPKT_HEADER_SIZE, type TpktHeader } from './tpkt.js';

export const TPDU_CODE = { CR: 0xe0, CC: 0xd0, DR: 0x80, DC: 0xc0, DT: 0xf0, ER: 0x70 } as const;
export type TpduKind = keyof typeof TPDU_CODE | 'unknown';

/** Fixed part of CR, CC and DR: LI, code, DST-REF, SRC-REF, class option / reason. */
export const CONNECTION_TPDU_FIXED = 1 /* LI */ + 1 /* code */ + 2 /* DST-REF */ + 2 /* SRC-REF */ + 1 /* class|reason */;

/** TPDU kind by the code byte's high nibble (built once: tpduKind runs for every RDP PDU). */
const KIND_BY_NIBBLE: readonly TpduKind[] = Array.from({ length: 16 }, (_, n) => {
  for (const [k, v] of Object.entries(TPDU_CODE)) if (v === n << 4) return k as TpduKind;
  return 'unknown';
});

export function tpduKind(codeByte: number): TpduKind {
  return KIND_BY_NIBBLE[(codeByte & 0xf0) >> 4]!;
}

export interface X224Frame {
  tpkt: TpktHeader;
  li: number;
  kind: TpduKind;
  /** raw code byte (for CR/CC the low nibble is the credit, CDT) */
  codeByte: number;
  /** reader over everything after LI and the code byte, up to the end of the TPKT */
  rest: ByteReader;
}

/** Reads the TPKT and the first two TPDU bytes of one complete TPKT. */
export function decodeX224Frame(bytes: Uint8Array, base = 0, pdu = 'X.224 TPDU'): X224Frame {
  const r = new ByteReader(bytes, 'tpkt', pdu, base);
  const tpkt = decodeTpktHeader(r);
  if (tpkt.length !== bytes.length) {
    throw r.error('INVALID_FIELD', 'length', `TPKT says ${tpkt.length} bytes, frame has ${bytes.length}`, base + 2);
  }
  const x = new ByteReader(bytes.subarray(TPKT_HEADER_SIZE), 'x224', pdu, base + TPKT_HEADER_SIZE);
  x.ensure(2, 'LI');
  const liAt = x.absolute;
  const li = x.u8('LI');
  if (li + 1 > x.length) {
    throw x.error('INVALID_FIELD', 'LI', `length indicator ${li} exceeds the ${x.length - 1} bytes that follow`, liAt);
  }
  const codeByte = x.u8('code');
  return { tpkt, li, kind: tpduKind(codeByte), codeByte, rest: x };
}

export interface ConnectionHeader {
  dstRef: number;
  srcRef: number;
  classOption: number;
}

/** DST-REF, SRC-REF, class option of a CR or CC (after LI and code). */
export function decodeConnectionHeader(r: ByteReader): ConnectionHeader {
  r.ensure(5, 'fixed part');
  const dstRef = r.u16be('DST-REF');
  const srcRef = r.u16be('SRC-REF');
  const classAt = r.absolute;
  const classOption = r.u8('class option');
  if ((classOption & 0xf0) !== 0) {
    throw r.error('UNSUPPORTED_VALUE', 'class option', `class ${classOption >> 4}; RDP uses class 0`, classAt);
  }
  return { dstRef, srcRef, classOption };
}

/**
 * Frames a CR or CC: TPKT, LI covering the whole rest of the TPDU (RDP puts its data in the variable
 * part), the expected code, and the fixed part. Returns the header and a reader at the variable part.
 */
export function decodeConnectionTpdu(bytes: Uint8Array, base: number, pdu: string, kind: 'CR' | 'CC'): { header: ConnectionHeader; rest: ByteReader } {
  const frame = decodeX224Frame(bytes, base, pdu);
  const r = frame.rest;
  if (frame.kind !== kind) {
    const code = TPDU_CODE[kind].toString(16);
    throw r.error('UNEXPECTED_TYPE', 'code', `expected ${kind} (0x${code}), got 0x${frame.codeByte.toString(16)}`, base + 5);
  }
  if (frame.li !== r.length - 1) {
    throw r.error('INVALID_FIELD', 'LI', `length indicator ${frame.li} but ${r.length - 1} bytes follow`, base + 4);
  }
  return { header: decodeConnectionHeader(r), rest: r };
}

/** Writes TPKT + the 7-byte CR/CC/DR fixed part; bodyLength is what follows it. */
export function encodeConnectionTpdu(w: ByteWriter, code: number, h: ConnectionHeader, bodyLength: number): void {
  encodeTpktHeader(w, TPKT_HEADER_SIZE + CONNECTION_TPDU_FIXED + bodyLength);
  w.u8(CONNECTION_TPDU_FIXED - 1 + bodyLength).u8(code).u16be(h.dstRef).u16be(h.srcRef).u8(h.classOption);
}

/** X.224 Disconnect Request (X.224 §13.5): DST-REF, SRC-REF, reason. */
export interface DisconnectRequest {
  dstRef: number;
  srcRef: number;
  reason: number;
}

export const DISCONNECT_REQUEST_NAME = 'X.224 Disconnect Request';

export function decodeDisconnectRequest(frame: X224Frame): DisconnectRequest {
  const r = frame.rest;
  r.ensure(5, 'fixed part');
  return { dstRef: r.u16be('DST-REF'), srcRef: r.u16be('SRC-REF'), reason: r.u8('reason') };
}

export function encodeDisconnectRequest(dr: DisconnectRequest): Uint8Array {
  const w = new ByteWriter(TPKT_HEADER_SIZE + CONNECTION_TPDU_FIXED);
  encodeConnectionTpdu(w, TPDU_CODE.DR, { dstRef: dr.dstRef, srcRef: dr.srcRef, classOption: dr.reason }, 0);
  return w.finish();
}

/** Data TPDU (X.224 §13.7): LI = 2, code 0xF0, EOT bit; its user data is the next layer. */
export const DATA_TPDU_NAME = 'X.224 Data';

export interface DataTpdu {
  /** end of TSDU: the last (usually only) TPDU of the user data */
  eot: boolean;
  userData: Uint8Array;
}

export function decodeDataTpdu(frame: X224Frame): DataTpdu {
  const r = frame.rest;
  if (frame.li !== 2) throw r.error('INVALID_FIELD', 'LI', `a Data TPDU has LI 2, got ${frame.li}`, r.absolute - 2);
  const eot = (r.u8('EOT') & 0x80) !== 0;
  return { eot, userData: r.rest('user data').slice() };
}
