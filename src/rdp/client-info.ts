// Client Info PDU ([MS-RDPBCGR] 2.2.1.11): securityHeader (always present, flags with SEC_INFO_PKT) |
// TS_INFO_PACKET (2.2.1.11.1.1):
//   CodePage u32 | flags u32 | cbDomain u16 | cbUserName u16 | cbPassword u16 | cbAlternateShell u16
//   | cbWorkingDir u16 | Domain | UserName | Password | AlternateShell | WorkingDir | extraInfo
// The five strings are NUL-terminated; their cb fields count the character data WITHOUT the terminator
// (2 bytes with INFO_UNICODE, else 1 byte in the ANSI code page CodePage names).
// extraInfo is a TS_EXTENDED_INFO_PACKET (2.2.1.11.1.1.1; every RDP version since 5.0):
//   clientAddressFamily u16 | cbClientAddress u16 | clientAddress | cbClientDir u16 | clientDir
//   | clientTimeZone (172, optional) | clientSessionId u32 (optional) | performanceFlags u32 (optional)
//   | cbAutoReconnectCookie u16 (optional) | autoReconnectCookie (optional) | reserved1 u16 | reserved2 u16
//   | cbDynamicDSTTimeZoneKeyName u16 | dynamicDSTTimeZoneKeyName | dynamicDaylightTimeDisabled u16
// Here cbClientAddress and cbClientDir INCLUDE the terminator. Optional fields are present up to where
// the packet ends; a field cut in the middle is an error.
//
// SECRETS: the Password field is never decoded: decodeInfoPacket returns only passwordLength and
// hasPassword, and copies no byte of it (nor the auto-reconnect cookie, a logon verifier). The encoder
// takes a password (Standard RDP Security autologon, scenario clients): callers must keep the spec object
// and the encoded bytes out of logs, evidence and reports.
import { ByteWriter } from '../wire/writer.js';
import type { ByteReader } from '../wire/reader.js';
import { checkedLength, expectEnd, flagNames, latin1z, rdpReader, utf16le, valueName, type FlagTable } from './common.js';
import { latin1Bytes, utf16leBytes } from '../wire/text.js';
import {
  decodeSecurityHeader, SEC, SECURITY_HEADER_SIZE, writeSecurityHeader, type SecurityHeader, type SecurityHeaderKind,
} from './security-header.js';

export const CLIENT_INFO_NAME = 'Client Info PDU';

/** TS_INFO_PACKET flags ([MS-RDPBCGR] 2.2.1.11.1.1). Bits 9-12 (0x1E00) are the compression type. */
export const INFO = {
  MOUSE: 0x00000001,
  DISABLECTRLALTDEL: 0x00000002,
  AUTOLOGON: 0x00000008,
  UNICODE: 0x00000010,
  MAXIMIZESHELL: 0x00000020,
  LOGONNOTIFY: 0x00000040,
  COMPRESSION: 0x00000080,
  ENABLEWINDOWSKEY: 0x00000100,
  COMPRESSION_TYPE_MASK: 0x00001e00,
  REMOTECONSOLEAUDIO: 0x00002000,
  FORCE_ENCRYPTED_CS_PDU: 0x00004000,
  RAIL: 0x00008000,
  LOGONERRORS: 0x00010000,
  MOUSE_HAS_WHEEL: 0x00020000,
  PASSWORD_IS_SC_PIN: 0x00040000,
  NOAUDIOPLAYBACK: 0x00080000,
  USING_SAVED_CREDS: 0x00100000,
  AUDIOCAPTURE: 0x00200000,
  VIDEO_DISABLE: 0x00400000,
  RESERVED1: 0x00800000,
  RESERVED2: 0x01000000,
  HIDEF_RAIL_SUPPORTED: 0x02000000,
} as const;

