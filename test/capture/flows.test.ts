import { describe, expect, it } from 'vitest';
import { FlowTable, MAX_PACKET_ISSUES, type FlowOutput, type FlowTableOptions } from '../../src/capture/flows.js';
import type { CapturedPacket } from '../../src/capture/reader.js';
import { ascii, Conn, ether, rdpCr, s7Cr } from './helpers.js';

const packet = (data: Uint8Array, number: number, linktype = 1): CapturedPacket =>
  ({ number, at: number * 1000, linktype, data, origLen: data.length, capLen: data.length, interfaceId: 0, offset: 0 });

/** Runs frames through a table; returns each packet() result and the end() result. */
function run(frames: Uint8Array[], opts?: FlowTableOptions): { per: FlowOutput[][]; atEnd: FlowOutput[]; all: FlowOutput[] } {
  const t = new FlowTable(opts);
  const per = frames.map((f, i) => t.packet(packet(f, i + 1)));
  const atEnd = t.end(frames.length * 1000 + 500);
  return { per, atEnd, all: [...per.flat(), ...atEnd] };
}

/** One line per output: "start 1 a:p>b:p", "1 syn@1", "1 c2s 5@4", "1 fin c2s@7", "finish 1@8". */
function brief(outs: FlowOutput[]): string[] {
  return outs.map((o) => {
    if (o.type === 'start') return `start ${o.flow.id} ${o.flow.client.ip}:${o.flow.client.port}>${o.flow.server.ip}:${o.flow.server.port}`;
    if (o.type === 'finish') return `finish ${o.flowId}@${o.lastPacket}`;
    if (o.type === 'issue') return `issue ${o.issue.packet}: ${o.issue.reason}`;
    const i = o.input;
    const where = i.packet === undefined ? '' : `@${i.packet}`;
    switch (i.kind) {
      case 'tcp': return `${o.flowId} ${i.what}${where}`;
      case 'data': return `${o.flowId} ${i.dir} ${i.bytes.length}${where}`;
      case 'close': return `${o.flowId} ${i.how} ${i.dir}${where}`;
      case 'gap': return `${o.flowId} gap ${i.dir} ${i.bytes}${where}`;
      case 'end': return `${o.flowId} end ${i.how}${i.detail ? ` (${i.detail})` : ''}`;
      default: return `${o.flowId} ${i.kind}`;
    }
  });
}

const CR = rdpCr();
const CC = Uint8Array.from([3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 1, 0, 0, 0]);

function handshake(c: Conn): Uint8Array[] {
  return [c.syn(), c.synAck(), c.ack(), c.c(CR), c.s(CC)];
}

