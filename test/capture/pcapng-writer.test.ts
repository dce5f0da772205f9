// The pcapng writer behind `probe --record` (src/capture/pcapng-writer.ts): block layout against
// draft-ietf-opsawg-pcapng (§3.1 block framing, §4.1 SHB, §4.2 IDB, §4.3 EPB, §4.7 DSB), TCP/IP as
// RFC 791 / RFC 8200 / RFC 9293 (sequence numbers, checksums), and read back by rdpscope's own reader
// and replay, and by tshark with checksum validation on.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  addressBytes, decodeProbeNote, encodeProbeNote, internetChecksum, MAX_SEGMENT_PAYLOAD, PCAPNG_DSB, PCAPNG_EPB, PCAPNG_IDB, PCAPNG_SHB,
  SECRETS_TLS_KEY_LOG, tcpPacket, writePcapng, type TcpConnectionRecord,
} from '../../src/capture/pcapng-writer.js';
import { CaptureParser } from '../../src/capture/reader.js';
import { decodeIp } from '../../src/capture/ip.js';
import { decodeTcp } from '../../src/capture/tcp.js';
import { LINKTYPE_RAW } from '../../src/capture/link.js';
import { replayBytes, type ReplayItem } from '../../src/capture/replay.js';
import { describeWithTools } from '../helpers/lab.js';
import { ascii, rdpCr } from './helpers.js';

interface Block { type: number; length: number; trailing: number; body: Uint8Array; offset: number }

/** Walks the file block by block (little-endian, as the writer writes). */
function blocks(file: Uint8Array): Block[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: Block[] = [];
  for (let off = 0; off < file.length;) {
    const type = dv.getUint32(off, true);
    const length = dv.getUint32(off + 4, true);
    out.push({ type, length, trailing: dv.getUint32(off + length - 4, true), body: file.subarray(off + 8, off + length - 4), offset: off });
    off += length;
  }
  return out;
}

/** Options of a block body from `at`: code, value (the padding checked to be zero). */
function readOptions(body: Uint8Array, at: number): { code: number; value: Uint8Array }[] {
  const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
  const out: { code: number; value: Uint8Array }[] = [];
  for (let off = at; off + 4 <= body.length;) {
    const code = dv.getUint16(off, true);
    const len = dv.getUint16(off + 2, true);
    if (code === 0) {
      expect(len).toBe(0);
      expect(off + 4).toBe(body.length);
      break;
    }
    out.push({ code, value: body.subarray(off + 4, off + 4 + len) });
    const padded = len + ((4 - (len % 4)) % 4);
    expect([...body.subarray(off + 4 + len, off + 4 + padded)].every((b) => b === 0)).toBe(true);
    off += 4 + padded;
  }
  return out;
}

const text = (b: Uint8Array): string => Buffer.from(b).toString('utf8');

const KEYLOG = ascii('CLIENT_HANDSHAKE_TRAFFIC_SECRET 00112233 aabbccdd\nSERVER_HANDSHAKE_TRAFFIC_SECRET 00112233 eeff\n');

/** A connection: handshake, a Connection Request, a Confirm-sized answer, the server's FIN, ours. */
function sample(client = { ip: '10.1.2.3', port: 50123 }, server = { ip: '10.9.8.7', port: 3389 }): TcpConnectionRecord {
  return {
    client, server, isn: { client: 0xfffffff0, server: 1000 },
    events: [
      { kind: 'syn', at: 1_700_000_000_000 },
      { kind: 'established', at: 1_700_000_000_001.5 },
      { kind: 'data', dir: 'c2s', bytes: rdpCr(), at: 1_700_000_000_002 },
      { kind: 'data', dir: 's2c', bytes: Uint8Array.of(3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 1, 8, 0, 1, 0, 0, 0), at: 1_700_000_000_003.25 },
      { kind: 'fin', dir: 's2c', at: 1_700_000_000_004 },
      { kind: 'fin', dir: 'c2s', at: 1_700_000_000_005, comments: [encodeProbeNote({ kind: 'end', how: 'probe-done', detail: 'done' }), 'second comment'] },
    ],
  };
}

