// pcapng writer (draft-ietf-opsawg-pcapng §3-§4): a Section Header, one Interface Description
// (LINKTYPE_RAW: each packet is an IPv4 or IPv6 header, so one interface carries both families),
// an optional Decryption Secrets Block with NSS key log text (§4.7, secrets type "TLSK"), and one
// Enhanced Packet Block per synthesized packet. Pure: TCP connections described as events in, bytes
// out. The TCP segments (RFC 9293) get consistent sequence and acknowledgment numbers and correct
// IPv4 header (RFC 791) and TCP checksums (RFC 9293 §3.1, pseudo-headers of RFC 791 / RFC 8200 §8.1).
import { ipBytes } from './ip.js';
import { LINKTYPE_RAW } from './link.js';
import { ACK, FIN, PSH, RST, SYN } from './tcp.js';
import { BYTE_ORDER_MAGIC, DSB, EPB, IDB, OPT_COMMENT, PCAPNG_MAGIC, SECRETS_TLS_KEY_LOG } from './pcapng.js';
import { concatBytes as concat } from '../wire/writer.js';
import { toHex } from '../wire/hex.js';

// the block types and codes the reader (./pcapng.ts) knows, under the names the writer's users see
export { PCAPNG_MAGIC as PCAPNG_SHB, IDB as PCAPNG_IDB, EPB as PCAPNG_EPB, DSB as PCAPNG_DSB, SECRETS_TLS_KEY_LOG } from './pcapng.js';

const OPT_END = 0;
const SHB_USERAPPL = 4;
const IF_NAME = 2;
const IF_TSRESOL = 9;
/** if_tsresol 6: timestamps in microseconds (the default, written out for readers that guess otherwise) */
const TS_PER_MS = 1000;

/** Largest TCP payload per segment: IPv4 total length (20 + 20 + payload) stays under 65536. */
export const MAX_SEGMENT_PAYLOAD = 65000;
const MSS = 65495;

export interface TcpEndpoint {
  /** an IPv4 or IPv6 address (both ends of a connection the same family) */
  ip: string;
  port: number;
}

/**
 * What happened on one TCP connection, at `at` milliseconds since the Unix epoch. `comments` go on
 * the event's last packet as opt_comment options (Wireshark's pkt_comment).
 */
export type TcpEvent = { at: number; comments?: string[] } & (
  /** the client's SYN */
  | { kind: 'syn' }
  /** the server's SYN/ACK and the client's ACK: the connection is up */
  | { kind: 'established' }
  /** TCP payload, split into segments of at most MAX_SEGMENT_PAYLOAD bytes */
  | { kind: 'data'; dir: 'c2s' | 's2c'; bytes: Uint8Array }
  /** a FIN (with ACK) from one side */
  | { kind: 'fin'; dir: 'c2s' | 's2c' }
  /** an RST from one side; from the server before `established`: the SYN refused */
  | { kind: 'rst'; dir: 'c2s' | 's2c' }
);

export interface TcpConnectionRecord {
  client: TcpEndpoint;
  server: TcpEndpoint;
  /** initial sequence numbers (default 1 and 1) */
  isn?: { client: number; server: number };
  /** in time order */
  events: TcpEvent[];
}

export interface PcapngInput {
  /** shb_userappl, e.g. "rdpscope 0.1.0" */
  application?: string;
  /** if_name of the one interface */
  interfaceName?: string;
  /** NSS key log text; a Decryption Secrets Block is written only when it is not empty */
  keyLog?: Uint8Array;
  connections: TcpConnectionRecord[];
}

// ---- blocks ------------------------------------------------------------------------------------

const pad4 = (n: number): number => (4 - (n % 4)) % 4;

/** One option: code, length, value padded to 32 bits. */
function option(code: number, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + value.length + pad4(value.length));
  const dv = new DataView(out.buffer);
  dv.setUint16(0, code, true);
  dv.setUint16(2, value.length, true);
  out.set(value, 4);
  return out;
}