const INFO_FLAGS: FlagTable = [
  [INFO.MOUSE, 'INFO_MOUSE'], [INFO.DISABLECTRLALTDEL, 'INFO_DISABLECTRLALTDEL'], [INFO.AUTOLOGON, 'INFO_AUTOLOGON'],
  [INFO.UNICODE, 'INFO_UNICODE'], [INFO.MAXIMIZESHELL, 'INFO_MAXIMIZESHELL'], [INFO.LOGONNOTIFY, 'INFO_LOGONNOTIFY'],
  [INFO.COMPRESSION, 'INFO_COMPRESSION'], [INFO.ENABLEWINDOWSKEY, 'INFO_ENABLEWINDOWSKEY'],
  [INFO.REMOTECONSOLEAUDIO, 'INFO_REMOTECONSOLEAUDIO'], [INFO.FORCE_ENCRYPTED_CS_PDU, 'INFO_FORCE_ENCRYPTED_CS_PDU'],
  [INFO.RAIL, 'INFO_RAIL'], [INFO.LOGONERRORS, 'INFO_LOGONERRORS'], [INFO.MOUSE_HAS_WHEEL, 'INFO_MOUSE_HAS_WHEEL'],
  [INFO.PASSWORD_IS_SC_PIN, 'INFO_PASSWORD_IS_SC_PIN'], [INFO.NOAUDIOPLAYBACK, 'INFO_NOAUDIOPLAYBACK'],
  [INFO.USING_SAVED_CREDS, 'INFO_USING_SAVED_CREDS'], [INFO.AUDIOCAPTURE, 'INFO_AUDIOCAPTURE'],
  [INFO.VIDEO_DISABLE, 'INFO_VIDEO_DISABLE'], [INFO.RESERVED1, 'INFO_RESERVED1'], [INFO.RESERVED2, 'INFO_RESERVED2'],
  [INFO.HIDEF_RAIL_SUPPORTED, 'INFO_HIDEF_RAIL_SUPPORTED'],
];

/** Names of TS_INFO_PACKET flags; the compression type bits are named separately (compressionTypeName). */
export function infoFlagNames(flags: number): string[] {
  return flagNames(flags & ~INFO.COMPRESSION_TYPE_MASK, INFO_FLAGS, 8);
}

/** Compression types in bits 9-12 of the flags ([MS-RDPBCGR] 3.1.8.4.1 / 2.2.1.11.1.1). */
export const PACKET_COMPR_TYPE: Readonly<Record<number, string>> = {
  0: 'PACKET_COMPR_TYPE_8K', 1: 'PACKET_COMPR_TYPE_64K', 2: 'PACKET_COMPR_TYPE_RDP6', 3: 'PACKET_COMPR_TYPE_RDP61',
};

/** clientAddressFamily values. */
export const ADDRESS_FAMILY: Readonly<Record<number, string>> = { 0x0002: 'AF_INET', 0x0017: 'AF_INET6' };

/** performanceFlags ([MS-RDPBCGR] 2.2.1.11.1.1.1). */
export const PERF = {
  DISABLE_WALLPAPER: 0x00000001,
  DISABLE_FULLWINDOWDRAG: 0x00000002,
  DISABLE_MENUANIMATIONS: 0x00000004,
  DISABLE_THEMING: 0x00000008,
  RESERVED1: 0x00000010,
  DISABLE_CURSOR_SHADOW: 0x00000020,
  DISABLE_CURSORSETTINGS: 0x00000040,
  ENABLE_FONT_SMOOTHING: 0x00000080,
  ENABLE_DESKTOP_COMPOSITION: 0x00000100,
  RESERVED2: 0x80000000,
} as const;

const PERF_FLAGS: FlagTable = Object.entries(PERF).map(([k, v]) => [v, `PERF_${k}`] as const);

export function performanceFlagNames(flags: number): string[] {
  return flagNames(flags, PERF_FLAGS, 8);
}

/** TS_TIME_ZONE_INFORMATION is 172 bytes (2.2.1.11.1.1.1.1). */
export const TIME_ZONE_SIZE = 172;
/** longest auto-reconnect cookie a server accepts (ERRINFO_SECURITY_DATA_TOO_SHORT16, 2.2.5.1.1) */
export const MAX_AUTO_RECONNECT_COOKIE = 128;

