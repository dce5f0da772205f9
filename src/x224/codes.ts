// RDP negotiation code tables, as open enums ([MS-RDPBCGR] 2.2.1.1.1, 2.2.1.2.1, 2.2.1.2.2).
import { hex32, hexN } from '../wire/hex.js';

/** requestedProtocols / selectedProtocol values ([MS-RDPBCGR] 2.2.1.1.1). PROTOCOL_RDP is 0. */
export const PROTOCOL = {
  RDP: 0x0,
  SSL: 0x1,
  HYBRID: 0x2,
  RDSTLS: 0x4,
  HYBRID_EX: 0x8,
  RDSAAD: 0x10,
} as const;

export type ProtocolName = keyof typeof PROTOCOL;
const PROTOCOL_BITS: [number, ProtocolName][] = [
  [0x1, 'SSL'], [0x2, 'HYBRID'], [0x4, 'RDSTLS'], [0x8, 'HYBRID_EX'], [0x10, 'RDSAAD'],
];

export interface FlagSet {
  raw: number;
  names: string[];
  /** bits set that no table entry names */
  unknownBits: number;
}

function flags(raw: number, table: [number, string][]): FlagSet {
  let known = 0;
  const names: string[] = [];
  for (const [bit, name] of table) {
    if (raw & bit) {
      names.push(name);
      known |= bit;
    }
  }
  const unknownBits = (raw & ~known) >>> 0;
  if (unknownBits) names.push(`unknown (${hex32(unknownBits)})`);
  return { raw: raw >>> 0, names, unknownBits };
}

/** Names of a requestedProtocols bit set; 0 is PROTOCOL_RDP (Standard RDP Security). */
export function protocolSet(raw: number): FlagSet {
  return raw === 0 ? { raw: 0, names: ['RDP'], unknownBits: 0 } : flags(raw, PROTOCOL_BITS);
}

/** Name of a single selectedProtocol value. */
export function protocolName(v: number): string {
  if (v === 0) return 'RDP';
  const hit = PROTOCOL_BITS.find(([bit]) => bit === v);
  return hit ? hit[1] : `unknown (${hex32(v)})`;
}

/** Parses "SSL|HYBRID", "ssl,hybrid_ex", "rdp", "0x0b" or "11" into a bit set. */
export function parseProtocols(spec: string): number {
  const s = spec.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(s)) return Number(s) >>> 0;
  let v = 0;
  for (const part of s.split(/[|,+\s]+/).filter(Boolean)) {
    const key = part.toUpperCase().replace(/-/g, '_') as ProtocolName;
    const alias: Record<string, ProtocolName> = { TLS: 'SSL', NLA: 'HYBRID', CREDSSP: 'HYBRID' };
    const name = (alias[key] ?? key) as ProtocolName;
    if (!(name in PROTOCOL)) throw new Error(`unknown protocol "${part}" (use RDP, SSL, HYBRID, RDSTLS, HYBRID_EX, RDSAAD)`);
    v |= PROTOCOL[name];
  }
  return v >>> 0;
}

/** RDP_NEG_REQ flags ([MS-RDPBCGR] 2.2.1.1.1). */
export function requestFlags(raw: number): FlagSet {
  return flags(raw, [
    [0x01, 'RESTRICTED_ADMIN_MODE_REQUIRED'],
    [0x02, 'REDIRECTED_AUTHENTICATION_MODE_REQUIRED'],
    [0x08, 'CORRELATION_INFO_PRESENT'],
  ]);
}

/** RDP_NEG_RSP flags ([MS-RDPBCGR] 2.2.1.2.1). */
export function responseFlags(raw: number): FlagSet {
  return flags(raw, [
    [0x01, 'EXTENDED_CLIENT_DATA_SUPPORTED'],
    [0x02, 'DYNVC_GFX_PROTOCOL_SUPPORTED'],
    [0x04, 'NEGRSP_FLAG_RESERVED'],
    [0x08, 'RESTRICTED_ADMIN_MODE_SUPPORTED'],
    [0x10, 'REDIRECTED_AUTHENTICATION_MODE_SUPPORTED'],
  ]);
}

/** RDP_NEG_FAILURE failureCode ([MS-RDPBCGR] 2.2.1.2.2). */
export const FAILURE_CODES: Record<number, { name: string; meaning: string }> = {
  1: { name: 'SSL_REQUIRED_BY_SERVER', meaning: 'the server requires TLS (or CredSSP); the client offered Standard RDP Security only' },
  2: { name: 'SSL_NOT_ALLOWED_BY_SERVER', meaning: 'the server allows Standard RDP Security only; the client required TLS or CredSSP' },
  3: { name: 'SSL_CERT_NOT_ON_SERVER', meaning: 'the server has no usable certificate, so TLS and CredSSP are impossible' },
  4: { name: 'INCONSISTENT_FLAGS', meaning: 'the requested protocols are inconsistent with the security protocol in effect on the server' },
  5: { name: 'HYBRID_REQUIRED_BY_SERVER', meaning: 'the server requires CredSSP (Network Level Authentication); the client did not offer it' },
  6: { name: 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER', meaning: 'the server requires TLS with client certificate authentication' },
};

export function describeFailureCode(code: number): { code: number; hex: string; name: string; meaning: string; known: boolean } {
  const hit = FAILURE_CODES[code];
  return hit
    ? { code, hex: hexN(code), ...hit, known: true }
    : { code, hex: hexN(code), name: `unknown (${hex32(code)})`, meaning: 'not a failure code defined by MS-RDPBCGR', known: false };
}
