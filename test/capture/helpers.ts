// Builders for capture files and packets, byte by byte, so tests control every field.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { concatBytes } from '../../src/wire/writer.js';

export const FIXTURES = new URL('../../fixtures/pcaps/', import.meta.url);
export const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, FIXTURES)));
export const sha256 = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
export const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);

export const concat = concatBytes;

/** A little writer with a byte order chosen per call site. */
class W {
  private bytes: number[] = [];
  constructor(private readonly le: boolean) {}
  u8(v: number): this { this.bytes.push(v & 0xff); return this; }
  u16(v: number): this {
    const b = [(v >>> 8) & 0xff, v & 0xff];
    this.bytes.push(...(this.le ? b.reverse() : b));
    return this;
  }
  u32(v: number): this {
    const b = [(v >>> 24) & 0xff, (v >>> 16) & 0xff, (v >>> 8) & 0xff, v & 0xff];
    this.bytes.push(...(this.le ? b.reverse() : b));
    return this;
  }
  raw(b: ArrayLike<number>): this {
    for (let i = 0; i < b.length; i++) this.bytes.push(b[i]!);
    return this;
  }
  pad4(): this { while (this.bytes.length % 4) this.bytes.push(0); return this; }
  get length(): number { return this.bytes.length; }
  done(): Uint8Array { return Uint8Array.from(this.bytes); }
}

export interface Rec { data: Uint8Array; at?: number; origLen?: number; iface?: number }

/** Classic pcap: `at` in ms since the epoch. */
export function pcap(recs: Rec[], o: { le?: boolean; ns?: boolean; linktype?: number } = {}): Uint8Array {
  const le = o.le ?? true;
  const w = new W(le).u32(o.ns ? 0xa1b23c4d : 0xa1b2c3d4).u16(2).u16(4).u32(0).u32(0).u32(65535).u32(o.linktype ?? 1);
  for (const r of recs) {
    const at = r.at ?? 0;
    const sec = Math.floor(at / 1000);
    const frac = Math.round((at - sec * 1000) * (o.ns ? 1e6 : 1e3));
    w.u32(sec).u32(frac).u32(r.data.length).u32(r.origLen ?? r.data.length).raw(r.data);
  }
  return w.done();
}

function block(le: boolean, type: number, body: (w: W) => void): Uint8Array {
  const w = new W(le);
  body(w);
  w.pad4();
  const len = w.length + 12;
  return new W(le).u32(type).u32(len).raw(w.done()).u32(len).done();
}

export const shb = (le = true, version = 1): Uint8Array =>
  block(le, 0x0a0d0d0a, (w) => w.u32(0x1a2b3c4d).u16(version).u16(0).u32(0xffffffff).u32(0xffffffff));

export function idb(le: boolean, linktype: number, o: { tsresol?: number; tsoffset?: number; snaplen?: number } = {}): Uint8Array {
  return block(le, 1, (w) => {
    w.u16(linktype).u16(0).u32(o.snaplen ?? 0);
    if (o.tsresol !== undefined) w.u16(9).u16(1).u8(o.tsresol).pad4();
    if (o.tsoffset !== undefined) {
      const hi = Math.floor(o.tsoffset / 4294967296);
      const words = [hi, o.tsoffset - hi * 4294967296];
      w.u16(14).u16(8);
      for (const x of le ? words.reverse() : words) w.u32(x);
    }
    w.u16(0).u16(0);
  });
}

/** Enhanced Packet Block with a raw 64-bit timestamp in interface units. */
export function epb(le: boolean, iface: number, ts: bigint, data: Uint8Array, origLen = data.length): Uint8Array {
  return block(le, 6, (w) => {
    w.u32(iface).u32(Number(ts >> 32n)).u32(Number(ts & 0xffffffffn)).u32(data.length).u32(origLen).raw(data).pad4();
    w.u16(1).u16(3).raw(ascii('hi!')).pad4().u16(0).u16(0); // an opt_comment, to be skipped
  });
}

export const spb = (le: boolean, data: Uint8Array, origLen = data.length): Uint8Array =>
  block(le, 3, (w) => w.u32(origLen).raw(data).pad4());

export const obsoletePb = (le: boolean, iface: number, ts: bigint, data: Uint8Array): Uint8Array =>
  block(le, 2, (w) => w.u16(iface).u16(0).u32(Number(ts >> 32n)).u32(Number(ts & 0xffffffffn)).u32(data.length).u32(data.length).raw(data));

export const otherBlock = (le: boolean, type: number): Uint8Array => block(le, type, (w) => w.u32(0x12345678));

// ---- packets -------------------------------------------------------------------------------

export const F = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16 } as const;

