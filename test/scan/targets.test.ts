// Scan targets: every form, the errors (each naming its token), lazy expansion, sharding.
import { describe, expect, it } from 'vitest';
import {
  expandTokens, lineTokens, MAX_IPV6_ADDRESSES, parseShard, parseTargetSpec, shardOf, shardSize, TargetError, type ScanTarget,
} from '../../src/scan/targets.js';

const all = (token: string, port = 3389): string[] =>
  [...parseTargetSpec(token, port).expand()].map((t) => (t.host.includes(':') ? `[${t.host}]:${t.port}` : `${t.host}:${t.port}`));

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* from<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}

describe('target forms', () => {
  it('host, host:port, IPv4, [IPv6]:port, bare IPv6, with --port for those without one', () => {
    expect(all('rdp.example.com')).toEqual(['rdp.example.com:3389']);
    expect(all('rdp.example.com:3390')).toEqual(['rdp.example.com:3390']);
    expect(all('localhost', 4000)).toEqual(['localhost:4000']);
    expect(all('10.1.2.3')).toEqual(['10.1.2.3:3389']);
    expect(all('10.1.2.3:13389')).toEqual(['10.1.2.3:13389']);
    expect(all('[2001:db8::1]:3390')).toEqual(['[2001:db8::1]:3390']);
    expect(all('[::1]')).toEqual(['[::1]:3389']);
    expect(all('2001:db8::1')).toEqual(['[2001:db8::1]:3389']);
  });

  it('IPv4 CIDR: every address of the block, the base rounded down to it, with an optional port', () => {
    expect(all('192.168.1.0/30')).toEqual(['192.168.1.0:3389', '192.168.1.1:3389', '192.168.1.2:3389', '192.168.1.3:3389']);
    expect(all('192.168.1.77/30:3390')).toEqual(['192.168.1.76:3390', '192.168.1.77:3390', '192.168.1.78:3390', '192.168.1.79:3390']);
    expect(all('10.0.0.9/32')).toEqual(['10.0.0.9:3389']);
    expect(all('10.0.0.255/31')).toEqual(['10.0.0.254:3389', '10.0.0.255:3389']);
    expect(parseTargetSpec('10.0.0.0/8', 3389).count).toBe(2 ** 24);
    expect(parseTargetSpec('0.0.0.0/0', 3389).count).toBe(2 ** 32);
    const top = parseTargetSpec('255.255.255.254/31', 1).expand();
    expect([...top].map((t) => t.host)).toEqual(['255.255.255.254', '255.255.255.255']);
  });

  it('IPv6 CIDR up to a /112, with or without brackets and port', () => {
    expect(all('2001:db8::/126')).toEqual(['[2001:db8::]:3389', '[2001:db8::1]:3389', '[2001:db8::2]:3389', '[2001:db8::3]:3389']);
    expect(all('[2001:db8:0:0:0:0:1:ff/127]:3390')).toEqual(['[2001:db8::1:fe]:3390', '[2001:db8::1:ff]:3390']);
    expect(all('::1/128')).toEqual(['[::1]:3389']);
    expect(all('::ffff:10.0.0.1/127')).toEqual(['[::ffff:a00:0]:3389', '[::ffff:a00:1]:3389']);
    const s = parseTargetSpec('fd00::/112', 3389);
    expect(s.count).toBe(MAX_IPV6_ADDRESSES);
    let last: ScanTarget | undefined;
    for (const t of s.expand()) last = t;
    expect(last?.host).toBe('fd00::ffff');
  });

  it('IPv4 ranges: a last-octet end, or a full end address across octets', () => {
    expect(all('10.0.0.1-3')).toEqual(['10.0.0.1:3389', '10.0.0.2:3389', '10.0.0.3:3389']);
    expect(all('10.0.0.254-10.0.1.1:3390')).toEqual(['10.0.0.254:3390', '10.0.0.255:3390', '10.0.1.0:3390', '10.0.1.1:3390']);
    expect(all('10.0.0.7-7')).toEqual(['10.0.0.7:3389']);
    expect(parseTargetSpec('10.0.0.1-10.0.1.5', 3389).count).toBe(261);
  });

  it('lines of a list: whitespace-separated tokens, # comments, blank lines', () => {
    expect(lineTokens('  10.0.0.1 10.0.0.2:3390\t# the lab')).toEqual(['10.0.0.1', '10.0.0.2:3390']);
    expect(lineTokens('# only a comment')).toEqual([]);
    expect(lineTokens('')).toEqual([]);
  });
});

