// SOCKS tunnels: the sans-IO handshake parser (RFC 1928, RFC 1929, SOCKS4/4a), and the flow table
// finding RDP behind it.
import { describe, expect, it } from 'vitest';
import type { TrackerInput } from '../../src/analyze/input.js';
import { FlowTable, type FlowMeta, type FlowOutput, type FlowTableOptions } from '../../src/capture/flows.js';
import { CaptureParser, type CapturedPacket } from '../../src/capture/reader.js';
import { replayBytes } from '../../src/capture/replay.js';
import { MAX_SOCKS_BYTES, SocksParser, looksLikeSocks, parseSocks, socksReplyText, type SocksResult } from '../../src/capture/socks.js';
import { ascii, concat, Conn, fixture, rdpCr, sha256 } from './helpers.js';

const b = (...parts: (number | number[] | Uint8Array | string)[]): Uint8Array =>
  concat(parts.map((p) => (typeof p === 'number' ? Uint8Array.of(p) : typeof p === 'string' ? ascii(p) : Uint8Array.from(p))));
const port = (p: number): number[] => [p >> 8, p & 0xff];
const EMPTY = new Uint8Array(0);

// RFC 1928 byte layouts
const greeting = (...methods: number[]): Uint8Array => b(5, methods.length, methods);
const choose = (m: number): Uint8Array => b(5, m);
const v4 = (ip: number[], p: number): Uint8Array => b(1, ip, port(p));
const v6 = (ip: number[], p: number): Uint8Array => b(4, ip, port(p));
const domain = (name: string, p: number): Uint8Array => b(3, name.length, name, port(p));
const request = (addr: Uint8Array, cmd = 1): Uint8Array => b(5, cmd, 0, addr);
const reply = (rep: number, addr: Uint8Array = v4([0, 0, 0, 0], 0)): Uint8Array => b(5, rep, 0, addr);
// RFC 1929
const login = (user: string, pass: string): Uint8Array => b(1, user.length, user, pass.length, pass);
const loginReply = (status: number, ver = 1): Uint8Array => b(ver, status);
// SOCKS4 / 4a
const s4 = (ip: number[], p: number, user = '', host?: string, cmd = 1): Uint8Array =>
  b(4, cmd, port(p), ip, user, 0, host === undefined ? [] : b(host, 0));
const s4reply = (cd: number): Uint8Array => b(0, cd, 0, 0, 0, 0, 0, 0);

const CR = rdpCr('Cookie: mstshash=XXX\r\n');
const CC = Uint8Array.from([3, 0, 0, 19, 14, 0xd0, 0, 0, 0x12, 0x34, 0, 2, 0, 8, 0, 0, 0, 0, 0]);
const TARGET = v4([10, 0, 0, 1], 3389);

/** The handshake the bundled capture holds: no authentication, CONNECT 10.0.0.1:3389. */
const PLAIN = { c2s: b(greeting(0), request(TARGET)), s2c: b(choose(0), reply(0)) };

/**
 * Feeds both directions through a SocksParser in pieces: client cut at `ci`, proxy at `si`, the
 * pieces interleaved client first. Returns the final result.
 */
function fed(c2s: Uint8Array, s2c: Uint8Array, ci: number, si: number): SocksResult {
  const p = new SocksParser();
  p.push('c2s', c2s.subarray(0, ci));
  p.push('s2c', s2c.subarray(0, si));
  p.push('c2s', c2s.subarray(ci));
  return p.push('s2c', s2c.subarray(si));
}

/** Every cut of both directions gives the whole-stream result; no prefix is ever final early. */
function splitIndependent(c2s: Uint8Array, s2c: Uint8Array): SocksResult {
  const whole = parseSocks(c2s, s2c);
  for (let ci = 0; ci <= c2s.length; ci++) {
    for (let si = 0; si <= s2c.length; si++) {
      expect(fed(c2s, s2c, ci, si)).toEqual(whole);
      const prefix = parseSocks(c2s.subarray(0, ci), s2c.subarray(0, si));
      if (prefix.state !== 'need-more') {
        expect(prefix).toEqual(whole); // decided on a prefix: the rest changes nothing
        expect(ci).toBeGreaterThanOrEqual(prefix.consumed.c2s);
        expect(si).toBeGreaterThanOrEqual(prefix.consumed.s2c);
      }
    }
  }
  // byte by byte, directions alternating
  const p = new SocksParser();
  for (let i = 0; i < Math.max(c2s.length, s2c.length); i++) {
    p.push('c2s', c2s.subarray(i, i + 1));
    p.push('s2c', s2c.subarray(i, i + 1));
  }
  expect(p.result).toEqual(whole);
  return whole;
}

