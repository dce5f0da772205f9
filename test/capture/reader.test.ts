import { describe, expect, it } from 'vitest';
import { CaptureParser, type CaptureIssue, type CapturedPacket } from '../../src/capture/reader.js';
import { concat, epb, fixture, idb, obsoletePb, otherBlock, pcap, shb, spb } from './helpers.js';

function read(bytes: Uint8Array, chunkSizes?: number[]): { pkts: CapturedPacket[]; issues: CaptureIssue[] } {
  const p = new CaptureParser();
  const pkts: CapturedPacket[] = [];
  let at = 0;
  for (const n of chunkSizes ?? [bytes.length]) {
    pkts.push(...p.push(bytes.subarray(at, at + n)));
    at += n;
  }
  if (at < bytes.length) pkts.push(...p.push(bytes.subarray(at)));
  return { pkts, issues: p.end() };
}

const bytesOf = (n: number, seed = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
const plain = (pkts: CapturedPacket[]) => pkts.map((p) => ({ ...p, data: Array.from(p.data) }));

describe('classic pcap', () => {
  for (const le of [true, false]) {
    for (const ns of [false, true]) {
      it(`reads ${le ? 'little' : 'big'}-endian ${ns ? 'nanosecond' : 'microsecond'} files`, () => {
        const at = ns ? 1000.000001 : 1000.001; // 1 s plus one tick of the resolution
        const file = pcap([{ data: bytesOf(60), at, origLen: 1514 }, { data: bytesOf(0), at: 2000 }], { le, ns, linktype: 113 });
        const { pkts, issues } = read(file);
        expect(issues).toEqual([]);
        expect(pkts).toHaveLength(2);
        expect(pkts[0]).toMatchObject({ number: 1, linktype: 113, origLen: 1514, capLen: 60, interfaceId: 0, offset: 24 });
        expect(pkts[0]!.at).toBeCloseTo(at, 9);
        expect(Array.from(pkts[0]!.data)).toEqual(Array.from(bytesOf(60)));
        expect(pkts[1]).toMatchObject({ number: 2, at: 2000, capLen: 0, offset: 24 + 16 + 60 });
      });
    }
  }

  it('takes the link type from the low 16 bits (FCS length sits in the high bits)', () => {
    const { pkts } = read(pcap([{ data: bytesOf(4) }], { linktype: 0x40000000 | 1 }));
    expect(pkts[0]!.linktype).toBe(1);
  });

  it('rejects a pcap version other than 2.x', () => {
    const file = pcap([{ data: bytesOf(4) }]);
    file[4] = 3;
    const { pkts, issues } = read(file);
    expect(pkts).toEqual([]);
    expect(issues).toEqual([{ offset: 0, reason: 'unsupported pcap version 3.4', fatal: true }]);
  });

  it('stops at an absurd captured length and keeps the packets before it', () => {
    const file = pcap([{ data: bytesOf(10) }, { data: bytesOf(10) }, { data: bytesOf(10) }]);
    new DataView(file.buffer).setUint32(24 + 26 + 8, 0x7fffffff, true); // packet 2's caplen
    const { pkts, issues } = read(file);
    expect(pkts.map((p) => p.number)).toEqual([1]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ packet: 2, offset: 50, fatal: true });
    expect(issues[0]!.reason).toMatch(/claims 2147483647 captured bytes/);
  });

  it('returns packets as views into the pushed chunk, without copies', () => {
    const file = pcap([{ data: bytesOf(100) }, { data: bytesOf(100) }]);
    const { pkts } = read(file);
    expect(pkts.every((p) => p.data.buffer === file.buffer)).toBe(true);
  });
});