/** The options, then opt_endofopt; nothing at all when there are none. */
function options(list: Uint8Array[]): Uint8Array {
  return list.length ? concat([...list, option(OPT_END, new Uint8Array(0))]) : new Uint8Array(0);
}

const encoder = new TextEncoder();
const utf8 = (s: string): Uint8Array => encoder.encode(s);

/** Block type, total length, body (padded to 32 bits), total length again (§3.1). Little-endian. */
function block(type: number, body: Uint8Array): Uint8Array {
  const len = 12 + body.length + pad4(body.length);
  const out = new Uint8Array(len);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, len, true);
  out.set(body, 8);
  dv.setUint32(len - 4, len, true);
  return out;
}

/** Section Header Block (§4.1): version 1.0, section length unknown (-1). */
function sectionHeader(application?: string): Uint8Array {
  const opts = options(application ? [option(SHB_USERAPPL, utf8(application))] : []);
  const body = new Uint8Array(16 + opts.length);
  const dv = new DataView(body.buffer);
  dv.setUint32(0, BYTE_ORDER_MAGIC, true);
  dv.setUint16(4, 1, true);
  dv.setUint16(6, 0, true);
  dv.setInt32(8, -1, true);
  dv.setInt32(12, -1, true);
  body.set(opts, 16);
  return block(PCAPNG_MAGIC, body);
}

/** Interface Description Block (§4.2): link type, snaplen 0 (no limit), microsecond timestamps. */
function interfaceDescription(linktype: number, name?: string): Uint8Array {
  const opts = options([...(name ? [option(IF_NAME, utf8(name))] : []), option(IF_TSRESOL, Uint8Array.of(6))]);
  const body = new Uint8Array(8 + opts.length);
  const dv = new DataView(body.buffer);
  dv.setUint16(0, linktype, true);
  dv.setUint32(4, 0, true);
  body.set(opts, 8);
  return block(IDB, body);
}

/** Decryption Secrets Block (§4.7): secrets type, secrets length, the data padded to 32 bits, no options. */
function decryptionSecrets(type: number, data: Uint8Array): Uint8Array {
  const body = new Uint8Array(8 + data.length + pad4(data.length));
  const dv = new DataView(body.buffer);
  dv.setUint32(0, type, true);
  dv.setUint32(4, data.length, true);
  body.set(data, 8);
  return block(DSB, body);
}

/** Enhanced Packet Block (§4.3) on interface 0: `at` in ms since the epoch, stored in microseconds. */
function enhancedPacket(at: number, data: Uint8Array, comments: readonly string[] = []): Uint8Array {
  const opts = options(comments.map((c) => option(OPT_COMMENT, utf8(c))));
  const padded = data.length + pad4(data.length);
  const body = new Uint8Array(20 + padded + opts.length);
  const dv = new DataView(body.buffer);
  const ts = BigInt(Math.max(0, Math.round(at * TS_PER_MS)));
  dv.setUint32(0, 0, true);
  dv.setUint32(4, Number(ts >> 32n), true);
  dv.setUint32(8, Number(ts & 0xffffffffn), true);
  dv.setUint32(12, data.length, true);
  dv.setUint32(16, data.length, true);
  body.set(data, 20);
  body.set(opts, 20 + padded);
  return block(EPB, body);
}

// ---- IP and TCP --------------------------------------------------------------------------------

/** The 4 or 16 bytes of an IPv4 or IPv6 address (an IPv6 zone index is dropped); throws on anything else. */
export function addressBytes(ip: string): Uint8Array {
  const b = ipBytes(ip.includes(':') ? ip.replace(/%.*$/, '') : ip);
  if (!b) throw new Error(`not an IP address: ${ip}`);
  return b;
}

