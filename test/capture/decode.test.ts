import { describe, expect, it } from 'vitest';
import { decodeIp, formatIp, type IpHeader } from '../../src/capture/ip.js';
import { NOT_IP, ipOffset } from '../../src/capture/link.js';
import { decodeTcp } from '../../src/capture/tcp.js';
import { ascii, concat, ether, ext6, F, ip, tcpHeader, type Seg } from './helpers.js';

const seg: Seg = { src: '192.0.2.1', dst: '198.51.100.2', sport: 50000, dport: 3389, seq: 0xfffffff0, ack: 7, flags: F.SYN | F.ACK, payload: ascii('hello') };
const v4 = ip(seg.src, seg.dst, tcpHeader(seg));
const v6 = ip('2001:db8::1', 'fe80::2', tcpHeader(seg));
const u8 = (...b: number[]): Uint8Array => Uint8Array.from(b);

describe('link layers', () => {
  const cases: Array<[string, number, Uint8Array, number]> = [
    ['Ethernet', 1, ether(v4), 14],
    ['Ethernet + 802.1Q', 1, ether(v4, { vlans: [0x8100] }), 18],
    ['Ethernet + 802.1ad + 802.1Q (stacked)', 1, ether(v6, { vlans: [0x88a8, 0x8100] }), 22],
    ['Linux cooked SLL', 113, concat([u8(0, 0, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0x08, 0x00), v4]), 16],
    ['Linux cooked SLL2', 276, concat([u8(0x86, 0xdd, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0), v6]), 20],
    ['NULL, little-endian AF_INET', 0, concat([u8(2, 0, 0, 0), v4]), 4],
    ['NULL, big-endian AF_INET6 (FreeBSD 28)', 0, concat([u8(0, 0, 0, 28), v6]), 4],
    ['NULL, little-endian AF_INET6 (macOS 30)', 0, concat([u8(30, 0, 0, 0), v6]), 4],
    ['NULL, AF_INET6 24 (OpenBSD)', 0, concat([u8(24, 0, 0, 0), v6]), 4],
    ['LOOP (network order)', 108, concat([u8(0, 0, 0, 2), v4]), 4],
    ['raw IP 101', 101, v6, 0],
    ['raw IP 12', 12, v4, 0],
    ['raw IP 14', 14, v4, 0],
    ['IPv4 228', 228, v4, 0],
    ['IPv6 229', 229, v6, 0],
  ];
  for (const [name, linktype, frame, off] of cases) {
    it(`finds IP after ${name}`, () => {
      expect(ipOffset(linktype, frame)).toBe(off);
      const h = decodeIp(frame, off) as IpHeader;
      expect(decodeTcp(frame, h.start, h.end, h.wireEnd)).toMatchObject({ srcPort: 50000, dstPort: 3389 });
    });
  }

  it('says NOT_IP for other payloads, and why for short or unsupported frames', () => {
    expect(ipOffset(1, ether(v4, { type: 0x0806 }))).toBe(NOT_IP);
    expect(ipOffset(1, ether(v4, { type: 0x05dc }))).toBe(NOT_IP); // 802.3 length field: LLC
    expect(ipOffset(0, concat([u8(7, 0, 0, 0), v4]))).toBe(NOT_IP);
    expect(ipOffset(1, u8(1, 2, 3))).toBe('truncated Ethernet header');
    expect(ipOffset(1, ether(new Uint8Array(0), { vlans: [0x8100] }).subarray(0, 16))).toBe('truncated VLAN tag');
    expect(ipOffset(113, u8(0, 0))).toBe('truncated Linux cooked (SLL) header');
    expect(ipOffset(276, u8(0, 0))).toBe('truncated Linux cooked (SLL2) header');
    expect(ipOffset(0, u8(2))).toBe('truncated loopback header');
    expect(ipOffset(127, v4)).toBe('unsupported link type 127');
  });
});

