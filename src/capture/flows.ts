// TCP connection table (RFC 9293): finds the RDP connections in a capture, orients them (client,
// server), reassembles both directions and turns them into tracker inputs, connection by connection.
// Link types: tcpdump.org/linktypes.html; IP: RFC 791 / RFC 8200. RDP tunnelled through a SOCKS
// proxy (RFC 1928, SOCKS4/4a) is found after the proxy handshake, which is taken off both streams.
import type { TrackerInput } from '../analyze/input.js';
import { isRdpConnectionRequest, isX224ConnectionRequest } from './detect.js';
import { decodeIp, formatIp, type IpHeader } from './ip.js';
import { NOT_IP, ipOffset, linkSupported } from './link.js';
import { TcpStream } from './reassembly.js';
import { MAX_SOCKS_BYTES, SocksParser, looksLikeSocks, type SocksResult } from './socks.js';
import { ACK, FIN, RST, SYN, connectionKey, decodeTcp, senderSortsFirst, type TcpHeader } from './tcp.js';
import { MAX_PACKET_ISSUES, isoTime, type CaptureIssue, type CapturedPacket, type Tunnel } from './types.js';
import { decodeProbeNote } from './pcapng-writer.js';
import { DEFAULT_LIMITS } from '../limits.js';

export const DEFAULT_RDP_PORTS: readonly number[] = [3389];
/** Connections tracked at once (RDP or not); past it the least recently active one is evicted (limit flows). */
export const MAX_FLOWS = DEFAULT_LIMITS.flows;
/**
 * A connection with no packet for this long in capture time is taken as ended (an RDP one gets its
 * verdict then) and forgotten, so memory stays flat however long the capture (Zeek's TCP inactivity
 * timeout is 5 minutes too). Limit flow-idle-seconds.
 */
export const IDLE_TIMEOUT_MS = DEFAULT_LIMITS['flow-idle-seconds'] * 1000;
/** How often, in capture time, idle connections are looked for. */
const SWEEP_EVERY_MS = 10_000;
/**
 * The capture clock (idle expiry) follows the smaller of the last two timestamps, so one packet's
 * timestamp never moves it, however wrong. A move of more than this needs CONFIRM_FAR_PACKETS in a
 * row that agree: a capture that really goes on days later, or one whose first timestamps were wrong.
 */
export const MAX_CLOCK_JUMP_MS = 86_400_000;
const CONFIRM_FAR_PACKETS = 16;
/** A timestamp this far ahead of (or behind) both its neighbours' is reported as out of line. */
const OUTLIER_MS = SWEEP_EVERY_MS;
/** Malformed packets reported one by one; the rest are counted in a last issue. */
export { MAX_PACKET_ISSUES };
/** Connection ids listed in the snaplen issue. */
const MAX_CUT_IDS = 10;

export interface Endpoint { ip: string; port: number }

export interface FlowMeta {
  /** 1-based, in order of each TCP connection's first packet (RDP or not: Wireshark's tcp.stream + 1) */
  id: number;
  client: Endpoint;
  server: Endpoint;
  firstPacket: number;
  firstAt: number;
  /**
   * The connection goes through a SOCKS proxy (then `server` is the proxy): its handshake is not
   * part of the inputs. Set before 'start' when the tunnel is how the connection was found; on a
   * connection taken as RDP by its port it is set on the same object when the handshake is seen.
   */
  tunnel?: Tunnel;
}

export type FlowOutput =
  | { type: 'start'; flow: FlowMeta }
  | { type: 'input'; flowId: number; input: TrackerInput }
  | { type: 'finish'; flowId: number; lastPacket: number }
  | { type: 'issue'; issue: CaptureIssue };

export interface FlowTableOptions {
  /** server ports taken as RDP whatever the payload (default 3389) */
  rdpPorts?: Iterable<number>;
  maxFlows?: number;
  /** out-of-order bytes held per direction */
  maxHeldBytes?: number;
  /** default IDLE_TIMEOUT_MS; Infinity keeps every connection until the capture ends */
  idleTimeoutMs?: number;
}

