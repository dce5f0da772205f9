// SOCKS handshakes at the start of a TCP connection, followed passively in both directions:
// SOCKS5 (RFC 1928) with the username/password sub-negotiation (RFC 1929), SOCKS4 and SOCKS4a
// (the "SOCKS 4" and "SOCKS 4A" protocol notes of NEC/OpenSSH). Sans-IO: bytes in per direction,
// a result out; nothing is buffered past MAX_SOCKS_BYTES per direction. Credentials (the RFC 1929
// username and password, the SOCKS4 user id) are skipped, never decoded nor kept.
import type { Dir } from '../analyze/input.js';
import { formatIp } from './ip.js';

export type SocksVersion = 4 | 5;
export interface SocksTarget { host: string; port: number }

/**
 * need-more: the handshake so far is SOCKS and goes on; done: the proxy granted the CONNECT, the
 * tunnelled streams start at `consumed`; failed: SOCKS, but no tunnel (refused, authentication
 * failed, not a CONNECT, a method that cannot be followed); not-socks: these bytes are not SOCKS.
 */
export type SocksState = 'need-more' | 'done' | 'not-socks' | 'failed';

export interface SocksResult {
  state: SocksState;
  version?: SocksVersion;
  /** handshake bytes read in each direction; when done, where the tunnelled bytes begin */
  consumed: { c2s: number; s2c: number };
  /** the destination the client asked the proxy for, once its request was read */
  target?: SocksTarget;
  /** the proxy's reply code to the request: SOCKS5 REP (0 = succeeded), SOCKS4 CD (90 = granted) */
  reply?: number;
  /** SOCKS5: the authentication method the proxy chose (0 none, 2 username/password) */
  method?: number;
  /** failed and not-socks: why */
  reason?: string;
}

/**
 * The most handshake bytes followed per direction before giving up as not-socks: the largest
 * SOCKS5 client side (greeting 2 + 255 methods, RFC 1929 request 3 + 255 + 255, CONNECT request
 * 7 + 255-byte domain). SOCKS4a user ids and host names have no limit of their own; this is it.
 */
export const MAX_SOCKS_BYTES = 2 + 255 + 3 + 255 + 255 + 7 + 255;

const METHOD = { NONE: 0x00, GSSAPI: 0x01, PASSWORD: 0x02, NO_ACCEPTABLE: 0xff } as const;
const ATYP = { IPV4: 0x01, DOMAIN: 0x03, IPV6: 0x04 } as const;
const SOCKS5_COMMANDS: Record<number, string> = { 1: 'CONNECT', 2: 'BIND', 3: 'UDP ASSOCIATE' };
const SOCKS4_COMMANDS: Record<number, string> = { 1: 'CONNECT', 2: 'BIND' };

/** RFC 1928 §6 REP values. */
const SOCKS5_REPLIES: Record<number, string> = {
  0: 'succeeded',
  1: 'general SOCKS server failure',
  2: 'connection not allowed by ruleset',
  3: 'network unreachable',
  4: 'host unreachable',
  5: 'connection refused',
  6: 'TTL expired',
  7: 'command not supported',
  8: 'address type not supported',
};

/** SOCKS4 CD values. */
const SOCKS4_REPLIES: Record<number, string> = {
  90: 'request granted',
  91: 'request rejected or failed',
  92: 'rejected: the proxy cannot reach identd on the client',
  93: 'rejected: identd reports a different user id',
};

/** "connection refused (5)", "unassigned (9)": a reply code as reports show it. */
export function socksReplyText(version: SocksVersion, code: number): string {
  const name = (version === 5 ? SOCKS5_REPLIES : SOCKS4_REPLIES)[code] ?? 'unassigned';
  return `${name} (${code})`;
}

const hex2 = (n: number): string => `0x${n.toString(16).padStart(2, '0')}`;

function methodName(m: number): string {
  if (m === METHOD.GSSAPI) return 'GSSAPI';
  if (m >= 0x03 && m <= 0x7f) return 'IANA-assigned';
  if (m >= 0x80 && m <= 0xfe) return 'private';
  return 'unknown';
}