describe('SOCKS5 handshake (RFC 1928)', () => {
  it('follows greeting, method selection, CONNECT and reply; the tunnel starts after them', () => {
    const r = splitIndependent(b(PLAIN.c2s, CR), b(PLAIN.s2c, CC));
    expect(r).toEqual({
      state: 'done', version: 5, method: 0, reply: 0,
      consumed: { c2s: 3 + 10, s2c: 2 + 10 },
      target: { host: '10.0.0.1', port: 3389 },
    });
  });

  it('reads IPv6 and domain-name targets, and any bound address in the reply', () => {
    const ip6 = [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];
    const a = splitIndependent(b(greeting(0), request(v6(ip6, 3389))), b(choose(0), reply(0, v6(ip6, 40000))));
    expect(a).toMatchObject({ state: 'done', target: { host: '2001:db8::1', port: 3389 }, consumed: { c2s: 3 + 22, s2c: 2 + 22 } });
    const d = splitIndependent(b(greeting(0), request(domain('rdp.example.com', 3390))), b(choose(0), reply(0, domain('proxy.local', 1))));
    expect(d).toMatchObject({ state: 'done', target: { host: 'rdp.example.com', port: 3390 }, consumed: { c2s: 3 + 7 + 15, s2c: 2 + 7 + 11 } });
    const odd = parseSocks(b(greeting(0), request(b(3, 4, 'a b', 0x80, port(1)))), b(choose(0), reply(0)));
    expect(odd.target).toEqual({ host: 'a\\x20b\\x80', port: 1 });
  });

  it('skips the username/password sub-negotiation (RFC 1929) without keeping the credentials', () => {
    const c2s = b(greeting(0, 2), login('alice', 's3cr3t-pw'), request(TARGET));
    const r = splitIndependent(c2s, b(choose(2), loginReply(0), reply(0)));
    expect(r).toMatchObject({ state: 'done', method: 2, consumed: { c2s: c2s.length, s2c: 2 + 2 + 10 } });
    expect(JSON.stringify(r)).not.toMatch(/alice|s3cr3t/);
    expect(parseSocks(c2s, b(choose(2), loginReply(0, 5), reply(0))).state).toBe('done'); // some proxies answer version 5
    expect(parseSocks(b(greeting(2), login('', ''), request(TARGET)), b(choose(2), loginReply(0), reply(0))).state).toBe('done');
    const refused = splitIndependent(c2s, b(choose(2), loginReply(1)));
    expect(refused).toEqual({
      state: 'failed', version: 5, method: 2, consumed: { c2s: 4 + 1 + 1 + 5 + 1 + 9, s2c: 4 },
      reason: 'SOCKS5 proxy rejected the username/password (status 1)',
    });
    expect(JSON.stringify(refused)).not.toMatch(/alice|s3cr3t/);
  });

  it('reports the proxy refusing the CONNECT, with the RFC 1928 reply code', () => {
    const names = ['general SOCKS server failure', 'connection not allowed by ruleset', 'network unreachable', 'host unreachable',
      'connection refused', 'TTL expired', 'command not supported', 'address type not supported'];
    names.forEach((name, i) => {
      const r = splitIndependent(PLAIN.c2s, b(choose(0), reply(i + 1)));
      expect(r).toEqual({
        state: 'failed', version: 5, method: 0, reply: i + 1, consumed: { c2s: 13, s2c: 4 },
        target: { host: '10.0.0.1', port: 3389 }, reason: `SOCKS5 proxy refused CONNECT: ${name} (${i + 1})`,
      });
    });
    expect(parseSocks(PLAIN.c2s, b(choose(0), 5, 9)).reason).toBe('SOCKS5 proxy refused CONNECT: unassigned (9)');
    expect(socksReplyText(5, 5)).toBe('connection refused (5)');
  });

  it('fails, without a reply, when no tunnel follows: no acceptable method, GSSAPI, BIND, UDP ASSOCIATE', () => {
    expect(splitIndependent(greeting(0, 2), choose(0xff))).toMatchObject({
      state: 'failed', method: 0xff, reason: 'SOCKS5 proxy accepts none of the offered authentication methods',
    });
    expect(splitIndependent(greeting(1), choose(1))).toMatchObject({
      state: 'failed', reason: 'SOCKS5 authentication method 0x01 (GSSAPI) cannot be followed',
    });
    for (const [cmd, name] of [[2, 'BIND'], [3, 'UDP ASSOCIATE']] as const) {
      const r = splitIndependent(b(greeting(0), request(TARGET, cmd)), b(choose(0), reply(0)));
      expect(r).toEqual({
        state: 'failed', version: 5, method: 0, consumed: { c2s: 13, s2c: 2 },
        target: { host: '10.0.0.1', port: 3389 }, reason: `SOCKS5 ${name} request, not CONNECT`,
      });
    }
  });

  it('waits for whichever side it needs next', () => {
    expect(parseSocks(greeting(0, 2), EMPTY)).toEqual({ state: 'need-more', version: 5, consumed: { c2s: 4, s2c: 0 } });
    // the client sends its request before the method selection arrives: read once the proxy chose
    expect(parseSocks(PLAIN.c2s, EMPTY).consumed).toEqual({ c2s: 3, s2c: 0 });
    expect(parseSocks(PLAIN.c2s, choose(0))).toMatchObject({ state: 'need-more', target: { host: '10.0.0.1', port: 3389 }, consumed: { c2s: 13, s2c: 2 } });
    expect(parseSocks(PLAIN.c2s, b(choose(0), reply(0)).subarray(0, 11)).state).toBe('need-more');
  });
});