const State = { Pending: 0, Rdp: 1, Ignored: 2, Done: 3 } as const;
type State = (typeof State)[keyof typeof State];

/**
 * What the stream inputs go through before the tracker. Off: nothing. Handshake: a SOCKS handshake
 * is being followed, the inputs are held. AwaitCr: the tunnel is open to a port not known to be
 * RDP; the first tunnelled client bytes decide (an RDP Connection Request or not).
 */
const Gate = { Off: 0, Handshake: 1, AwaitCr: 2 } as const;
type Gate = (typeof Gate)[keyof typeof Gate];

/**
 * Stream bytes held while a SOCKS handshake is undecided, per direction: past this the connection
 * is no SOCKS tunnel (a client sends at most one Connection Request before the proxy answers).
 */
const MAX_SOCKS_HELD = 2 * MAX_SOCKS_BYTES;
/** A SOCKS handshake cut by a gap or a close, or past the bytes held for it. */
const GAVE_UP: SocksResult = { state: 'not-socks', consumed: { c2s: 0, s2c: 0 } };

class Flow {
  state: State = State.Pending;
  /** which endpoint is the client: a = the sender of the first packet; undefined until known */
  clientIsA: boolean | undefined;
  queue: TrackerInput[] = [];
  readonly c2s: TcpStream;
  readonly s2c: TcpStream;
  syn = false;
  synAck = false;
  serverSeen = false;
  refused = false;
  /** the first packet had no SYN: the connection was picked up after its handshake */
  midstream = false;
  /** the client's initial sequence number, once its SYN was seen */
  isn: number | undefined;
  lastPacket: number;
  lastAt: number;
  /** the 'start' meta, once emitted */
  meta: FlowMeta | undefined;
  /** a SOCKS handshake was seen starting this connection (tried once per connection) */
  socks: SocksParser | undefined;
  gate: Gate = Gate.Off;
  /** stream inputs held while the gate decides, and their data bytes per direction */
  held: TrackerInput[] = [];
  heldBytes = { c2s: 0, s2c: 0 };
  tunnel: Tunnel | undefined;
  /** stream data went to the tracker already */
  dataSeen = false;
  /** LRU second chance: clock at (re)insertion and at the last packet */
  stamp = 0;
  used = 0;
  /** the first packet whose payload the capture's snaplen cut short */
  cut: { number: number; capLen: number; origLen: number } | undefined;

  constructor(
    readonly id: number, readonly aLow: boolean, readonly a: Endpoint, readonly b: Endpoint,
    readonly first: CapturedPacket, emit: (f: Flow, input: TrackerInput) => void, maxHeld: number | undefined,
  ) {
    this.lastPacket = first.number;
    this.lastAt = first.at;
    const push = (input: TrackerInput): void => emit(this, input);
    this.c2s = new TcpStream('c2s', push, maxHeld);
    this.s2c = new TcpStream('s2c', push, maxHeld);
  }

  /** a recording of rdpscope's probe said why the probe ended the connection */
  probeEnded = false;

  get closed(): boolean {
    return this.refused || this.probeEnded || this.c2s.reset || this.s2c.reset || (this.c2s.finished && this.s2c.finished);
  }
}

