// Corrupt captures end to end (issue 8): `rdpscope analyze` on damaged copies of bundled captures
// reports what it could, names what it could not (packet number, file offset, why), and the
// connections the damage does not touch come out exactly as from the intact file.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, ndjson } from '../helpers/cli.js';
import { Conn, concat, epb, idb, shb } from '../capture/helpers.js';

/** One classic pcap record: time in µs since the epoch, captured bytes, length on the wire. */
interface Rec { us: number; data: Buffer; origLen: number }

function records(file: string): Rec[] {
  const b = readFileSync(file);
  const out: Rec[] = [];
  for (let o = 24; o + 16 <= b.length;) {
    const capLen = b.readUInt32LE(o + 8);
    out.push({ us: b.readUInt32LE(o) * 1e6 + b.readUInt32LE(o + 4), data: b.subarray(o + 16, o + 16 + capLen), origLen: b.readUInt32LE(o + 12) });
    o += 16 + capLen;
  }
  return out;
}

/** Little-endian µs pcap; `raw` sets a record header field as is (seconds, µs, capLen). */
function pcapOf(recs: Rec[], o: { linktype?: number; raw?: Map<number, { sec?: number; usec?: number; capLen?: number }> } = {}): Buffer {
  const head = Buffer.alloc(24);
  head.writeUInt32LE(0xa1b2c3d4, 0);
  head.writeUInt16LE(2, 4);
  head.writeUInt16LE(4, 6);
  head.writeUInt32LE(65535, 16);
  head.writeUInt32LE(o.linktype ?? 1, 20);
  const parts = [head];
  recs.forEach((r, i) => {
    const h = Buffer.alloc(16);
    const raw = o.raw?.get(i + 1) ?? {};
    h.writeUInt32LE(raw.sec ?? Math.floor(r.us / 1e6), 0);
    h.writeUInt32LE(raw.usec ?? r.us % 1e6, 4);
    h.writeUInt32LE(raw.capLen ?? r.data.length, 8);
    h.writeUInt32LE(r.origLen, 12);
    parts.push(h, r.data);
  });
  return Buffer.concat(parts);
}

/** Offset of packet n (1-based) in pcapOf(recs). */
const offsetOf = (recs: Rec[], n: number): number => 24 + recs.slice(0, n - 1).reduce((s, r) => s + 16 + r.data.length, 0);

/**
 * rdp-to-ssl.pcap (NLA: a retry, then a session) and RDP-003.pcap (Standard RDP Security, a session)
 * played at once, RDP-003 starting 35 s in: #1 is rdp-to-ssl's retry (packets 1-19), #2 RDP-003
 * (20-1093), #3 rdp-to-ssl's session (162-854), inside #2. All three verdicts are ok.
 */
function merged(): Rec[] {
  const start = Date.UTC(2024, 0, 1) * 1000;
  const a = records('fixtures/pcaps/rdp-to-ssl.pcap');
  const b = records('fixtures/pcaps/RDP-003.pcap');
  const rebase = (rs: Rec[], skew: number) => rs.map((r) => ({ ...r, us: start + skew + (r.us - rs[0]!.us) }));
  return [...rebase(a, 0), ...rebase(b, 35_000_000)].sort((x, y) => x.us - y.us);
}

let dir: string;
let recs: Rec[];
let base: Record<string, any>[];
const write = (name: string, bytes: Uint8Array): string => {
  const f = join(dir, name);
  writeFileSync(f, bytes);
  return f;
};
const conns = (out: string) => ndjson(out).filter((o) => o.schema === 'rdpscope/connection/1').map(({ file: _f, ...c }) => c);
const issues = (out: string) => ndjson(out).filter((o) => o.schema === 'rdpscope/capture-issue/1').map(({ file: _f, ...i }) => i);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'rdpscope-corrupt-'));
  recs = merged();
  base = conns((await cli('analyze', '--json', write('intact.pcap', pcapOf(recs)))).out);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The same packets as pcapng (µs), each an Enhanced Packet Block on interface `ifaceOf(n)`; block offsets too. */