describe('pcapng', () => {
  for (const le of [true, false]) {
    it(`reads ${le ? 'little' : 'big'}-endian sections with if_tsresol 10^-9 and if_tsoffset`, () => {
      const file = concat([
        shb(le),
        idb(le, 1, { tsresol: 9, tsoffset: 100 }),
        epb(le, 0, 1_700_000_000_123_456_789n, bytesOf(42), 1500),
      ]);
      const { pkts, issues } = read(file);
      expect(issues).toEqual([]);
      expect(pkts).toHaveLength(1);
      expect(pkts[0]).toMatchObject({ number: 1, linktype: 1, origLen: 1500, capLen: 42, interfaceId: 0 });
      expect(pkts[0]!.at).toBeCloseTo(1_700_000_100_123.456789, 3);
      expect(Array.from(pkts[0]!.data)).toEqual(Array.from(bytesOf(42)));
    });
  }

  it('uses microseconds without if_tsresol, and power-of-two resolutions', () => {
    const file = concat([
      shb(), idb(true, 1), idb(true, 101, { tsresol: 0x8a }),
      epb(true, 0, 1_500_000n, bytesOf(8)),
      epb(true, 1, 5n * 1024n + 512n, bytesOf(8)),
    ]);
    const { pkts } = read(file);
    expect(pkts.map((p) => [p.at, p.linktype, p.interfaceId])).toEqual([[1500, 1, 0], [5500, 101, 1]]);
  });

  it('starts over at each section header, whose byte order may change', () => {
    const file = concat([
      shb(true), idb(true, 1), epb(true, 0, 1000n, bytesOf(4)),
      shb(false), idb(false, 228), epb(false, 0, 2000n, bytesOf(4, 1)),
    ]);
    const { pkts, issues } = read(file);
    expect(issues).toEqual([]);
    expect(pkts.map((p) => [p.number, p.linktype, p.at])).toEqual([[1, 1, 1], [2, 228, 2]]);
  });

  it('reads simple and obsolete packet blocks and skips other blocks', () => {
    const file = concat([
      shb(), idb(true, 1, { snaplen: 6 }), otherBlock(true, 4), epb(true, 0, 7000n, bytesOf(4)),
      spb(true, bytesOf(8), 8), otherBlock(true, 5), obsoletePb(true, 0, 9000n, bytesOf(3)), otherBlock(true, 0x40000bad),
    ]);
    const { pkts, issues } = read(file);
    expect(issues).toEqual([]);
    // the SPB has no timestamp: it keeps the previous packet's; its snaplen cuts it to 6 bytes
    expect(pkts.map((p) => [p.number, p.at, p.capLen, p.origLen])).toEqual([[1, 7, 4, 4], [2, 7, 6, 8], [3, 9, 3, 3]]);
  });

  it('reports a packet on an undescribed interface and goes on', () => {
    const file = concat([shb(), idb(true, 1), epb(true, 3, 0n, bytesOf(4)), epb(true, 0, 0n, bytesOf(4))]);
    const { pkts, issues } = read(file);
    expect(pkts.map((p) => p.number)).toEqual([2]);
    expect(issues).toEqual([{ packet: 1, offset: 28 + 24, reason: 'packet 1 refers to interface 3, which no interface block described' }]);
  });

  it('reports an unusable if_tsresol and assumes microseconds', () => {
    const { pkts, issues } = read(concat([shb(), idb(true, 1, { tsresol: 0x7f }), epb(true, 0, 2000n, bytesOf(4))]));
    expect(pkts[0]!.at).toBe(2);
    expect(issues[0]!.reason).toMatch(/unusable if_tsresol/);
  });

  const fatal: Array<[string, (f: Uint8Array) => void, RegExp]> = [
    ['a trailing length that differs', (f) => { f[f.length - 1] = 9; }, /trailing length differs/],
    ['a block length that is not a multiple of 4', (f) => { f[28 + 24 + 4] = 0x49; }, /impossible length/],
    ['a block length over the limit', (f) => { f[28 + 24 + 7] = 0x7f; }, /impossible length/],
    ['a wrong byte-order magic', (f) => { f[8] = 0; }, /byte-order magic/],
    ['version 2', (f) => { f[12] = 2; }, /unsupported pcapng version 2/],
  ];
  for (const [what, corrupt, reason] of fatal) {
    it(`stops cleanly on ${what}`, () => {
      const file = concat([shb(), idb(true, 1), epb(true, 0, 0n, bytesOf(4))]);
      corrupt(file);
      const { pkts, issues } = read(file);
      expect(pkts).toEqual([]);
      expect(issues).toHaveLength(1);
      expect(issues[0]!.fatal).toBe(true);
      expect(issues[0]!.reason).toMatch(reason);
    });
  }
});