/** RFC 1071 one's-complement sum of `parts`, folded to 16 bits (not yet complemented). */
function onesSum(parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const p of parts) {
    for (let i = 0; i < p.length; i++) {
      if (odd === undefined) odd = p[i]!;
      else {
        sum += (odd << 8) | p[i]!;
        odd = undefined;
      }
    }
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

/** The Internet checksum of `parts` (RFC 1071): what goes into the header field. */
export function internetChecksum(parts: Uint8Array[]): number {
  return ~onesSum(parts) & 0xffff;
}

interface Segment { seq: number; ack: number; flags: number; payload?: Uint8Array; mss?: boolean }

function tcpHeader(sport: number, dport: number, s: Segment): Uint8Array {
  const optLen = s.mss ? 4 : 0;
  const h = new Uint8Array(20 + optLen);
  const dv = new DataView(h.buffer);
  dv.setUint16(0, sport);
  dv.setUint16(2, dport);
  dv.setUint32(4, s.seq >>> 0);
  dv.setUint32(8, s.flags & ACK ? s.ack >>> 0 : 0);
  h[12] = ((20 + optLen) / 4) << 4;
  h[13] = s.flags;
  dv.setUint16(14, 65535);
  if (s.mss) {
    h[20] = 2;
    h[21] = 4;
    dv.setUint16(22, MSS);
  }
  return h;
}

/** One IP packet carrying one TCP segment from `src` to `dst`, checksums filled in. */
export function tcpPacket(src: TcpEndpoint, dst: TcpEndpoint, s: Segment, ipId = 0): Uint8Array {
  const sa = addressBytes(src.ip);
  const da = addressBytes(dst.ip);
  if (sa.length !== da.length) throw new Error(`${src.ip} and ${dst.ip} are not the same address family`);
  const payload = s.payload ?? new Uint8Array(0);
  const tcp = tcpHeader(src.port, dst.port, s);
  const tcpLen = tcp.length + payload.length;
  const lenBytes = Uint8Array.of(tcpLen >>> 24, (tcpLen >>> 16) & 0xff, (tcpLen >>> 8) & 0xff, tcpLen & 0xff);
  // pseudo-header: addresses, zero, protocol 6 and the TCP length (IPv4: 16-bit length; IPv6: 32-bit)
  const pseudo = sa.length === 4 ? [sa, da, Uint8Array.of(0, 6), lenBytes.subarray(2)] : [sa, da, lenBytes, Uint8Array.of(0, 0, 0, 6)];
  const sum = internetChecksum([...pseudo, tcp, payload]);
  tcp[16] = sum >> 8;
  tcp[17] = sum & 0xff;
  let ip: Uint8Array;
  if (sa.length === 4) {
    ip = new Uint8Array(20);
    const dv = new DataView(ip.buffer);
    ip[0] = 0x45;
    dv.setUint16(2, 20 + tcpLen);
    dv.setUint16(4, ipId & 0xffff);
    dv.setUint16(6, 0x4000); // DF
    ip[8] = 64;
    ip[9] = 6;
    ip.set(sa, 12);
    ip.set(da, 16);
    dv.setUint16(10, internetChecksum([ip]));
  } else {
    ip = new Uint8Array(40);
    const dv = new DataView(ip.buffer);
    dv.setUint32(0, 0x60000000);
    dv.setUint16(4, tcpLen);
    ip[6] = 6;
    ip[7] = 64;
    ip.set(sa, 8);
    ip.set(da, 24);
  }
  return concat([ip, tcp, payload]);
}

// ---- connections -------------------------------------------------------------------------------

interface Packet { at: number; data: Uint8Array; comments?: string[]; order: number }

/** The packets of one connection, in order: sequence numbers advance by payload, SYN and FIN. */
function connectionPackets(c: TcpConnectionRecord, first: number): Packet[] {
  const out: Packet[] = [];
  const isn = c.isn ?? { client: 1, server: 1 };
  const next = { c2s: isn.client >>> 0, s2c: isn.server >>> 0 };
  const ipId = { c2s: 1, s2c: 1 };
  let established = false;
  let lastAt = -Infinity;
  const send = (at: number, dir: 'c2s' | 's2c', s: Segment): void => {
    const [src, dst] = dir === 'c2s' ? [c.client, c.server] : [c.server, c.client];
    out.push({ at, data: tcpPacket(src, dst, s, ipId[dir]++), order: first + out.length });
  };
  const other = (dir: 'c2s' | 's2c'): 'c2s' | 's2c' => (dir === 'c2s' ? 's2c' : 'c2s');
  for (const e of c.events) {
    // one connection's packets never go back in time, whatever the clock did
    const at = Math.max(e.at, lastAt);
    lastAt = at;
    const before = out.length;
    switch (e.kind) {
      case 'syn':
        send(at, 'c2s', { seq: isn.client, ack: 0, flags: SYN, mss: true });
        next.c2s = (isn.client + 1) >>> 0;
        break;
      case 'established':
        send(at, 's2c', { seq: isn.server, ack: next.c2s, flags: SYN | ACK, mss: true });
        next.s2c = (isn.server + 1) >>> 0;
        send(at, 'c2s', { seq: next.c2s, ack: next.s2c, flags: ACK });
        established = true;
        break;
      case 'data':
        for (let off = 0; off < e.bytes.length; off += MAX_SEGMENT_PAYLOAD) {
          const payload = e.bytes.subarray(off, off + MAX_SEGMENT_PAYLOAD);
          const last = off + MAX_SEGMENT_PAYLOAD >= e.bytes.length;
          send(at, e.dir, { seq: next[e.dir], ack: next[other(e.dir)], flags: ACK | (last ? PSH : 0), payload });
          next[e.dir] = (next[e.dir] + payload.length) >>> 0;
        }
        break;
      case 'fin':
        send(at, e.dir, { seq: next[e.dir], ack: next[other(e.dir)], flags: FIN | ACK });
        next[e.dir] = (next[e.dir] + 1) >>> 0;
        break;
      case 'rst':
        // a refused SYN is answered by RST/ACK with sequence number 0 (RFC 9293 §3.10.7.1)
        if (!established && e.dir === 's2c') send(at, 's2c', { seq: 0, ack: next.c2s, flags: RST | ACK });
        else send(at, e.dir, { seq: next[e.dir], ack: next[other(e.dir)], flags: RST | ACK });
        break;
    }
    if (e.comments?.length && out.length > before) out[out.length - 1]!.comments = [...e.comments];
  }
  return out;
}

/** The whole file: SHB, IDB (LINKTYPE_RAW), the DSB when there is a key log, then every packet in time order. */
export function writePcapng(input: PcapngInput): Uint8Array {
  const packets: Packet[] = [];
  for (const c of input.connections) packets.push(...connectionPackets(c, packets.length));
  // connections interleave by time; within one time, in the order they were described
  packets.sort((a, b) => a.at - b.at || a.order - b.order);
  const blocks = [sectionHeader(input.application), interfaceDescription(LINKTYPE_RAW, input.interfaceName)];
  if (input.keyLog?.length) blocks.push(decryptionSecrets(SECRETS_TLS_KEY_LOG, input.keyLog));
  for (const p of packets) blocks.push(enhancedPacket(p.at, p.data, p.comments));
  return concat(blocks);
}

// ---- rdpscope's own packet comments ------------------------------------------------------------

/**
 * A recording of rdpscope's probe marks what the probe knew that the packets do not show (why it
 * ended the connection, its CredSSP pubKeyAuth check) with packet comments of this form: the prefix,
 * then the tracker input as JSON (bytes as hex), on the packet after which the probe observed it.
 * Comments carry no secret (keys go in the Decryption Secrets Block only).
 */
export const PROBE_NOTE_PREFIX = 'rdpscope-probe ';

/** The comment for one probe observation (any JSON-safe object; Uint8Array values become hex). */
export function encodeProbeNote(input: object): string {
  return PROBE_NOTE_PREFIX + JSON.stringify(input, (_k, v: unknown) => (v instanceof Uint8Array ? toHex(v, '') : v));
}

/** The observation in a comment written by encodeProbeNote, or undefined for any other comment. */
export function decodeProbeNote(comment: string): Record<string, unknown> | undefined {
  if (!comment.startsWith(PROBE_NOTE_PREFIX)) return undefined;
  try {
    const v = JSON.parse(comment.slice(PROBE_NOTE_PREFIX.length)) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