describe('SOCKS4 and SOCKS4a handshakes', () => {
  it('follows a SOCKS4 CONNECT with a user id, skipping the user id', () => {
    const c2s = s4([10, 0, 0, 1], 3389, 'bob');
    const r = splitIndependent(b(c2s, CR), b(s4reply(90), CC));
    expect(r).toEqual({ state: 'done', version: 4, reply: 90, consumed: { c2s: c2s.length, s2c: 8 }, target: { host: '10.0.0.1', port: 3389 } });
    expect(JSON.stringify(r)).not.toContain('bob');
  });

  it('takes the host name of SOCKS4a (address 0.0.0.x)', () => {
    const c2s = s4([0, 0, 0, 7], 3389, '', 'rdp.example');
    expect(splitIndependent(c2s, s4reply(90))).toMatchObject({ state: 'done', target: { host: 'rdp.example', port: 3389 }, consumed: { c2s: 9 + 12 } });
    expect(parseSocks(s4([0, 0, 0, 7], 3389, 'u', ''), s4reply(90)).state).toBe('not-socks'); // 4a without a host name
  });

  it('reports the rejections', () => {
    for (const [cd, why] of [[91, 'request rejected or failed'], [92, 'rejected: the proxy cannot reach identd on the client'],
      [93, 'rejected: identd reports a different user id']] as const) {
      expect(splitIndependent(s4([10, 0, 0, 1], 3389), s4reply(cd))).toEqual({
        state: 'failed', version: 4, reply: cd, consumed: { c2s: 9, s2c: 2 },
        target: { host: '10.0.0.1', port: 3389 }, reason: `SOCKS4 proxy refused CONNECT: ${why} (${cd})`,
      });
    }
    expect(parseSocks(s4([10, 0, 0, 1], 3389, '', undefined, 2), EMPTY)).toMatchObject({ state: 'failed', reason: 'SOCKS4 BIND request, not CONNECT' });
  });
});