describe('CaptureParser', () => {
  it('detects the format by magic, not by name', () => {
    expect(read(fixture('rdp-x509-ns.pcapng')).pkts).toHaveLength(15);
    expect(read(fixture('rdp-x509.pcap')).pkts).toHaveLength(15);
  });

  it('reads a Wireshark-written nanosecond pcapng like the microsecond pcap it came from', () => {
    const ng = read(fixture('rdp-x509-ns.pcapng')).pkts;
    const classic = read(fixture('rdp-x509.pcap')).pkts;
    expect(ng.map((p) => Array.from(p.data))).toEqual(classic.map((p) => Array.from(p.data)));
    ng.forEach((p, i) => expect(p.at).toBeCloseTo(classic[i]!.at, 3));
    expect(ng[0]!.at).toBeCloseTo(Date.UTC(2015, 1, 12, 15, 39, 51) + 55.977, 3);
  });

  it('reports unknown magic, empty files and files too short', () => {
    expect(read(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 1, 2, 3])).issues).toEqual([
      { offset: 0, reason: 'not a pcap or pcapng file (magic 0x7f454c46)', fatal: true },
    ]);
    expect(read(new Uint8Array(0)).issues).toEqual([{ offset: 0, reason: 'empty file', fatal: true }]);
    expect(read(Uint8Array.from([0xd4, 0xc3])).issues[0]!.reason).toMatch(/too short/);
  });

  it('reports a file cut short mid-packet after returning every whole packet', () => {
    const file = pcap([{ data: bytesOf(50) }, { data: bytesOf(50) }, { data: bytesOf(50) }]);
    const { pkts, issues } = read(file.subarray(0, file.length - 5));
    expect(pkts.map((p) => p.number)).toEqual([1, 2]);
    expect(issues).toEqual([{ packet: 3, offset: 156, reason: 'file cut short: truncated in packet 3 (61 of 66 bytes present)' }]);
    expect(read(file.subarray(0, 20)).issues[0]!.reason).toBe('file cut short: truncated in the pcap file header (20 of 24 bytes present)');
    const ng = concat([shb(), idb(true, 1), epb(true, 0, 0n, bytesOf(4)), epb(true, 0, 0n, bytesOf(4))]);
    const cut = read(ng.subarray(0, ng.length - 10));
    expect(cut.pkts).toHaveLength(1);
    expect(cut.issues[0]).toMatchObject({ packet: 2, reason: expect.stringMatching(/^file cut short: truncated in packet 2 \(/) });
  });

  it('gives the same packets however the file is split into chunks', () => {
    const files = [
      pcap([{ data: bytesOf(30), at: 1 }, { data: bytesOf(0), at: 2 }, { data: bytesOf(17), at: 3 }], { le: false, ns: true }),
      concat([shb(), idb(true, 1, { tsresol: 9 }), epb(true, 0, 5n, bytesOf(13)), spb(true, bytesOf(5)), shb(false), idb(false, 113), epb(false, 0, 9n, bytesOf(20))]),
    ];
    for (const file of files) {
      const whole = plain(read(file).pkts);
      for (let cut = 0; cut <= file.length; cut++) expect(plain(read(file, [cut]).pkts)).toEqual(whole);
      expect(plain(read(file, new Array<number>(file.length).fill(1)).pkts)).toEqual(whole);
    }
  });

  it('never throws on corrupted input and keeps push() usable after a stop', () => {
    const base = fixture('rdp-x509.pcap');
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
    for (let i = 0; i < 300; i++) {
      const f = base.slice(0, 24 + rand(base.length - 24));
      for (let k = 0; k < 4; k++) f[rand(f.length)] = rand(256);
      const p = new CaptureParser();
      expect(() => {
        for (let o = 0; o < f.length; o += 97) p.push(f.subarray(o, o + 97));
        p.end();
        p.push(f);
      }).not.toThrow();
    }
  });
});
