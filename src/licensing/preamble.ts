// Licensing Preamble, LICENSE_PREAMBLE ([MS-RDPBCGR] 2.2.1.12.1.1): bMsgType u8 | flags u8 | wMsgSize u16
// wMsgSize counts the whole licensing message, preamble included. flags: the licensing protocol
// version in the low nibble (PREAMBLE_VERSION_2_0 for RDP 4.0, PREAMBLE_VERSION_3_0 since RDP 5.0)
// and EXTENDED_ERROR_MSG_SUPPORTED (0x80).
//
// LICENSE_BINARY_BLOB ([MS-RDPBCGR] 2.2.1.12.1.2): wBlobType u16 | wBlobLen u16 | blobData (wBlobLen)
import { describeCode, type CodeDescription } from '../codes/table.js';
import type { ByteReader } from '../wire/reader.js';
import type { ByteWriter } from '../wire/writer.js';
import { checkedLength, valueName } from '../rdp/common.js';
import {
  BLOB_TYPE_NAMES, EXTENDED_ERROR_MSG_SUPPORTED, LICENSE_MSG_TYPES, PREAMBLE_VERSION_MASK, PREAMBLE_VERSIONS,
} from './codes.js';

export const LICENSE_PREAMBLE_SIZE = 4;

export interface LicensePreamble {
  bMsgType: number;
  msgType: CodeDescription;
  flags: number;
  /** flags & 0x0F */
  version: number;
  versionName: string;
  extendedErrorMsgSupported: boolean;
  wMsgSize: number;
}

/** Reads the preamble; wMsgSize must cover exactly the bytes from the preamble to the end of r. */
export function readPreamble(r: ByteReader): LicensePreamble {
  const available = r.remaining;
  r.ensure(LICENSE_PREAMBLE_SIZE, 'LICENSE_PREAMBLE');
  const bMsgType = r.u8('bMsgType');
  const flags = r.u8('flags');
  const sizeAt = r.absolute;
  const wMsgSize = r.u16le('wMsgSize');
  if (wMsgSize < LICENSE_PREAMBLE_SIZE) {
    throw r.error('INVALID_FIELD', 'wMsgSize', `${wMsgSize} is shorter than the preamble`, sizeAt);
  }
  if (wMsgSize !== available) {
    throw r.error('INVALID_FIELD', 'wMsgSize', `wMsgSize ${wMsgSize} but the licensing message has ${available} bytes`, sizeAt);
  }
  const version = flags & PREAMBLE_VERSION_MASK;
  return {
    bMsgType, msgType: describeCode(LICENSE_MSG_TYPES, bMsgType), flags, version,
    versionName: valueName(version, PREAMBLE_VERSIONS, 1),
    extendedErrorMsgSupported: (flags & EXTENDED_ERROR_MSG_SUPPORTED) !== 0, wMsgSize,
  };
}

export function writePreamble(w: ByteWriter, bMsgType: number, flags: number, wMsgSize: number): void {
  w.u8(bMsgType).u8(flags).u16le(wMsgSize);
}

export interface LicenseBlob {
  wBlobType: number;
  typeName: string;
  wBlobLen: number;
  /** absolute offset of wBlobType */
  offset: number;
  data: Uint8Array;
}

/** Reads a LICENSE_BINARY_BLOB; wBlobLen must fit in what is left of the enclosing message. */
export function readBlob(r: ByteReader, field: string): LicenseBlob {
  const offset = r.absolute;
  r.ensure(4, field);
  const wBlobType = r.u16le(`${field}.wBlobType`);
  const lenAt = r.absolute;
  const wBlobLen = r.u16le(`${field}.wBlobLen`);
  checkedLength(r, wBlobLen, lenAt, `${field}.wBlobLen`, `${field}.wBlobLen`);
  const data = r.bytes(wBlobLen, `${field}.blobData`).slice();
  return { wBlobType, typeName: valueName(wBlobType, BLOB_TYPE_NAMES, 4), wBlobLen, offset, data };
}

export function blobSize(data: Uint8Array): number {
  return 4 + data.length;
}

export function writeBlob(w: ByteWriter, wBlobType: number, data: Uint8Array): void {
  if (data.length > 0xffff) throw new RangeError(`blob of ${data.length} bytes does not fit wBlobLen`);
  w.u16le(wBlobType).u16le(data.length).bytes(data);
}
