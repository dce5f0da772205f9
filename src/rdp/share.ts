// Slow-path share headers ([MS-RDPBCGR] 2.2.8.1.1.1), after the security header (if any):
//   Share Control Header (2.2.8.1.1.1.1, T.128 8.3): totalLength u16 | pduType u16 | pduSource u16
//     pduType: type in bits 0-3, PDUVersion in bits 4-15 (TS_PROTOCOL_VERSION 1, i.e. 0x0010)
//     totalLength counts the whole PDU, header included. totalLength 0x8000 marks a T.128 FlowPDU
//     (8.5), which RDP peers ignore. Windows XP sends Deactivate All PDUs with totalLength 4 and no
//     pduSource.
//   Share Data Header (2.2.8.1.1.1.2), for PDUTYPE_DATAPDU: Share Control Header | shareId u32 | pad1 u8
//     | streamId u8 | uncompressedLength u16 | pduType2 u8 | compressedType u8 | compressedLength u16
// Several share PDUs may follow each other in one MCS Send Data user data (decodeSharePdus).
import { ByteWriter } from '../wire/writer.js';
import type { ByteReader } from '../wire/reader.js';
import { flagNames, rdpReader, valueName } from './common.js';

export const SHARE_PDU_NAME = 'Share Control PDU';
export const SHARE_CONTROL_HEADER_SIZE = 6;
export const SHARE_DATA_HEADER_SIZE = 18;
/** totalLength of a T.128 FlowPDU */
export const FLOW_MARKER = 0x8000;
export const FLOW_PDU_SIZE = 8;
/** PDUVersion ([MS-RDPBCGR] 2.2.8.1.1.1.1) */
export const TS_PROTOCOL_VERSION = 0x1;

/** Share Control Header type ([MS-RDPBCGR] 2.2.8.1.1.1.1). */
export const PDUTYPE = {
  DEMANDACTIVEPDU: 0x1,
  CONFIRMACTIVEPDU: 0x3,
  DEACTIVATEALLPDU: 0x6,
  DATAPDU: 0x7,
  SERVER_REDIR_PKT: 0xa,
} as const;

const PDUTYPE_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(PDUTYPE).map(([k, v]) => [v, `PDUTYPE_${k}`]),
);

export function pduTypeName(type: number): string {
  return valueName(type, PDUTYPE_NAMES, 1);
}

/** Share Data Header pduType2 ([MS-RDPBCGR] 2.2.8.1.1.1.2). */
export const PDUTYPE2 = {
  UPDATE: 2,
  CONTROL: 20,
  POINTER: 27,
  INPUT: 28,
  SYNCHRONIZE: 31,
  REFRESH_RECT: 33,
  PLAY_SOUND: 34,
  SUPPRESS_OUTPUT: 35,
  SHUTDOWN_REQUEST: 36,
  SHUTDOWN_DENIED: 37,
  SAVE_SESSION_INFO: 38,
  FONTLIST: 39,
  FONTMAP: 40,
  SET_KEYBOARD_INDICATORS: 41,
  BITMAPCACHE_PERSISTENT_LIST: 43,
  BITMAPCACHE_ERROR_PDU: 44,
  SET_KEYBOARD_IME_STATUS: 45,
  OFFSCRCACHE_ERROR_PDU: 46,
  SET_ERROR_INFO_PDU: 47,
  DRAWNINEGRID_ERROR_PDU: 48,
  DRAWGDIPLUS_ERROR_PDU: 49,
  ARC_STATUS_PDU: 50,
  STATUS_INFO_PDU: 54,
  MONITOR_LAYOUT_PDU: 55,
} as const;

const PDUTYPE2_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(PDUTYPE2).map(([k, v]) => [v, `PDUTYPE2_${k}`]),
);

export function pduType2Name(type2: number): string {
  return valueName(type2, PDUTYPE2_NAMES);
}

/** streamId ([MS-RDPBCGR] 2.2.8.1.1.1.2). */
export const STREAM = { UNDEFINED: 0x0, LOW: 0x1, MED: 0x2, HI: 0x4 } as const;
const STREAM_NAMES: Record<number, string> = { 0: 'STREAM_UNDEFINED', 1: 'STREAM_LOW', 2: 'STREAM_MED', 4: 'STREAM_HI' };

/** compressedType: bits 0-3 the compression type (PACKET_COMPR_TYPE_*), the rest flags. */
export const PACKET_COMPRESSED = 0x20;
export const PACKET_AT_FRONT = 0x40;
export const PACKET_FLUSHED = 0x80;
const COMPRESSION_FLAGS = [[PACKET_COMPRESSED, 'PACKET_COMPRESSED'], [PACKET_AT_FRONT, 'PACKET_AT_FRONT'], [PACKET_FLUSHED, 'PACKET_FLUSHED']] as const;