/** The packets of a file as rdpscope's reader gives them, and the key logs it found. */
function read(file: Uint8Array) {
  const p = new CaptureParser();
  const packets = p.push(file);
  expect(p.end()).toEqual([]);
  return { packets, secrets: p.secrets };
}

function decode(data: Uint8Array) {
  const ip = decodeIp(data, 0);
  if (!ip || typeof ip === 'string') throw new Error(`bad IP: ${ip}`);
  const tcp = decodeTcp(data, ip.start, ip.end, ip.wireEnd);
  if (typeof tcp === 'string') throw new Error(tcp);
  return { ip, tcp, payload: data.subarray(tcp.start, tcp.end) };
}

/** The TCP checksum verifies: the one's-complement sum over pseudo-header and segment is 0xffff (RFC 1071). */
function tcpChecksumOk(data: Uint8Array): boolean {
  const { ip } = decode(data);
  const n = ip.version === 4 ? 4 : 16;
  const seg = data.subarray(ip.start, ip.wireEnd);
  const len = seg.length;
  const pseudo = ip.version === 4
    ? [data.subarray(ip.src, ip.src + n), data.subarray(ip.dst, ip.dst + n), Uint8Array.of(0, 6, len >> 8, len & 0xff)]
    : [data.subarray(ip.src, ip.src + n), data.subarray(ip.dst, ip.dst + n), Uint8Array.of(0, 0, len >> 8, len & 0xff, 0, 0, 0, 6)];
  return internetChecksum([...pseudo, seg]) === 0;
}