function pcapngOf(rs: Rec[], o: { linktypes?: number[]; ifaceOf?: (n: number) => number } = {}): { bytes: Uint8Array; offsets: number[] } {
  const head = [shb(), ...(o.linktypes ?? [1]).map((l) => idb(true, l))];
  let at = head.reduce((n, b) => n + b.length, 0);
  const offsets: number[] = [];
  const blocks = rs.map((r, i) => {
    const b = epb(true, o.ifaceOf?.(i + 1) ?? 0, BigInt(r.us), r.data, r.origLen);
    offsets.push(at);
    at += b.length;
    return b;
  });
  return { bytes: concat([...head, ...blocks]), offsets };
}

const dv = (b: Uint8Array) => new DataView(b.buffer, b.byteOffset, b.byteLength);
/** RDP-003's packets (10.226.x.x), connection #2 of the merged capture. */
const of2 = (r: Rec): boolean => r.data.readUInt8(26) === 10;
const numbersOf2 = (): number[] => recs.flatMap((r, i) => (of2(r) ? [i + 1] : []));

/** Runs text and JSON; `file` is the name in the messages. */
async function analyze(name: string, bytes: Uint8Array) {
  const file = write(name, bytes);
  const text = await cli('analyze', file);
  const json = await cli('analyze', '--json', file);
  expect(json.code).toBe(text.code);
  return { file, code: text.code, err: text.err, out: text.out, conns: conns(json.out), issues: issues(json.out) };
}
const byId = (cs: Record<string, any>[], id: number) => cs.find((c) => c.connection === id);

describe('the intact merged capture', () => {
  it('has three ok connections, #3 inside #2, and no issue', async () => {
    // in the order they end
    expect(base.map((c) => [c.connection, c.firstPacket, c.lastPacket, c.verdict.status])).toEqual([[1, 1, 19, 'ok'], [3, 162, 854, 'ok'], [2, 20, 1093, 'ok']]);
    const r = await analyze('intact2.pcap', pcapOf(recs));
    expect([r.code, r.err, r.issues]).toEqual([0, '', []]);
  });
});

