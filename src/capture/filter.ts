// Connection filters for `rdpscope analyze --filter EXPR`: a small tcpdump-like language over the
// connections rdpscope finds (not over packets), parsed once and matched when a connection starts,
// before any tracker is made for it. Pure: no I/O, no name resolution.
//
//   expr      := or
//   or        := and { ("or" | "||") and }
//   and       := unary { ("and" | "&&") unary }
//   unary     := ("not" | "!") unary | "(" expr ")" | primitive
//   primitive := ["tcp"] [side] kind VALUE | side VALUE | VALUE | "ip" | "ip6"
//   side      := "client" | "server" | "src" (= client) | "dst" (= server)
//   kind      := "host" ADDR | "net" CIDR | "port" N[-M] | "portrange" N-M | "conn" CONN
//   CONN      := N[-M] | #N | ENDPOINT [("-" | "->" | "<->" | "→") ENDPOINT]
//   ENDPOINT  := IPv4[:PORT] | [IPv6][:PORT] | IPv6
//
// As in tcpdump, a bare VALUE takes the last kind and side written ("port 3389 or 3390",
// "host 10.0.0.5 or 10.0.0.6"); without one, an address is a host and a CIDR a net. "#N" and an
// endpoint pair are connections on their own, in the form rdpscope prints them.
import { formatIp, ipBytes } from './ip.js';
import { sameBytes } from '../wire/bytes.js';

export interface FilterEndpoint { ip: string; port: number }
/** What a filter sees of a connection (FlowMeta has these). */
export interface FilterFlow { id: number; client: FilterEndpoint; server: FilterEndpoint }

export type Side = 'any' | 'client' | 'server';
export interface EndpointSpec { addr: Uint8Array; port?: number }
export type FilterNode =
  | { kind: 'and' | 'or'; left: FilterNode; right: FilterNode }
  | { kind: 'not'; expr: FilterNode }
  | { kind: 'host'; side: Side; addr: Uint8Array }
  | { kind: 'net'; side: Side; addr: Uint8Array; bits: number }
  | { kind: 'port'; side: Side; lo: number; hi: number }
  | { kind: 'id'; lo: number; hi: number }
  | { kind: 'conn'; a: EndpointSpec; b?: EndpointSpec }
  | { kind: 'ip'; version: 4 | 6 };

/** A parse error: `position` is the 0-based character index in `expression` where it was found. */
export class FilterError extends Error {
  constructor(readonly expression: string, readonly position: number, readonly reason: string) {
    super(`${reason} at position ${position + 1}`);
    this.name = 'FilterError';
  }

  /** The message, then the expression with a caret under the position. */
  explain(indent = '  '): string {
    return `${this.message}\n${indent}${this.expression}\n${indent}${' '.repeat(this.position)}^`;
  }
}

export interface ConnectionFilter {
  /** the expression as written */
  readonly text: string;
  readonly tree: FilterNode;
  matches(flow: FilterFlow): boolean;
}

// ---- addresses ------------------------------------------------------------------------------

function inNet(addr: Uint8Array, net: Uint8Array, bits: number): boolean {
  if (addr.length !== net.length) return false;
  const whole = bits >> 3;
  for (let i = 0; i < whole; i++) if (addr[i] !== net[i]) return false;
  const rest = bits & 7;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (addr[whole]! & mask) === net[whole];
}

/** Printable form of parsed bytes (for formatFilter and messages), as rdpscope prints addresses. */
const ipText = (b: Uint8Array): string => formatIp(b, 0, b.length === 4 ? 4 : 6);

// ---- tokens ---------------------------------------------------------------------------------

type TokType = 'word' | '(' | ')' | 'and' | 'or' | 'not' | 'arrow' | 'end';
interface Tok { type: TokType; text: string; pos: number }

const ARROWS = new Set(['-', '->', '<->', '→']);
const BREAK = /[\s()!&|→]/;