describe('pcapng blocks (draft-ietf-opsawg-pcapng)', () => {
  const file = writePcapng({ application: 'rdpscope test', interfaceName: 'rdpscope probe', keyLog: KEYLOG, connections: [sample()] });
  const bs = blocks(file);

  it('SHB, IDB, DSB, then one EPB per packet; every block length a multiple of 4 and repeated at its end', () => {
    expect(bs.map((b) => b.type)).toEqual([PCAPNG_SHB, PCAPNG_IDB, PCAPNG_DSB, ...new Array<number>(bs.length - 3).fill(PCAPNG_EPB)]);
    for (const b of bs) {
      expect(b.length % 4).toBe(0);
      expect(b.trailing).toBe(b.length);
    }
    expect(bs.reduce((n, b) => n + b.length, 0)).toBe(file.length);
  });

  it('SHB: byte-order magic 0x1A2B3C4D, version 1.0, section length -1 (unknown), shb_userappl', () => {
    const dv = new DataView(bs[0]!.body.buffer, bs[0]!.body.byteOffset);
    expect(dv.getUint32(0, true)).toBe(0x1a2b3c4d);
    expect([dv.getUint16(4, true), dv.getUint16(6, true)]).toEqual([1, 0]);
    expect(dv.getBigInt64(8, true)).toBe(-1n);
    expect(readOptions(bs[0]!.body, 16).map((o) => [o.code, text(o.value)])).toEqual([[4, 'rdpscope test']]);
  });

  it('IDB: LINKTYPE_RAW (IPv4 and IPv6 on one interface), snaplen 0, if_name, if_tsresol 6 (microseconds)', () => {
    const dv = new DataView(bs[1]!.body.buffer, bs[1]!.body.byteOffset);
    expect(dv.getUint16(0, true)).toBe(LINKTYPE_RAW);
    expect(dv.getUint16(2, true)).toBe(0);
    expect(dv.getUint32(4, true)).toBe(0);
    expect(readOptions(bs[1]!.body, 8).map((o) => [o.code, [...o.value]])).toEqual([[2, [...ascii('rdpscope probe')]], [9, [6]]]);
  });

  it('DSB: secrets type "TLSK", secrets length the exact key log length, data padded with zeros to 32 bits, no options', () => {
    const b = bs[2]!;
    const dv = new DataView(b.body.buffer, b.body.byteOffset);
    expect(dv.getUint32(0, true)).toBe(SECRETS_TLS_KEY_LOG);
    expect(dv.getUint32(4, true)).toBe(KEYLOG.length);
    expect(b.body.subarray(8, 8 + KEYLOG.length)).toEqual(KEYLOG);
    const pad = (4 - (KEYLOG.length % 4)) % 4;
    expect(b.length).toBe(12 + 8 + KEYLOG.length + pad);
    expect([...b.body.subarray(8 + KEYLOG.length)].every((x) => x === 0)).toBe(true);
  });

  it('a secrets length that is already a multiple of 4 gets no padding', () => {
    const four = ascii('A B C\n\n\n');
    const dsb = blocks(writePcapng({ keyLog: four, connections: [] })).find((b) => b.type === PCAPNG_DSB)!;
    expect(dsb.length).toBe(12 + 8 + 8);
  });

  it('EPB: interface 0, microsecond timestamp, captured = original length, data padded, comments as opt_comment', () => {
    const epbs = bs.filter((b) => b.type === PCAPNG_EPB);
    const last = epbs.at(-1)!;
    const dv = new DataView(last.body.buffer, last.body.byteOffset);
    expect(dv.getUint32(0, true)).toBe(0);
    const ts = (BigInt(dv.getUint32(4, true)) << 32n) | BigInt(dv.getUint32(8, true));
    expect(ts).toBe(1_700_000_000_005_000n);
    const capLen = dv.getUint32(12, true);
    expect(dv.getUint32(16, true)).toBe(capLen);
    const opts = readOptions(last.body, 20 + capLen + ((4 - (capLen % 4)) % 4));
    expect(opts.map((o) => o.code)).toEqual([1, 1]);
    expect(decodeProbeNote(text(opts[0]!.value))).toEqual({ kind: 'end', how: 'probe-done', detail: 'done' });
    expect(text(opts[1]!.value)).toBe('second comment');
    // the others carry no options at all
    for (const b of epbs.slice(0, -1)) {
      const n = new DataView(b.body.buffer, b.body.byteOffset).getUint32(12, true);
      expect(b.body.length).toBe(20 + n + ((4 - (n % 4)) % 4));
    }
  });

  it('no key log, no DSB; the reader then finds no secrets', () => {
    const plain = writePcapng({ connections: [sample()] });
    expect(blocks(plain).some((b) => b.type === PCAPNG_DSB)).toBe(false);
    expect(read(plain).secrets).toEqual([]);
  });

  it('probe notes: prefix and JSON, bytes as hex; any other comment is no note', () => {
    const note = encodeProbeNote({ kind: 'rdp-client-random', clientRandom: Uint8Array.of(1, 0xab) });
    expect(note).toBe('rdpscope-probe {"kind":"rdp-client-random","clientRandom":"01ab"}');
    expect(decodeProbeNote(note)).toEqual({ kind: 'rdp-client-random', clientRandom: '01ab' });
    expect(decodeProbeNote('a comment')).toBeUndefined();
    expect(decodeProbeNote('rdpscope-probe {broken')).toBeUndefined();
    expect(decodeProbeNote('rdpscope-probe [1]')).toBeUndefined();
  });
});

