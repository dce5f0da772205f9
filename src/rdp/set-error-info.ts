// Server Set Error Info PDU ([MS-RDPBCGR] 2.2.5.1): TS_SET_ERROR_INFO_PDU (2.2.5.1.1) =
//   Share Data Header (PDUTYPE_DATAPDU, pduType2 PDUTYPE2_SET_ERROR_INFO_PDU 47, pduSource 0) | errorInfo u32
// The server sends it, to clients that set RNS_UD_CS_SUPPORT_ERRINFO_PDU, right before it disconnects
// (3.3.5.7.1); errorInfo then says why. It may arrive at any point after the channel joins, which is
// why a tracker looks for it in every share PDU. errorInfo 0 (ERRINFO_NONE) is sent too and means nothing.
import { describeCode, type CodeDescription } from '../codes/table.js';
import { ERRINFO } from '../codes/errinfo.js';
import { ByteWriter } from '../wire/writer.js';
import { expectEnd, rdpReader } from './common.js';
import { decodeSharePdu, encodeShareDataPdu, PDUTYPE, PDUTYPE2, STREAM, type ShareDataHeader, type ShareControlHeader } from './share.js';

export const SET_ERROR_INFO_NAME = 'Server Set Error Info PDU';

export interface SetErrorInfo {
  control: ShareControlHeader;
  header: ShareDataHeader;
  errorInfo: number;
  /** name and meaning from the ERRINFO table (src/codes/errinfo.ts) */
  error: CodeDescription;
}

export function describeErrorInfo(errorInfo: number): CodeDescription {
  return describeCode(ERRINFO, errorInfo);
}

/** Decodes the errorInfo payload (after the Share Data Header). */
export function decodeSetErrorInfoBody(body: Uint8Array, base = 0): number {
  const r = rdpReader(body, base, SET_ERROR_INFO_NAME);
  const errorInfo = r.u32le('errorInfo');
  expectEnd(r, 'errorInfo');
  return errorInfo;
}

/** Decodes a whole Set Error Info share PDU (from the Share Control Header; no security header). */
export function decodeSetErrorInfo(bytes: Uint8Array, base = 0): SetErrorInfo {
  const pdu = decodeSharePdu(bytes, base);
  const r = rdpReader(bytes, base, SET_ERROR_INFO_NAME);
  if (pdu.kind !== 'control' || pdu.control.type !== PDUTYPE.DATAPDU || !pdu.data) {
    throw r.error('UNEXPECTED_TYPE', 'pduType', 'not a Data PDU', base + 2);
  }
  if (pdu.data.header.pduType2 !== PDUTYPE2.SET_ERROR_INFO_PDU) {
    throw r.error('UNEXPECTED_TYPE', 'pduType2', `pduType2 ${pdu.data.header.pduType2} is not PDUTYPE2_SET_ERROR_INFO_PDU (47)`, base + 14);
  }
  if (pdu.length !== bytes.length) {
    throw r.error('INVALID_FIELD', 'totalLength', `totalLength ${pdu.length} but ${bytes.length} bytes`, base);
  }
  const errorInfo = decodeSetErrorInfoBody(pdu.data.body, base + pdu.data.bodyOffset);
  return { control: pdu.control, header: pdu.data.header, errorInfo, error: describeErrorInfo(errorInfo) };
}

export interface SetErrorInfoSpec {
  errorInfo: number;
  shareId: number;
  /** the spec says 0 (2.2.5.1.1) */
  pduSource?: number;
  streamId?: number;
}

export function encodeSetErrorInfo(s: SetErrorInfoSpec): Uint8Array {
  const payload = new ByteWriter(4).u32le(s.errorInfo >>> 0).finish();
  return encodeShareDataPdu({
    shareId: s.shareId, pduSource: s.pduSource ?? 0, pduType2: PDUTYPE2.SET_ERROR_INFO_PDU, payload,
    streamId: s.streamId ?? STREAM.LOW,
  });
}
