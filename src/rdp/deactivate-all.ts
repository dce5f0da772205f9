// Server Deactivate All PDU ([MS-RDPBCGR] 2.2.3.1), TS_DEACTIVATE_ALL_PDU (2.2.3.1.1):
//   Share Control Header (PDUTYPE_DEACTIVATEALLPDU) | shareID u32 | lengthSourceDescriptor u16
//   | sourceDescriptor (lengthSourceDescriptor bytes; SHOULD be one 0x00 byte)
// Sent before a server drops the connection or starts a Deactivation-Reactivation Sequence (1.3.1.3),
// e.g. for a resolution change or an auto-reconnect. Windows XP sends a 4-byte form: totalLength 4,
// pduType, nothing else.
import { checkedLength, expectEnd, latin1z, rdpReader } from './common.js';
import { encodeShareControlPdu, PDUTYPE, readShareControlHeader, type ShareControlHeader } from './share.js';
import { ByteWriter } from '../wire/writer.js';

export const DEACTIVATE_ALL_NAME = 'Server Deactivate All PDU';

export interface DeactivateAll {
  control: ShareControlHeader;
  /** absent in the 4-byte Windows XP form */
  shareId?: number;
  sourceDescriptor?: Uint8Array;
  /** sourceDescriptor as text (up to a NUL) */
  sourceDescriptorText?: string;
}

/** Decodes a Deactivate All share PDU (from the Share Control Header; no security header). */
export function decodeDeactivateAll(bytes: Uint8Array, base = 0): DeactivateAll {
  const r = rdpReader(bytes, base, DEACTIVATE_ALL_NAME);
  const control = readShareControlHeader(r);
  if (control.type !== PDUTYPE.DEACTIVATEALLPDU) {
    throw r.error('UNEXPECTED_TYPE', 'pduType', `${control.typeName} is not PDUTYPE_DEACTIVATEALLPDU (6)`, base + 2);
  }
  if (control.totalLength !== bytes.length) {
    throw r.error('INVALID_FIELD', 'totalLength', `totalLength ${control.totalLength} but ${bytes.length} bytes`, base);
  }
  if (control.totalLength === 4) return { control };
  const shareId = r.u32le('shareId');
  const lenAt = r.absolute;
  const length = r.u16le('lengthSourceDescriptor');
  checkedLength(r, length, lenAt, 'lengthSourceDescriptor', 'lengthSourceDescriptor');
  const sourceDescriptor = r.bytes(length, 'sourceDescriptor').slice();
  expectEnd(r, 'sourceDescriptor');
  return { control, shareId, sourceDescriptor, sourceDescriptorText: latin1z(sourceDescriptor) };
}

export interface DeactivateAllSpec {
  shareId: number;
  /** the server channel ID (1002) */
  pduSource: number;
  /** one 0x00 byte by default */
  sourceDescriptor?: Uint8Array;
}

export function encodeDeactivateAll(s: DeactivateAllSpec): Uint8Array {
  const src = s.sourceDescriptor ?? Uint8Array.of(0);
  const body = new ByteWriter(6 + src.length).u32le(s.shareId).u16le(src.length).bytes(src).finish();
  return encodeShareControlPdu({ type: PDUTYPE.DEACTIVATEALLPDU, pduSource: s.pduSource }, body);
}
