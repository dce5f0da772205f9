// Client Security Exchange PDU data, TS_SECURITY_PACKET ([MS-RDPBCGR] 2.2.1.10.1), the MCS Send Data
// Request user data the client sends after the channel joins when Standard RDP Security encrypts:
//   basicSecurityHeader (flags with SEC_EXCHANGE_PKT) | length u32 | encryptedClientRandom (length bytes)
// encryptedClientRandom is the client random RSA-encrypted with the server's public key, little-endian
// and modulus-sized, followed by 8 zero bytes of padding (5.3.4.1). It is never RC4-encrypted, and it
// does not exist under Enhanced RDP Security.
import { ByteWriter } from '../wire/writer.js';
import { checkedLength, expectEnd, rdpReader } from './common.js';
import { SEC, securityFlagNames, writeSecurityHeader } from './security-header.js';

export const SECURITY_EXCHANGE_NAME = 'Client Security Exchange PDU';
/** zero padding after the encrypted client random (5.3.4.1) */
export const SECURITY_EXCHANGE_PADDING = 8;
/** bigger than any RSA modulus RDP uses (4096 bits) plus padding: a sanity bound on the length field */
export const MAX_ENCRYPTED_RANDOM = 512 + SECURITY_EXCHANGE_PADDING;

export interface SecurityExchange {
  flags: number;
  flagNames: string[];
  flagsHi: number;
  length: number;
  /** the whole field as sent: the RSA-encrypted random followed by the padding */
  encryptedClientRandom: Uint8Array;
  /** encryptedClientRandom without its trailing zero padding (at most 8 bytes): what the server decrypts */
  encryptedRandom: Uint8Array;
  /** zero bytes removed from the end (8 when the client padded as the spec says) */
  paddingLength: number;
}

export function decodeSecurityExchange(bytes: Uint8Array, base = 0): SecurityExchange {
  const r = rdpReader(bytes, base, SECURITY_EXCHANGE_NAME);
  r.ensure(8, 'header');
  const flagsAt = r.absolute;
  const flags = r.u16le('flags');
  if (!(flags & SEC.EXCHANGE_PKT)) {
    throw r.error('UNEXPECTED_TYPE', 'flags', `security flags 0x${flags.toString(16)} lack SEC_EXCHANGE_PKT (0x0001)`, flagsAt);
  }
  const flagsHi = r.u16le('flagsHi');
  const lengthAt = r.absolute;
  const length = r.u32le('length');
  if (length > MAX_ENCRYPTED_RANDOM) {
    throw r.error('LIMIT_EXCEEDED', 'length', `${length} bytes is more than any RSA modulus plus padding (${MAX_ENCRYPTED_RANDOM})`, lengthAt);
  }
  if (length === 0) throw r.error('INVALID_FIELD', 'length', 'no encrypted client random', lengthAt);
  checkedLength(r, length, lengthAt, 'length', 'length');
  const encryptedClientRandom = r.bytes(length, 'encryptedClientRandom').slice();
  expectEnd(r, 'encryptedClientRandom');
  let paddingLength = 0;
  while (paddingLength < SECURITY_EXCHANGE_PADDING && paddingLength < length
    && encryptedClientRandom[length - 1 - paddingLength] === 0) paddingLength++;
  return {
    flags, flagNames: securityFlagNames(flags), flagsHi, length, encryptedClientRandom,
    encryptedRandom: encryptedClientRandom.slice(0, length - paddingLength), paddingLength,
  };
}

export interface SecurityExchangeSpec {
  /** the RSA-encrypted client random, little-endian, modulus-sized (without padding) */
  encryptedRandom: Uint8Array;
  /** defaults to SEC_EXCHANGE_PKT | SEC_LICENSE_ENCRYPT_SC (the client accepts encrypted licensing PDUs), as mstsc sends */
  flags?: number;
  flagsHi?: number;
}

export function encodeSecurityExchange(s: SecurityExchangeSpec): Uint8Array {
  const length = s.encryptedRandom.length + SECURITY_EXCHANGE_PADDING;
  const w = new ByteWriter(8 + length);
  writeSecurityHeader(w, { flags: s.flags ?? (SEC.EXCHANGE_PKT | SEC.LICENSE_ENCRYPT), flagsHi: s.flagsHi ?? 0 });
  w.u32le(length).bytes(s.encryptedRandom).bytes(new Uint8Array(SECURITY_EXCHANGE_PADDING));
  return w.finish();
}