function tokenize(s: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ type: c, text: c, pos: i++ });
      continue;
    }
    if (c === '!') {
      out.push({ type: 'not', text: c, pos: i++ });
      continue;
    }
    if (c === '→') {
      out.push({ type: 'arrow', text: c, pos: i++ });
      continue;
    }
    if (c === '&' || c === '|') {
      if (s[i + 1] !== c) throw new FilterError(s, i, `a lone "${c}": write "${c === '&' ? 'and' : 'or'}" (or "${c}${c}")`);
      out.push({ type: c === '&' ? 'and' : 'or', text: c + c, pos: i });
      i += 2;
      continue;
    }
    const start = i;
    while (i < s.length && !BREAK.test(s[i]!)) i++;
    const text = s.slice(start, i);
    const lower = text.toLowerCase();
    const type: TokType = lower === 'and' || lower === 'or' || lower === 'not' ? lower : ARROWS.has(text) ? 'arrow' : 'word';
    out.push({ type, text, pos: start });
  }
  out.push({ type: 'end', text: '', pos: s.length });
  return out;
}

// ---- parser ---------------------------------------------------------------------------------

const SIDES = new Map<string, Side>([['client', 'client'], ['src', 'client'], ['server', 'server'], ['dst', 'server']]);
type Kind = 'host' | 'net' | 'port' | 'portrange' | 'conn';
const KINDS = new Set<string>(['host', 'net', 'port', 'portrange', 'conn']);

const describeTok = (t: Tok): string => (t.type === 'end' ? 'the end of the expression' : `"${t.text}"`);

class Parser {
  private i = 0;
  /** the last kind and side written, for bare values (tcpdump's rule) */
  private last: { side: Side; kind: Kind } | undefined;

  constructor(private readonly src: string, private readonly toks: Tok[]) {}

  parse(): FilterNode {
    if (this.peek().type === 'end') this.fail(this.peek(), 'empty filter: expected a primitive such as "host 10.0.0.5", "port 3389" or "conn 3"');
    const e = this.or();
    const t = this.peek();
    if (t.type !== 'end') {
      if (t.type === ')') this.fail(t, 'unbalanced ")"');
      this.fail(t, `expected "and", "or" or the end of the expression, found ${describeTok(t)}`);
    }
    return e;
  }

  private peek(): Tok {
    return this.toks[this.i]!;
  }

  private next(): Tok {
    return this.toks[this.i++]!;
  }

  private fail(t: Tok | number, reason: string): never {
    throw new FilterError(this.src, typeof t === 'number' ? t : t.pos, reason);
  }

  private or(): FilterNode {
    let left = this.and();
    while (this.peek().type === 'or') {
      this.next();
      left = { kind: 'or', left, right: this.and() };
    }
    return left;
  }

  private and(): FilterNode {
    let left = this.unary();
    while (this.peek().type === 'and') {
      this.next();
      left = { kind: 'and', left, right: this.unary() };
    }
    return left;
  }

  private unary(): FilterNode {
    const t = this.peek();
    if (t.type === 'not') {
      this.next();
      return { kind: 'not', expr: this.unary() };
    }
    if (t.type === '(') {
      this.next();
      const e = this.or();
      const close = this.peek();
      if (close.type !== ')') this.fail(close, `expected ")" to close the "(" at position ${t.pos + 1}, found ${describeTok(close)}`);
      this.next();
      return e;
    }
    return this.primitive();
  }