export interface TimeZoneInfo {
  /** the 172 bytes as sent */
  raw: Uint8Array;
  /** minutes: UTC = local time + bias */
  bias: number;
  standardName: string;
  standardBias: number;
  daylightName: string;
  daylightBias: number;
}

export interface ExtendedInfo {
  clientAddressFamily: number;
  clientAddressFamilyName: string;
  clientAddress: string;
  clientDir: string;
  timezone?: TimeZoneInfo;
  sessionId?: number;
  performanceFlags?: number;
  performanceFlagNames?: string[];
  /** cbAutoReconnectCookie; the cookie (a logon verifier) itself is not returned */
  autoReconnectCookieLength?: number;
  reserved1?: number;
  reserved2?: number;
  dynamicDstTimeZoneKeyName?: string;
  dynamicDaylightTimeDisabled?: boolean;
}

export interface ClientInfo {
  codePage: number;
  flags: number;
  flagNames: string[];
  unicode: boolean;
  /** bits 9-12 of flags, meaningful with INFO_COMPRESSION */
  compressionType: number;
  compressionTypeName: string;
  domain: string;
  userName: string;
  /** cbPassword: bytes of password data (without the terminator); the password itself is never decoded */
  passwordLength: number;
  hasPassword: boolean;
  alternateShell: string;
  workingDir: string;
  /** absent for RDP 4.0 clients */
  extended?: ExtendedInfo;
}

function readString(r: ByteReader, cb: number, cbAt: number, cbField: string, field: string, unicode: boolean, withTerminator: boolean): string {
  const size = withTerminator ? cb + (unicode ? 2 : 1) : cb;
  checkedLength(r, size, cbAt, cbField, `${cbField} (${cb})${withTerminator ? ' plus the terminator' : ''}`);
  const b = r.bytes(size, field);
  return unicode ? utf16le(b) : latin1z(b);
}

function readInt32(r: ByteReader, field: string): number {
  return r.u32le(field) | 0;
}

function decodeTimeZone(r: ByteReader): TimeZoneInfo {
  r.ensure(TIME_ZONE_SIZE, 'clientTimeZone');
  const raw = r.peekRest().slice(0, TIME_ZONE_SIZE);
  const bias = readInt32(r, 'Bias');
  const standardName = utf16le(r.bytes(64, 'StandardName'));
  r.skip(16, 'StandardDate');
  const standardBias = readInt32(r, 'StandardBias');
  const daylightName = utf16le(r.bytes(64, 'DaylightName'));
  r.skip(16, 'DaylightDate');
  const daylightBias = readInt32(r, 'DaylightBias');
  return { raw, bias, standardName, standardBias, daylightName, daylightBias };
}

