import { describe, expect, it } from 'vitest';
import type { TrackerInput } from '../../src/analyze/input.js';
import { TcpStream } from '../../src/capture/reassembly.js';
import { ascii, concat } from './helpers.js';

function stream(maxHeld?: number): { s: TcpStream; got: TrackerInput[]; text: () => string; brief: () => string[] } {
  const got: TrackerInput[] = [];
  const s = new TcpStream('c2s', (i) => got.push(i), maxHeld);
  const text = (): string => got.map((i) => (i.kind === 'data' ? new TextDecoder().decode(i.bytes) : '')).join('');
  const brief = (): string[] => got.map((i) => {
    if (i.kind === 'data') return `${new TextDecoder().decode(i.bytes)}@${i.packet}`;
    if (i.kind === 'gap') return `gap ${i.bytes}@${i.packet}`;
    if (i.kind === 'close') return `${i.how}@${i.packet}`;
    return i.kind;
  });
  return { s, got, text, brief };
}

/** Feeds `text` as a segment at offset `off` of a stream whose first byte has sequence number isn. */
const put = (s: TcpStream, isn: number, off: number, text: string, packet: number): void =>
  s.segment((isn + off) >>> 0, ascii(text), text.length, packet, packet * 10);

describe('TcpStream', () => {
  it('delivers in-order data with each segment\'s packet number and time', () => {
    const { s, got } = stream();
    s.syn(99);
    put(s, 100, 0, 'abc', 1);
    put(s, 100, 3, 'de', 2);
    expect(got).toEqual([
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: ascii('abc'), at: 10, packet: 1 },
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: ascii('de'), at: 20, packet: 2 },
    ]);
  });

  it('drops retransmissions and trims partial overlaps (bytes already delivered win)', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 0, 'AAAAAAAAAA', 1);
    put(s, 1, 0, 'AAAAAAAAAA', 2);
    put(s, 1, 5, 'BBBBBBBBBB', 3);
    expect(brief()).toEqual(['AAAAAAAAAA@1', 'BBBBB@3']);
  });

  it('holds early segments until the hole fills; overlapping held copies: the first one wins', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 10, 'XXXXXXXXXX', 1);
    put(s, 1, 5, 'YYYYYYYYYY', 2);
    put(s, 1, 25, 'ZZ', 3);
    expect(brief()).toEqual([]);
    put(s, 1, 0, '0123456', 4);
    expect(brief()).toEqual(['01234@4', 'YYYYY@2', 'XXXXXXXXXX@1']);
    put(s, 1, 20, 'wwwww', 5);
    expect(brief().slice(3)).toEqual(['wwwww@5', 'ZZ@3']);
  });

  it('follows the sequence space across the 2^32 wrap', () => {
    const { s, text } = stream();
    const isn = 0xfffffffa;
    s.syn(isn - 1);
    put(s, isn, 4, 'efgh', 2);
    put(s, isn, 0, 'abcd', 1);
    put(s, isn, 8, 'ijkl', 3);
    put(s, isn, 2, 'cdef', 4);
    expect(text()).toBe('abcdefghijkl');
  });

  it('reports bytes the other side acknowledged but the capture missed as a gap, at the ACK', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 0, 'aaaa', 1);
    put(s, 1, 8, 'cccc', 3);
    s.ack(1 + 12, 4, 40);
    expect(brief()).toEqual(['aaaa@1', 'gap 4@4', 'cccc@3']);
    s.ack(1 + 20, 5, 50);
    expect(brief().slice(3)).toEqual(['gap 8@5']);
  });

  it('gives the first hole up as a gap once too much is held', () => {
    const { s, brief } = stream(8);
    s.syn(0);
    put(s, 1, 4, 'bbbb', 2);
    put(s, 1, 8, 'cccc', 3);
    expect(brief()).toEqual([]);
    put(s, 1, 14, 'dd', 4);
    expect(brief()).toEqual(['gap 4@2', 'bbbb@2', 'cccc@3']);
  });

  it('closes with a FIN only after every byte before it, even when the FIN comes first', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 0, 'ab', 1);
    s.finAt(1 + 4, 3, 30);
    expect(brief()).toEqual(['ab@1']);
    put(s, 1, 2, 'cdEXTRA', 2);
    expect(brief()).toEqual(['ab@1', 'cd@2', 'fin@3']);
    expect(s.finished).toBe(true);
    put(s, 1, 4, 'late', 5);
    expect(brief()).toHaveLength(3);
  });

  it('flushes at capture end: held data with gaps before it, and a pending FIN after a gap', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 0, 'aa', 1);
    put(s, 1, 4, 'cc', 2);
    s.finAt(1 + 10, 3, 30);
    s.flush();
    expect(brief()).toEqual(['aa@1', 'gap 2@2', 'cc@2', 'gap 4@3', 'fin@3']);
  });

  it('delivers what is held before closing on an RST', () => {
    const { s, brief } = stream();
    s.syn(0);
    put(s, 1, 3, 'def', 2);
    s.rst(3, 30);
    expect(brief()).toEqual(['gap 3@2', 'def@2', 'rst@3']);
    expect(s.reset).toBe(true);
    put(s, 1, 0, 'abc', 4);
    s.rst(5, 50);
    expect(brief()).toHaveLength(3);
  });

  it('turns bytes the capture cut off (snaplen) into a gap right after the captured part', () => {
    const { s, brief } = stream();
    s.syn(0);
    s.segment(1, ascii('abc'), 10, 1, 10);
    put(s, 1, 10, 'next', 2);
    expect(brief()).toEqual(['abc@1', 'gap 7@1', 'next@2']);
  });

  it('starts at the first segment seen when there was no SYN', () => {
    const { s, text } = stream();
    put(s, 5000, 0, 'mid', 1);
    put(s, 5000, 3, 'stream', 2);
    expect(text()).toBe('midstream');
  });

  it('delivers the same bytes however a stream is split in two and in whichever order', () => {
    const whole = ascii('\x03\x00\x00\x2fCookie: mstshash=someone\r\n' + 'x'.repeat(40));
    for (let k = 1; k < whole.length; k++) {
      for (const reversed of [false, true]) {
        const { s, got } = stream();
        s.syn(0xfffffff0);
        const parts: Array<[number, Uint8Array]> = [[0, whole.subarray(0, k)], [k, whole.subarray(k)]];
        if (reversed) parts.reverse();
        for (const [off, b] of parts) s.segment((0xfffffff1 + off) >>> 0, b, b.length, 1, 1);
        const data = concat(got.map((i) => (i.kind === 'data' ? i.bytes : new Uint8Array(0))));
        expect(data).toEqual(whole);
      }
    }
  });

  it('reassembles randomly cut, duplicated, overlapping and reordered segments exactly', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    for (let round = 0; round < 200; round++) {
      const whole = Uint8Array.from({ length: 200 + rand(2000) }, () => rand(256));
      const isn = rand(2) ? 0xffffffff - rand(500) : rand(1e9);
      const segs: Array<[number, number]> = [];
      for (let off = 0; off < whole.length;) {
        const len = 1 + rand(120);
        segs.push([off, Math.min(len, whole.length - off)]);
        if (rand(4) === 0) segs.push([Math.max(0, off - rand(30)), len + rand(30)]); // overlapping retransmission
        off += len;
      }
      for (let i = 0; i < segs.length; i++) { // local reordering
        const j = Math.min(segs.length - 1, i + rand(4));
        [segs[i], segs[j]] = [segs[j]!, segs[i]!];
      }
      const { s, got } = stream();
      s.syn(isn);
      segs.forEach(([off, len], n) => {
        const b = whole.subarray(off, off + len);
        s.segment((isn + 1 + off) >>> 0, b, b.length, n + 1, n);
      });
      s.finAt((isn + 1 + whole.length) >>> 0, segs.length + 1, 0);
      expect(got.filter((i) => i.kind === 'gap')).toEqual([]);
      expect(got.at(-1)).toMatchObject({ kind: 'close', how: 'fin' });
      expect(concat(got.map((i) => (i.kind === 'data' ? i.bytes : new Uint8Array(0))))).toEqual(whole);
    }
  });
});
