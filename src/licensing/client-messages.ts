// The client's licensing messages of the New License flow ([MS-RDPELE] 1.3.3.1), each a licensing
// PDU (preamble + message, no security header):
//   Client New License Request, CLIENT_NEW_LICENSE_REQUEST (2.2.2.2), bMsgType NEW_LICENSE_REQUEST:
//     PreferredKeyExchangeAlg u32 (KEY_EXCHANGE_ALG_RSA) | PlatformId u32 | ClientRandom (32) |
//     EncryptedPreMasterSecret (BB_RANDOM_BLOB: the modulus length + 8 bytes, 5.1.1.1) |
//     ClientUserName (BB_CLIENT_USER_NAME_BLOB) | ClientMachineName (BB_CLIENT_MACHINE_NAME_BLOB),
//     both names NUL-terminated ANSI.
//   Client Platform Challenge Response, CLIENT_PLATFORM_CHALLENGE_RESPONSE (2.2.2.5), bMsgType
//   PLATFORM_CHALLENGE_RESPONSE: EncryptedPlatformChallengeResponse (BB_ENCRYPTED_DATA_BLOB) |
//     EncryptedHWID (BB_ENCRYPTED_DATA_BLOB) | MACData (16) over the plaintext response data
//     followed by the plaintext hardware ID. Each blob is RC4-encrypted on its own, from the start of
//     the licensing key's keystream (as FreeRDP does; 5.1.3).
//   PLATFORM_CHALLENGE_RESPONSE_DATA (2.2.2.5.1): wVersion u16 (0x0100) | wClientType u16 |
//     wLicenseDetailLevel u16 | cbChallenge u16 | pbChallenge (the decrypted server challenge)
//   CLIENT_HARDWARE_ID (2.2.2.3.1): PlatformId u32 | Data1..Data4 (4 x u32)
// PlatformId (2.2.2.2): the OS in the top byte, the ISV of the client image in the next one.
import { KEY_EXCHANGE_ALG_RSA } from '../gcc/certificate.js';
import { expectEnd, latin1z, rdpReader } from '../rdp/common.js';
import { latin1Bytes } from '../wire/text.js';
import type { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { BB, EXTENDED_ERROR_MSG_SUPPORTED, LICENSE_MSG, PREAMBLE_VERSION_3_0 } from './codes.js';
import { licensingMac, licensingRc4, LICENSING_RANDOM_SIZE, type LicensingKeys } from './keys.js';
import { MAC_DATA_SIZE } from './platform-challenge.js';
import {
  blobSize, LICENSE_PREAMBLE_SIZE, readBlob, readPreamble, writeBlob, writePreamble, type LicenseBlob, type LicensePreamble,
} from './preamble.js';

/** PlatformId parts (2.2.2.2). */
export const CLIENT_OS_ID_WINNT_POST_52 = 0x04000000;
export const CLIENT_IMAGE_ID_MICROSOFT = 0x00010000;
/** What a current Windows client sends: CLIENT_OS_ID_WINNT_POST_52 | CLIENT_IMAGE_ID_MICROSOFT. */
export const WINDOWS_PLATFORM_ID = CLIENT_OS_ID_WINNT_POST_52 | CLIENT_IMAGE_ID_MICROSOFT;
/** PLATFORM_CHALLENGE_RESPONSE_DATA wVersion (2.2.2.5.1). */
export const PLATFORM_CHALLENGE_RESPONSE_VERSION = 0x0100;
/** wClientType (2.2.2.5.1). */
export const PLATFORM_CHALLENGE_TYPE = { WIN32: 0x0100, WIN16: 0x0200, WINCE: 0x0300, OTHER: 0xff00 } as const;
/** wLicenseDetailLevel (2.2.2.5.1): RDP 5.0 and later clients SHOULD send LICENSE_DETAIL_DETAIL. */
export const LICENSE_DETAIL = { SIMPLE: 0x0001, MODERATE: 0x0002, DETAIL: 0x0003 } as const;
/** CLIENT_HARDWARE_ID (2.2.2.3.1): PlatformId and 16 bytes of Data1..Data4. */
export const CLIENT_HARDWARE_ID_SIZE = 20;
export const HARDWARE_DATA_SIZE = 16;
/** Preamble flags of the client's messages: version 3.0 and extended error messages, as Windows sends. */
export const CLIENT_PREAMBLE_FLAGS = PREAMBLE_VERSION_3_0 | EXTENDED_ERROR_MSG_SUPPORTED;

export const NEW_LICENSE_REQUEST_PDU = 'Client New License Request';
export const PLATFORM_CHALLENGE_RESPONSE_PDU = 'Client Platform Challenge Response';

function checkedSize(size: number, what: string): number {
  if (size > 0xffff) throw new RangeError(`${what} of ${size} bytes does not fit wMsgSize`);
  return size;
}

export interface NewLicenseRequestSpec {
  /** WINDOWS_PLATFORM_ID by default */
  platformId?: number;
  clientRandom: Uint8Array;
  /** encryptPremasterSecret()'s output: the modulus length + 8 zero bytes */
  encryptedPremasterSecret: Uint8Array;
  /** ANSI (Latin-1) text; the NUL is added */
  userName: string;
  machineName: string;
  /** CLIENT_PREAMBLE_FLAGS by default */
  flags?: number;
}

/** A licensing PDU (preamble + CLIENT_NEW_LICENSE_REQUEST). RangeError for a random that is not 32 bytes. */
export function encodeNewLicenseRequest(s: NewLicenseRequestSpec): Uint8Array {
  if (s.clientRandom.length !== LICENSING_RANDOM_SIZE) throw new RangeError(`ClientRandom must be ${LICENSING_RANDOM_SIZE} bytes`);
  const user = latin1Bytes(`${s.userName}\0`);
  const machine = latin1Bytes(`${s.machineName}\0`);
  const size = checkedSize(LICENSE_PREAMBLE_SIZE + 8 + LICENSING_RANDOM_SIZE + blobSize(s.encryptedPremasterSecret)
    + blobSize(user) + blobSize(machine), NEW_LICENSE_REQUEST_PDU);
  const w = new ByteWriter(size);
  writePreamble(w, LICENSE_MSG.NEW_LICENSE_REQUEST, s.flags ?? CLIENT_PREAMBLE_FLAGS, size);
  w.u32le(KEY_EXCHANGE_ALG_RSA).u32le((s.platformId ?? WINDOWS_PLATFORM_ID) >>> 0).bytes(s.clientRandom);
  writeBlob(w, BB.RANDOM_BLOB, s.encryptedPremasterSecret);
  writeBlob(w, BB.CLIENT_USER_NAME_BLOB, user);
  writeBlob(w, BB.CLIENT_MACHINE_NAME_BLOB, machine);
  return w.finish();
}

export interface ClientNewLicenseRequest {
  preamble: LicensePreamble;
  preferredKeyExchangeAlg: number;
  platformId: number;
  clientRandom: Uint8Array;
  encryptedPremasterSecret: LicenseBlob;
  clientUserName: LicenseBlob;
  clientMachineName: LicenseBlob;
  /** the names up to their NUL, as Latin-1 */
  userName: string;
  machineName: string;
}

function preambleOf(r: ByteReader, bMsgType: number, name: string): LicensePreamble {
  const at = r.absolute;
  const preamble = readPreamble(r);
  if (preamble.bMsgType !== bMsgType) {
    throw r.error('UNEXPECTED_TYPE', 'bMsgType', `${preamble.msgType.name} (0x${preamble.bMsgType.toString(16)}), not ${name}`, at);
  }
  return preamble;
}

/** Decodes a licensing PDU holding a CLIENT_NEW_LICENSE_REQUEST (untrusted: DecodeError, layer rdp). */
export function decodeNewLicenseRequest(bytes: Uint8Array, base = 0): ClientNewLicenseRequest {
  const r = rdpReader(bytes, base, NEW_LICENSE_REQUEST_PDU);
  const preamble = preambleOf(r, LICENSE_MSG.NEW_LICENSE_REQUEST, 'NEW_LICENSE_REQUEST');
  const preferredKeyExchangeAlg = r.u32le('PreferredKeyExchangeAlg');
  const platformId = r.u32le('PlatformId');
  const clientRandom = r.bytes(LICENSING_RANDOM_SIZE, 'ClientRandom').slice();
  const encryptedPremasterSecret = readBlob(r, 'EncryptedPreMasterSecret');
  const clientUserName = readBlob(r, 'ClientUserName');
  const clientMachineName = readBlob(r, 'ClientMachineName');
  expectEnd(r, 'ClientMachineName');
  return {
    preamble, preferredKeyExchangeAlg, platformId, clientRandom, encryptedPremasterSecret, clientUserName, clientMachineName,
    userName: latin1z(clientUserName.data), machineName: latin1z(clientMachineName.data),
  };
}

/** CLIENT_HARDWARE_ID (2.2.2.3.1): PlatformId, then Data1..Data4 as 16 bytes. */
export function encodeClientHardwareId(platformId: number, data: Uint8Array): Uint8Array {
  if (data.length !== HARDWARE_DATA_SIZE) throw new RangeError(`hardware ID data must be ${HARDWARE_DATA_SIZE} bytes`);
  return new ByteWriter(CLIENT_HARDWARE_ID_SIZE).u32le(platformId >>> 0).bytes(data).finish();
}

export interface PlatformChallengeResponseData {
  wVersion: number;
  wClientType: number;
  wLicenseDetailLevel: number;
  challenge: Uint8Array;
}

/** PLATFORM_CHALLENGE_RESPONSE_DATA: WIN32 client type and LICENSE_DETAIL_DETAIL unless told. */
export function encodePlatformChallengeResponseData(s: { challenge: Uint8Array; clientType?: number; licenseDetailLevel?: number }): Uint8Array {
  if (s.challenge.length > 0xffff) throw new RangeError(`challenge of ${s.challenge.length} bytes does not fit cbChallenge`);
  return new ByteWriter(8 + s.challenge.length)
    .u16le(PLATFORM_CHALLENGE_RESPONSE_VERSION)
    .u16le(s.clientType ?? PLATFORM_CHALLENGE_TYPE.WIN32)
    .u16le(s.licenseDetailLevel ?? LICENSE_DETAIL.DETAIL)
    .u16le(s.challenge.length)
    .bytes(s.challenge)
    .finish();
}

/** Decodes decrypted PLATFORM_CHALLENGE_RESPONSE_DATA (untrusted: DecodeError, layer rdp). */
export function decodePlatformChallengeResponseData(bytes: Uint8Array, base = 0): PlatformChallengeResponseData {
  const r = rdpReader(bytes, base, 'PLATFORM_CHALLENGE_RESPONSE_DATA');
  const wVersion = r.u16le('wVersion');
  const wClientType = r.u16le('wClientType');
  const wLicenseDetailLevel = r.u16le('wLicenseDetailLevel');
  const cb = r.u16le('cbChallenge');
  const challenge = r.bytes(cb, 'pbChallenge').slice();
  expectEnd(r, 'pbChallenge');
  return { wVersion, wClientType, wLicenseDetailLevel, challenge };
}

export interface PlatformChallengeResponseSpec {
  encryptedResponse: Uint8Array;
  encryptedHardwareId: Uint8Array;
  mac: Uint8Array;
  flags?: number;
}

/** A licensing PDU (preamble + CLIENT_PLATFORM_CHALLENGE_RESPONSE) from its already encrypted parts. */
export function encodePlatformChallengeResponse(s: PlatformChallengeResponseSpec): Uint8Array {
  if (s.mac.length !== MAC_DATA_SIZE) throw new RangeError(`MACData must be ${MAC_DATA_SIZE} bytes`);
  const size = checkedSize(LICENSE_PREAMBLE_SIZE + blobSize(s.encryptedResponse) + blobSize(s.encryptedHardwareId) + MAC_DATA_SIZE,
    PLATFORM_CHALLENGE_RESPONSE_PDU);
  const w = new ByteWriter(size);
  writePreamble(w, LICENSE_MSG.PLATFORM_CHALLENGE_RESPONSE, s.flags ?? CLIENT_PREAMBLE_FLAGS, size);
  writeBlob(w, BB.ENCRYPTED_DATA_BLOB, s.encryptedResponse);
  writeBlob(w, BB.ENCRYPTED_DATA_BLOB, s.encryptedHardwareId);
  return w.bytes(s.mac).finish();
}

/**
 * 2.2.2.5 with the licensing keys: the response data and the hardware ID each RC4-encrypted from the
 * start of the keystream, the MAC over both plaintexts one after the other.
 */
export function sealPlatformChallengeResponse(s: {
  keys: LicensingKeys;
  responseData: Uint8Array;
  hardwareId: Uint8Array;
  flags?: number;
}): Uint8Array {
  const both = new Uint8Array(s.responseData.length + s.hardwareId.length);
  both.set(s.responseData);
  both.set(s.hardwareId, s.responseData.length);
  const mac = licensingMac(s.keys.macSaltKey, both);
  return encodePlatformChallengeResponse({
    encryptedResponse: licensingRc4(s.keys.licensingEncryptionKey, s.responseData),
    encryptedHardwareId: licensingRc4(s.keys.licensingEncryptionKey, s.hardwareId),
    mac,
    ...(s.flags === undefined ? {} : { flags: s.flags }),
  });
}

export interface ClientPlatformChallengeResponse {
  preamble: LicensePreamble;
  encryptedPlatformChallengeResponse: LicenseBlob;
  encryptedHwid: LicenseBlob;
  macData: Uint8Array;
}

/** Decodes a licensing PDU holding a CLIENT_PLATFORM_CHALLENGE_RESPONSE (untrusted: DecodeError, layer rdp). */
export function decodePlatformChallengeResponse(bytes: Uint8Array, base = 0): ClientPlatformChallengeResponse {
  const r = rdpReader(bytes, base, PLATFORM_CHALLENGE_RESPONSE_PDU);
  const preamble = preambleOf(r, LICENSE_MSG.PLATFORM_CHALLENGE_RESPONSE, 'PLATFORM_CHALLENGE_RESPONSE');
  const encryptedPlatformChallengeResponse = readBlob(r, 'EncryptedPlatformChallengeResponse');
  const encryptedHwid = readBlob(r, 'EncryptedHWID');
  const macData = r.bytes(MAC_DATA_SIZE, 'MACData').slice();
  expectEnd(r, 'MACData');
  return { preamble, encryptedPlatformChallengeResponse, encryptedHwid, macData };
}
