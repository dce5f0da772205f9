// TLS protocol versions on the wire (RFC 8446 §4.2.1, RFC 5246 App. E, RFC 6101 §5.2.1) and GREASE
// (RFC 8701 §2: 0x0A0A, 0x1A1A .. 0xFAFA, reserved so peers must ignore them).
import { hexN } from '../wire/hex.js';

export const TLS_VERSION = { SSL3: 0x0300, TLS10: 0x0301, TLS11: 0x0302, TLS12: 0x0303, TLS13: 0x0304 } as const;

/** The names OpenSSL and Node give the versions (tls.TLSSocket getProtocol(), minVersion/maxVersion). */
export const OPENSSL_VERSION_NAME: Readonly<Record<number, 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'>> = {
  [TLS_VERSION.TLS10]: 'TLSv1', [TLS_VERSION.TLS11]: 'TLSv1.1', [TLS_VERSION.TLS12]: 'TLSv1.2', [TLS_VERSION.TLS13]: 'TLSv1.3',
};

const NAMES: Record<number, string> = {
  0x0300: 'SSL 3.0', 0x0301: 'TLS 1.0', 0x0302: 'TLS 1.1', 0x0303: 'TLS 1.2', 0x0304: 'TLS 1.3',
};

/** RFC 8701 GREASE value: both bytes equal, each of the form 0x?A. Used for versions, suites, groups, extensions. */
export function isGrease(v: number): boolean {
  return (v & 0x0f0f) === 0x0a0a && (v >> 8) === (v & 0xff);
}

/** 'SSL 3.0', 'TLS 1.0' .. 'TLS 1.3', 'GREASE (0x0a0a)' or 'unknown (0x7f1c)'. */
export function versionName(v: number): string {
  const name = NAMES[v];
  if (name) return name;
  return isGrease(v) ? `GREASE (${hexN(v, 4)})` : `unknown (${hexN(v, 4)})`;
}

/**
 * Parses a version as people and tools write it: '1.2', 'tls1.2', 'TLSv1.2', 'TLS 1.2', 'tls1_2',
 * 'tls12', 'ssl3', 'SSLv3', '3.0' (wire numbering 3.0..3.4 is accepted too), '0x0303'.
 */
export function parseVersion(s: string): number | undefined {
  const t = s.trim().toLowerCase().replace(/[\s_-]+/g, '');
  if (/^0x030[0-4]$/.test(t)) return Number(t);
  if (/^ssl(?:v)?3(?:\.0)?$/.test(t)) return TLS_VERSION.SSL3;
  const wire = /^3\.([0-4])$/.exec(t);
  if (wire) return 0x0300 + Number(wire[1]);
  const tls = /^tls(?:v)?1(?:\.?([0-3]))?$/.exec(t) ?? /^1\.([0-3])$/.exec(t);
  if (tls) return 0x0301 + Number(tls[1] ?? 0);
  return undefined;
}