export class FlowTable {
  private readonly flows = new Map<string, Flow>();
  private readonly ports: Set<number>;
  private readonly maxFlows: number;
  private readonly maxHeld: number | undefined;
  private out: FlowOutput[] = [];
  private ids = 0;
  private clock = 0;
  private issuesShown = 0;
  private issuesHidden = 0;
  /** RDP connections ended early because the table was full */
  private evictedRdp = 0;
  private readonly badLinktypes = new Set<number>();
  private readonly idleMs: number;
  /** capture time (see MAX_CLOCK_JUMP_MS), and when idle connections were last looked for */
  private now = -Infinity;
  private swept = -Infinity;
  /** more-than-a-day moves of the clock proposed in a row */
  private far = 0;
  /** the last two packets (number, file offset, time), for the clock and the out-of-line check */
  private lastNumber = 0;
  private lastOffset = 0;
  private lastAt = NaN;
  private beforeLastNumber = 0;
  private beforeLastAt = NaN;
  /** timestamps out of line with their neighbours: the first is named, the rest counted */
  private outliers = 0;
  /** packets of a link type this reader understands (the file had something to analyse) */
  private linkUsable = 0;
  /** packets cut by the snaplen with RDP payload lost: how many, the first, their lengths, the connections */
  private cuts = { first: undefined as { number: number; capLen: number; origLen: number } | undefined, lengths: new Set<number>(), connections: 0, ids: [] as number[] };

  constructor(opts: FlowTableOptions = {}) {
    this.ports = new Set(opts.rdpPorts ?? DEFAULT_RDP_PORTS);
    this.maxFlows = opts.maxFlows ?? MAX_FLOWS;
    this.maxHeld = opts.maxHeldBytes;
    this.idleMs = opts.idleTimeoutMs ?? IDLE_TIMEOUT_MS;
  }

  /** Packets of a link type that could be read; 0 with packets in the file: nothing could be analysed. */
  get usablePackets(): number {
    return this.linkUsable;
  }

  /** Link types met that this reader does not understand. */
  get unsupportedLinktypes(): number[] {
    return [...this.badLinktypes];
  }

  /** When the capture ended, for the connections still open: the clock, or the last packet when in line with it. */
  get endAt(): number {
    const t = this.lastAt;
    if (Number.isNaN(t)) return 0;
    if (this.now === -Infinity) return t;
    return t > this.now && t - this.now <= OUTLIER_MS ? t : this.now;
  }

  packet(p: CapturedPacket): FlowOutput[] {
    const out: FlowOutput[] = (this.out = []);
    this.tick(p);
    if (this.now - this.swept >= SWEEP_EVERY_MS) this.sweep();
    const d = p.data;
    const off = ipOffset(p.linktype, d);
    if (off === NOT_IP) {
      this.linkUsable++;
      return out;
    }
    if (typeof off === 'string') {
      if (linkSupported(p.linktype)) {
        this.linkUsable++;
        return this.issue(p, off);
      }
      if (!this.badLinktypes.has(p.linktype)) this.issue(p, off);
      this.badLinktypes.add(p.linktype);
      return out;
    }
    this.linkUsable++;
    const ip = decodeIp(d, off);
    if (ip === null) return out;
    if (typeof ip === 'string') return this.issue(p, ip);
    if (ip.proto !== 6) return out;
    const tcp = decodeTcp(d, ip.start, ip.end, ip.wireEnd);
    if (typeof tcp === 'string') return this.issue(p, tcp);

    const fromLow = senderSortsFirst(d, ip, tcp);
    const key = connectionKey(d, ip, tcp, fromLow);
    let flow = this.flows.get(key);
    const opening = (tcp.flags & (SYN | ACK)) === SYN;
    if (flow && opening && flow.state <= State.Rdp && flow.isn !== undefined && flow.isn !== tcp.seq) {
      this.stop(flow, flow.lastAt, 'its ports were reused by a new connection');
    }
    if (!flow || (opening && flow.state >= State.Ignored)) {
      flow = this.create(key, fromLow, p, d, ip, tcp);
    } else if (flow.state >= State.Ignored) return out;
    else flow.used = ++this.clock;
    flow.lastPacket = p.number;
    // idle since: a timestamp behind the clock (out of line, or 1970) must not make it look idle
    flow.lastAt = Math.max(flow.lastAt, p.at, this.now);
    const payload = d.subarray(tcp.start, tcp.end);
    const fromA = fromLow === flow.aLow;
    if (flow.state === State.Pending && !flow.socks) this.decide(flow, fromA, tcp, payload);
    if (flow.state === State.Ignored || flow.clientIsA === undefined) return out;
    if (ip.fragment && flow.state === State.Rdp) this.issue(p, 'IP fragment: fragments are not reassembled, the rest of this segment is missing');
    this.segment(flow, fromA === flow.clientIsA, tcp, payload, p);
    if (flow.closed) this.finish(flow);
    return out;
  }

