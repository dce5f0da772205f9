// IPv4 (RFC 791) and IPv6 (RFC 8200) headers: addresses, upper protocol and payload bounds.
// Fragments are not reassembled: non-first fragments are skipped, first fragments are flagged.
import { isIPv4, isIPv6 } from 'node:net';

export interface IpHeader {
  version: 4 | 6;
  /** offsets of the source and destination addresses in the packet (4 or 16 bytes each) */
  src: number;
  dst: number;
  /** upper-layer protocol (6 = TCP) */
  proto: number;
  /** payload start, end of the captured payload, and where the payload ends on the wire */
  start: number;
  end: number;
  wireEnd: number;
  /** a first fragment: the rest of the datagram is in packets this reader does not join */
  fragment: boolean;
}

/** The decoded header, null for a non-first fragment, or why the header cannot be read. */
export function decodeIp(d: Uint8Array, off: number): IpHeader | null | string {
  if (d.length <= off) return 'no IP header';
  const v = d[off]! >> 4;
  if (v === 4) return ipv4(d, off);
  if (v === 6) return ipv6(d, off);
  return `IP version ${v}`;
}

function ipv4(d: Uint8Array, off: number): IpHeader | null | string {
  if (d.length - off < 20) return 'truncated IPv4 header';
  const ihl = (d[off]! & 0x0f) * 4;
  if (ihl < 20) return `IPv4 header length ${ihl} < 20`;
  if (d.length - off < ihl) return 'truncated IPv4 options';
  let total = (d[off + 2]! << 8) | d[off + 3]!;
  // 0 is what captures taken before TCP segmentation offload show: the packet is all there is
  if (total === 0) total = d.length - off;
  if (total < ihl) return `IPv4 total length ${total} < header length ${ihl}`;
  const fragOffset = ((d[off + 6]! & 0x1f) << 8) | d[off + 7]!;
  if (fragOffset !== 0) return null;
  const wireEnd = off + total;
  return {
    version: 4, src: off + 12, dst: off + 16, proto: d[off + 9]!, start: off + ihl,
    end: Math.min(wireEnd, d.length), wireEnd, fragment: (d[off + 6]! & 0x20) !== 0,
  };
}

const HOP_BY_HOP = 0;
const ROUTING = 43;
const FRAGMENT = 44;
const AUTH = 51;
const DEST_OPTS = 60;

function ipv6(d: Uint8Array, off: number): IpHeader | null | string {
  if (d.length - off < 40) return 'truncated IPv6 header';
  const plen = (d[off + 4]! << 8) | d[off + 5]!;
  // payload length 0: a jumbogram or a pre-offload capture; the captured bytes are the packet
  const wireEnd = plen === 0 ? d.length : off + 40 + plen;
  const end = Math.min(wireEnd, d.length);
  let next = d[off + 6]!;
  let p = off + 40;
  let fragment = false;
  for (;;) {
    if (next !== HOP_BY_HOP && next !== ROUTING && next !== DEST_OPTS && next !== FRAGMENT && next !== AUTH) break;
    if (end - p < 8) return 'truncated IPv6 extension header';
    const nh = d[p]!;
    if (next === FRAGMENT) {
      if ((((d[p + 2]! << 8) | d[p + 3]!) >> 3) !== 0) return null;
      fragment = (d[p + 3]! & 1) !== 0;
      p += 8;
    } else {
      p += next === AUTH ? (d[p + 1]! + 2) * 4 : (d[p + 1]! + 1) * 8;
    }
    next = nh;
  }
  if (p > end) return 'truncated IPv6 extension header';
  return { version: 6, src: off + 8, dst: off + 24, proto: next, start: p, end, wireEnd, fragment };
}

/** Printable address: dotted IPv4, or IPv6 in RFC 5952 form. */
export function formatIp(d: Uint8Array, at: number, version: 4 | 6): string {
  if (version === 4) return `${d[at]}.${d[at + 1]}.${d[at + 2]}.${d[at + 3]}`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((d[at + i]! << 8) | d[at + i + 1]!);
  // the longest run of two or more zero groups becomes "::" (the first one on a tie)
  let best = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      best = i;
      bestLen = j - i;
    }
    i = j === i ? i + 1 : j;
  }
  const hex = g.map((x) => x.toString(16));
  if (best < 0) return hex.join(':');
  return `${hex.slice(0, best).join(':')}::${hex.slice(best + bestLen).join(':')}`;
}

/** The 4 or 16 bytes of an IPv4 or IPv6 address, or undefined when `s` is neither. */
export function ipBytes(s: string): Uint8Array | undefined {
  if (isIPv4(s)) return Uint8Array.from(s.split('.').map(Number));
  if (!isIPv6(s) || s.includes('%')) return undefined;
  let tail4: number[] = [];
  let text = s;
  const dot = s.lastIndexOf(':');
  if (s.slice(dot + 1).includes('.')) {
    tail4 = s.slice(dot + 1).split('.').map(Number);
    text = `${s.slice(0, dot + 1)}0:0`; // two groups' room, filled below
  }
  const [head, rest] = text.split('::') as [string, string | undefined];
  const groups = (g: string): number[] => (g ? g.split(':').map((x) => parseInt(x, 16)) : []);
  const h = groups(head);
  const t = groups(rest ?? '');
  const all = rest === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    out[2 * i] = g >> 8;
    out[2 * i + 1] = g & 0xff;
  });
  if (tail4.length) out.set(tail4, 12);
  return out;
}
