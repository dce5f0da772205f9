// Security headers at the start of the MCS Send Data user data ([MS-RDPBCGR] 2.2.8.1.1.2):
//   basic    TS_SECURITY_HEADER  (2.2.8.1.1.2.1): flags u16 | flagsHi u16                         4 bytes
//   non-fips TS_SECURITY_HEADER1 (2.2.8.1.1.2.2): basic | dataSignature (8-byte MAC)               12 bytes
//   fips     TS_SECURITY_HEADER2 (2.2.8.1.1.2.3): basic | length u16 (0x10) | version u8 | padlen u8
//                                                 | dataSignature (8)                             16 bytes
//
// Which header a PDU carries is not on the wire; it follows from the negotiated security (see
// securityHeaderKind below):
//   - Enhanced RDP Security (TLS, CredSSP, RDSTLS; 5.4): TLS protects everything. Only the Client Info
//     PDU (3.2.5.3.11), the licensing PDUs ([MS-RDPELE] 2.2.2) and the message-channel PDUs
//     (multitransport 2.2.15, auto-detect 2.2.14, heartbeat 2.2.16) keep a basic header, whose flags
//     say what the PDU is; every other slow-path PDU has no security header at all (3.2.5.1, 3.3.5.1).
//   - Standard RDP Security (5.3), the Encryption Level and Method from Server Security Data
//     (2.2.1.4.3):
//       * Security Exchange PDU (2.2.1.10.1): always a basic header (SEC_EXCHANGE_PKT), never encrypted.
//       * level NONE / method NONE: basic header on Client Info and licensing PDUs, none elsewhere.
//       * otherwise encrypted PDUs carry a non-FIPS header (methods 40/56/128-bit RC4) or a FIPS header
//         (ENCRYPTION_METHOD_FIPS), with SEC_ENCRYPT set. The Client Info PDU is always encrypted.
//         Server-to-client PDUs at ENCRYPTION_LEVEL_LOW are not encrypted and carry a basic header
//         (e.g. 2.2.3.1, 2.2.1.13.1). Licensing PDUs are encrypted only when the peer said it can take
//         encrypted licensing data (SEC_LICENSE_ENCRYPT_SC in the Security Exchange PDU, resp.
//         SEC_LICENSE_ENCRYPT_CS from the server; 2.2.1.12, [MS-RDPELE] 2.2.2): look at SEC_ENCRYPT.
import { ByteWriter } from '../wire/writer.js';
import { flagNames, rdpReader, type FlagTable } from './common.js';

export const SECURITY_HEADER_NAME = 'Security Header';

/** TS_SECURITY_HEADER flags ([MS-RDPBCGR] 2.2.8.1.1.2.1). */
export const SEC = {
  EXCHANGE_PKT: 0x0001,
  TRANSPORT_REQ: 0x0002,
  TRANSPORT_RSP: 0x0004,
  ENCRYPT: 0x0008,
  RESET_SEQNO: 0x0010,
  IGNORE_SEQNO: 0x0020,
  INFO_PKT: 0x0040,
  LICENSE_PKT: 0x0080,
  /** SEC_LICENSE_ENCRYPT_CS (server → client, on licensing PDUs) and SEC_LICENSE_ENCRYPT_SC (client → server, on the Security Exchange PDU) share 0x0200 */
  LICENSE_ENCRYPT: 0x0200,
  REDIRECTION_PKT: 0x0400,
  SECURE_CHECKSUM: 0x0800,
  AUTODETECT_REQ: 0x1000,
  AUTODETECT_RSP: 0x2000,
  HEARTBEAT: 0x4000,
  FLAGSHI_VALID: 0x8000,
} as const;

const SEC_FLAGS_LOW: FlagTable = [
  [SEC.EXCHANGE_PKT, 'SEC_EXCHANGE_PKT'],
  [SEC.TRANSPORT_REQ, 'SEC_TRANSPORT_REQ'],
  [SEC.TRANSPORT_RSP, 'SEC_TRANSPORT_RSP'],
  [SEC.ENCRYPT, 'SEC_ENCRYPT'],
  [SEC.RESET_SEQNO, 'SEC_RESET_SEQNO'],
  [SEC.IGNORE_SEQNO, 'SEC_IGNORE_SEQNO'],
  [SEC.INFO_PKT, 'SEC_INFO_PKT'],
  [SEC.LICENSE_PKT, 'SEC_LICENSE_PKT'],
];
const SEC_FLAGS_HIGH: FlagTable = [
  [SEC.REDIRECTION_PKT, 'SEC_REDIRECTION_PKT'],
  [SEC.SECURE_CHECKSUM, 'SEC_SECURE_CHECKSUM'],
  [SEC.AUTODETECT_REQ, 'SEC_AUTODETECT_REQ'],
  [SEC.AUTODETECT_RSP, 'SEC_AUTODETECT_RSP'],
  [SEC.HEARTBEAT, 'SEC_HEARTBEAT'],
  [SEC.FLAGSHI_VALID, 'SEC_FLAGSHI_VALID'],
];