/** A host name as sent: printable ASCII kept, anything else as \xNN. */
function hostText(b: Uint8Array): string {
  let s = '';
  for (const c of b) s += c > 0x20 && c < 0x7f && c !== 0x5c ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, '0')}`;
  return s;
}

/** Thrown inside parse(): the handshake stops here with this outcome. */
class Stop {
  constructor(readonly state: 'need-more' | 'not-socks', readonly reason?: string) {}
}

/** Reads one direction; running out of bytes is need-more, running past the bound is not-socks. */
class Cursor {
  pos = 0;
  constructor(private readonly b: Uint8Array, private readonly side: string) {}

  private need(n: number): void {
    if (this.pos + n <= this.b.length) return;
    if (this.pos + n > MAX_SOCKS_BYTES) throw new Stop('not-socks', `no complete SOCKS handshake in the first ${MAX_SOCKS_BYTES} ${this.side} bytes`);
    throw new Stop('need-more');
  }

  u8(): number {
    this.need(1);
    return this.b[this.pos++]!;
  }

  u16(): number {
    this.need(2);
    const v = (this.b[this.pos]! << 8) | this.b[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  bytes(n: number): Uint8Array {
    this.need(n);
    this.pos += n;
    return this.b.subarray(this.pos - n, this.pos);
  }

  skip(n: number): void {
    this.need(n);
    this.pos += n;
  }

  /** A NUL-terminated string (terminator consumed, not returned). */
  cstr(): Uint8Array {
    const limit = Math.min(this.b.length, MAX_SOCKS_BYTES);
    const end = this.b.subarray(0, limit).indexOf(0, this.pos);
    if (end < 0) {
      if (this.b.length >= MAX_SOCKS_BYTES) throw new Stop('not-socks', `no complete SOCKS handshake in the first ${MAX_SOCKS_BYTES} ${this.side} bytes`);
      throw new Stop('need-more');
    }
    const s = this.b.subarray(this.pos, end);
    this.pos = end + 1;
    return s;
  }
}

/** Partial result, filled in as the handshake is read. */
interface Acc {
  version?: SocksVersion;
  target?: SocksTarget;
  reply?: number;
  method?: number;
}

/** RFC 1928 §4/§6 address: ATYP, address, port. */
function address(r: Cursor): SocksTarget {
  const atyp = r.u8();
  let host: string;
  if (atyp === ATYP.IPV4) host = formatIp(r.bytes(4), 0, 4);
  else if (atyp === ATYP.IPV6) host = formatIp(r.bytes(16), 0, 6);
  else if (atyp === ATYP.DOMAIN) {
    const n = r.u8();
    if (n === 0) throw new Stop('not-socks', 'empty SOCKS5 domain name');
    host = hostText(r.bytes(n));
  } else throw new Stop('not-socks', `SOCKS5 address type ${hex2(atyp)} is not IPv4, domain or IPv6`);
  return { host, port: r.u16() };
}

type Outcome = { state: 'done' } | { state: 'failed'; reason: string };

function socks5(c: Cursor, s: Cursor, acc: Acc): Outcome {
  const n = c.u8();
  if (n === 0) throw new Stop('not-socks', 'SOCKS5 greeting offers no method');
  const methods = c.bytes(n);
  if (s.u8() !== 5) throw new Stop('not-socks', 'the answer to a SOCKS5 greeting is not SOCKS5');
  const m = s.u8();
  acc.method = m;
  if (m === METHOD.NO_ACCEPTABLE) return { state: 'failed', reason: 'SOCKS5 proxy accepts none of the offered authentication methods' };
  if (!methods.includes(m)) throw new Stop('not-socks', `SOCKS5 proxy chose method ${hex2(m)}, which the client did not offer`);
  if (m === METHOD.PASSWORD) {
    // RFC 1929: VER 1, ULEN, UNAME, PLEN, PASSWD; the reply VER STATUS (some proxies echo VER 5)
    if (c.u8() !== 1) throw new Stop('not-socks', 'SOCKS5 username/password request is not version 1');
    c.skip(c.u8());
    c.skip(c.u8());
    const v = s.u8();
    if (v !== 1 && v !== 5) throw new Stop('not-socks', 'SOCKS5 username/password reply is not version 1');
    const status = s.u8();
    if (status !== 0) return { state: 'failed', reason: `SOCKS5 proxy rejected the username/password (status ${status})` };
  } else if (m !== METHOD.NONE) {
    return { state: 'failed', reason: `SOCKS5 authentication method ${hex2(m)} (${methodName(m)}) cannot be followed` };
  }
  if (c.u8() !== 5) throw new Stop('not-socks', 'SOCKS5 request is not version 5');
  const cmd = c.u8();
  const command = SOCKS5_COMMANDS[cmd];
  if (!command) throw new Stop('not-socks', `unknown SOCKS5 command ${hex2(cmd)}`);
  if (c.u8() !== 0) throw new Stop('not-socks', 'SOCKS5 request RSV is not 0');
  acc.target = address(c);
  if (cmd !== 1) return { state: 'failed', reason: `SOCKS5 ${command} request, not CONNECT` };
  if (s.u8() !== 5) throw new Stop('not-socks', 'SOCKS5 reply is not version 5');
  const rep = s.u8();
  acc.reply = rep;
  if (rep !== 0) return { state: 'failed', reason: `SOCKS5 proxy refused CONNECT: ${socksReplyText(5, rep)}` };
  s.u8(); // RSV
  address(s); // BND.ADDR, BND.PORT
  return { state: 'done' };
}

function socks4(c: Cursor, s: Cursor, acc: Acc): Outcome {
  const cmd = c.u8();
  const command = SOCKS4_COMMANDS[cmd];
  if (!command) throw new Stop('not-socks', `unknown SOCKS4 command ${hex2(cmd)}`);
  const port = c.u16();
  const ip = c.bytes(4);
  c.cstr(); // USERID: skipped
  // SOCKS4a: 0.0.0.x (x != 0) means "the host name follows the user id"
  const is4a = ip[0] === 0 && ip[1] === 0 && ip[2] === 0 && ip[3] !== 0;
  let host = formatIp(ip, 0, 4);
  if (is4a) {
    const name = c.cstr();
    if (name.length === 0) throw new Stop('not-socks', 'empty SOCKS4a host name');
    host = hostText(name);
  }
  acc.target = { host, port };
  if (cmd !== 1) return { state: 'failed', reason: `SOCKS4 ${command} request, not CONNECT` };
  if (s.u8() !== 0) throw new Stop('not-socks', 'SOCKS4 reply version is not 0');
  const cd = s.u8();
  if (!SOCKS4_REPLIES[cd]) throw new Stop('not-socks', `unknown SOCKS4 reply code ${cd}`);
  acc.reply = cd;
  if (cd !== 90) return { state: 'failed', reason: `SOCKS4 proxy refused CONNECT: ${socksReplyText(4, cd)}` };
  s.skip(6); // DSTPORT, DSTIP
  return { state: 'done' };
}

/**
 * The handshake as far as these bytes go: `c2s` and `s2c` are each direction from its first byte.
 * Pure and split-independent: the same bytes give the same result however they arrived.
 */
export function parseSocks(c2s: Uint8Array, s2c: Uint8Array): SocksResult {
  const c = new Cursor(c2s, 'client');
  const s = new Cursor(s2c, 'proxy');
  const acc: Acc = {};
  const result = (state: SocksState, reason?: string): SocksResult => ({
    state,
    ...(acc.version !== undefined ? { version: acc.version } : {}),
    consumed: { c2s: c.pos, s2c: s.pos },
    ...(acc.target ? { target: acc.target } : {}),
    ...(acc.reply !== undefined ? { reply: acc.reply } : {}),
    ...(acc.method !== undefined ? { method: acc.method } : {}),
    ...(reason !== undefined ? { reason } : {}),
  });
  try {
    const v = c.u8();
    if (v !== 4 && v !== 5) return result('not-socks', 'the first byte is not a SOCKS version (4 or 5)');
    acc.version = v;
    const out = v === 5 ? socks5(c, s, acc) : socks4(c, s, acc);
    return out.state === 'done' ? result('done') : result('failed', out.reason);
  } catch (e) {
    if (!(e instanceof Stop)) throw e;
    if (e.state === 'not-socks') {
      delete acc.version;
      delete acc.target;
      delete acc.reply;
      delete acc.method;
    }
    return result(e.state, e.reason);
  }
}

/** Could a connection whose client sends these bytes first be a SOCKS handshake? */
export function looksLikeSocks(firstClientBytes: Uint8Array): boolean {
  return firstClientBytes.length > 0 && parseSocks(firstClientBytes, new Uint8Array(0)).state !== 'not-socks';
}

/**
 * The handshake followed as the bytes of each direction come, in order (each direction's bytes
 * from its first byte). Keeps at most MAX_SOCKS_BYTES per direction; once the result is final it
 * no longer changes.
 */
export class SocksParser {
  private readonly buf: Record<Dir, Uint8Array> = { c2s: new Uint8Array(0), s2c: new Uint8Array(0) };
  private last: SocksResult = { state: 'need-more', consumed: { c2s: 0, s2c: 0 } };

  get result(): SocksResult {
    return this.last;
  }

  get final(): boolean {
    return this.last.state !== 'need-more';
  }

  push(dir: Dir, bytes: Uint8Array): SocksResult {
    if (this.final || bytes.length === 0) return this.last;
    const have = this.buf[dir];
    const take = Math.min(bytes.length, MAX_SOCKS_BYTES - have.length);
    if (take <= 0) return this.last; // this direction is past anything a handshake could need
    const grown = new Uint8Array(have.length + take);
    grown.set(have);
    grown.set(bytes.subarray(0, take), have.length);
    this.buf[dir] = grown;
    this.last = parseSocks(this.buf.c2s, this.buf.s2c);
    if (this.final) this.buf.c2s = this.buf.s2c = new Uint8Array(0);
    return this.last;
  }
}