describe('corrupt captures: what was read is reported, the damage is named, the rest is untouched', () => {
  it('truncated mid-packet: every whole packet before the cut; the packet and its offset named; exit 0', async () => {
    const r = await analyze('truncated.pcap', pcapOf(recs).subarray(0, offsetOf(recs, 500) + 16 + 10));
    expect(r.err).toBe(`${r.file}: packet 500: file cut short: truncated in packet 500 (26 of 70 bytes present)\n`);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: 500, offset: offsetOf(recs, 500), reason: 'file cut short: truncated in packet 500 (26 of 70 bytes present)' }]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    // the two open at the cut end there, with what they had reached
    expect(r.conns.map((c) => [c.connection, c.lastPacket, c.verdict.status, c.verdict.endedBy.how])).toEqual([[1, 19, 'ok', 'fin'], [2, 168, 'ok', 'capture-end'], [3, 499, 'ok', 'capture-end']]);
    expect(r.code).toBe(0);
  });

  it('wrong record length (pcap): an impossible one stops the reading there, named with packet and offset', async () => {
    const r = await analyze('caplen.pcap', pcapOf(recs, { raw: new Map([[500, { capLen: 0x7fffffff }]]) }));
    const reason = 'packet record claims 2147483647 captured bytes (limit 268435456): file is corrupt, reading stopped';
    expect(r.err).toBe(`${r.file}: packet 500: ${reason}\n`);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: 500, offset: offsetOf(recs, 500), reason, fatal: true }]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(r.conns.map((c) => [c.connection, c.lastPacket, c.verdict.status])).toEqual([[1, 19, 'ok'], [2, 168, 'ok'], [3, 499, 'ok']]);
    expect(r.code).toBe(0); // connections were read: not "unreadable"
  });

  it('wrong record length (pcap): a plausible one puts the reader out of step; the next record is named', async () => {
    const r = await analyze('caplen-off.pcap', pcapOf(recs, { raw: new Map([[500, { capLen: recs[499]!.data.length + 6 }]]) }));
    expect(r.err).toMatch(new RegExp(`^${r.file}: packet 501: file cut short: truncated in packet 501 \\(\\d+ of \\d+ bytes present\\)\\n$`));
    expect(r.issues).toEqual([expect.objectContaining({ packet: 501, offset: offsetOf(recs, 501) + 6 })]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(r.conns).toHaveLength(3);
  });

  it('wrong block lengths (pcapng): impossible or mismatched lengths stop the reading, named by file offset; exit 0', async () => {
    const ng = pcapngOf(recs);
    const at = ng.offsets[499]!; // packet 500's block
    const impossible = ng.bytes.slice();
    dv(impossible).setUint32(at + 4, 13, true);
    const trailing = ng.bytes.slice();
    const len = dv(trailing).getUint32(at + 4, true);
    dv(trailing).setUint32(at + len - 4, len + 8, true);
    for (const [name, bytes, reason] of [
      ['blocklen.pcapng', impossible, 'block of type 0x6 has an impossible length 13: file is corrupt, reading stopped'],
      ['trailing.pcapng', trailing, `block of type 0x6: trailing length differs from ${len}: file is corrupt, reading stopped`],
    ] as const) {
      const r = await analyze(name, bytes);
      expect(r.err, name).toBe(`${r.file}: offset ${at}: ${reason}\n`);
      expect(r.issues, name).toEqual([{ schema: 'rdpscope/capture-issue/1', offset: at, reason, fatal: true }]);
      expect(r.conns.map((c) => [c.connection, c.lastPacket, c.verdict.status]), name).toEqual([[1, 19, 'ok'], [2, 168, 'ok'], [3, 499, 'ok']]);
      expect(r.code, name).toBe(0);
    }
  });

  it('wrong captured length inside a pcapng block: that packet is skipped, named, and the reading goes on', async () => {
    const ng = pcapngOf(recs);
    const bytes = ng.bytes.slice();
    dv(bytes).setUint32(ng.offsets[499]! + 20, 5000, true);
    const r = await analyze('overrun.pcapng', bytes);
    expect(r.err).toBe(`${r.file}: packet 500 captured length 5000 overruns its block\n`);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: 500, offset: ng.offsets[499], reason: 'packet 500 captured length 5000 overruns its block' }]);
    expect(r.conns).toEqual(base); // packet 500 is a bare ACK
    // packet 501 carries 53 bytes of #3: they become a gap in #3's timeline, #1 and #2 are untouched
    const data = ng.bytes.slice();
    dv(data).setUint32(ng.offsets[500]! + 20, 5000, true);
    const d = await analyze('overrun-data.pcapng', data);
    expect(d.err).toBe(`${d.file}: packet 501 captured length 5000 overruns its block\n`);
    expect(byId(d.conns, 1)).toEqual(byId(base, 1));
    expect(byId(d.conns, 2)).toEqual(byId(base, 2));
    expect(byId(d.conns, 3)!.verdict.status).toBe('ok');
    expect(d.out).toContain('gap: 53 bytes missing from the capture (pkt 503)');
    expect(r.code).toBe(0);
  });

  it('damage before any connection: nothing could be read, exit 3', async () => {
    const r = await analyze('caplen-first.pcap', pcapOf(recs, { raw: new Map([[1, { capLen: 0x7fffffff }]]) }));
    expect(r.err).toMatch(/: packet 1: packet record claims 2147483647 captured bytes .*reading stopped\n$/);
    expect(r.conns).toEqual([]);
    expect(r.code).toBe(3);
  });

  it('snaplen-cut packets: one connection cut to 96 bytes a packet; named once for the file, its gaps named by packet in the timeline, the others untouched', async () => {
    const r = await analyze('snaplen.pcap', pcapOf(recs.map((x) => (of2(x) ? { ...x, data: x.data.subarray(0, 96) } : x))));
    const reason = 'packets cut to 96 bytes by the capture\'s snaplen: the RDP payload beyond it is missing from 1 connection (#2); '
      + 'the first is packet 26, 96 of 466 bytes captured. Capture with -s 0 (tcpdump, dumpcap) to keep whole packets';
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', offset: 0, reason }]);
    expect(r.err).toBe(`${r.file}: ${reason}\n`);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(byId(r.conns, 3)).toEqual(byId(base, 3));
    const cut = byId(r.conns, 2)!;
    expect(cut.verdict.status).toBe('undetermined');
    // row 35: the capture lost the bytes, and the gap says why
    expect(cut.verdict).toMatchObject({ row: { id: 35 }, endedBy: { who: 'capture', how: 'gap', packet: 26 } });
    expect(cut.verdict.summary).toMatch(/the capture lost bytes in mcs-connect \(cut by its snaplen\): what followed is not known$/);
    expect(cut.timeline.find((t: any) => t.what === 'gap')).toMatchObject({ packet: 26, detail: '370 bytes missing from the capture (cut by the capture\'s snaplen: packet 26 kept 96 of its 466 bytes)', level: 'warn' });
    expect(r.out).toContain('gap: 370 bytes missing from the capture (cut by the capture\'s snaplen: packet 26 kept 96 of its 466 bytes) (pkt 26)');
    expect(r.out).toMatch(/\n3 RDP connections: 2 ok, 0 failed, 1 undetermined\n$/);
    expect(r.code).toBe(0); // analyze exits 3 only for unreadable files
    // every connection cut: counted, listed
    const all = await analyze('snaplen-all.pcap', pcapOf(recs.map((x) => ({ ...x, data: x.data.subarray(0, 96) }))));
    expect(all.issues.map((i) => i.reason)).toEqual([expect.stringMatching(/^packets cut to 96 bytes by the capture's snaplen: the RDP payload beyond it is missing from 3 connections \(#1, #3, #2\); the first is packet 4, 96 of \d+ bytes captured\./)]);
  });

  it('absurd timestamps (year 2106, 1970) on two packets: the first named, the second counted; the same verdicts; only that connection\'s timeline shows them', async () => {
    const [, , , , , p6, , , p9] = numbersOf2();
    const r = await analyze('timestamps.pcap', pcapOf(recs, { raw: new Map([[p6!, { sec: 0xfffffff0 }], [p9!, { sec: 0 }]]) }));
    const named = `timestamp 2106-02-07T06:28:00.499Z is 82 years ahead of its neighbours (packets ${p6! - 1} and ${p6! + 1}); ignored for idle expiry`;
    const counted = '1 more packet with a timestamp out of line with its neighbours, also ignored for idle expiry (not listed)';
    expect(r.issues).toEqual([
      { schema: 'rdpscope/capture-issue/1', packet: p6, offset: offsetOf(recs, p6!), reason: named },
      { schema: 'rdpscope/capture-issue/1', offset: 0, reason: counted },
    ]);
    expect(r.err).toBe(`${r.file}: packet ${p6}: ${named}\n${r.file}: ${counted}\n`);
    expect(r.code).toBe(0);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(byId(r.conns, 3)).toEqual(byId(base, 3));
    const odd = byId(r.conns, 2)!;
    expect(odd.verdict).toEqual(byId(base, 2)!.verdict);
    expect(odd.timeline.filter((t: any, i: number) => t.t !== byId(base, 2)!.timeline[i].t).length).toBeGreaterThan(0);
    expect(r.out).toMatch(/\+\d{10}\.\d{3}s .*\(pkt \d+/); // the far-future packet, ~3.4e9 s after the connection began
  });

  it('a single packet an hour ahead ends no connection: named once, ignored for idle expiry, the verdicts unchanged', async () => {
    // The capture clock (idle expiry, flows.ts) follows the smaller of the last two timestamps, so
    // one packet's time never moves it: every connection open at the time goes on as before.
    const mid = numbersOf2().find((n) => n > 300)!;
    const sec = Math.floor(recs[mid - 1]!.us / 1e6) + 3600;
    const r = await analyze('ts-hour.pcap', pcapOf(recs, { raw: new Map([[mid, { sec }]]) }));
    expect(r.issues).toEqual([{
      schema: 'rdpscope/capture-issue/1', packet: mid, offset: offsetOf(recs, mid),
      reason: expect.stringMatching(new RegExp(`^timestamp 2024-01-01T01:00:38\\.\\d{3}Z is 59 min 59 s ahead of its neighbours \\(packets ${mid - 1} and ${mid + 1}\\); ignored for idle expiry$`)),
    }]);
    expect(r.conns.map((c) => [c.connection, c.firstPacket, c.lastPacket, c.verdict.status])).toEqual(base.map((c) => [c.connection, c.firstPacket, c.lastPacket, c.verdict.status]));
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(byId(r.conns, 3)).toEqual(byId(base, 3));
    expect(byId(r.conns, 2)!.verdict).toEqual(byId(base, 2)!.verdict);
    expect(r.code).toBe(0);
  });

  it('a microsecond field past 10^6: that packet named, analysed at its whole second; no connection ended', async () => {
    const mid = numbersOf2().find((n) => n > 300)!;
    const r = await analyze('ts-usec.pcap', pcapOf(recs, { raw: new Map([[mid, { usec: 4_000_000_000 }]]) }));
    const second = new Date(Math.floor(recs[mid - 1]!.us / 1e6) * 1000).toISOString();
    const reason = `timestamp microseconds field 4000000000 out of range (0-999999): the packet is analysed at its whole second, ${second}`;
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: mid, offset: offsetOf(recs, mid), reason }]);
    expect(r.err).toBe(`${r.file}: packet ${mid}: ${reason}\n`);
    expect(r.conns.map((c) => [c.connection, c.lastPacket, c.verdict.status])).toEqual([[1, 19, 'ok'], [3, 854, 'ok'], [2, 1093, 'ok']]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(byId(r.conns, 3)).toEqual(byId(base, 3));
    expect(r.code).toBe(0);
  });

  it('a pcapng timestamp no date can hold (on a connection\'s first packet): named, that packet at the previous one\'s time; --json does not fail', async () => {
    const first2 = numbersOf2()[0]!;
    const ng = pcapngOf(recs);
    const bytes = ng.bytes.slice();
    dv(bytes).setUint32(ng.offsets[first2 - 1]! + 12, 0xffffffff, true);
    dv(bytes).setUint32(ng.offsets[first2 - 1]! + 16, 0xffffffff, true);
    const r = await analyze('ts-huge.pcapng', bytes);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: first2, offset: ng.offsets[first2 - 1], reason: expect.stringMatching(/^timestamp \d+ ms after the epoch is out of any date's range: the packet is analysed at the previous packet's time, 2024-01-01T00:00:\d\d\.\d{3}Z$/) }]);
    expect(r.conns.map((c) => [c.connection, c.verdict.status])).toEqual([[1, 'ok'], [3, 'ok'], [2, 'ok']]);
    expect(byId(r.conns, 2)!.startedAt).toMatch(/^2024-01-01T00:00:/);
    expect(r.code).toBe(0);
  });

  it('unknown link type on one interface: named once, with the first packet; the other interface\'s connections are unaffected', async () => {
    const ng = pcapngOf(recs, { linktypes: [1, 147], ifaceOf: (n) => (of2(recs[n - 1]!) ? 1 : 0) });
    const r = await analyze('linktype.pcapng', ng.bytes);
    expect(r.err).toBe(`${r.file}: packet 20: unsupported link type 147\n`);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: 20, offset: ng.offsets[19], reason: 'unsupported link type 147' }]);
    // RDP-003's TCP connection cannot be read, so it takes no id: rdp-to-ssl's second is #2 here
    const { connection: _a, ...second } = byId(r.conns, 2)!;
    const { connection: _b, ...intact } = byId(base, 3)!;
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(second).toEqual(intact);
    expect(r.conns).toHaveLength(2);
    expect(r.code).toBe(0);
  });

  it('unknown link type for the whole file: named at packet 1, nothing could be analysed, exit 3', async () => {
    const r = await analyze('linktype.pcap', pcapOf(recs, { linktype: 147 }));
    const none = 'nothing could be analysed: all 1093 packets are of an unsupported link type (147)';
    expect(r.err).toBe(`${r.file}: packet 1: unsupported link type 147\n${r.file}: ${none}\n`);
    expect(r.issues).toEqual([
      { schema: 'rdpscope/capture-issue/1', packet: 1, offset: 24, reason: 'unsupported link type 147' },
      { schema: 'rdpscope/capture-issue/1', offset: 0, reason: none, unreadable: true },
    ]);
    expect(r.out).toBe('0 RDP connections: 0 ok, 0 failed, 0 undetermined\n');
    expect(r.code).toBe(3);
  });

  it('a file cut inside its header: nothing could be read, exit 3; a header alone is an empty capture, exit 0', async () => {
    const intact = pcapOf(recs);
    const r = await analyze('header-cut.pcap', intact.subarray(0, 20));
    const reason = 'file cut short: truncated in the pcap file header (20 of 24 bytes present); no packet could be read';
    expect(r.err).toBe(`${r.file}: ${reason}\n`);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', offset: 0, reason, unreadable: true }]);
    expect(r.out).toBe('0 RDP connections: 0 ok, 0 failed, 0 undetermined\n');
    expect(r.code).toBe(3);
    const ng = pcapngOf(recs).bytes;
    const cutNg = await analyze('header-cut.pcapng', ng.subarray(0, 40));
    expect(cutNg.issues).toEqual([expect.objectContaining({ unreadable: true, reason: expect.stringMatching(/^file cut short: .*; no packet could be read$/) })]);
    expect(cutNg.code).toBe(3);
    const empty = await analyze('header-only.pcap', intact.subarray(0, 24));
    expect([empty.code, empty.err, empty.out]).toEqual([0, '', `${empty.file}: no RDP connection found\n0 RDP connections: 0 ok, 0 failed, 0 undetermined\n`]);
  });

  it('packets read, then damage, no RDP: "no RDP connection found", exit 0; next to a good file, the good one counts', async () => {
    // a web connection (no RDP), then an impossible record length
    const web = new Conn('10.0.0.1', 50000, '10.0.0.2', 80);
    const some = [web.syn(), web.synAck(), web.ack(), web.finC()].map((f, i) => ({ us: 1e15 + i, data: Buffer.from(f), origLen: f.length }));
    const r = await analyze('no-rdp.pcap', pcapOf(some, { raw: new Map([[4, { capLen: 0x7fffffff }]]) }));
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: 4, offset: offsetOf(some, 4), reason: expect.stringMatching(/reading stopped$/), fatal: true }]);
    expect(r.out).toBe(`${r.file}: no RDP connection found\n0 RDP connections: 0 ok, 0 failed, 0 undetermined\n`);
    expect(r.code).toBe(0);
    const unreadable = write('only-header-cut.pcap', pcapOf(recs).subarray(0, 10));
    const good = write('good.pcap', pcapOf(recs));
    const both = await cli('analyze', good, unreadable);
    expect(both.code).toBe(3); // all connections ok, one file could not be read
    expect(both.out).toMatch(/3 RDP connections: 3 ok, 0 failed, 0 undetermined\n$/);
  });
});