  /** The capture ended at `atMs`: every connection still open is flushed and ended. */
  end(atMs: number): FlowOutput[] {
    const out: FlowOutput[] = (this.out = []);
    const open = [...this.flows.values()].filter((f) => f.state <= State.Rdp).sort((x, y) => x.id - y.id);
    for (const f of open) this.stop(f, atMs);
    if (this.evictedRdp > 0) {
      const n = this.evictedRdp;
      const m = this.maxFlows;
      out.push({ type: 'issue', issue: { offset: 0, reason: `${n} RDP connection${n === 1 ? '' : 's'} ended early, verdict${n === 1 ? '' : 's'} cut short: more than ${m} TCP connection${m === 1 ? '' : 's'} open at once (limit flows; raise it with --limit flows=N)` } });
    }
    if (this.issuesHidden > 0) {
      out.push({ type: 'issue', issue: { offset: 0, reason: `${this.issuesHidden} more malformed packets not listed` } });
    }
    if (this.outliers > 1) {
      const n = this.outliers - 1;
      out.push({ type: 'issue', issue: { offset: 0, reason: `${n} more packet${n === 1 ? '' : 's'} with a timestamp out of line with ${n === 1 ? 'its' : 'their'} neighbours, also ignored for idle expiry (not listed)` } });
    }
    const cut = this.snaplenIssue();
    if (cut) out.push({ type: 'issue', issue: cut });
    this.flows.clear();
    return out;
  }

  /**
   * Moves the capture clock with the smaller of the last two timestamps (one outlier never moves
   * it; a move of more than a day needs CONFIRM_FAR_PACKETS in a row), and reports the previous
   * packet when its timestamp is out of line with both its neighbours'.
   */
  private tick(p: CapturedPacket): void {
    const prev = this.lastAt;
    const t = p.at;
    if (!Number.isNaN(this.beforeLastAt)) this.outOfLine(this.beforeLastAt, prev, t, p.number);
    this.beforeLastNumber = this.lastNumber;
    this.beforeLastAt = prev;
    this.lastNumber = p.number;
    this.lastOffset = p.offset;
    this.lastAt = t;
    if (Number.isNaN(prev)) return;
    const c = Math.min(prev, t);
    if (this.now === -Infinity) this.now = c;
    else if (c <= this.now) this.far = 0;
    else if (c - this.now <= MAX_CLOCK_JUMP_MS || ++this.far >= CONFIRM_FAR_PACKETS) {
      this.now = c;
      this.far = 0;
    }
  }

  /**
   * The last packet's timestamp `mid` against its neighbours' (`before`, `after`, packet `next`):
   * far ahead of both or far behind both, while they agree with each other (neighbours far apart are
   * a jump of the capture's time, as in a file whose connections were laid out in time but not
   * sorted, not one wrong timestamp).
   */
  private outOfLine(before: number, mid: number, after: number, next: number): void {
    const ahead = mid - Math.max(before, after);
    const behind = Math.min(before, after) - mid;
    const apart = Math.abs(after - before);
    if (!((ahead > OUTLIER_MS && ahead > apart) || (behind > OUTLIER_MS && behind > apart))) return;
    if (this.outliers++ > 0) return;
    const how = ahead > 0 ? `${duration(ahead)} ahead of` : `${duration(behind)} behind`;
    this.out.push({ type: 'issue', issue: {
      packet: this.lastNumber, offset: this.lastOffset,
      reason: `timestamp ${isoTime(mid)} is ${how} its neighbours (packets ${this.beforeLastNumber} and ${next}); ignored for idle expiry`,
    } });
  }