  private primitive(): FilterNode {
    let t = this.next();
    if (t.type !== 'word') this.fail(t, `expected a primitive such as "host 10.0.0.5", "port 3389" or "conn 3", found ${describeTok(t)}`);
    let lower = t.text.toLowerCase();
    if (lower === 'ip' || lower === 'ip6') return { kind: 'ip', version: lower === 'ip' ? 4 : 6 };
    const keyword = (w: string): boolean => SIDES.has(w) || KINDS.has(w);
    if (lower === 'tcp') {
      // "tcp port 3389": every connection here is TCP
      const after = this.peek();
      if (after.type !== 'word' || !keyword(after.text.toLowerCase())) this.fail(after, `expected host, net, port or conn after "tcp", found ${describeTok(after)}`);
      t = this.next();
      lower = t.text.toLowerCase();
    }
    let side: Side | undefined;
    let kind: Kind | undefined;
    /** the last keyword read, for messages */
    let written: string | undefined;
    if (t.type === 'word' && SIDES.has(lower)) {
      side = SIDES.get(lower)!;
      written = t.text;
      t = this.next();
      lower = t.type === 'word' ? t.text.toLowerCase() : '';
    }
    if (t.type === 'word' && KINDS.has(lower)) {
      if (lower === 'conn' && side) this.fail(t, `"${written}" qualifies host, net and port; a connection has both ends`);
      kind = lower as Kind;
      written = t.text;
      t = this.next();
    }
    const wanted = kind ? valueName(kind) : 'an address, a network or a port';
    if (t.type !== 'word') this.fail(t, `expected ${wanted} after "${written}", found ${describeTok(t)}`);
    if (keyword(t.text.toLowerCase())) this.fail(t, `expected ${wanted}${written ? ` after "${written}"` : ''}, found the keyword "${t.text}"`);
    if (kind || side) {
      kind ??= this.guessKind(t, true);
      side ??= 'any';
      this.last = { side, kind };
      return this.value(kind, side, t);
    }
    // a bare value: a connection in rdpscope's own form, else the last kind and side written
    if (t.text.startsWith('#') || this.isEndpointWord(t.text)) return this.value('conn', 'any', t);
    if (this.last) return this.value(this.last.kind, this.last.side, t);
    return this.value(this.guessKind(t, false), 'any', t);
  }

  private isEndpointWord(w: string): boolean {
    if (this.peek().type === 'arrow') return true;
    if (/[>→]|(^|[^<])-/.test(w) && !/^\d+(-\d+)?$/.test(w)) return true;
    return endpoint(w) !== undefined && endpoint(w)!.port !== undefined;
  }

  /** The kind a value's form implies (after a side alone, or with no keyword at all). */
  private guessKind(t: Tok, afterSide: boolean): Kind {
    const w = t.text;
    if (w.includes('/')) return 'net';
    if (ipBytes(unbracket(w))) return 'host';
    if (/^\d+(-\d+)?$/.test(w)) {
      if (afterSide) return 'port';
      this.fail(t, `a bare number: write "port ${w}" or "conn ${w}"`);
    }
    return this.fail(t, `"${w}" is not an IP address, a network, a port or a connection (names are not resolved: give an address)`);
  }

  private value(kind: Kind, side: Side, t: Tok): FilterNode {
    const w = t.text;
    switch (kind) {
      case 'host': {
        if (w.includes('/')) this.fail(t, `"${w}" is a network: write "net ${w}"`);
        const addr = ipBytes(unbracket(w));
        if (!addr) {
          if (endpoint(w)?.port !== undefined) this.fail(t, `"${w}" has a port: write "conn ${w}" for that endpoint, or "host" with the address alone`);
          this.fail(t, `"${w}" is not an IPv4 or IPv6 address (names are not resolved: give an address)`);
        }
        return { kind: 'host', side, addr };
      }
      case 'net':
        return { kind: 'net', side, ...this.network(t) };
      case 'port':
      case 'portrange': {
        const m = /^(\d+)(?:-(\d+))?$/.exec(w);
        if (!m || (kind === 'portrange' && m[2] === undefined)) {
          this.fail(t, kind === 'portrange' ? `expected a port range N-M, found "${w}"` : `expected a port (0-65535) or a range N-M, found "${w}"`);
        }
        const lo = Number(m[1]);
        const hi = m[2] === undefined ? lo : Number(m[2]);
        if (lo > 65535 || hi > 65535) this.fail(t, `port ${lo > 65535 ? lo : hi} is out of range (0-65535)`);
        if (lo > hi) this.fail(t, `port range ${lo}-${hi} is empty: give the lower port first`);
        return { kind: 'port', side, lo, hi };
      }
      case 'conn':
        return this.connection(t);
    }
  }