describe('TCP/IP synthesis', () => {
  it('read back by rdpscope: LINKTYPE_RAW packets at the given times, the key log from the DSB', () => {
    const { packets, secrets } = read(writePcapng({ keyLog: KEYLOG, connections: [sample()] }));
    expect(secrets).toEqual([{ offset: expect.any(Number), keyLog: text(KEYLOG) }]);
    // SYN, SYN/ACK, ACK, request, confirm, server FIN, client FIN
    expect(packets).toHaveLength(7);
    expect(packets.every((p) => p.linktype === LINKTYPE_RAW)).toBe(true);
    expect(packets.map((p) => p.at)).toEqual([1_700_000_000_000, 1_700_000_000_001.5, 1_700_000_000_001.5, 1_700_000_000_002, 1_700_000_000_003.25, 1_700_000_000_004, 1_700_000_000_005]);
  });

  it('sequence and acknowledgment numbers advance by payload, SYN and FIN (across the 2^32 wrap); checksums verify', () => {
    const { packets } = read(writePcapng({ connections: [sample()] }));
    const segs = packets.map((p) => decode(p.data));
    const S = 0x02;
    const A = 0x10;
    const F = 0x01;
    const P = 0x08;
    const cr = rdpCr().length;
    const cIsn = 0xfffffff0;
    const c = (n: number) => (cIsn + n) >>> 0;
    expect(segs.map((s) => [s.tcp.flags, s.tcp.seq, s.tcp.ack, s.payload.length])).toEqual([
      [S, cIsn, 0, 0],
      [S | A, 1000, c(1), 0],
      [A, c(1), 1001, 0],
      [A | P, c(1), 1001, cr],
      [A | P, 1001, c(1 + cr), 19],
      [F | A, 1020, c(1 + cr), 0],
      [F | A, c(1 + cr), 1021, 0],
    ]);
    expect(segs.map((s) => [s.tcp.srcPort, s.tcp.dstPort])).toEqual([[50123, 3389], [3389, 50123], [50123, 3389], [50123, 3389], [3389, 50123], [3389, 50123], [50123, 3389]]);
    for (const p of packets) {
      expect(tcpChecksumOk(p.data)).toBe(true);
      expect(internetChecksum([p.data.subarray(0, 20)])).toBe(0);
    }
    // the SYN and SYN/ACK offer an MSS
    expect(segs[0]!.tcp.start - segs[0]!.ip.start).toBe(24);
    expect(segs[2]!.tcp.start - segs[2]!.ip.start).toBe(20);
  });

  it('IPv6: a 40-byte header, payload length, TCP checksum over the RFC 8200 pseudo-header', () => {
    const { packets } = read(writePcapng({ connections: [sample({ ip: '::1', port: 40000 }, { ip: '::1', port: 3389 })] }));
    expect(packets).toHaveLength(7);
    for (const p of packets) {
      const { ip } = decode(p.data);
      expect(ip.version).toBe(6);
      expect((p.data[4]! << 8) | p.data[5]!).toBe(p.data.length - 40);
      expect(tcpChecksumOk(p.data)).toBe(true);
    }
  });

  it('payloads over 65000 bytes are split: PSH on the last segment, IPv4 total length under 65536', () => {
    const big = new Uint8Array(150_000).map((_, i) => i & 0xff);
    const conn: TcpConnectionRecord = { client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 3389 }, events: [
      { kind: 'syn', at: 1 }, { kind: 'established', at: 2 }, { kind: 'data', dir: 's2c', bytes: big, at: 3 },
    ] };
    const { packets } = read(writePcapng({ connections: [conn] }));
    const data = packets.slice(3).map((p) => decode(p.data));
    expect(data.map((d) => d.payload.length)).toEqual([MAX_SEGMENT_PAYLOAD, MAX_SEGMENT_PAYLOAD, 150_000 - 2 * MAX_SEGMENT_PAYLOAD]);
    expect(data.map((d) => d.tcp.flags & 0x08)).toEqual([0, 0, 0x08]);
    expect(data.map((d) => d.tcp.seq)).toEqual([2, 2 + MAX_SEGMENT_PAYLOAD, 2 + 2 * MAX_SEGMENT_PAYLOAD]);
    for (const p of packets) expect((p.data[2]! << 8) | p.data[3]!).toBe(p.data.length);
    expect(Buffer.compare(Buffer.concat(data.map((d) => d.payload)), Buffer.from(big))).toBe(0);
    for (const p of packets) expect(tcpChecksumOk(p.data)).toBe(true);
  });

  it('a refused connection: the SYN answered by RST/ACK with sequence number 0', () => {
    const { packets } = read(writePcapng({ connections: [{ client: { ip: '10.0.0.1', port: 1 }, server: { ip: '10.0.0.2', port: 3389 }, isn: { client: 77, server: 5 },
      events: [{ kind: 'syn', at: 1 }, { kind: 'rst', dir: 's2c', at: 2 }] }] }));
    expect(packets.map((p) => decode(p.data).tcp).map((t) => [t.flags, t.seq, t.ack])).toEqual([[0x02, 77, 0], [0x14, 0, 78]]);
  });

  it('connections interleave by time, each packet keeping its own flow', () => {
    const a = sample({ ip: '10.0.0.1', port: 40001 });
    const b = sample({ ip: '10.0.0.1', port: 40002 });
    b.events = b.events.map((e) => ({ ...e, at: e.at + 0.5 }));
    const { packets } = read(writePcapng({ connections: [a, b] }));
    expect(packets.map((p) => p.at)).toEqual([...packets.map((p) => p.at)].sort((x, y) => x - y));
    const ports = packets.map((p) => decode(p.data).tcp).map((t) => (t.srcPort === 3389 ? t.dstPort : t.srcPort));
    expect(ports.slice(0, 4)).toEqual([40001, 40002, 40001, 40001]);
  });

  it('replayed: one RDP connection, the Request and Confirm decoded, closed by the server', () => {
    const items = replayBytes(writePcapng({ connections: [sample()] }));
    expect(items.filter((i) => i.type === 'issue')).toEqual([]);
    const conns = items.filter((i): i is Extract<ReplayItem, { type: 'connection' }> => i.type === 'connection');
    expect(conns).toHaveLength(1);
    expect(conns[0]!.flow).toMatchObject({ client: { ip: '10.1.2.3', port: 50123 }, server: { ip: '10.9.8.7', port: 3389 } });
    expect(conns[0]!.events.filter((e) => e.type === 'pdu').map((e) => (e.type === 'pdu' ? `${e.dir} ${e.name}` : ''))).toEqual([
      'c2s Client X.224 Connection Request', 's2c Server X.224 Connection Confirm',
    ]);
    expect(conns[0]!.verdict.endedBy).toMatchObject({ who: 'server', how: 'fin', packet: 6 });
  });

  it('addresses: dotted IPv4, IPv6 with ::, an embedded IPv4 tail and a zone; anything else throws', () => {
    expect([...addressBytes('192.168.0.10')]).toEqual([192, 168, 0, 10]);
    expect([...addressBytes('::1')]).toEqual([...new Array<number>(15).fill(0), 1]);
    expect([...addressBytes('2001:db8::8:800:200c:417a')]).toEqual([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 8, 8, 0, 0x20, 0x0c, 0x41, 0x7a]);
    expect([...addressBytes('::ffff:10.0.0.1')]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1]);
    expect([...addressBytes('fe80::1%eth0')].slice(0, 2)).toEqual([0xfe, 0x80]);
    expect(() => addressBytes('localhost')).toThrow(/not an IP address/);
    expect(() => tcpPacket({ ip: '::1', port: 1 }, { ip: '127.0.0.1', port: 2 }, { seq: 0, ack: 0, flags: 2 })).toThrow(/same address family/);
  });
});