function ipBytes(a: string): number[] {
  if (a.includes('.')) return a.split('.').map(Number);
  const [head, tail] = a.split('::') as [string, string | undefined];
  const groups = (s: string | undefined): number[] => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

export interface Seg { src: string; dst: string; sport: number; dport: number; seq: number; ack?: number; flags: number; payload?: Uint8Array }

export function tcpHeader(s: Seg): Uint8Array {
  const w = new W(false).u16(s.sport).u16(s.dport).u32(s.seq >>> 0).u32((s.ack ?? 0) >>> 0);
  return w.u8(0x60).u8(s.flags).u16(65535).u16(0).u16(0).raw([2, 4, 5, 0xb4]).raw(s.payload ?? []).done();
}

/** IPv6 extension headers, chained: the type of the first and the bytes of all. */
export interface Ext6 { first: number; bytes: Uint8Array }

/** Extension headers of the given types in order, the last pointing at `proto`. */
export function ext6(types: number[], proto = 6, fragment = { offset: 0, more: false }): Ext6 {
  const hdrs = types.map((t, i) => {
    const next = types[i + 1] ?? proto;
    if (t === 44) {
      const v = (fragment.offset << 3) | (fragment.more ? 1 : 0);
      return Uint8Array.from([next, 0, v >> 8, v & 0xff, 0, 0, 0, 1]);
    }
    if (t === 51) return Uint8Array.from([next, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]); // AH: (1 + 2) * 4 bytes
    return Uint8Array.from([next, 1, ...new Array<number>(14).fill(0)]); // (1 + 1) * 8 bytes
  });
  return { first: types[0]!, bytes: concat(hdrs) };
}

/** IPv4 or IPv6 (by the address form) carrying `upper`. */
export function ip(src: string, dst: string, upper: Uint8Array, proto = 6, ext?: Ext6): Uint8Array {
  if (src.includes('.')) {
    return new W(false).u8(0x45).u8(0).u16(20 + upper.length).u16(1).u16(0x4000).u8(64).u8(proto).u16(0)
      .raw(ipBytes(src)).raw(ipBytes(dst)).raw(upper).done();
  }
  const rest = ext ? concat([ext.bytes, upper]) : upper;
  return new W(false).u32(0x60000000).u16(rest.length).u8(ext ? ext.first : proto).u8(64)
    .raw(ipBytes(src)).raw(ipBytes(dst)).raw(rest).done();
}

export const tcpIp = (s: Seg): Uint8Array => ip(s.src, s.dst, tcpHeader(s));

export function ether(payload: Uint8Array, o: { vlans?: number[]; type?: number } = {}): Uint8Array {
  const w = new W(false).raw([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  for (const tag of o.vlans ?? []) w.u16(tag).u16(1);
  const v6 = (payload[0]! >> 4) === 6;
  return w.u16(o.type ?? (v6 ? 0x86dd : 0x0800)).raw(payload).done();
}

/** A scripted TCP connection: each call returns the Ethernet frame of one segment. */
export class Conn {
  cseq: number;
  sseq: number;
  private readonly isn: { c: number; s: number };
  constructor(
    readonly client = '10.0.0.1', readonly cport = 50000, readonly server = '10.0.0.2', readonly sport = 3389,
    isn: { c?: number; s?: number } = {},
  ) {
    this.isn = { c: isn.c ?? 1000, s: isn.s ?? 5000 };
    this.cseq = this.isn.c;
    this.sseq = this.isn.s;
  }
  private seg(fromClient: boolean, flags: number, payload: Uint8Array | undefined, seq?: number): Uint8Array {
    const s: Seg = fromClient
      ? { src: this.client, dst: this.server, sport: this.cport, dport: this.sport, seq: seq ?? this.cseq, ack: this.sseq, flags }
      : { src: this.server, dst: this.client, sport: this.sport, dport: this.cport, seq: seq ?? this.sseq, ack: this.cseq, flags };
    if (payload) s.payload = payload;
    const adv = (payload?.length ?? 0) + (flags & (F.SYN | F.FIN) ? 1 : 0);
    if (seq === undefined) {
      if (fromClient) this.cseq = (this.cseq + adv) >>> 0;
      else this.sseq = (this.sseq + adv) >>> 0;
    }
    return ether(tcpIp(s));
  }
  /** the SYN (again, when retransmitted: always the initial sequence number) */
  syn(): Uint8Array {
    this.cseq = (this.isn.c + 1) >>> 0;
    return this.seg(true, F.SYN, undefined, this.isn.c);
  }
  synAck(): Uint8Array {
    this.sseq = (this.isn.s + 1) >>> 0;
    return this.seg(false, F.SYN | F.ACK, undefined, this.isn.s);
  }
  ack(): Uint8Array { return this.seg(true, F.ACK, undefined); }
  c(p: Uint8Array, flags: number = F.ACK | F.PSH): Uint8Array { return this.seg(true, flags, p); }
  s(p: Uint8Array, flags: number = F.ACK | F.PSH): Uint8Array { return this.seg(false, flags, p); }
  /** a client segment at an explicit sequence number (retransmission, reordering); state unchanged */
  cAt(seq: number, p: Uint8Array): Uint8Array { return this.seg(true, F.ACK | F.PSH, p, seq); }
  finC(): Uint8Array { return this.seg(true, F.FIN | F.ACK, undefined); }
  finS(): Uint8Array { return this.seg(false, F.FIN | F.ACK, undefined); }
  rstC(): Uint8Array { return this.seg(true, F.RST | F.ACK, undefined); }
  rstS(): Uint8Array { return this.seg(false, F.RST | F.ACK, undefined); }
}

/** An RDP Connection Request: TPKT + X.224 CR + cookie + RDP_NEG_REQ(SSL|HYBRID). */
export function rdpCr(cookie = 'Cookie: mstshash=test\r\n'): Uint8Array {
  const body = [...ascii(cookie), 0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00];
  const len = 11 + body.length;
  return Uint8Array.from([3, 0, len >> 8, len & 0xff, len - 5, 0xe0, 0, 0, 0, 0, 0, ...body]);
}

/** A COTP CR as S7comm sends it: TSAP parameters, nothing RDP. */
export const s7Cr = (): Uint8Array =>
  Uint8Array.from([3, 0, 0, 0x16, 0x11, 0xe0, 0, 0, 0, 1, 0, 0xc1, 2, 1, 0, 0xc2, 2, 1, 2, 0xc0, 1, 0x0a]);