  /** The file's snaplen issue: the lengths packets were cut to, and the RDP connections that lost payload to it. */
  private snaplenIssue(): CaptureIssue | undefined {
    const c = this.cuts;
    if (c.connections === 0 || !c.first) return undefined;
    const lengths = [...c.lengths].sort((a, b) => a - b);
    const to = lengths.length > 3 ? `${lengths.slice(0, 3).join(', ')}… bytes` : `${lengths.join(' or ')} bytes`;
    const ids = c.ids.map((id) => `#${id}`).join(', ') + (c.connections > c.ids.length ? ', …' : '');
    const m = c.connections;
    return {
      offset: 0,
      reason: `packets cut to ${to} by the capture's snaplen: the RDP payload beyond it is missing from ${m} connection${m === 1 ? '' : 's'} (${ids}); `
        + `the first is packet ${c.first.number}, ${c.first.capLen} of ${c.first.origLen} bytes captured. Capture with -s 0 (tcpdump, dumpcap) to keep whole packets`,
    };
  }

  private create(key: string, fromLow: boolean, p: CapturedPacket, d: Uint8Array, ip: IpHeader, tcp: TcpHeader): Flow {
    this.flows.delete(key);
    if (this.flows.size >= this.maxFlows) this.evict();
    const a = { ip: formatIp(d, ip.src, ip.version), port: tcp.srcPort };
    const b = { ip: formatIp(d, ip.dst, ip.version), port: tcp.dstPort };
    const f = new Flow(++this.ids, fromLow, a, b, p, (fl, input) => this.stream(fl, input), this.maxHeld);
    // SYN: the sender is the client; SYN/ACK: the receiver is
    if (tcp.flags & SYN) f.clientIsA = !(tcp.flags & ACK);
    else f.midstream = true;
    f.stamp = f.used = ++this.clock;
    this.flows.set(key, f);
    return f;
  }

  /**
   * RDP or not, and who is the client. With a SYN seen: RDP if the server port is an RDP port,
   * otherwise if the client's first payload is an RDP Connection Request. Picked up mid-stream:
   * the sender of a Connection Request is the client, else the side on an RDP port is the server.
   * A client opening with a SOCKS handshake is followed through it (see stream()).
   */
  private decide(f: Flow, fromA: boolean, tcp: TcpHeader, payload: Uint8Array): void {
    if (f.clientIsA !== undefined) {
      const server = f.clientIsA ? f.b : f.a;
      if (this.ports.has(server.port)) return this.accept(f);
      if (tcp.wireLength === 0) return;
      if (fromA === f.clientIsA && isRdpConnectionRequest(payload)) return this.accept(f);
      if (fromA === f.clientIsA && looksLikeSocks(payload)) {
        f.socks = new SocksParser();
        f.gate = Gate.Handshake;
        return;
      }
      return this.ignore(f);
    }
    const portA = this.ports.has(f.a.port);
    const portB = this.ports.has(f.b.port);
    if (tcp.wireLength > 0 && (isRdpConnectionRequest(payload) || ((portA || portB) && isX224ConnectionRequest(payload)))) {
      f.clientIsA = fromA;
    } else if ((tcp.wireLength > 0 || tcp.flags & (FIN | RST)) && (portA || portB)) {
      f.clientIsA = portB;
    } else if (tcp.wireLength > 0) return this.ignore(f);
    else return;
    this.accept(f);
  }

  private accept(f: Flow): void {
    f.state = State.Rdp;
    const client = f.clientIsA ? f.a : f.b;
    const server = f.clientIsA ? f.b : f.a;
    f.meta = { id: f.id, client, server, firstPacket: f.first.number, firstAt: f.first.at };
    if (f.tunnel) f.meta.tunnel = f.tunnel;
    this.out.push({ type: 'start', flow: f.meta });
    if (f.midstream) this.deliver(f, { kind: 'tcp', what: 'midstream', at: f.first.at, packet: f.first.number });
    for (const input of f.queue) this.deliver(f, input);
    f.queue = [];
  }

