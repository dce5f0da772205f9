// Licensing Error Message, LICENSE_ERROR_MESSAGE ([MS-RDPBCGR] 2.2.1.12.1.3; [MS-RDPELE] 2.2.2.8),
// after a preamble with bMsgType ERROR_ALERT (0xFF):
//   dwErrorCode u32 | dwStateTransition u32 | bbErrorInfo (LICENSE_BINARY_BLOB, BB_ERROR_BLOB)
// The server's "License Error PDU - Valid Client" (2.2.1.12, 2.2.1.12.1) is this message with
// STATUS_VALID_CLIENT, ST_NO_TRANSITION and an empty BB_ERROR_BLOB: no licence needed, licensing over.
import { describeCode, type CodeDescription } from '../codes/table.js';
import type { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { expectEnd } from '../rdp/common.js';
import { BB, LICENSE_ERROR, LICENSE_ERROR_CODES, LICENSE_MSG, PREAMBLE_VERSION_3_0, ST, STATE_TRANSITIONS } from './codes.js';
import { blobSize, LICENSE_PREAMBLE_SIZE, readBlob, writeBlob, writePreamble, type LicenseBlob } from './preamble.js';

export interface LicenseErrorMessage {
  dwErrorCode: number;
  errorCode: CodeDescription;
  dwStateTransition: number;
  stateTransition: CodeDescription;
  bbErrorInfo: LicenseBlob;
}

export function readLicenseErrorMessage(r: ByteReader): LicenseErrorMessage {
  r.ensure(8, 'LICENSE_ERROR_MESSAGE');
  const dwErrorCode = r.u32le('dwErrorCode');
  const dwStateTransition = r.u32le('dwStateTransition');
  const bbErrorInfo = readBlob(r, 'bbErrorInfo');
  expectEnd(r, 'bbErrorInfo');
  return {
    dwErrorCode, errorCode: describeCode(LICENSE_ERROR_CODES, dwErrorCode),
    dwStateTransition, stateTransition: describeCode(STATE_TRANSITIONS, dwStateTransition), bbErrorInfo,
  };
}

export interface LicenseErrorSpec {
  errorCode: number;
  stateTransition: number;
  /** bbErrorInfo data; empty by default */
  errorInfo?: Uint8Array;
  /** preamble flags; PREAMBLE_VERSION_3_0 by default */
  flags?: number;
}

/** A licensing PDU (preamble + LICENSE_ERROR_MESSAGE), without the security header. */
export function encodeLicenseError(s: LicenseErrorSpec): Uint8Array {
  const info = s.errorInfo ?? new Uint8Array(0);
  const size = LICENSE_PREAMBLE_SIZE + 8 + blobSize(info);
  const w = new ByteWriter(size);
  writePreamble(w, LICENSE_MSG.ERROR_ALERT, s.flags ?? PREAMBLE_VERSION_3_0, size);
  w.u32le(s.errorCode >>> 0).u32le(s.stateTransition >>> 0);
  writeBlob(w, BB.ERROR_BLOB, info);
  return w.finish();
}

/**
 * The License Error PDU - Valid Client data ([MS-RDPBCGR] 2.2.1.12.1): exactly the 16 decrypted
 * licensing bytes of the 4.1.11 example, ff 03 10 00 07 00 00 00 02 00 00 00 04 00 00 00.
 */
export function encodeValidClientLicense(flags: number = PREAMBLE_VERSION_3_0): Uint8Array {
  return encodeLicenseError({ errorCode: LICENSE_ERROR.STATUS_VALID_CLIENT, stateTransition: ST.NO_TRANSITION, flags });
}