describe('not SOCKS', () => {
  const cases: [string, Uint8Array, Uint8Array][] = [
    ['an RDP Connection Request', CR, EMPTY],
    ['HTTP', ascii('GET / HTTP/1.1\r\n\r\n'), EMPTY],
    ['TLS', b(0x16, 3, 1, 0, 0x50), EMPTY],
    ['a SOCKS5 greeting with no method', b(5, 0), EMPTY],
    ['an answer that is not SOCKS5', greeting(0), b(4, 0)],
    ['a method the client did not offer', greeting(0), choose(2)],
    ['an RFC 1929 request of another version', b(greeting(2), 5, 1, 'u', 1, 'p'), choose(2)],
    ['an RFC 1929 reply of another version', b(greeting(2), login('u', 'p')), b(choose(2), 3, 0)],
    ['a request of another version', b(greeting(0), 4, 1, 0, TARGET), choose(0)],
    ['an unknown command', b(greeting(0), request(TARGET, 9)), choose(0)],
    ['a non-zero RSV', b(greeting(0), 5, 1, 1, TARGET), choose(0)],
    ['an unknown address type', b(greeting(0), request(b(2, 1, 2, 3, 4, 0, 80))), choose(0)],
    ['an empty domain name', b(greeting(0), request(b(3, 0, 0, 80))), choose(0)],
    ['a reply of another version', PLAIN.c2s, b(choose(0), 4, 0)],
    ['an unknown bound address type', PLAIN.c2s, b(choose(0), 5, 0, 0, 9)],
    ['a SOCKS4 unknown command', b(4, 3, 0, 80, 1, 2, 3, 4, 0), EMPTY],
    ['a SOCKS4 reply of another version', s4([1, 2, 3, 4], 80), b(4, 90)],
    ['a SOCKS4 unknown reply code', s4([1, 2, 3, 4], 80), b(0, 94)],
  ];
  for (const [what, c2s, s2c] of cases) {
    it(`gives up on ${what}`, () => {
      const r = splitIndependent(c2s, s2c);
      expect(r.state).toBe('not-socks');
      expect(r.reason).toBeTypeOf('string');
      expect(r).not.toHaveProperty('target');
    });
  }

  it('looksLikeSocks: only the first client bytes of a possible handshake', () => {
    expect(looksLikeSocks(greeting(0))).toBe(true);
    expect(looksLikeSocks(b(5))).toBe(true);
    expect(looksLikeSocks(s4([10, 0, 0, 1], 3389, 'x'))).toBe(true);
    expect(looksLikeSocks(EMPTY)).toBe(false);
    expect(looksLikeSocks(CR)).toBe(false);
    expect(looksLikeSocks(b(5, 0))).toBe(false);
    expect(looksLikeSocks(b(4, 7))).toBe(false);
  });
});

describe('bounds', () => {
  it('follows the largest possible SOCKS5 client side, which is MAX_SOCKS_BYTES', () => {
    const methods = [...Array(255).keys()].map((i) => (i === 0 ? 2 : i + 2));
    const c2s = b(greeting(...methods), login('u'.repeat(255), 'p'.repeat(255)), request(domain('h'.repeat(255), 3389)));
    expect(c2s.length).toBe(MAX_SOCKS_BYTES);
    const r = parseSocks(b(c2s, CR), b(choose(2), loginReply(0), reply(0)));
    expect(r).toMatchObject({ state: 'done', consumed: { c2s: MAX_SOCKS_BYTES } });
  });

  it('gives up as not-socks when a handshake would run past MAX_SOCKS_BYTES', () => {
    const endless = b(4, 1, 0, 80, 1, 2, 3, 4, new Uint8Array(MAX_SOCKS_BYTES).fill(0x41)); // a user id with no end
    expect(parseSocks(endless.subarray(0, MAX_SOCKS_BYTES - 1), EMPTY).state).toBe('need-more');
    expect(parseSocks(endless.subarray(0, MAX_SOCKS_BYTES), EMPTY)).toMatchObject({
      state: 'not-socks', reason: `no complete SOCKS handshake in the first ${MAX_SOCKS_BYTES} client bytes`,
    });
    const p = new SocksParser();
    p.push('c2s', endless.subarray(0, 100));
    expect(p.push('c2s', new Uint8Array(10_000_000).fill(0x41)).state).toBe('not-socks');
    // a SOCKS4a host name with no end
    const host = b(s4([0, 0, 0, 1], 80, 'u').subarray(0, 11), new Uint8Array(MAX_SOCKS_BYTES).fill(0x41));
    expect(parseSocks(host, EMPTY).state).toBe('not-socks');
  });

  it('stays final: more bytes change nothing', () => {
    const p = new SocksParser();
    const done = p.push('c2s', b(PLAIN.c2s, CR));
    expect(done.state).toBe('need-more');
    const r = p.push('s2c', PLAIN.s2c);
    expect(r.state).toBe('done');
    expect(p.push('s2c', b(5, 5, 5))).toBe(r);
    expect(p.final).toBe(true);
  });
});