  private ignore(f: Flow): void {
    f.state = State.Ignored;
    f.queue = [];
    f.held = [];
    f.gate = Gate.Off;
  }

  /**
   * Stream inputs (data, gaps, closes) in order. A connection whose client opens with a SOCKS
   * handshake (found by decide(), or on an RDP port by its first bytes) has its inputs held until
   * the handshake is decided; then the tracker gets the streams from the first tunnelled byte on.
   */
  private stream(f: Flow, input: TrackerInput): void {
    if (f.state >= State.Ignored) return;
    if (f.gate === Gate.Off && input.kind === 'data' && !f.dataSeen && !f.socks && !f.midstream
      && f.state === State.Rdp && input.dir === 'c2s' && looksLikeSocks(input.bytes)) {
      f.socks = new SocksParser();
      f.gate = Gate.Handshake;
    }
    if (f.gate === Gate.Handshake) {
      f.held.push(input);
      if (input.kind !== 'data' || (f.heldBytes[input.dir] += input.bytes.length) > MAX_SOCKS_HELD) {
        return this.settle(f, GAVE_UP, input);
      }
      const r = f.socks!.push(input.dir, input.bytes);
      if (r.state !== 'need-more') this.settle(f, r, input);
      return;
    }
    if (f.gate === Gate.AwaitCr) {
      if (input.kind !== 'data' || input.dir !== 'c2s' || !isRdpConnectionRequest(input.bytes)) return this.ignore(f);
      f.gate = Gate.Off;
      this.accept(f);
    }
    if (input.kind === 'data') f.dataSeen = true;
    this.deliver(f, input);
  }

  /**
   * The SOCKS handshake is decided (`r`; `last`: when and where). Granted: the streams
   * go on after it; to a port not known to be RDP, only if the client's first tunnelled bytes are
   * an RDP Connection Request. Refused: reported as a refused connection when the client asked for
   * an RDP port (or the proxy itself listens on one). Anything else: not RDP, or on an RDP port the
   * bytes as they were.
   */
  private settle(f: Flow, r: SocksResult, last: { at: number; packet?: number }): void {
    const held = f.held;
    f.held = [];
    f.heldBytes = { c2s: 0, s2c: 0 };
    f.gate = Gate.Off;
    const onPort = f.state === State.Rdp;
    if (r.version && r.target) f.tunnel = { kind: r.version === 5 ? 'socks5' : 'socks4', target: r.target };
    if (r.state === 'done') {
      const rest = strip(held, r.consumed);
      if (onPort) f.meta!.tunnel = f.tunnel!;
      else if (this.ports.has(r.target!.port)) this.accept(f);
      else f.gate = Gate.AwaitCr;
      for (const input of rest) this.stream(f, input);
      return;
    }
    if (r.state === 'failed' && (onPort || (r.reply !== undefined && this.ports.has(r.target!.port)))) {
      if (onPort) {
        if (f.tunnel) f.meta!.tunnel = f.tunnel;
      } else this.accept(f);
      const where = last.packet === undefined ? { at: last.at } : { at: last.at, packet: last.packet };
      this.deliver(f, { kind: 'tcp', what: 'refused', detail: r.reason!, ...where });
      f.refused = true;
      return;
    }
    f.tunnel = undefined;
    if (!onPort) return this.ignore(f);
    for (const input of held) this.stream(f, input);
  }

  private deliver(f: Flow, input: TrackerInput): void {
    if (f.state === State.Rdp) this.out.push({ type: 'input', flowId: f.id, input });
    else if (f.state === State.Pending) f.queue.push(input);
  }