describe('more damage: named, and only what it touches is affected', () => {
  it('pcapng without its interface block: the first packet named, the rest counted, nothing could be analysed, exit 3', async () => {
    const ng = pcapngOf(recs);
    const idbLength = idb(true, 1).length;
    const at = shb().length;
    const bytes = concat([ng.bytes.subarray(0, at), ng.bytes.subarray(at + idbLength)]);
    const r = await analyze('no-idb.pcapng', bytes);
    expect(r.issues.map((i) => i.reason)).toEqual([
      'packet 1 refers to interface 0, which no interface block described',
      '1092 more packets on interfaces no interface block described, skipped (not listed)',
      'nothing could be analysed: all 1093 packets were skipped as unreadable (see above)',
    ]);
    expect(r.issues.at(-1)).toMatchObject({ unreadable: true });
    expect(r.code).toBe(3);
  });

  it('an EPB on an undescribed interface: that packet skipped and named; only its connection misses it', async () => {
    const n = numbersOf2().find((x) => x > 40)!; // a packet of #2
    const ng = pcapngOf(recs, { ifaceOf: (i) => (i === n ? 5 : 0) });
    const r = await analyze('unknown-iface.pcapng', ng.bytes);
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: n, offset: ng.offsets[n - 1], reason: `packet ${n} refers to interface 5, which no interface block described` }]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(byId(r.conns, 3)).toEqual(byId(base, 3));
    expect(r.conns).toHaveLength(3);
  });

  it('a new section of the other byte order in the middle: read on, every connection as from the intact file', async () => {
    const ng = pcapngOf(recs);
    const cut = ng.offsets[399]!; // before packet 400
    const rest = recs.slice(399).map((x) => epb(false, 0, BigInt(x.us), x.data, x.origLen));
    const r = await analyze('two-sections.pcapng', concat([ng.bytes.subarray(0, cut), shb(false), idb(false, 1), ...rest]));
    expect([r.code, r.err, r.issues]).toEqual([0, '', []]);
    expect(r.conns).toEqual(base);
    // the new section without its interface block: the reading goes on, its packets are named once and counted
    const bare = await analyze('two-sections-no-idb.pcapng', concat([ng.bytes.subarray(0, cut), shb(false), ...rest]));
    expect(bare.issues.map((i) => i.reason)).toEqual([
      'packet 400 refers to interface 0, which no interface block described',
      `${recs.length - 400} more packets on interfaces no interface block described, skipped (not listed)`,
    ]);
    expect(byId(bare.conns, 1)).toEqual(byId(base, 1));
    expect(bare.code).toBe(0);
  });

  it('a zero-length block: named by offset, reading stopped there, what came before reported, exit 0', async () => {
    const ng = pcapngOf(recs);
    const at = ng.offsets[399]!;
    const zero = new Uint8Array(12);
    zero[0] = 5;
    const r = await analyze('zero-block.pcapng', concat([ng.bytes.subarray(0, at), zero, ng.bytes.subarray(at)]));
    expect(r.issues).toEqual([{ schema: 'rdpscope/capture-issue/1', offset: at, reason: 'block of type 0x5 has an impossible length 0: file is corrupt, reading stopped', fatal: true }]);
    expect(byId(r.conns, 1)).toEqual(byId(base, 1));
    expect(r.conns.map((c) => c.verdict.status)).toEqual(['ok', 'ok', 'ok']);
    expect(r.code).toBe(0);
  });

  it('a packet with 0 bytes captured, an IPv4 total length shorter than its header, a TCP data offset < 5: each named; only that packet is lost', async () => {
    const n = numbersOf2().find((x) => x > 40)!;
    const bare = (r: Rec): boolean => r.data.length === 54 || r.data.length === 60; // a bare ACK: losing it changes nothing
    const ack = numbersOf2().find((x) => x > 40 && bare(recs[x - 1]!))!;
    for (const [name, change, reason] of [
      ['caplen0.pcap', () => Buffer.alloc(0), 'truncated Ethernet header'],
      ['iptotal.pcap', (d: Buffer) => { d.writeUInt16BE(10, 16); return d; }, 'IPv4 total length 10 < header length 20'],
      ['tcpoff.pcap', (d: Buffer) => { d[14 + 20 + 12] = 0x30; return d; }, 'TCP data offset 12 < 20'],
    ] as const) {
      for (const which of [ack, n]) {
        const damaged = recs.map((x, i) => (i === which - 1 ? { ...x, data: change(Buffer.from(x.data)) } : x));
        const r = await analyze(name, pcapOf(damaged));
        expect(r.issues, name).toEqual([{ schema: 'rdpscope/capture-issue/1', packet: which, offset: offsetOf(damaged, which), reason }]);
        expect(byId(r.conns, 1), name).toEqual(byId(base, 1));
        expect(byId(r.conns, 3), name).toEqual(byId(base, 3));
        if (which === ack) expect(byId(r.conns, 2), name).toEqual(byId(base, 2));
        expect(r.conns, name).toHaveLength(3);
        expect(r.code, name).toBe(0);
      }
    }
  });
});
