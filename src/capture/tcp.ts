// TCP header (RFC 9293 §3.1): ports, sequence and acknowledgment numbers, flags, payload bounds;
// and the key of a connection (its two endpoints), the same in both directions.
import type { IpHeader } from './ip.js';

export const FIN = 0x01;
export const SYN = 0x02;
export const RST = 0x04;
export const PSH = 0x08;
export const ACK = 0x10;

export interface TcpHeader {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** payload start and end of its captured bytes in the packet */
  start: number;
  end: number;
  /** payload length on the wire (more than end - start when the capture cut the packet short) */
  wireLength: number;
}

/**
 * Decodes the TCP header at `off`; `end` is the end of the captured IP payload and `wireEnd` its
 * end on the wire. Returns why when the header itself is not all there.
 */
export function decodeTcp(d: Uint8Array, off: number, end: number, wireEnd: number): TcpHeader | string {
  if (end - off < 20) return 'truncated TCP header';
  const hlen = (d[off + 12]! >> 4) * 4;
  if (hlen < 20) return `TCP data offset ${hlen} < 20`;
  if (end - off < hlen) return 'truncated TCP options';
  if (wireEnd - off < hlen) return `TCP header (${hlen} bytes) longer than its IP payload`;
  return {
    srcPort: (d[off]! << 8) | d[off + 1]!,
    dstPort: (d[off + 2]! << 8) | d[off + 3]!,
    seq: ((d[off + 4]! << 24) | (d[off + 5]! << 16) | (d[off + 6]! << 8) | d[off + 7]!) >>> 0,
    ack: ((d[off + 8]! << 24) | (d[off + 9]! << 16) | (d[off + 10]! << 8) | d[off + 11]!) >>> 0,
    flags: d[off + 13]!,
    start: off + hlen,
    end,
    wireLength: wireEnd - off - hlen,
  };
}

/** Whether the sender's endpoint (address, then port) sorts before the receiver's. */
export function senderSortsFirst(d: Uint8Array, ip: IpHeader, tcp: TcpHeader): boolean {
  const n = ip.version === 4 ? 4 : 16;
  for (let i = 0; i < n; i++) {
    const s = d[ip.src + i]!;
    const r = d[ip.dst + i]!;
    if (s !== r) return s < r;
  }
  return tcp.srcPort <= tcp.dstPort;
}

/** The endpoints as 16-bit string units, the one that sorts first first: one key for both directions. */
export function connectionKey(d: Uint8Array, ip: IpHeader, tcp: TcpHeader, senderFirst: boolean): string {
  const a = senderFirst ? ip.src : ip.dst;
  const b = senderFirst ? ip.dst : ip.src;
  const aPort = senderFirst ? tcp.srcPort : tcp.dstPort;
  const bPort = senderFirst ? tcp.dstPort : tcp.srcPort;
  if (ip.version === 4) {
    return String.fromCharCode((d[a]! << 8) | d[a + 1]!, (d[a + 2]! << 8) | d[a + 3]!, aPort, (d[b]! << 8) | d[b + 1]!, (d[b + 2]! << 8) | d[b + 3]!, bPort);
  }
  return endpoint6(d, a, aPort) + endpoint6(d, b, bPort);
}

function endpoint6(d: Uint8Array, at: number, port: number): string {
  let s = '';
  for (let i = 0; i < 16; i += 2) s += String.fromCharCode((d[at + i]! << 8) | d[at + i + 1]!);
  return s + String.fromCharCode(port);
}