/** T.128 FlowPDU pduTypeFlow values (T.128 8.5). */
export const FLOW_PDU_TYPE: Readonly<Record<number, string>> = { 0x41: 'FLOW_TEST', 0x42: 'FLOW_RESPONSE', 0x43: 'FLOW_STOP' };

export interface ShareControlHeader {
  totalLength: number;
  /** the raw pduType field */
  pduType: number;
  /** bits 0-3 */
  type: number;
  typeName: string;
  /** bits 4-15; TS_PROTOCOL_VERSION (1) */
  version: number;
  /** absent in the 4-byte form Windows XP uses for Deactivate All */
  pduSource?: number;
}

export interface ShareDataHeader {
  shareId: number;
  pad1: number;
  streamId: number;
  streamName: string;
  uncompressedLength: number;
  pduType2: number;
  pduType2Name: string;
  compressedType: number;
  /** PACKET_COMPRESSED and friends */
  compressionFlagNames: string[];
  /** PACKET_COMPRESSED: the body needs bulk decompression before it can be decoded */
  compressed: boolean;
  compressedLength: number;
}

export interface FlowPdu {
  pduTypeFlow: number;
  pduTypeFlowName: string;
  flowIdentifier: number;
  flowNumber: number;
  pduSource: number;
}

export type SharePdu =
  | { kind: 'flow'; flow: FlowPdu; /** bytes consumed */ length: number }
  | {
    kind: 'control';
    control: ShareControlHeader;
    /** everything after the Share Control Header, up to totalLength */
    body: Uint8Array;
    /** offset of body within the decoded bytes */
    bodyOffset: number;
    /** for PDUTYPE_DATAPDU */
    data?: { header: ShareDataHeader; body: Uint8Array; bodyOffset: number };
    /** bytes consumed (totalLength) */
    length: number;
  };

/** Reads the Share Control Header and checks totalLength against the bytes available from its start. */
export function readShareControlHeader(r: ByteReader): ShareControlHeader {
  const start = r.absolute;
  const available = r.remaining;
  r.ensure(4, 'Share Control Header');
  const totalLength = r.u16le('totalLength');
  if (totalLength === FLOW_MARKER) {
    throw r.error('UNEXPECTED_TYPE', 'totalLength', 'a T.128 FlowPDU (totalLength 0x8000), not a share control PDU', start);
  }
  if (totalLength !== 4 && totalLength < SHARE_CONTROL_HEADER_SIZE) {
    throw r.error('INVALID_FIELD', 'totalLength', `${totalLength} is shorter than a Share Control Header`, start);
  }
  if (totalLength > available) {
    throw r.error('INVALID_FIELD', 'totalLength', `totalLength ${totalLength} exceeds the ${available} bytes available`, start);
  }
  const pduType = r.u16le('pduType');
  const type = pduType & 0x0f;
  const h: ShareControlHeader = { totalLength, pduType, type, typeName: pduTypeName(type), version: pduType >>> 4 };
  if (totalLength > 4) h.pduSource = r.u16le('pduSource');
  return h;
}

function readShareDataHeader(r: ByteReader): ShareDataHeader {
  r.ensure(SHARE_DATA_HEADER_SIZE - SHARE_CONTROL_HEADER_SIZE, 'Share Data Header');
  const shareId = r.u32le('shareId');
  const pad1 = r.u8('pad1');
  const streamId = r.u8('streamId');
  const uncompressedLength = r.u16le('uncompressedLength');
  const pduType2 = r.u8('pduType2');
  const compressedType = r.u8('compressedType');
  const compressedLength = r.u16le('compressedLength');
  return {
    shareId, pad1, streamId, streamName: valueName(streamId, STREAM_NAMES), uncompressedLength,
    pduType2, pduType2Name: pduType2Name(pduType2), compressedType,
    compressionFlagNames: flagNames(compressedType & 0xf0, COMPRESSION_FLAGS, 2),
    compressed: (compressedType & PACKET_COMPRESSED) !== 0, compressedLength,
  };
}

function decodeFlow(r: ByteReader): FlowPdu {
  r.ensure(FLOW_PDU_SIZE, 'FlowPDU');
  r.skip(2, 'flowMarker');
  const pduTypeFlow = r.u16le('pduTypeFlow');
  const flowIdentifier = r.u8('flowIdentifier');
  const flowNumber = r.u8('flowNumber');
  const pduSource = r.u16le('pduSource');
  return { pduTypeFlow, pduTypeFlowName: valueName(pduTypeFlow, FLOW_PDU_TYPE), flowIdentifier, flowNumber, pduSource };
}