/**
 * Names of the security flags. 0x0200 is SEC_LICENSE_ENCRYPT_SC on a Security Exchange PDU (the client
 * can take encrypted licensing PDUs), SEC_LICENSE_ENCRYPT_CS on a licensing PDU (the server can take
 * them), and SEC_LICENSE_ENCRYPT_CS/SC when neither flag says which.
 */
export function securityFlagNames(flags: number): string[] {
  const licenseEncrypt = flags & SEC.EXCHANGE_PKT ? 'SEC_LICENSE_ENCRYPT_SC'
    : flags & SEC.LICENSE_PKT ? 'SEC_LICENSE_ENCRYPT_CS' : 'SEC_LICENSE_ENCRYPT_CS/SC';
  return flagNames(flags, [...SEC_FLAGS_LOW, [SEC.LICENSE_ENCRYPT, licenseEncrypt], ...SEC_FLAGS_HIGH]);
}

export type SecurityHeaderKind = 'basic' | 'non-fips' | 'fips';

export const SECURITY_HEADER_SIZE: Readonly<Record<SecurityHeaderKind, number>> = { basic: 4, 'non-fips': 12, fips: 16 };

/** FIPS header length field value ([MS-RDPBCGR] 2.2.8.1.1.2.3). */
export const FIPS_HEADER_LENGTH = 0x10;
/** TSFIPS_VERSION1 */
export const TSFIPS_VERSION1 = 0x01;

export interface FipsInfo {
  length: number;
  version: number;
  /** padding bytes appended before 3DES encryption (0-7) */
  padlen: number;
}

export interface SecurityHeader {
  kind: SecurityHeaderKind;
  flags: number;
  flagNames: string[];
  /** meaningful only when SEC_FLAGSHI_VALID is set; otherwise uninitialised memory (2.2.8.1.1.2.1) */
  flagsHi: number;
  /** 8-byte MAC (non-FIPS and FIPS headers) */
  signature?: Uint8Array;
  fips?: FipsInfo;
  /** offset of the first byte after the header within the decoded bytes (absolute: base + bodyOffset) */
  bodyOffset: number;
}

/** Decodes the security header at the start of bytes (an MCS Send Data user data field). */
export function decodeSecurityHeader(bytes: Uint8Array, base = 0, kind: SecurityHeaderKind = 'basic'): SecurityHeader {
  const r = rdpReader(bytes, base, SECURITY_HEADER_NAME);
  r.ensure(4, 'basic security header');
  const flags = r.u16le('flags');
  const flagsHi = r.u16le('flagsHi');
  const h: SecurityHeader = { kind, flags, flagNames: securityFlagNames(flags), flagsHi, bodyOffset: 4 };
  if (kind === 'fips') {
    r.ensure(12, 'FIPS security header');
    const lengthAt = r.absolute;
    const length = r.u16le('length');
    if (length !== FIPS_HEADER_LENGTH) {
      throw r.error('INVALID_FIELD', 'length', `a FIPS security header has length 16, got ${length}`, lengthAt);
    }
    const version = r.u8('version');
    const padAt = r.absolute;
    const padlen = r.u8('padlen');
    if (padlen > 7) throw r.error('INVALID_FIELD', 'padlen', `3DES padding is 0-7 bytes, got ${padlen}`, padAt);
    h.fips = { length, version, padlen };
  }
  if (kind !== 'basic') h.signature = r.bytes(8, 'dataSignature').slice();
  h.bodyOffset = r.offset;
  return h;
}

export interface SecurityHeaderSpec {
  kind?: SecurityHeaderKind;
  flags: number;
  flagsHi?: number;
  /** 8 bytes; zeros when omitted */
  signature?: Uint8Array;
  /** FIPS only; version defaults to TSFIPS_VERSION1 */
  fips?: { version?: number; padlen: number };
}

export function writeSecurityHeader(w: ByteWriter, h: SecurityHeaderSpec): void {
  const kind = h.kind ?? 'basic';
  w.u16le(h.flags).u16le(h.flagsHi ?? 0);
  if (kind === 'fips') w.u16le(FIPS_HEADER_LENGTH).u8(h.fips?.version ?? TSFIPS_VERSION1).u8(h.fips?.padlen ?? 0);
  if (kind !== 'basic') {
    const sig = h.signature ?? new Uint8Array(8);
    if (sig.length !== 8) throw new RangeError(`dataSignature must be 8 bytes, got ${sig.length}`);
    w.bytes(sig);
  }
}