describeWithTools(['tshark', 'capinfos'], 'tshark reads the writer\'s files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdpscope-pcapng-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([['IPv4', '10.1.2.3', '10.9.8.7'], ['IPv6', 'fd00::1', 'fd00::2']])('%s: every IP and TCP checksum good, no TCP analysis warning, the comments, the DSB', (_name, c, s) => {
    const file = join(dir, `${c.replace(/:/g, '_')}.pcapng`);
    writeFileSync(file, writePcapng({ application: 'rdpscope test', keyLog: KEYLOG, connections: [sample({ ip: c, port: 50123 }, { ip: s, port: 3389 })] }));
    const fields = execFileSync('tshark', ['-r', file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|',
      '-e', 'frame.number', '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status', '-e', 'tcp.analysis.flags', '-e', 'frame.comment'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split('\n').map((l) => l.split('|'));
    expect(fields).toHaveLength(7);
    for (const [, ipStatus, tcpStatus, analysis] of fields) {
      if (c.includes('.')) expect(ipStatus).toBe('1');
      expect(tcpStatus).toBe('1');
      expect(analysis).toBe('');
    }
    expect(fields.at(-1)![4]).toContain('rdpscope-probe {"kind":"end"');
    // the X.224 Connection Request and Confirm are dissected on 3389
    const cotp = execFileSync('tshark', ['-r', file, '-Y', 'cotp', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(cotp.trim().split('\n')).toEqual(['4', '5']);
    // Wireshark's own reader: the application, the raw-IP interface, microseconds, the secrets block
    const info = execFileSync('capinfos', [file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    expect(info).toMatch(/Capture application: +rdpscope test/);
    expect(info).toMatch(/Encapsulation = Raw IP/);
    expect(info).toMatch(/Time precision = microseconds/);
    expect(info).toMatch(/Number of decryption secrets in file: 1/);
  });
});
