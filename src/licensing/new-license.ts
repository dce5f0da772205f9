// Server New License and Server Upgrade License ([MS-RDPELE] 2.2.2.7, 2.2.2.6), bMsgType NEW_LICENSE
// or UPGRADE_LICENSE (same layout):
//   EncryptedLicenseInfo (LICENSE_BINARY_BLOB, BB_ENCRYPTED_DATA_BLOB) | MACData (16)
// The licence is RC4-encrypted with the licensing keys; only lengths are reported.
import type { ByteReader } from '../wire/reader.js';
import { expectEnd } from '../rdp/common.js';
import { readBlob } from './preamble.js';
import { MAC_DATA_SIZE } from './platform-challenge.js';

export interface ServerNewLicense {
  encryptedLicenseInfoType: number;
  encryptedLicenseInfoLength: number;
  macDataLength: number;
}

export function readServerNewLicense(r: ByteReader): ServerNewLicense {
  const blob = readBlob(r, 'EncryptedLicenseInfo');
  r.skip(MAC_DATA_SIZE, 'MACData');
  expectEnd(r, 'MACData');
  return { encryptedLicenseInfoType: blob.wBlobType, encryptedLicenseInfoLength: blob.wBlobLen, macDataLength: MAC_DATA_SIZE };
}