  private network(t: Tok): { addr: Uint8Array; bits: number } {
    const w = t.text;
    const slash = w.indexOf('/');
    const text = unbracket(slash < 0 ? w : w.slice(0, slash));
    let addr = ipBytes(text);
    let bits: number;
    if (!addr && slash < 0 && /^\d{1,3}(\.\d{1,3}){0,2}$/.test(text)) {
      // tcpdump's "net 10" / "net 10.1": the octets given, the rest zero
      const octets = text.split('.').map(Number);
      if (octets.some((o) => o > 255)) this.fail(t, `"${w}" is not a network`);
      addr = new Uint8Array(4);
      addr.set(octets);
      return { addr, bits: octets.length * 8 };
    }
    if (!addr) this.fail(t, `"${w}" is not a network: write ADDRESS/LENGTH, e.g. 10.0.0.0/8 or 2001:db8::/32`);
    const max = addr.length * 8;
    if (slash < 0) bits = max;
    else {
      const len = w.slice(slash + 1);
      if (!/^\d+$/.test(len) || Number(len) > max) this.fail(t.pos + slash + 1, `"/${len}" is not a prefix length (0-${max}) for this address`);
      bits = Number(len);
    }
    for (let b = bits; b < max; b++) {
      if (addr[b >> 3]! & (0x80 >> (b & 7))) {
        const base = addr.slice();
        for (let c = bits; c < max; c++) base[c >> 3]! &= ~(0x80 >> (c & 7));
        this.fail(t, `${text}/${bits} has address bits set past the /${bits} prefix: did you mean ${ipText(base)}/${bits}?`);
      }
    }
    return { addr, bits };
  }

  private connection(t: Tok): FilterNode {
    const w = t.text;
    const id = /^#?(\d+)(?:-#?(\d+))?$/.exec(w);
    if (id) {
      const lo = Number(id[1]);
      const hi = id[2] === undefined ? lo : Number(id[2]);
      if (lo < 1) this.fail(t, 'connection ids start at 1 (#1 is Wireshark\'s tcp.stream 0)');
      if (lo > hi) this.fail(t, `connection range ${lo}-${hi} is empty: give the lower id first`);
      return { kind: 'id', lo, hi };
    }
    // "A-B", "A->B" in one word, or "A → B" in three
    const split = /<->|->|→|-/.exec(w);
    const aText = split ? w.slice(0, split.index) : w;
    const a = this.endpointAt(aText, t.pos);
    if (split) {
      const bText = w.slice(split.index + split[0].length);
      if (!bText) {
        const b = this.next();
        if (b.type !== 'word') this.fail(b, `expected the other endpoint after "${split[0]}", found ${describeTok(b)}`);
        return { kind: 'conn', a, b: this.endpointAt(b.text, b.pos) };
      }
      return { kind: 'conn', a, b: this.endpointAt(bText, t.pos + split.index + split[0].length) };
    }
    if (this.peek().type === 'arrow') {
      this.next();
      const b = this.next();
      if (b.type !== 'word') this.fail(b, `expected the other endpoint of the connection, found ${describeTok(b)}`);
      return { kind: 'conn', a, b: this.endpointAt(b.text, b.pos) };
    }
    return { kind: 'conn', a };
  }

  private endpointAt(w: string, pos: number): EndpointSpec {
    const e = endpoint(w);
    if (e === undefined) {
      this.fail(pos, `"${w}" is not an endpoint: write ADDRESS:PORT, [IPv6]:PORT, or an address alone (a connection id is "#N")`);
    }
    if (e === null) this.fail(pos, `"${w}": the port is not a number from 0 to 65535`);
    return e;
  }
}

function valueName(kind: Kind): string {
  return { host: 'an address', net: 'a network', port: 'a port', portrange: 'a port range', conn: 'a connection (#N, or CLIENT:PORT-SERVER:PORT)' }[kind];
}

const unbracket = (w: string): string => (w.startsWith('[') && w.endsWith(']') ? w.slice(1, -1) : w);

/** IPv4[:port], [IPv6][:port] or a bare IPv6; undefined: not an address; null: a bad port. */
function endpoint(w: string): EndpointSpec | undefined | null {
  let host = w;
  let port: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(.*))?$/.exec(w);
  if (v6) {
    host = v6[1]!;
    port = v6[2];
  } else if (w.split(':').length === 2) {
    [host, port] = w.split(':') as [string, string];
  }
  const addr = ipBytes(host);
  if (!addr || (v6 && addr.length !== 16)) return undefined;
  if (port === undefined) return { addr };
  if (!/^\d+$/.test(port) || Number(port) > 65535) return null;
  return { addr, port: Number(port) };
}