function decodeExtendedInfo(r: ByteReader, unicode: boolean): ExtendedInfo {
  r.ensure(4, 'clientAddressFamily');
  const clientAddressFamily = r.u16le('clientAddressFamily');
  const cbAddrAt = r.absolute;
  const cbClientAddress = r.u16le('cbClientAddress');
  checkedLength(r, cbClientAddress, cbAddrAt, 'cbClientAddress', 'cbClientAddress');
  const addr = r.bytes(cbClientAddress, 'clientAddress');
  const cbDirAt = r.absolute;
  const cbClientDir = r.u16le('cbClientDir');
  checkedLength(r, cbClientDir, cbDirAt, 'cbClientDir', 'cbClientDir');
  const dir = r.bytes(cbClientDir, 'clientDir');
  const x: ExtendedInfo = {
    clientAddressFamily,
    clientAddressFamilyName: valueName(clientAddressFamily, ADDRESS_FAMILY, 4),
    clientAddress: unicode ? utf16le(addr) : latin1z(addr),
    clientDir: unicode ? utf16le(dir) : latin1z(dir),
  };
  if (r.remaining === 0) return x;
  x.timezone = decodeTimeZone(r);
  if (r.remaining === 0) return x;
  x.sessionId = r.u32le('clientSessionId');
  if (r.remaining === 0) return x;
  x.performanceFlags = r.u32le('performanceFlags');
  x.performanceFlagNames = performanceFlagNames(x.performanceFlags);
  if (r.remaining === 0) return x;
  const cbCookieAt = r.absolute;
  const cbCookie = r.u16le('cbAutoReconnectCookie');
  if (cbCookie > MAX_AUTO_RECONNECT_COOKIE) {
    throw r.error('LIMIT_EXCEEDED', 'cbAutoReconnectCookie', `${cbCookie} bytes; servers accept at most ${MAX_AUTO_RECONNECT_COOKIE}`, cbCookieAt);
  }
  checkedLength(r, cbCookie, cbCookieAt, 'cbAutoReconnectCookie', 'cbAutoReconnectCookie');
  r.skip(cbCookie, 'autoReconnectCookie');
  x.autoReconnectCookieLength = cbCookie;
  if (r.remaining === 0) return x;
  x.reserved1 = r.u16le('reserved1');
  if (r.remaining === 0) return x;
  x.reserved2 = r.u16le('reserved2');
  if (r.remaining === 0) return x;
  const cbKeyAt = r.absolute;
  const cbKey = r.u16le('cbDynamicDSTTimeZoneKeyName');
  checkedLength(r, cbKey, cbKeyAt, 'cbDynamicDSTTimeZoneKeyName', 'cbDynamicDSTTimeZoneKeyName');
  x.dynamicDstTimeZoneKeyName = utf16le(r.bytes(cbKey, 'dynamicDSTTimeZoneKeyName'));
  if (r.remaining === 0) return x;
  x.dynamicDaylightTimeDisabled = r.u16le('dynamicDaylightTimeDisabled') !== 0;
  expectEnd(r, 'the Extended Info Packet');
  return x;
}

/** Decodes a plaintext TS_INFO_PACKET (after the security header; decrypted if it was encrypted). */
export function decodeInfoPacket(bytes: Uint8Array, base = 0): ClientInfo {
  const r = rdpReader(bytes, base, CLIENT_INFO_NAME);
  r.ensure(18, 'TS_INFO_PACKET fixed fields');
  const codePage = r.u32le('CodePage');
  const flags = r.u32le('flags');
  const unicode = (flags & INFO.UNICODE) !== 0;
  const cbAt: number[] = [];
  const cb: number[] = [];
  for (const f of ['cbDomain', 'cbUserName', 'cbPassword', 'cbAlternateShell', 'cbWorkingDir']) {
    cbAt.push(r.absolute);
    cb.push(r.u16le(f));
  }
  const domain = readString(r, cb[0]!, cbAt[0]!, 'cbDomain', 'Domain', unicode, true);
  const userName = readString(r, cb[1]!, cbAt[1]!, 'cbUserName', 'UserName', unicode, true);
  const passwordSize = cb[2]! + (unicode ? 2 : 1);
  checkedLength(r, passwordSize, cbAt[2]!, 'cbPassword', `cbPassword (${cb[2]}) plus the terminator`);
  r.skip(passwordSize, 'Password');
  const alternateShell = readString(r, cb[3]!, cbAt[3]!, 'cbAlternateShell', 'AlternateShell', unicode, true);
  const workingDir = readString(r, cb[4]!, cbAt[4]!, 'cbWorkingDir', 'WorkingDir', unicode, true);
  const compressionType = (flags & INFO.COMPRESSION_TYPE_MASK) >>> 9;
  const info: ClientInfo = {
    codePage, flags, flagNames: infoFlagNames(flags), unicode,
    compressionType, compressionTypeName: valueName(compressionType, PACKET_COMPR_TYPE, 1),
    domain, userName, passwordLength: cb[2]!, hasPassword: cb[2]! > 0, alternateShell, workingDir,
  };
  if (r.remaining > 0) info.extended = decodeExtendedInfo(r, unicode);
  return info;
}