/**
 * Decodes the share PDU at the start of bytes. Bytes after totalLength are left alone (another share
 * PDU may follow; see decodeSharePdus). A FlowPDU decodes to { kind: 'flow' }.
 */
export function decodeSharePdu(bytes: Uint8Array, base = 0): SharePdu {
  const r = rdpReader(bytes, base, SHARE_PDU_NAME);
  r.ensure(2, 'totalLength');
  if ((bytes[0]! | (bytes[1]! << 8)) === FLOW_MARKER) {
    return { kind: 'flow', flow: decodeFlow(r), length: FLOW_PDU_SIZE };
  }
  const control = readShareControlHeader(r);
  const bodyOffset = r.offset;
  const body = bytes.subarray(bodyOffset, control.totalLength);
  const pdu: SharePdu = { kind: 'control', control, body, bodyOffset, length: control.totalLength };
  if (control.type === PDUTYPE.DATAPDU) {
    const d = rdpReader(body, base + bodyOffset, 'Share Data PDU');
    if (control.totalLength < SHARE_DATA_HEADER_SIZE) {
      throw d.error('INVALID_FIELD', 'totalLength', `a Data PDU is at least ${SHARE_DATA_HEADER_SIZE} bytes, totalLength is ${control.totalLength}`, base);
    }
    const header = readShareDataHeader(d);
    pdu.data = { header, body: d.peekRest(), bodyOffset: bodyOffset + d.offset };
  }
  return pdu;
}

/** Share PDUs decoded from one MCS Send Data at most (a format guard, listed in src/limits.ts). */
export const MAX_SHARE_PDUS = 256;

/** Every share PDU in one MCS Send Data user data, in order. */
export function decodeSharePdus(bytes: Uint8Array, base = 0, limit = MAX_SHARE_PDUS): SharePdu[] {
  const out: SharePdu[] = [];
  let at = 0;
  while (at < bytes.length) {
    if (out.length >= limit) {
      throw rdpReader(bytes, base, SHARE_PDU_NAME).error('LIMIT_EXCEEDED', 'totalLength', `more than ${limit} share PDUs in one buffer`, base + at);
    }
    const pdu = decodeSharePdu(bytes.subarray(at), base + at);
    out.push(pdu);
    at += pdu.length;
  }
  return out;
}

export interface ShareControlSpec {
  type: number;
  pduSource: number;
  version?: number;
}

export function writeShareControlHeader(w: ByteWriter, totalLength: number, h: ShareControlSpec): void {
  w.u16le(totalLength).u16le((h.type & 0x0f) | ((h.version ?? TS_PROTOCOL_VERSION) << 4)).u16le(h.pduSource);
}

/** A share control PDU: header + body. */
export function encodeShareControlPdu(h: ShareControlSpec, body: Uint8Array): Uint8Array {
  const total = SHARE_CONTROL_HEADER_SIZE + body.length;
  if (total > 0xffff) throw new RangeError(`share PDU of ${total} bytes does not fit totalLength`);
  const w = new ByteWriter(total);
  writeShareControlHeader(w, total, h);
  w.bytes(body);
  return w.finish();
}

export interface ShareDataSpec {
  shareId: number;
  pduSource: number;
  pduType2: number;
  payload: Uint8Array;
  /** STREAM_LOW by default */
  streamId?: number;
  /** payload.length + 4 by default (totalLength - 14, what mstsc sends: 4.1.14) */
  uncompressedLength?: number;
  compressedType?: number;
  compressedLength?: number;
}

/** A Data PDU: Share Control Header (PDUTYPE_DATAPDU) + Share Data Header + payload. */
export function encodeShareDataPdu(s: ShareDataSpec): Uint8Array {
  const total = SHARE_DATA_HEADER_SIZE + s.payload.length;
  if (total > 0xffff) throw new RangeError(`Data PDU of ${total} bytes does not fit totalLength`);
  const w = new ByteWriter(total);
  writeShareControlHeader(w, total, { type: PDUTYPE.DATAPDU, pduSource: s.pduSource });
  w.u32le(s.shareId).u8(0).u8(s.streamId ?? STREAM.LOW).u16le(s.uncompressedLength ?? s.payload.length + 4);
  w.u8(s.pduType2).u8(s.compressedType ?? 0).u16le(s.compressedLength ?? 0);
  w.bytes(s.payload);
  return w.finish();
}