  private segment(f: Flow, fromClient: boolean, tcp: TcpHeader, payload: Uint8Array, p: CapturedPacket): void {
    const me = fromClient ? f.c2s : f.s2c;
    const other = fromClient ? f.s2c : f.c2s;
    let seq = tcp.seq;
    if (!fromClient) f.serverSeen = true;
    if (tcp.flags & SYN) {
      if (fromClient && !(tcp.flags & ACK) && !f.syn) {
        f.syn = true;
        f.isn = seq;
        this.deliver(f, { kind: 'tcp', what: 'syn', at: p.at, packet: p.number });
      } else if (!fromClient && tcp.flags & ACK && !f.synAck) {
        f.synAck = true;
        this.deliver(f, { kind: 'tcp', what: 'syn-ack', at: p.at, packet: p.number });
      }
      me.syn(seq);
      seq = (seq + 1) >>> 0;
    }
    if (tcp.flags & ACK) other.ack(tcp.ack, p.number, p.at);
    if (tcp.wireLength > 0) me.segment(seq, payload, tcp.wireLength, p.number, p.at, payload.length < tcp.wireLength ? this.cutBy(f, p, payload.length, tcp.wireLength) : undefined);
    // what rdpscope's probe knew at this packet (its recordings' notes: src/capture/pcapng-writer.ts)
    if (p.comments) {
      const notes = probeNotes(p.comments, p);
      for (const n of notes) if (n.kind !== 'end') this.deliver(f, n);
      const end = fromClient ? notes.find((n) => n.kind === 'end') : undefined;
      if (end && tcp.flags & FIN && !(tcp.flags & RST)) {
        // the probe's own close, at the end of its observation: the end as the probe saw it
        f.c2s.flush();
        f.s2c.flush();
        this.deliver(f, end);
        f.probeEnded = true;
        return;
      }
    }
    if (tcp.flags & FIN) me.finAt((seq + tcp.wireLength) >>> 0, p.number, p.at);
    if (tcp.flags & RST) {
      if (!fromClient && f.syn && !f.synAck && tcp.wireLength === 0) {
        f.refused = true;
        this.deliver(f, { kind: 'tcp', what: 'refused', at: p.at, packet: p.number });
      } else {
        me.rst(p.number, p.at);
        other.flush();
      }
    }
  }

  /** Ends observation of a connection still open (capture end or eviction); true when it was an RDP one. */
  private stop(f: Flow, at: number, detail?: string): boolean {
    if (f.state === State.Pending) {
      // still undecided: RDP only if picked up mid-stream on an RDP port
      const midstreamOnRdpPort = f.clientIsA === undefined && (this.ports.has(f.a.port) || this.ports.has(f.b.port));
      if (!midstreamOnRdpPort) {
        this.finish(f);
        return false;
      }
      f.clientIsA = this.ports.has(f.b.port);
      this.accept(f);
    }
    f.c2s.flush();
    f.s2c.flush();
    // a SOCKS handshake still undecided on an RDP port: its bytes go to the tracker as they were
    if (f.gate === Gate.Handshake) this.settle(f, GAVE_UP, { at });
    if (f.syn && !f.serverSeen) this.deliver(f, { kind: 'tcp', what: 'no-answer', at });
    this.deliver(f, detail ? { kind: 'end', how: 'capture-end', at, detail } : { kind: 'end', how: 'capture-end', at });
    this.finish(f);
    return true;
  }

  private finish(f: Flow): void {
    if (f.state === State.Rdp) {
      this.out.push({ type: 'finish', flowId: f.id, lastPacket: f.lastPacket });
      const cut = f.cut;
      if (cut) {
        const c = this.cuts;
        if (c.connections++ < MAX_CUT_IDS) c.ids.push(f.id);
        if (!c.first || cut.number < c.first.number) c.first = cut;
        if (c.lengths.size < 8) c.lengths.add(cut.capLen);
      }
    }
    f.state = State.Done;
    f.queue = [];
    f.held = [];
  }