describe('FlowTable', () => {
  it('turns a whole RDP connection into inputs and finishes it at the second FIN', () => {
    const c = new Conn();
    const { per, atEnd } = run([...handshake(c), c.finC(), c.finS(), c.ack()]);
    expect(brief(per.flat())).toEqual([
      'start 1 10.0.0.1:50000>10.0.0.2:3389', '1 syn@1', '1 syn-ack@2', `1 c2s ${CR.length}@4`, '1 s2c 19@5',
      '1 fin c2s@6', '1 fin s2c@7', 'finish 1@7',
    ]);
    expect(brief(per[6]!)).toEqual(['1 fin s2c@7', 'finish 1@7']); // streamed when it ends, not at end()
    expect(per[7]).toEqual([]); // the last ACK belongs to the finished connection
    expect(atEnd).toEqual([]);
  });

  it('reports a refused connection (SYN answered by RST)', () => {
    const c = new Conn();
    expect(brief(run([c.syn(), c.rstS(), c.rstS()]).all)).toEqual([
      'start 1 10.0.0.1:50000>10.0.0.2:3389', '1 syn@1', '1 refused@2', 'finish 1@2',
    ]);
  });

  it('reports an unanswered SYN at capture end', () => {
    const c = new Conn();
    const { all } = run([c.syn(), c.syn()]);
    expect(brief(all)).toEqual(['start 1 10.0.0.1:50000>10.0.0.2:3389', '1 syn@1', '1 no-answer', '1 end capture-end', 'finish 1@2']);
    expect(all[2]).toMatchObject({ input: { at: 2500 } });
  });

  it('finishes at an RST, after the data held before it', () => {
    const c = new Conn();
    const frames = handshake(c);
    const lost = c.c(ascii('lost'));
    const later = c.c(ascii('later'));
    expect(lost.length).toBeGreaterThan(0);
    expect(brief(run([...frames, later, c.rstC()]).all).slice(5)).toEqual([
      '1 gap c2s 4@6', '1 c2s 5@6', '1 rst c2s@7', 'finish 1@7',
    ]);
  });

  it('ends every open connection at capture end, flushing held data', () => {
    const c = new Conn();
    const frames = handshake(c);
    c.s(ascii('lost'));
    const { all } = run([...frames, c.s(ascii('tail'))]);
    expect(brief(all).slice(-4)).toEqual(['1 gap s2c 4@6', '1 s2c 4@6', '1 end capture-end', 'finish 1@6']);
  });

  it('reports bytes acknowledged but never captured as a gap before the reply', () => {
    const c = new Conn();
    const frames = handshake(c);
    c.c(ascii('missing'));
    expect(brief(run([...frames, c.s(ascii('reply'))]).all).slice(5, 7)).toEqual(['1 gap c2s 7@6', '1 s2c 5@6']);
  });

  it('gives up a hole before a FIN once the other side acknowledges the FIN, then finishes', () => {
    const c = new Conn();
    const frames = handshake(c);
    c.c(ascii('lost'));
    const { per } = run([...frames, c.finC(), c.finS(), c.ack()]);
    expect(brief(per.flat()).slice(5)).toEqual(['1 gap c2s 4@7', '1 fin c2s@6', '1 fin s2c@7', 'finish 1@7']);
  });

  it('orients a connection picked up mid-stream by its RDP port', () => {
    const c = new Conn('10.0.0.1', 50000, '10.0.0.2', 3389);
    handshake(c);
    const { all } = run([c.s(ascii('server')), c.c(ascii('client'))]);
    expect(brief(all)).toEqual([
      'start 1 10.0.0.1:50000>10.0.0.2:3389', '1 midstream@1', '1 s2c 6@1', '1 c2s 6@2', '1 end capture-end', 'finish 1@2',
    ]);
  });

  it('finds RDP on any port by its Connection Request, mid-stream or not', () => {
    const mid = new Conn('10.0.0.1', 40000, '10.0.0.9', 502);
    mid.syn();
    mid.synAck();
    expect(brief(run([mid.ack(), mid.c(CR), mid.s(CC)]).all).slice(0, 3)).toEqual([
      'start 1 10.0.0.1:40000>10.0.0.9:502', '1 midstream@1', `1 c2s ${CR.length}@2`,
    ]);
    const full = new Conn('10.0.0.1', 40000, '10.0.0.9', 502);
    expect(brief(run(handshake(full)).all).slice(0, 4)).toEqual([
      'start 1 10.0.0.1:40000>10.0.0.9:502', '1 syn@1', '1 syn-ack@2', `1 c2s ${CR.length}@4`,
    ]);
    const legacy = new Conn('10.0.0.1', 40000, '10.0.0.9', 8080);
    const bare = Uint8Array.from([3, 0, 0, 11, 6, 0xe0, 0, 0, 0, 0, 0]); // a CR with nothing after the X.224 header
    expect(run([legacy.syn(), legacy.synAck(), legacy.ack(), legacy.c(bare)]).all[0]).toMatchObject({ type: 'start' });
  });

  it('leaves other protocols alone, COTP users such as S7comm included', () => {
    const s7 = new Conn('10.0.0.1', 40000, '10.0.0.9', 102);
    const http = new Conn('10.0.0.1', 40001, '10.0.0.9', 80);
    const serverFirst = new Conn('10.0.0.1', 40002, '10.0.0.9', 25);
    const { all } = run([
      s7.syn(), s7.synAck(), s7.ack(), s7.c(s7Cr()), s7.s(CC),
      http.syn(), http.synAck(), http.c(ascii('GET / HTTP/1.1\r\n\r\n')),
      serverFirst.syn(), serverFirst.synAck(), serverFirst.s(CR), serverFirst.c(CR),
    ]);
    expect(all).toEqual([]);
  });

  it('takes the RDP ports from the options', () => {
    const a = new Conn('10.0.0.1', 40000, '10.0.0.2', 3390);
    const b = new Conn('10.0.0.1', 40001, '10.0.0.2', 3389);
    const { all } = run([a.syn(), a.synAck(), b.syn(), b.synAck(), b.c(ascii('not a CR'))], { rdpPorts: [3390] });
    expect(brief(all).filter((l) => l.startsWith('start'))).toEqual(['start 1 10.0.0.1:40000>10.0.0.2:3390']);
  });

  it('numbers every TCP connection in order of its first packet, RDP or not', () => {
    const http = new Conn('10.0.0.1', 40000, '10.0.0.2', 80);
    const rdp = new Conn('10.0.0.1', 40001, '10.0.0.2', 3389);
    expect(brief(run([http.syn(), rdp.syn()]).all)[0]).toBe('start 2 10.0.0.1:40001>10.0.0.2:3389');
  });

  it('starts a new connection when a SYN reuses the ports of a finished one', () => {
    const first = new Conn();
    const second = new Conn('10.0.0.1', 50000, '10.0.0.2', 3389, { c: 777, s: 888 });
    const out = brief(run([first.syn(), first.rstS(), first.rstS(), second.syn(), second.synAck()]).all);
    expect(out.filter((l) => /^(start|finish)/.test(l))).toEqual([
      'start 1 10.0.0.1:50000>10.0.0.2:3389', 'finish 1@2', 'start 2 10.0.0.1:50000>10.0.0.2:3389', 'finish 2@5',
    ]);
  });

  it('ends a connection whose ports a SYN with a new sequence number reuses', () => {
    const first = new Conn();
    const second = new Conn('10.0.0.1', 50000, '10.0.0.2', 3389, { c: 777, s: 888 });
    const out = brief(run([first.syn(), first.synAck(), first.ack(), second.syn(), second.syn()]).all);
    expect(out.filter((l) => /^(start|finish)|end/.test(l))).toEqual([
      'start 1 10.0.0.1:50000>10.0.0.2:3389', '1 end capture-end (its ports were reused by a new connection)', 'finish 1@3',
      'start 2 10.0.0.1:50000>10.0.0.2:3389', '2 end capture-end', 'finish 2@5',
    ]);
  });

  it('reassembles a capture that holds every frame twice like one that does not', () => {
    const c = new Conn();
    const frames = [...handshake(c), c.c(ascii('more')), c.finC(), c.finS()];
    const once = brief(run(frames).all).map((l) => l.replace(/@\d+/, ''));
    const twice = brief(run(frames.flatMap((f) => [f, f])).all).map((l) => l.replace(/@\d+/, ''));
    expect(twice).toEqual(once);
  });

  it('handles IPv6 connections', () => {
    const c = new Conn('2001:db8::1', 50000, '2001:db8::d', 3389);
    expect(brief(run(handshake(c)).all)[0]).toBe('start 1 2001:db8::1:50000>2001:db8::d:3389');
  });

  it('reports malformed packets (up to a limit), and an unsupported link type once', () => {
    const t = new FlowTable();
    const bad = ether(Uint8Array.from([0x45, 0, 0, 20]));
    const outs = [...Array(MAX_PACKET_ISSUES + 5).keys()].flatMap((i) => t.packet(packet(bad, i + 1)));
    outs.push(...t.packet(packet(bad, 900, 127)), ...t.packet(packet(bad, 901, 127)), ...t.end(0));
    expect(outs).toHaveLength(MAX_PACKET_ISSUES + 1);
    expect(brief(outs.slice(0, 1))).toEqual(['issue 1: truncated IPv4 header']);
    expect(brief(outs.slice(-1))).toEqual(['issue undefined: 6 more malformed packets not listed']);
  });

  it('flags IP fragments on RDP connections', () => {
    const c = new Conn();
    const frames = handshake(c);
    frames[3]![14 + 6] = 0x20; // MF on the Connection Request
    expect(brief(run(frames).all)).toContain('issue 4: IP fragment: fragments are not reassembled, the rest of this segment is missing');
  });

  it('evicts the least recently active connection when the table is full', () => {
    const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
    const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
    const c = new Conn('10.0.0.1', 3, '10.0.0.2', 3389);
    const { per } = run([a.syn(), b.syn(), a.syn(), c.syn()], { maxFlows: 2 });
    expect(brief(per[3]!)).toEqual([
      '2 no-answer', '2 end capture-end (evicted: more than 2 connections open at once)', 'finish 2@2',
      'start 3 10.0.0.1:3>10.0.0.2:3389', '3 syn@4',
    ]);
  });

  it('ends a connection idle for longer than the timeout in capture time, and a corrupt far-future timestamp does not', () => {
    const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
    const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
    const t = new FlowTable({ idleTimeoutMs: 60_000 });
    const at = (f: Uint8Array, n: number, ms: number) => brief(t.packet({ ...packet(f, n), at: ms }));
    expect(at(a.syn(), 1, 0)).toEqual(['start 1 10.0.0.1:1>10.0.0.2:3389', '1 syn@1']);
    expect(at(b.syn(), 2, 30_000)).toEqual(['start 2 10.0.0.1:2>10.0.0.2:3389', '2 syn@2']);
    // 10 years on: taken as corrupt, nothing ends
    expect(at(b.syn(), 3, 10 * 365 * 86_400_000)).toEqual([]);
    // 70 s on: a has been idle 70 s (> 60), b 40 s; packet 3, out of line with both its neighbours, is named now
    expect(at(b.syn(), 4, 70_000)).toEqual([
      'issue 3: timestamp 1979-12-30T00:00:00.000Z is 10 years ahead of its neighbours (packets 2 and 4); ignored for idle expiry',
      '1 no-answer', '1 end capture-end (no packet for more than 60 s of capture time: taken as ended (idle timeout))', 'finish 1@1',
    ]);
    expect(brief(t.end(80_000))).toEqual(['2 no-answer', '2 end capture-end', 'finish 2@4']);
  });

  describe('the capture clock (idle expiry) against wrong timestamps', () => {
    const T = Date.UTC(2024, 0, 1);
    const HOUR = 3_600_000;
    /** A table with a 60 s idle timeout; feed(frame, ms) numbers the packets. */
    function clock() {
      const t = new FlowTable({ idleTimeoutMs: 60_000 });
      let n = 0;
      return { t, feed: (f: Uint8Array, ms: number) => brief(t.packet({ ...packet(f, ++n), at: ms })) };
    }
    const idleEnds = (lines: string[]) => lines.filter((l) => l.includes('idle timeout'));

    it('one packet an hour ahead ends no connection; it is named once, at the next packet, later ones counted', () => {
      const { t, feed } = clock();
      const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
      const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
      const out: string[] = [];
      out.push(...feed(a.syn(), T), ...feed(b.syn(), T + 1000));
      out.push(...feed(a.syn(), T + HOUR));
      const next = feed(b.syn(), T + 3000);
      expect(next).toEqual(['issue 3: timestamp 2024-01-01T01:00:00.000Z is 59 min 57 s ahead of its neighbours (packets 2 and 4); ignored for idle expiry']);
      // every 10 s for 50 s: the clock never went past T + 53 s, so nothing is idle for 60 s
      for (let s = 10; s <= 50; s += 10) out.push(...feed(a.syn(), T + s * 1000), ...feed(b.syn(), T + s * 1000 + 3000));
      out.push(...feed(b.syn(), T + 2 * HOUR), ...feed(b.syn(), T + 53_500));
      expect(idleEnds(out)).toEqual([]);
      expect(out.filter((l) => l.startsWith('issue'))).toEqual([]); // the second one is counted, not listed
      expect(brief(t.end(T + 54_000))).toEqual([
        '1 no-answer', '1 end capture-end', 'finish 1@13', '2 no-answer', '2 end capture-end', 'finish 2@16',
        'issue undefined: 1 more packet with a timestamp out of line with its neighbours, also ignored for idle expiry (not listed)',
      ]);
    });

    it('a timestamp behind the clock (1970) does not make its connection look idle', () => {
      const { feed } = clock();
      const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
      const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
      const out = [...feed(a.syn(), T), ...feed(b.syn(), T + 1000), ...feed(a.syn(), 5), ...feed(b.syn(), T + 2000)];
      expect(out.filter((l) => l.startsWith('issue'))).toEqual([
        'issue 3: timestamp 1970-01-01T00:00:00.005Z is 54 years behind its neighbours (packets 2 and 4); ignored for idle expiry',
      ]);
      // a's last packet is "in 1970", but it came at T of capture time: a is idle from then, not since 1970
      for (let s = 10; s <= 60; s += 10) out.push(...feed(b.syn(), T + s * 1000));
      expect(idleEnds(out)).toEqual([]);
      feed(b.syn(), T + 70_000);
      expect(idleEnds(feed(b.syn(), T + 71_000))).toEqual(['1 end capture-end (no packet for more than 60 s of capture time: taken as ended (idle timeout))']);
    });

    it('a jump of more than a day moves the clock only once 16 packets agree with it', () => {
      const { feed } = clock();
      const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
      const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
      feed(a.syn(), T);
      const ended: number[] = [];
      for (let i = 0; i < 20; i++) if (idleEnds(feed(b.syn(), T + 48 * HOUR + i)).length) ended.push(i + 2);
      expect(ended).toEqual([18]); // the 16th move proposed: packets 3-18 (each the smaller of two)
    });

    it('a first timestamp far ahead does not hold the clock', () => {
      const { feed } = clock();
      const x = new Conn('10.0.0.9', 9, '10.0.0.2', 3389);
      const a = new Conn('10.0.0.1', 1, '10.0.0.2', 3389);
      const b = new Conn('10.0.0.1', 2, '10.0.0.2', 3389);
      feed(x.syn(), T + 365 * 24 * HOUR);
      feed(a.syn(), T);
      for (let s = 10; s <= 70; s += 10) expect(idleEnds(feed(b.syn(), T + s * 1000))).toEqual([]);
      // the clock is the smaller of the last two timestamps: T + 70 s once a second packet is past it
      expect(idleEnds(feed(b.syn(), T + 71_000))).toEqual(['2 end capture-end (no packet for more than 60 s of capture time: taken as ended (idle timeout))']);
    });
  });

  describe('payload the capture did not keep', () => {
    /** The client's Connection Request cut to `keep` bytes of its frame; `snaplen`: as a capture's snap length does (capLen < origLen). */
    function cutRequest(keep: number, snaplen: boolean, c = new Conn()) {
      const frames = [c.syn(), c.synAck(), c.ack(), c.c(CR)];
      const full = frames[3]!;
      const cut = full.subarray(0, keep);
      const t = new FlowTable();
      const outs = frames.slice(0, 3).flatMap((f, i) => t.packet(packet(f, i + 1)));
      const p = { ...packet(cut, 4), origLen: snaplen ? full.length : cut.length };
      if (!snaplen) {
        // the capture kept what it saw, but the IP header claims the whole segment
        p.data = cut;
      }
      outs.push(...t.packet(p), ...t.end(10_000));
      return { outs, full, cut, t };
    }

    it('a snaplen cut: the gap says so (packet, captured and original length), and the file gets one issue', () => {
      const { outs, full } = cutRequest(14 + 20 + 24 + 10, true);
      const gap = outs.find((o) => o.type === 'input' && o.input.kind === 'gap');
      expect(gap).toMatchObject({ input: {
        kind: 'gap', dir: 'c2s', bytes: CR.length - 10, packet: 4,
        detail: `cut by the capture's snaplen: packet 4 kept 68 of its ${full.length} bytes`,
      } });
      expect(outs.filter((o) => o.type === 'issue').map((o) => o.type === 'issue' && o.issue)).toEqual([{
        offset: 0,
        reason: `packets cut to 68 bytes by the capture's snaplen: the RDP payload beyond it is missing from 1 connection (#1); the first is packet 4, 68 of ${full.length} bytes captured. Capture with -s 0 (tcpdump, dumpcap) to keep whole packets`,
      }]);
    });

    it('a packet shorter than its IP header says, with nothing cut by a snaplen: a gap saying so, no snaplen issue', () => {
      const { outs } = cutRequest(14 + 20 + 24 + 10, false);
      expect(outs.find((o) => o.type === 'input' && o.input.kind === 'gap')).toMatchObject({ input: {
        detail: `packet 4 is shorter than its IP header says: 10 of ${CR.length} payload bytes in its 68 bytes`,
      } });
      expect(outs.filter((o) => o.type === 'issue')).toEqual([]);
    });

    it('counts the RDP connections a snaplen cut, not the others', () => {
      const t = new FlowTable();
      const outs: FlowOutput[] = [];
      let n = 0;
      const cut = (f: Uint8Array, keep = 60) => outs.push(...t.packet({ ...packet(f.subarray(0, keep), ++n), origLen: f.length }));
      for (const port of [1, 2, 3]) {
        const c = new Conn('10.0.0.1', port, '10.0.0.2', 3389);
        for (const f of [c.syn(), c.synAck(), c.ack(), c.c(CR)]) cut(f, port === 3 ? 54 + 4 : 60);
      }
      const web = new Conn('10.0.0.1', 4, '10.0.0.2', 80);
      for (const f of [web.syn(), web.synAck(), web.ack(), web.c(ascii('GET / HTTP/1.1\r\n\r\n'))]) cut(f);
      outs.push(...t.end(100_000));
      expect(outs.filter((o) => o.type === 'issue').map((o) => o.type === 'issue' && o.issue.reason)).toEqual([
        `packets cut to 58 or 60 bytes by the capture's snaplen: the RDP payload beyond it is missing from 3 connections (#1, #2, #3); the first is packet 4, 60 of ${14 + 20 + 24 + CR.length} bytes captured. Capture with -s 0 (tcpdump, dumpcap) to keep whole packets`,
      ]);
    });
  });

  it('never lets a malformed packet stop the flow table', () => {
    const t = new FlowTable();
    let seed = 99;
    const c = new Conn();
    const frames = handshake(c);
    for (let i = 0; i < 2000; i++) {
      const f = frames[i % frames.length]!.slice(0, 14 + (i % 70));
      seed = (seed * 1103515245 + 12345) >>> 0;
      if (f.length > 0) f[seed % f.length] = seed >>> 24;
      expect(() => t.packet(packet(f, i + 1))).not.toThrow();
    }
    expect(() => t.end(0)).not.toThrow();
  });
});