// ---- matching -------------------------------------------------------------------------------

type Addrs = { client: Uint8Array | undefined; server: Uint8Array | undefined };

function onSide(side: Side, flow: FilterFlow, addrs: Addrs, test: (e: FilterEndpoint, addr: Uint8Array | undefined) => boolean): boolean {
  return (side !== 'server' && test(flow.client, addrs.client)) || (side !== 'client' && test(flow.server, addrs.server));
}

function endpointMatches(spec: EndpointSpec, e: FilterEndpoint, addr: Uint8Array | undefined): boolean {
  return addr !== undefined && sameBytes(spec.addr, addr) && (spec.port === undefined || spec.port === e.port);
}

function evaluate(n: FilterNode, flow: FilterFlow, addrs: Addrs): boolean {
  switch (n.kind) {
    case 'and':
      return evaluate(n.left, flow, addrs) && evaluate(n.right, flow, addrs);
    case 'or':
      return evaluate(n.left, flow, addrs) || evaluate(n.right, flow, addrs);
    case 'not':
      return !evaluate(n.expr, flow, addrs);
    case 'host':
      return onSide(n.side, flow, addrs, (_e, a) => a !== undefined && sameBytes(a, n.addr));
    case 'net':
      return onSide(n.side, flow, addrs, (_e, a) => a !== undefined && inNet(a, n.addr, n.bits));
    case 'port':
      return onSide(n.side, flow, addrs, (e) => e.port >= n.lo && e.port <= n.hi);
    case 'id':
      return flow.id >= n.lo && flow.id <= n.hi;
    case 'conn': {
      const { client: c, server: s } = flow;
      if (!n.b) return endpointMatches(n.a, c, addrs.client) || endpointMatches(n.a, s, addrs.server);
      return (endpointMatches(n.a, c, addrs.client) && endpointMatches(n.b, s, addrs.server))
        || (endpointMatches(n.a, s, addrs.server) && endpointMatches(n.b, c, addrs.client));
    }
    case 'ip':
      return addrs.client?.length === (n.version === 4 ? 4 : 16);
  }
}

/** Parses one --filter expression; throws FilterError with the position of the problem. */
export function parseFilter(text: string): ConnectionFilter {
  const tree = new Parser(text, tokenize(text)).parse();
  return {
    text,
    tree,
    matches: (flow) => evaluate(tree, flow, { client: ipBytes(flow.client.ip), server: ipBytes(flow.server.ip) }),
  };
}

/** Several --filter options: a connection must match every one (each narrows the selection). */
export function allOf(filters: readonly ConnectionFilter[]): (flow: FilterFlow) => boolean {
  return (flow) => filters.every((f) => f.matches(flow));
}

/** The parsed tree written back with every default made explicit and parentheses for precedence (for tests and messages). */
export function formatFilter(n: FilterNode): string {
  const side = (s: Side): string => (s === 'any' ? '' : `${s} `);
  const ep = (e: EndpointSpec): string => {
    const ip = ipText(e.addr);
    if (e.port === undefined) return ip;
    return e.addr.length === 16 ? `[${ip}]:${e.port}` : `${ip}:${e.port}`;
  };
  switch (n.kind) {
    case 'and':
    case 'or':
      return `(${formatFilter(n.left)} ${n.kind} ${formatFilter(n.right)})`;
    case 'not':
      return `not ${formatFilter(n.expr)}`;
    case 'host':
      return `${side(n.side)}host ${ipText(n.addr)}`;
    case 'net':
      return `${side(n.side)}net ${ipText(n.addr)}/${n.bits}`;
    case 'port':
      return `${side(n.side)}port ${n.lo === n.hi ? n.lo : `${n.lo}-${n.hi}`}`;
    case 'id':
      return `conn #${n.lo === n.hi ? n.lo : `${n.lo}-${n.hi}`}`;
    case 'conn':
      return `conn ${ep(n.a)}${n.b ? ` - ${ep(n.b)}` : ''}`;
    case 'ip':
      return n.version === 4 ? 'ip' : 'ip6';
  }
}
