import { describe, expect, it } from 'vitest';
import { CaptureParser, type CaptureIssue, type CapturedPacket } from '../../src/capture/reader.js';
import { MAX_PACKET_ISSUES } from '../../src/capture/types.js';
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
    expect(issues).toEqual([{ offset: 0, reason: 'unsupported pcap version 3.4', fatal: true, unreadable: true }]);
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
      { offset: 0, reason: 'not a pcap or pcapng file (magic 0x7f454c46)', fatal: true, unreadable: true },
    ]);
    expect(read(new Uint8Array(0)).issues).toEqual([{ offset: 0, reason: 'empty file', fatal: true, unreadable: true }]);
    expect(read(Uint8Array.from([0xd4, 0xc3])).issues[0]!.reason).toMatch(/too short/);
  });

  it('reports a file cut short mid-packet after returning every whole packet', () => {
    const file = pcap([{ data: bytesOf(50) }, { data: bytesOf(50) }, { data: bytesOf(50) }]);
    const { pkts, issues } = read(file.subarray(0, file.length - 5));
    expect(pkts.map((p) => p.number)).toEqual([1, 2]);
    expect(issues).toEqual([{ packet: 3, offset: 156, reason: 'file cut short: truncated in packet 3 (61 of 66 bytes present)' }]);
    expect(read(file.subarray(0, 20)).issues).toEqual([
      { offset: 0, reason: 'file cut short: truncated in the pcap file header (20 of 24 bytes present); no packet could be read', unreadable: true },
    ]);
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

describe('damage the reader reads around (issue 8)', () => {
  for (const ns of [false, true]) {
    it(`names a ${ns ? 'nanosecond' : 'microsecond'} field out of range and reads the packet at its whole second`, () => {
      const file = pcap([{ data: bytesOf(4), at: 1000 }, { data: bytesOf(4), at: 2000 }, { data: bytesOf(4), at: 2500 }], { ns });
      new DataView(file.buffer).setUint32(24 + 20 + 4, ns ? 1_000_000_000 : 4_000_000_000, true); // packet 2's fraction
      const { pkts, issues } = read(file);
      expect(pkts.map((p) => [p.number, p.at])).toEqual([[1, 1000], [2, 2000], [3, 2500]]);
      const [unit, value, max] = ns ? ['nanoseconds', 1_000_000_000, 999_999_999] : ['microseconds', 4_000_000_000, 999_999];
      expect(issues).toEqual([{
        packet: 2, offset: 44,
        reason: `timestamp ${unit} field ${value} out of range (0-${max}): the packet is analysed at its whole second, 1970-01-01T00:00:02.000Z`,
      }]);
    });
  }

  it('names a pcapng timestamp no date can hold and reads the packet at the previous packet\'s time', () => {
    const file = concat([shb(), idb(true, 1), epb(true, 0, 5_000_000n, bytesOf(4)), epb(true, 0, 0xffffffffffffffffn, bytesOf(4)), epb(true, 0, 6_000_000n, bytesOf(4))]);
    const { pkts, issues } = read(file);
    expect(pkts.map((p) => p.at)).toEqual([5000, 5000, 6000]);
    expect(issues).toEqual([{ packet: 2, offset: expect.any(Number), reason: expect.stringMatching(/^timestamp \d+ ms after the epoch is out of any date's range: the packet is analysed at the previous packet's time, 1970-01-01T00:00:05\.000Z$/) }]);
    // also through a huge if_tsoffset
    expect(read(concat([shb(), idb(true, 1, { tsoffset: 2 ** 52 }), epb(true, 0, 0n, bytesOf(4))])).issues).toHaveLength(1);
  });

  it('names a packet on an undescribed interface once per interface and section, then counts them', () => {
    const file = concat([
      shb(), idb(true, 1), epb(true, 2, 0n, bytesOf(4)), epb(true, 2, 0n, bytesOf(4)), epb(true, 0, 0n, bytesOf(4)), epb(true, 3, 0n, bytesOf(4)),
      shb(false), epb(false, 0, 0n, bytesOf(4)), epb(false, 0, 0n, bytesOf(4)), idb(false, 1), epb(false, 0, 0n, bytesOf(4)),
    ]);
    const { pkts, issues } = read(file);
    expect(pkts.map((p) => p.number)).toEqual([3, 7]);
    expect(issues.map((i) => [i.packet, i.reason])).toEqual([
      [1, 'packet 1 refers to interface 2, which no interface block described'],
      [4, 'packet 4 refers to interface 3, which no interface block described'],
      // a new section: its interfaces are its own
      [5, 'packet 5 refers to interface 0, which no interface block described'],
      [undefined, '2 more packets on interfaces no interface block described, skipped (not listed)'],
    ]);
  });

  it('lists problems with single packets up to MAX_PACKET_ISSUES, then counts them', () => {
    const bad = epb(true, 0, 0n, bytesOf(8));
    new DataView(bad.buffer).setUint32(20, 5000, true); // captured length overruns the block
    const { pkts, issues } = read(concat([shb(), idb(true, 1), ...Array<Uint8Array>(MAX_PACKET_ISSUES + 7).fill(bad), epb(true, 0, 0n, bytesOf(4))]));
    expect(pkts.map((p) => p.number)).toEqual([MAX_PACKET_ISSUES + 8]);
    expect(issues).toHaveLength(MAX_PACKET_ISSUES + 1);
    expect(issues[0]!.reason).toBe('packet 1 captured length 5000 overruns its block');
    expect(issues.at(-1)).toEqual({ offset: 0, reason: '7 more problems with single packets not listed' });
  });

  it('reads a section of the other byte order in the middle of the file, its own interfaces only', () => {
    const file = concat([shb(true), idb(true, 1), epb(true, 0, 1000n, bytesOf(4)), shb(false), idb(false, 113, { tsresol: 3 }), epb(false, 0, 7n, bytesOf(4))]);
    const { pkts, issues } = read(file);
    expect(issues).toEqual([]);
    expect(pkts.map((p) => [p.number, p.linktype, p.at])).toEqual([[1, 1, 1], [2, 113, 7]]);
  });

  it('stops at a zero-length block and keeps a zero-length packet', () => {
    const zero = Uint8Array.from([5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    const head = [shb(), idb(true, 1), epb(true, 0, 0n, bytesOf(4))];
    const stopped = read(concat([...head, zero, epb(true, 0, 0n, bytesOf(4))]));
    expect(stopped.pkts.map((p) => p.number)).toEqual([1]);
    expect(stopped.issues).toEqual([{ offset: concat(head).length, reason: 'block of type 0x5 has an impossible length 0: file is corrupt, reading stopped', fatal: true }]);
    const empty = read(pcap([{ data: bytesOf(0) }, { data: bytesOf(4) }]));
    expect(empty.pkts.map((p) => [p.number, p.capLen])).toEqual([[1, 0], [2, 4]]);
    expect(empty.issues).toEqual([]);
  });

  it('says a file nothing could be read from is unreadable, and one with packets before the damage is not', () => {
    const file = pcap([{ data: bytesOf(10) }, { data: bytesOf(10) }]);
    const first = file.slice();
    new DataView(first.buffer).setUint32(24 + 8, 0x7fffffff, true);
    expect(read(first).issues).toEqual([expect.objectContaining({ packet: 1, fatal: true, unreadable: true })]);
    const second = file.slice();
    new DataView(second.buffer).setUint32(24 + 26 + 8, 0x7fffffff, true);
    expect(read(second).issues).toEqual([expect.not.objectContaining({ unreadable: true })]);
    // cut inside packet 1, or inside the file header: nothing read; a header alone is an empty capture, not damage
    expect(read(file.subarray(0, 30)).issues).toEqual([{ packet: 1, offset: 24, unreadable: true, reason: 'file cut short: truncated in packet 1 (6 bytes present); no packet could be read' }]);
    expect(read(file.subarray(0, 44)).issues).toEqual([{ packet: 1, offset: 24, unreadable: true, reason: 'file cut short: truncated in packet 1 (20 of 26 bytes present); no packet could be read' }]);
    expect(read(file.subarray(0, 24)).issues).toEqual([]);
    expect(read(file.subarray(0, 60)).issues).toEqual([{ packet: 2, offset: 50, reason: 'file cut short: truncated in packet 2 (10 bytes present)' }]);
    // however the file is split
    for (let cut = 1; cut < first.length; cut += 7) expect(read(first, [cut]).issues).toEqual(read(first).issues);
    const ng = concat([shb(), idb(true, 1)]);
    expect(read(concat([ng, Uint8Array.from([6, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0])])).issues).toEqual([expect.objectContaining({ fatal: true, unreadable: true })]);
  });
});