// ---- the flow table and replay --------------------------------------------------------------

const packet = (data: Uint8Array, number: number): CapturedPacket =>
  ({ number, at: number * 1000, linktype: 1, data, origLen: data.length, capLen: data.length, interfaceId: 0, offset: 0 });

interface Seen { meta: FlowMeta; inputs: TrackerInput[]; last?: number }

function run(frames: Uint8Array[], opts?: FlowTableOptions): { flows: Seen[]; outs: FlowOutput[] } {
  const t = new FlowTable(opts);
  const outs = [...frames.flatMap((f, i) => t.packet(packet(f, i + 1))), ...t.end(frames.length * 1000 + 500)];
  const flows = new Map<number, Seen>();
  for (const o of outs) {
    if (o.type === 'start') flows.set(o.flow.id, { meta: o.flow, inputs: [] });
    else if (o.type === 'input') flows.get(o.flowId)!.inputs.push(o.input);
    else if (o.type === 'finish') flows.get(o.flowId)!.last = o.lastPacket;
  }
  return { flows: [...flows.values()], outs };
}

const stream = (f: Seen, dir: 'c2s' | 's2c'): Uint8Array =>
  concat(f.inputs.flatMap((i) => (i.kind === 'data' && i.dir === dir ? [i.bytes] : [])));
const control = (f: Seen): string[] => f.inputs.flatMap((i) => {
  const at = i.packet === undefined ? '' : `@${i.packet}`;
  if (i.kind === 'data') return [`${i.dir} ${i.bytes.length}${at}`];
  if (i.kind === 'tcp') return [`${i.what}${at}${i.detail ? ` (${i.detail})` : ''}`];
  if (i.kind === 'close') return [`${i.dir} ${i.how}${at}`];
  if (i.kind === 'end') return [`end ${i.how}`];
  return [`${i.kind}${at}`];
});

/** A TCP connection to a proxy on `proxyPort`: SYN, SYN/ACK, ACK, then the given payloads in turn. */
function through(payloads: ['c' | 's', Uint8Array][], proxyPort = 1080, cport = 50000): Uint8Array[] {
  const c = new Conn('10.0.0.3', cport, '10.0.0.2', proxyPort);
  return [c.syn(), c.synAck(), c.ack(), ...payloads.map(([who, p]) => (who === 'c' ? c.c(p) : c.s(p)))];
}

const TUNNEL = { kind: 'socks5', target: { host: '10.0.0.1', port: 3389 } };

