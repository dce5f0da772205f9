// Scan targets: HOST, HOST:PORT, [IPv6]:PORT, IPv4 CIDR (10.0.0.0/24), IPv6 CIDR up to
// MAX_IPV6_ADDRESSES, IPv4 ranges (10.0.0.1-20, 10.0.0.1-10.0.1.5), each with an optional :PORT
// ([...] around IPv6). Parsing is pure; expansion is lazy (generators), so a /8 is never an array.
import { isIP } from 'node:net';
import { parseTarget } from '../cli/target.js';

export interface ScanTarget {
  host: string;
  port: number;
}

export interface TargetSpec {
  /** the token as given */
  token: string;
  /** how many targets it expands to */
  count: number;
  expand(): Generator<ScanTarget>;
}

/** The largest IPv6 CIDR accepted: a /112. */
export const MAX_IPV6_ADDRESSES = 65_536;

const FORMS = 'use HOST, HOST:PORT, [IPv6]:PORT, a CIDR (10.0.0.0/24, [2001:db8::/120]:PORT) or a range (10.0.0.1-20, 10.0.0.1-10.0.1.5)';
const HOSTNAME = /^(?=.{1,253}\.?$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

export class TargetError extends Error {}

/** One target token; throws a TargetError naming the token when it is none of the forms. */
export function parseTargetSpec(token: string, defaultPort: number): TargetSpec {
  const fail = (why: string): never => { throw new TargetError(`bad target "${token}": ${why}`); };
  let host: string;
  let port: number;
  // a bare IPv6 CIDR has colons but no port; parseTarget would refuse it
  if (/^[0-9a-f:.]*:[0-9a-f:.]*\/\d+$/i.test(token)) ({ host, port } = { host: token, port: defaultPort });
  else {
    try {
      ({ host, port } = parseTarget(token, defaultPort));
    } catch (e) {
      const m = (e as Error).message;
      return fail(m.startsWith('bad port') ? m : FORMS); // parseTarget's "bad target" lists fewer forms
    }
  }
  const one = (h: string): TargetSpec => ({ token, count: 1, *expand() { yield { host: h, port }; } });
  const ipv4Range = (first: number, last: number): TargetSpec => ({
    token, count: last - first + 1,
    *expand() { for (let n = first; n <= last; n++) yield { host: ipv4String(n), port }; },
  });

  const cidr = /^(.+)\/(\d{1,3})$/.exec(host);
  if (cidr) {
    const [, base, bitsText] = cidr as unknown as [string, string, string];
    const bits = Number(bitsText);
    if (isIP(base) === 4) {
      if (bits > 32) fail('an IPv4 prefix is /0 to /32');
      const size = 2 ** (32 - bits);
      const first = ipv4Number(base) - (ipv4Number(base) % size);
      return ipv4Range(first, first + size - 1);
    }
    if (isIP(base) === 6) {
      if (bits > 128) fail('an IPv6 prefix is /0 to /128');
      const size = 1n << BigInt(128 - bits);
      if (size > BigInt(MAX_IPV6_ADDRESSES)) fail(`an IPv6 CIDR may cover at most ${MAX_IPV6_ADDRESSES} addresses (/112)`);
      const first = ipv6Number(base) & ~(size - 1n);
      return {
        token, count: Number(size),
        *expand() { for (let n = 0n; n < size; n++) yield { host: ipv6String(first + n), port }; },
      };
    }
    return fail(`"${base}" is not an IP address; ${FORMS}`);
  }
  const range = /^(\d+\.\d+\.\d+\.\d+)-(\d+(?:\.\d+\.\d+\.\d+)?)$/.exec(host);
  if (range) {
    const [, from, to] = range as unknown as [string, string, string];
    if (isIP(from) !== 4) fail(`"${from}" is not an IPv4 address`);
    const first = ipv4Number(from);
    let last: number;
    if (to.includes('.')) {
      if (isIP(to) !== 4) fail(`"${to}" is not an IPv4 address`);
      last = ipv4Number(to);
    } else {
      const octet = Number(to);
      if (octet > 255) fail(`the range end ${to} is not an octet (0-255)`);
      last = first - (first % 256) + octet;
    }
    if (last < first) fail('the range ends before it starts');
    return ipv4Range(first, last);
  }
  if (isIP(host)) return one(host);
  if (/^[\d.]+$/.test(host)) fail('not an IPv4 address');
  if (!HOSTNAME.test(host)) fail(`not a host name or address; ${FORMS}`);
  return one(host);
}

/** The tokens of one line of a target list: whitespace-separated, `#` starts a comment. */
export function lineTokens(line: string): string[] {
  return line.replace(/#.*/, '').split(/\s+/).filter(Boolean);
}

/** --shard K/N: shard K (1-based) of N. */
export function parseShard(text: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(text);
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || index < 1 || index > count) throw new TargetError(`bad shard "${text}": give K/N with 1 <= K <= N, e.g. 1/4`);
  return { index, count };
}

/** The i-th target (from 0) belongs to shard (i mod N) + 1: shards split a list without a coordinator. */
export async function* shardOf<T>(items: AsyncIterable<T>, shard: { index: number; count: number }): AsyncGenerator<T> {
  let i = 0;
  for await (const item of items) if (i++ % shard.count === shard.index - 1) yield item;
}

/** How many of `total` targets fall in the shard. */
export function shardSize(total: number, shard: { index: number; count: number }): number {
  return Math.floor(total / shard.count) + (shard.index - 1 < total % shard.count ? 1 : 0);
}

/** Every target of the tokens, in order, expanded one at a time. */
export async function* expandTokens(tokens: AsyncIterable<string>, defaultPort: number): AsyncGenerator<ScanTarget> {
  for await (const token of tokens) yield* parseTargetSpec(token, defaultPort).expand();
}

function ipv4Number(ip: string): number {
  return ip.split('.').reduce((n, octet) => n * 256 + Number(octet), 0);
}

function ipv4String(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

function ipv6Number(ip: string): bigint {
  // expand "::" and a trailing dotted IPv4 part into eight 16-bit groups
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const n = ipv4Number(v4[1]!);
    text = `${text.slice(0, v4.index)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string | undefined): string[] => (s ? s.split(':') : []);
  const all = tail === undefined ? groups(head) : [...groups(head), ...Array<string>(8 - groups(head).length - groups(tail).length).fill('0'), ...groups(tail)];
  return all.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

function ipv6String(n: bigint): string {
  const groups = Array.from({ length: 8 }, (_, i) => ((n >> BigInt(112 - 16 * i)) & 0xffffn).toString(16));
  return new URL(`http://[${groups.join(':')}]/`).hostname.slice(1, -1);
}
