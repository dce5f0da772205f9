// Server Platform Challenge, SERVER_PLATFORM_CHALLENGE ([MS-RDPELE] 2.2.2.4), bMsgType PLATFORM_CHALLENGE:
//   ConnectFlags u32 (ignored) | EncryptedPlatformChallenge (LICENSE_BINARY_BLOB) | MACData (16)
// The challenge is RC4-encrypted with the licensing keys; only its length is reported.
import type { ByteReader } from '../wire/reader.js';
import { expectEnd } from '../rdp/common.js';
import { readBlob } from './preamble.js';

export const MAC_DATA_SIZE = 16;

export interface ServerPlatformChallenge {
  connectFlags: number;
  encryptedPlatformChallengeType: number;
  encryptedPlatformChallengeLength: number;
  macDataLength: number;
}

export function readServerPlatformChallenge(r: ByteReader): ServerPlatformChallenge {
  const connectFlags = r.u32le('ConnectFlags');
  const blob = readBlob(r, 'EncryptedPlatformChallenge');
  r.skip(MAC_DATA_SIZE, 'MACData');
  expectEnd(r, 'MACData');
  return {
    connectFlags, encryptedPlatformChallengeType: blob.wBlobType, encryptedPlatformChallengeLength: blob.wBlobLen,
    macDataLength: MAC_DATA_SIZE,
  };
}