describe('RDP through a SOCKS proxy', () => {
  it('finds the connection on any port and gives the tracker the tunnelled streams only', () => {
    const { flows } = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(TARGET)], ['s', reply(0)], ['c', CR], ['s', CC]]));
    expect(flows).toHaveLength(1);
    const f = flows[0]!;
    expect(f.meta).toMatchObject({ id: 1, client: { port: 50000 }, server: { ip: '10.0.0.2', port: 1080 }, tunnel: TUNNEL });
    expect(control(f)).toEqual(['syn@1', 'syn-ack@2', `c2s ${CR.length}@8`, 's2c 19@9', 'end capture-end']);
    expect(stream(f, 'c2s')).toEqual(CR);
    expect(stream(f, 's2c')).toEqual(CC);
  });

  it('cuts the handshake out of segments that also carry tunnelled bytes, however the bytes were segmented', () => {
    const c2s = b(PLAIN.c2s, CR);
    const s2c = b(PLAIN.s2c, CC);
    for (let cut = 1; cut < c2s.length; cut++) {
      const { flows } = run(through([['c', c2s.subarray(0, cut)], ['s', s2c.subarray(0, 2)], ['c', c2s.subarray(cut)], ['s', s2c.subarray(2)]]));
      expect(flows.map((f) => f.meta.tunnel)).toEqual([TUNNEL]);
      expect(stream(flows[0]!, 'c2s')).toEqual(CR);
      expect(stream(flows[0]!, 's2c')).toEqual(CC);
    }
  });

  it('to a port not known to be RDP, only when the first tunnelled client bytes are a Connection Request', () => {
    const to8080 = v4([10, 0, 0, 1], 8080);
    const rdp = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(to8080)], ['s', reply(0)], ['c', CR]]));
    expect(rdp.flows.map((f) => f.meta.tunnel)).toEqual([{ kind: 'socks5', target: { host: '10.0.0.1', port: 8080 } }]);
    expect(stream(rdp.flows[0]!, 'c2s')).toEqual(CR);
    const http = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(to8080)], ['s', reply(0)], ['c', ascii('GET / HTTP/1.0\r\n\r\n')]]));
    expect(http.outs).toEqual([]);
    const quiet = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(to8080)], ['s', reply(0)]]));
    expect(quiet.outs).toEqual([]);
    // the target port may be made RDP by the options
    expect(run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(to8080)], ['s', reply(0)]]), { rdpPorts: [8080] }).flows).toHaveLength(1);
  });

  it('to an RDP port, whatever follows (here: nothing before the capture ends)', () => {
    const { flows } = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(TARGET)], ['s', reply(0)]]));
    expect(flows.map((f) => [f.meta.tunnel, control(f)])).toEqual([[TUNNEL, ['syn@1', 'syn-ack@2', 'end capture-end']]]);
  });

  it('reports a CONNECT to an RDP port that the proxy refuses as a refused connection', () => {
    const { flows } = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(TARGET)], ['s', reply(5)], ['s', ascii('x')]]));
    expect(flows.map((f) => [f.meta.tunnel, control(f), f.last])).toEqual([[
      TUNNEL, ['syn@1', 'syn-ack@2', 'refused@7 (SOCKS5 proxy refused CONNECT: connection refused (5))'], 7,
    ]]);
    const four = run(through([['c', s4([10, 0, 0, 1], 3389)], ['s', s4reply(91)]]));
    expect(four.flows.map((f) => [f.meta.tunnel, control(f).at(-1)])).toEqual([[
      { kind: 'socks4', target: { host: '10.0.0.1', port: 3389 } }, 'refused@5 (SOCKS4 proxy refused CONNECT: request rejected or failed (91))',
    ]]);
    // elsewhere, or before any CONNECT (authentication), a refusal is not RDP
    expect(run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(v4([10, 0, 0, 1], 80))], ['s', reply(5)]])).outs).toEqual([]);
    expect(run(through([['c', greeting(2)], ['s', choose(2)], ['c', login('u', 'p')], ['s', loginReply(1)]])).outs).toEqual([]);
  });

  it('follows SOCKS4a and authenticated SOCKS5 too, the password going nowhere', () => {
    const four = run(through([['c', s4([0, 0, 0, 1], 3389, 'me', 'rdp.example')], ['s', s4reply(90)], ['c', CR]]));
    expect(four.flows.map((f) => f.meta.tunnel)).toEqual([{ kind: 'socks4', target: { host: 'rdp.example', port: 3389 } }]);
    const auth = run(through([['c', greeting(2)], ['s', choose(2)], ['c', login('u', 'hunter2')], ['s', loginReply(0)],
      ['c', request(TARGET)], ['s', reply(0)], ['c', CR]]));
    expect(stream(auth.flows[0]!, 'c2s')).toEqual(CR);
    expect(auth.flows[0]!.inputs.some((i) => i.kind === 'data' && new TextDecoder().decode(i.bytes).includes('hunter2'))).toBe(false);
  });

  it('leaves alone what is not a SOCKS tunnel', () => {
    const garbage = run(through([['c', b(5, 1, 0)], ['s', ascii('SSH-2.0-x\r\n')]]));
    expect(garbage.outs).toEqual([]);
    const reset = run(through([['c', greeting(0)]]).concat(new Conn('10.0.0.3', 50000, '10.0.0.2', 1080, { c: 1004 }).rstC()));
    expect(reset.outs).toEqual([]);
    // a client that keeps talking while the proxy stays silent is given up, without holding it all
    const chatty = run(through([['c', greeting(0)], ...Array.from({ length: 10 }, () => ['c', new Uint8Array(1000)] as ['c', Uint8Array])]));
    expect(chatty.outs).toEqual([]);
  });

  it('on an RDP port: a proxy listening there is followed too, and other bytes pass as they are', () => {
    const { flows, outs } = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(TARGET)], ['s', reply(0)], ['c', CR], ['s', CC]]), { rdpPorts: [1080] });
    const start = outs[0]!;
    expect(start.type === 'start' && start.flow.tunnel).toEqual(TUNNEL); // set on the emitted object once seen
    expect(control(flows[0]!)).toEqual(['syn@1', 'syn-ack@2', `c2s ${CR.length}@8`, 's2c 19@9', 'end capture-end']);
    const refused = run(through([['c', greeting(0)], ['s', choose(0)], ['c', request(TARGET)], ['s', reply(2)]]), { rdpPorts: [1080] });
    expect(control(refused.flows[0]!).at(-1)).toBe('refused@7 (SOCKS5 proxy refused CONNECT: connection not allowed by ruleset (2))');
    const odd = b(5, 0, 1, 2, 3);
    const raw = run(through([['c', odd], ['s', CC]]), { rdpPorts: [1080] });
    expect(raw.flows[0]!.meta.tunnel).toBeUndefined();
    expect(stream(raw.flows[0]!, 'c2s')).toEqual(odd);
    expect(control(raw.flows[0]!)).toEqual(['syn@1', 'syn-ack@2', 'c2s 5@4', 's2c 19@5', 'end capture-end']);
    const cut = run(through([['c', greeting(0)]]), { rdpPorts: [1080] });
    expect(control(cut.flows[0]!)).toEqual(['syn@1', 'syn-ack@2', 'c2s 3@4', 'end capture-end']);
  });

  it('takes the SOCKS bytes off the bundled capture: the streams are the RDP ones from offset 0', () => {
    const parser = new CaptureParser();
    const t = new FlowTable();
    const outs = parser.push(fixture('socks5-rdp.pcap')).flatMap((p) => t.packet(p));
    outs.push(...t.end(0));
    const inputs = outs.flatMap((o) => (o.type === 'input' ? [o.input] : []));
    const f: Seen = { meta: (outs[0] as { flow: FlowMeta }).flow, inputs };
    expect(control(f)).toEqual(['syn@1', 'syn-ack@2', 'c2s 41@8', 's2c 19@9', 'end capture-end']);
    // TShark's follow,tcp,raw of frames 8 and 9 (the tunnelled Connection Request and Confirm)
    expect(sha256(stream(f, 'c2s'))).toBe('df33668deea1a053abeead6c34aa17b2e703359946871a61ef05177b31d0cb9c');
    expect(sha256(stream(f, 's2c'))).toBe('12bda9db6ebc6399b2ee9a1cb937d3dc6049e125d819dac2b64d51b2040f846b');
  });

  it('replays the bundled capture: RDP through SOCKS5 on port 42356 to 10.0.0.1:3389', () => {
    for (const opts of [{}, { rdpPorts: [42356] }]) {
      const items = replayBytes(fixture('socks5-rdp.pcap'), opts);
      const conns = items.flatMap((i) => (i.type === 'connection' ? [i] : []));
      expect(items).toHaveLength(conns.length);
      expect(conns).toHaveLength(1);
      const c = conns[0]!;
      expect(c.flow).toMatchObject({
        id: 1, client: { ip: '10.0.0.3', port: 2276 }, server: { ip: '10.0.0.2', port: 42356 }, firstPacket: 1, tunnel: TUNNEL,
      });
      expect(c.lastPacket).toBe(10);
      const pdus = c.events.flatMap((e) => (e.type === 'pdu' ? [e] : []));
      expect(pdus.map((e) => [e.name, e.packet, e.offset])).toEqual([
        ['Client X.224 Connection Request', 8, 0], ['Server X.224 Connection Confirm', 9, 0],
      ]);
      expect(pdus[0]!.value).toMatchObject({ cookie: 'XXX', negotiation: { requestedProtocols: 0 } });
      expect(pdus[1]!.value).toMatchObject({ negotiation: { type: 'response', selectedProtocol: 0 } });
    }
  });
});