export interface ClientInfoPdu {
  header: SecurityHeader;
  /** SEC_ENCRYPT: the body is RC4/3DES ciphertext (Standard RDP Security); decrypt it and call decodeInfoPacket */
  encrypted: boolean;
  /** the decoded packet when it was sent in the clear */
  info?: ClientInfo;
}

/**
 * Client Info PDU data: the security header (kind per securityHeaderKind: 'basic' under Enhanced RDP
 * Security or ENCRYPTION_LEVEL_NONE) and, unless encrypted, the TS_INFO_PACKET.
 */
export function decodeClientInfoPdu(bytes: Uint8Array, base = 0, kind: SecurityHeaderKind = 'basic'): ClientInfoPdu {
  const header = decodeSecurityHeader(bytes, base, kind);
  if (!(header.flags & SEC.INFO_PKT)) {
    const r = rdpReader(bytes, base, CLIENT_INFO_NAME);
    throw r.error('UNEXPECTED_TYPE', 'flags', `security flags 0x${header.flags.toString(16)} lack SEC_INFO_PKT (0x0040)`, base);
  }
  const encrypted = (header.flags & SEC.ENCRYPT) !== 0;
  if (encrypted) return { header, encrypted };
  return { header, encrypted, info: decodeInfoPacket(bytes.subarray(header.bodyOffset), base + header.bodyOffset) };
}

export interface TimeZoneSpec {
  bias: number;
  standardName?: string;
  /** TS_SYSTEMTIME, 16 bytes; zeros when omitted */
  standardDate?: Uint8Array;
  standardBias?: number;
  daylightName?: string;
  daylightDate?: Uint8Array;
  daylightBias?: number;
}

export interface ExtendedInfoSpec {
  /** AF_INET (2) by default */
  clientAddressFamily?: number;
  clientAddress: string;
  clientDir: string;
  /** 172 raw bytes, or fields. Each later field is written only if every earlier optional one is given. */
  timezone?: Uint8Array | TimeZoneSpec;
  sessionId?: number;
  performanceFlags?: number;
  /** an empty array writes cbAutoReconnectCookie = 0 */
  autoReconnectCookie?: Uint8Array;
  /** writes reserved1, reserved2 (0), the key name and dynamicDaylightTimeDisabled */
  dynamicDst?: { keyName: string; disabled: boolean };
}

export interface ClientInfoSpec {
  codePage?: number;
  /** default: MOUSE | DISABLECTRLALTDEL | UNICODE | LOGONNOTIFY | ENABLEWINDOWSKEY | LOGONERRORS | MOUSE_HAS_WHEEL, plus AUTOLOGON with a password */
  flags?: number;
  domain?: string;
  user: string;
  /** SECRET: for Standard RDP Security autologon only; never log the spec or the encoded bytes */
  password?: string;
  alternateShell?: string;
  workingDir?: string;
  /** omitted: a minimal Extended Info Packet; false: none (an RDP 4.0 packet) */
  extended?: ExtendedInfoSpec | false;
}

export const DEFAULT_INFO_FLAGS = INFO.MOUSE | INFO.DISABLECTRLALTDEL | INFO.UNICODE | INFO.LOGONNOTIFY
  | INFO.ENABLEWINDOWSKEY | INFO.LOGONERRORS | INFO.MOUSE_HAS_WHEEL;

const DEFAULT_EXTENDED: ExtendedInfoSpec = {
  clientAddress: '0.0.0.0', clientDir: 'C:\\Windows\\System32\\mstscax.dll',
  timezone: { bias: 0, standardName: 'UTC', daylightName: 'UTC' }, sessionId: 0, performanceFlags: 0,
  autoReconnectCookie: new Uint8Array(0),
};