  /** Ends the connections idle for longer than the timeout and forgets them (and finished or ignored ones). */
  private sweep(): void {
    this.swept = this.now;
    const before = this.now - this.idleMs;
    for (const [key, f] of this.flows) {
      if (f.lastAt >= before) continue;
      this.flows.delete(key);
      if (f.state <= State.Rdp) this.stop(f, f.lastAt, `no packet for more than ${this.idleMs / 1000} s of capture time: taken as ended (idle timeout)`);
    }
  }

  /** Second-chance LRU: flows used since their last pass go to the back; the first unused one goes. */
  private evict(): void {
    for (const [key, f] of this.flows) {
      this.flows.delete(key);
      if (f.used > f.stamp) {
        f.stamp = this.clock;
        this.flows.set(key, f);
        continue;
      }
      if (f.state <= State.Rdp && this.stop(f, f.lastAt, `evicted: more than ${this.maxFlows} connections open at once`)) this.evictedRdp++;
      return;
    }
  }

  /** Why a segment's payload is not all in the packet (the gap's detail); snaplen cuts are counted for the file's issue. */
  private cutBy(f: Flow, p: CapturedPacket, have: number, wire: number): string {
    if (p.capLen >= p.origLen) return `packet ${p.number} is shorter than its IP header says: ${have} of ${wire} payload bytes in its ${p.capLen} bytes`;
    f.cut ??= { number: p.number, capLen: p.capLen, origLen: p.origLen };
    return `cut by the capture's snaplen: packet ${p.number} kept ${p.capLen} of its ${p.origLen} bytes`;
  }

  private issue(p: CapturedPacket, reason: string): FlowOutput[] {
    if (this.issuesShown < MAX_PACKET_ISSUES) {
      this.issuesShown++;
      this.out.push({ type: 'issue', issue: { packet: p.number, offset: p.offset, reason } });
    } else this.issuesHidden++;
    return this.out;
  }
}

/** "1 h 0 min", "82 years": how far a timestamp is out of line. */
function duration(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
  if (s < 2 * 365.25 * 86_400) return `${Math.round(s / 86_400)} days`;
  return `${Math.round(s / (365.25 * 86_400))} years`;
}

/** The probe observations in a packet's comments, as tracker inputs; anything malformed is ignored. */
function probeNotes(comments: readonly string[], p: CapturedPacket): TrackerInput[] {
  const out: TrackerInput[] = [];
  const where = { at: p.at, packet: p.number };
  for (const c of comments) {
    const n = decodeProbeNote(c);
    if (!n) continue;
    // labelled: the packets cannot show it, only the recording probe's note says it
    const detail = `recorded by rdpscope probe${typeof n.detail === 'string' && n.detail ? `: ${n.detail.slice(0, 500)}` : ''}`;
    if (n.kind === 'end' && (n.how === 'timeout' || n.how === 'probe-done')) {
      out.push({ kind: 'end', how: n.how, detail, ...where });
    } else if (n.kind === 'credssp-check' && (n.result === 'match' || n.result === 'mismatch' || n.result === 'bad-signature')
      && typeof n.version === 'number' && (n.method === 'sha256-binding-hash' || n.method === 'public-key-plus-one')) {
      out.push({ kind: 'credssp-check', result: n.result, version: n.version, method: n.method, detail, ...where });
    }
  }
  return out;
}

/** The inputs without the first `skip` data bytes of each direction (the proxy handshake). */
function strip(inputs: TrackerInput[], skip: { c2s: number; s2c: number }): TrackerInput[] {
  const left = { ...skip };
  const out: TrackerInput[] = [];
  for (const input of inputs) {
    if (input.kind !== 'data' || left[input.dir] === 0) {
      out.push(input);
      continue;
    }
    const n = Math.min(left[input.dir], input.bytes.length);
    left[input.dir] -= n;
    if (n < input.bytes.length) out.push({ ...input, bytes: input.bytes.subarray(n) });
  }
  return out;
}