describe('IPv4', () => {
  it('reads addresses, protocol and payload bounds', () => {
    const h = decodeIp(v4, 0) as IpHeader;
    expect(h).toEqual({ version: 4, src: 12, dst: 16, proto: 6, start: 20, end: v4.length, wireEnd: v4.length, fragment: false });
    expect(formatIp(v4, h.src, 4)).toBe('192.0.2.1');
  });

  it('honours options, Ethernet padding, snaplen cuts and a TSO zero length', () => {
    const opts = concat([u8(0x46), v4.subarray(1, 20), u8(1, 1, 1, 0), v4.subarray(20)]);
    opts[3] = v4.length + 4;
    expect(decodeIp(opts, 0)).toMatchObject({ start: 24, end: v4.length + 4 });
    const padded = concat([v4, new Uint8Array(6)]);
    expect(decodeIp(padded, 0)).toMatchObject({ end: v4.length, wireEnd: v4.length });
    expect(decodeIp(v4.subarray(0, 30), 0)).toMatchObject({ end: 30, wireEnd: v4.length });
    const tso = v4.slice();
    tso[2] = 0;
    tso[3] = 0;
    expect(decodeIp(tso, 0)).toMatchObject({ end: v4.length, wireEnd: v4.length });
  });

  it('skips non-first fragments and flags first ones', () => {
    const first = v4.slice();
    first[6] = 0x20; // MF
    expect(decodeIp(first, 0)).toMatchObject({ fragment: true });
    const later = v4.slice();
    later[7] = 0x10;
    expect(decodeIp(later, 0)).toBeNull();
  });

  it('explains malformed headers', () => {
    expect(decodeIp(v4.subarray(0, 19), 0)).toBe('truncated IPv4 header');
    const small = v4.slice();
    small[0] = 0x44;
    expect(decodeIp(small, 0)).toBe('IPv4 header length 16 < 20');
    const total = v4.slice();
    total[2] = 0;
    total[3] = 10;
    expect(decodeIp(total, 0)).toBe('IPv4 total length 10 < header length 20');
    expect(decodeIp(u8(0x25), 0)).toBe('IP version 2');
    expect(decodeIp(v4, v4.length)).toBe('no IP header');
  });
});

describe('IPv6', () => {
  it('reads a plain header', () => {
    expect(decodeIp(v6, 0)).toEqual({ version: 6, src: 8, dst: 24, proto: 6, start: 40, end: v6.length, wireEnd: v6.length, fragment: false });
  });

  it('walks hop-by-hop, routing, destination options, AH and fragment headers', () => {
    const ext = ext6([0, 43, 60, 51, 44]);
    const pkt = ip('2001:db8::1', '2001:db8::2', tcpHeader(seg), 6, ext);
    const h = decodeIp(pkt, 0) as IpHeader;
    expect(h).toMatchObject({ proto: 6, start: 40 + 16 * 3 + 12 + 8, fragment: false });
    expect(decodeTcp(pkt, h.start, h.end, h.wireEnd)).toMatchObject({ dstPort: 3389, seq: 0xfffffff0 });
  });

  it('flags first fragments, skips later ones', () => {
    const first = ip('::1', '::2', tcpHeader(seg), 6, ext6([44], 6, { offset: 0, more: true }));
    expect(decodeIp(first, 0)).toMatchObject({ fragment: true, proto: 6 });
    const later = ip('::1', '::2', tcpHeader(seg), 6, ext6([44], 6, { offset: 185, more: false }));
    expect(decodeIp(later, 0)).toBeNull();
  });

  it('explains truncated headers', () => {
    expect(decodeIp(v6.subarray(0, 39), 0)).toBe('truncated IPv6 header');
    const pkt = ip('::1', '::2', tcpHeader(seg), 6, ext6([0, 60]));
    expect(decodeIp(pkt.subarray(0, 50), 0)).toBe('truncated IPv6 extension header');
  });

  it('prints addresses in RFC 5952 form', () => {
    const a = (s: string): string => formatIp(ip(s, '::', new Uint8Array(0)), 8, 6);
    expect(a('2001:db8::1')).toBe('2001:db8::1');
    expect(a('2001:db8:0:0:1:0:0:1')).toBe('2001:db8::1:0:0:1');
    expect(a('2001:0:0:1:0:0:0:1')).toBe('2001:0:0:1::1');
    expect(a('2001:db8:0:1:1:1:1:1')).toBe('2001:db8:0:1:1:1:1:1');
    expect(a('::')).toBe('::');
    expect(a('fe80::')).toBe('fe80::');
  });
});

describe('TCP', () => {
  it('reads ports, 32-bit sequence numbers, flags and payload', () => {
    const h = decodeIp(v4, 0) as IpHeader;
    const t = decodeTcp(v4, h.start, h.end, h.wireEnd);
    expect(t).toEqual({ srcPort: 50000, dstPort: 3389, seq: 0xfffffff0, ack: 7, flags: F.SYN | F.ACK, start: 44, end: 49, wireLength: 5 });
  });

  it('keeps the wire length of a payload the capture cut short', () => {
    expect(decodeTcp(v4, 20, 46, 49)).toMatchObject({ end: 46, wireLength: 5 });
  });

  it('explains malformed headers', () => {
    expect(decodeTcp(v4, 20, 39, 39)).toBe('truncated TCP header');
    const bad = v4.slice();
    bad[32] = 0x40;
    expect(decodeTcp(bad, 20, bad.length, bad.length)).toBe('TCP data offset 16 < 20');
    expect(decodeTcp(v4, 20, 42, 49)).toBe('truncated TCP options');
    expect(decodeTcp(v4, 20, 49, 42)).toBe('TCP header (24 bytes) longer than its IP payload');
  });
});