function timeZoneBytes(tz: Uint8Array | TimeZoneSpec): Uint8Array {
  if (tz instanceof Uint8Array) {
    if (tz.length !== TIME_ZONE_SIZE) throw new RangeError(`clientTimeZone must be ${TIME_ZONE_SIZE} bytes, got ${tz.length}`);
    return tz;
  }
  const name = (s = '') => {
    const b = new Uint8Array(64);
    b.set(utf16leBytes(s.slice(0, 31)));
    return b;
  };
  const date = (d: Uint8Array = new Uint8Array(16)): Uint8Array => {
    if (d.length !== 16) throw new RangeError(`TS_SYSTEMTIME must be 16 bytes, got ${d.length}`);
    return d;
  };
  const w = new ByteWriter(TIME_ZONE_SIZE);
  w.u32le(tz.bias >>> 0).bytes(name(tz.standardName)).bytes(date(tz.standardDate)).u32le((tz.standardBias ?? 0) >>> 0);
  w.bytes(name(tz.daylightName)).bytes(date(tz.daylightDate)).u32le((tz.daylightBias ?? 0) >>> 0);
  return w.finish();
}

/** Encodes a TS_INFO_PACKET (no security header). SECRET when it carries a password. */
export function encodeInfoPacket(s: ClientInfoSpec): Uint8Array {
  const flags = s.flags ?? (DEFAULT_INFO_FLAGS | (s.password ? INFO.AUTOLOGON : 0));
  const unicode = (flags & INFO.UNICODE) !== 0;
  const str = (v = ''): Uint8Array => (unicode ? utf16leBytes(v) : latin1Bytes(v));
  const term = unicode ? 2 : 1;
  const fields = [str(s.domain), str(s.user), str(s.password), str(s.alternateShell), str(s.workingDir)];
  const parts: Uint8Array[] = [];
  const head = new ByteWriter(18);
  head.u32le(s.codePage ?? 0).u32le(flags);
  for (const f of fields) head.u16le(f.length);
  parts.push(head.finish());
  for (const f of fields) parts.push(f, new Uint8Array(term));
  const x = s.extended === undefined ? DEFAULT_EXTENDED : s.extended;
  if (x) {
    const addr = [str(x.clientAddress), new Uint8Array(term)];
    const dir = [str(x.clientDir), new Uint8Array(term)];
    const u16 = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff);
    const u32 = (v: number) => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
    parts.push(u16(x.clientAddressFamily ?? 0x0002), u16(addr[0]!.length + term), ...addr);
    parts.push(u16(dir[0]!.length + term), ...dir);
    if (x.timezone !== undefined) {
      parts.push(timeZoneBytes(x.timezone));
      if (x.sessionId !== undefined) {
        parts.push(u32(x.sessionId));
        if (x.performanceFlags !== undefined) {
          parts.push(u32(x.performanceFlags));
          if (x.autoReconnectCookie !== undefined) {
            parts.push(u16(x.autoReconnectCookie.length), x.autoReconnectCookie);
            if (x.dynamicDst) {
              const key = utf16leBytes(x.dynamicDst.keyName);
              parts.push(u16(0), u16(0), u16(key.length), key, u16(x.dynamicDst.disabled ? 1 : 0));
            }
          }
        }
      }
    }
  }
  const w = new ByteWriter(parts.reduce((n, p) => n + p.length, 0));
  for (const p of parts) w.bytes(p);
  return w.finish();
}

/**
 * A plaintext Client Info PDU: basic security header (SEC_INFO_PKT) + TS_INFO_PACKET, as sent under
 * Enhanced RDP Security or ENCRYPTION_LEVEL_NONE. Standard RDP Security with encryption encrypts
 * encodeInfoPacket's output instead (src/rdpsec). SECRET when it carries a password.
 */
export function encodeClientInfoPdu(s: ClientInfoSpec, securityFlags: number = SEC.INFO_PKT): Uint8Array {
  const body = encodeInfoPacket(s);
  const w = new ByteWriter(SECURITY_HEADER_SIZE.basic + body.length);
  writeSecurityHeader(w, { flags: securityFlags | SEC.INFO_PKT });
  w.bytes(body);
  return w.finish();
}