describe('bad targets: a TargetError that names the token', () => {
  const bad: [string, RegExp][] = [
    ['10.0.0.256', /not an IPv4 address/],
    ['10.0.0.0/33', /IPv4 prefix is \/0 to \/32/],
    ['2001:db8::/64', /at most 65536 addresses/],
    ['[2001:db8::/129]', /IPv6 prefix/],
    ['10.0.0.9-3', /ends before it starts/],
    ['10.0.0.1-256', /not an octet/],
    ['10.0.0.1-10.0.0.300', /not an IPv4 address/],
    ['10.0.0.1:0', /bad port "0"/],
    ['10.0.0.1:70000', /bad port/],
    ['host:name:1', /use HOST, HOST:PORT/],
    ['bad_host!', /not a host name/],
    ['-x', /not a host name/],
    ['foo/24', /is not an IP address/],
    ['1.2.3', /not an IPv4 address/],
    ['a..b', /not a host name/],
  ];
  it.each(bad)('%s', (token, why) => {
    expect(() => parseTargetSpec(token, 3389)).toThrow(TargetError);
    expect(() => parseTargetSpec(token, 3389)).toThrow(`bad target "${token}"`);
    expect(() => parseTargetSpec(token, 3389)).toThrow(why);
  });
});

describe('lazy expansion', () => {
  it('the first targets of a /8 come at once, without the 16 million behind them', () => {
    const heap = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const g = parseTargetSpec('10.0.0.0/8', 3389).expand();
    const first = Array.from({ length: 5 }, () => g.next().value as ScanTarget);
    expect(first.map((t) => t.host)).toEqual(['10.0.0.0', '10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect(performance.now() - t0).toBeLessThan(50);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(1 << 20);
  });

  it('expandTokens parses each token when it reaches it: the tokens before a bad one are expanded first', async () => {
    const seen: string[] = [];
    await expect((async () => {
      for await (const t of expandTokens(from(['10.0.0.1-2', 'nope!', '10.0.0.3']), 3389)) seen.push(t.host);
    })()).rejects.toThrow('bad target "nope!"');
    expect(seen).toEqual(['10.0.0.1', '10.0.0.2']);
  });
});

describe('sharding', () => {
  it('parses K/N (1-based) and refuses anything else', () => {
    expect(parseShard('2/5')).toEqual({ index: 2, count: 5 });
    for (const s of ['0/3', '4/3', '1/0', '1', 'a/b', '-1/2']) expect(() => parseShard(s), s).toThrow(/bad shard/);
  });

  it('the shards of a list are disjoint, their union is the list, and each shard\'s size is known in advance', async () => {
    const tokens = ['10.0.0.0/28', 'rdp.example.com', '10.0.1.1-9'];
    const whole = (await collect(expandTokens(from(tokens), 3389))).map((t) => t.host);
    expect(whole).toHaveLength(26);
    for (const count of [1, 2, 3, 7, 26, 40]) {
      const shards: string[][] = [];
      for (let index = 1; index <= count; index++) {
        const part = (await collect(shardOf(expandTokens(from(tokens), 3389), { index, count }))).map((t) => t.host);
        expect(part).toHaveLength(shardSize(whole.length, { index, count }));
        shards.push(part);
      }
      expect(shards.flat().sort()).toEqual([...whole].sort());
      expect(new Set(shards.flat()).size).toBe(whole.length);
      // the i-th target is in shard (i mod N) + 1
      whole.forEach((host, i) => expect(shards[i % count]).toContain(host));
    }
  });
});