export function encodeSecurityHeader(h: SecurityHeaderSpec): Uint8Array {
  const w = new ByteWriter(SECURITY_HEADER_SIZE[h.kind ?? 'basic']);
  writeSecurityHeader(w, h);
  return w.finish();
}

/** The header plus the (already encrypted, if SEC_ENCRYPT) body in one buffer. */
export function encodeWithSecurityHeader(h: SecurityHeaderSpec, body: Uint8Array): Uint8Array {
  const w = new ByteWriter(SECURITY_HEADER_SIZE[h.kind ?? 'basic'] + body.length);
  writeSecurityHeader(w, h);
  w.bytes(body);
  return w.finish();
}

/** Encryption levels of Server Security Data ([MS-RDPBCGR] 2.2.1.4.3). */
export const ENCRYPTION_LEVEL = { NONE: 0, LOW: 1, CLIENT_COMPATIBLE: 2, HIGH: 3, FIPS: 4 } as const;
/** Encryption methods ([MS-RDPBCGR] 2.2.1.4.3). */
export const ENCRYPTION_METHOD = { NONE: 0, BIT_40: 0x1, BIT_128: 0x2, BIT_56: 0x8, FIPS: 0x10 } as const;

export type SecuredPdu =
  /** Client Security Exchange PDU (2.2.1.10) */
  | 'security-exchange'
  /** Client Info PDU (2.2.1.11) */
  | 'client-info'
  /** any licensing PDU (2.2.1.12, [MS-RDPELE] 2.2.2) */
  | 'licensing'
  /** auto-detect, multitransport and heartbeat PDUs on the message channel */
  | 'message-channel'
  /** every other slow-path PDU: Demand Active, Confirm Active, Deactivate All, Data PDUs, ... */
  | 'other';

export interface SecurityContext {
  /** true for TLS, CredSSP or RDSTLS (selectedProtocol != PROTOCOL_RDP) */
  enhanced: boolean;
  /** Server Security Data encryptionLevel (Standard RDP Security only) */
  encryptionLevel?: number;
  /** Server Security Data encryptionMethod (Standard RDP Security only) */
  encryptionMethod?: number;
  pdu: SecuredPdu;
  direction?: 'client-to-server' | 'server-to-client';
  /** licensing PDUs only: the PDU is encrypted (SEC_ENCRYPT; see the header comment) */
  licenseEncrypted?: boolean;
}

/**
 * The security header a slow-path PDU carries ([MS-RDPBCGR] 2.2.8.1.1.2 and each PDU's section), or
 * 'none'. For licensing PDUs under Standard RDP Security with encryption, pass licenseEncrypted (or
 * peek the basic flags for SEC_ENCRYPT): the header is non-FIPS/FIPS only when the PDU is encrypted.
 */
export function securityHeaderKind(c: SecurityContext): SecurityHeaderKind | 'none' {
  if (c.enhanced) {
    return c.pdu === 'client-info' || c.pdu === 'licensing' || c.pdu === 'message-channel' ? 'basic' : 'none';
  }
  if (c.pdu === 'security-exchange') return 'basic';
  const level = c.encryptionLevel ?? ENCRYPTION_LEVEL.NONE;
  const method = c.encryptionMethod ?? ENCRYPTION_METHOD.NONE;
  const encrypted: SecurityHeaderKind = method === ENCRYPTION_METHOD.FIPS ? 'fips' : 'non-fips';
  if (level === ENCRYPTION_LEVEL.NONE || method === ENCRYPTION_METHOD.NONE) {
    return c.pdu === 'client-info' || c.pdu === 'licensing' || c.pdu === 'message-channel' ? 'basic' : 'none';
  }
  switch (c.pdu) {
    case 'client-info':
      return encrypted;
    case 'licensing':
      return c.licenseEncrypted ? encrypted : 'basic';
    default:
      return level === ENCRYPTION_LEVEL.LOW && c.direction === 'server-to-client' ? 'basic' : encrypted;
  }
}

/**
 * The header kind to decode once the first two bytes are known: SEC_ENCRYPT means a MAC follows
 * (FIPS when the method is ENCRYPTION_METHOD_FIPS). For PDUs that always carry a security header.
 */
export function securityHeaderKindFromFlags(flags: number, encryptionMethod = 0): SecurityHeaderKind {
  if (!(flags & SEC.ENCRYPT)) return 'basic';
  return encryptionMethod === ENCRYPTION_METHOD.FIPS ? 'fips' : 'non-fips';
}
