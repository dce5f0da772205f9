// One direction of a TCP connection put back in sequence order (RFC 9293 §3.4, 32-bit sequence
// space with wraparound). Duplicates are dropped, overlaps trimmed (the first copy of a byte wins),
// early segments held (bounded) until the hole fills; bytes that will never come become a gap.
import type { Dir, TrackerInput } from '../analyze/input.js';
import { DEFAULT_LIMITS } from '../limits.js';

/** Most bytes held out of order per direction before the first hole is given up as a gap (limit held-bytes). */
export const MAX_HELD_BYTES = DEFAULT_LIMITS['held-bytes'];

/**
 * A gap input with why the bytes are missing when the capture knows it (a packet cut by the
 * snaplen). `detail` is not part of TrackerInput's gap yet: a tracker that does not know it ignores it.
 */
export type GapInput = Extract<TrackerInput, { kind: 'gap' }> & { detail?: string };

interface Held {
  seq: number;
  len: number;
  /** null: bytes known to be missing (the capture cut the packet short) */
  data: Uint8Array | null;
  packet: number;
  at: number;
  /** why the bytes are missing, for the gap (data null) */
  why?: string;
}

interface Mark {
  seq: number;
  packet: number;
  at: number;
}

/** Signed distance from sequence number a to b (positive when b is after a). */
function dist(a: number, b: number): number {
  return (b - a) | 0;
}

export class TcpStream {
  /** the FIN was reached: every byte before it was delivered (or given up as a gap) */
  finished = false;
  /** an RST was seen from this side */
  reset = false;
  private started = false;
  /** next sequence number to deliver */
  private next = 0;
  private held: Held[] = [];
  private heldBytes = 0;
  private fin: Mark | undefined;

  constructor(
    readonly dir: Dir,
    private readonly emit: (input: TrackerInput) => void,
    private readonly maxHeld = MAX_HELD_BYTES,
  ) {}

  syn(seq: number): void {
    if (this.started) return;
    this.started = true;
    this.next = (seq + 1) >>> 0;
  }

  /**
   * A segment's payload. `data` holds the captured bytes, `wireLength` the length on the wire; when
   * the capture cut the packet short, the rest is a gap (`why`: its detail).
   */
  segment(seq: number, data: Uint8Array, wireLength: number, packet: number, at: number, why?: string): void {
    if (this.reset || this.finished) return;
    if (!this.started) {
      this.started = true;
      this.next = seq;
    }
    const len = this.fin ? Math.min(wireLength, dist(seq, this.fin.seq)) : wireLength;
    if (len <= 0) return;
    const have = Math.min(data.length, len);
    if (seq === this.next && have === len && this.held.length === 0) {
      this.next = (seq + len) >>> 0;
      this.emit({ kind: 'data', dir: this.dir, lane: 'wire', bytes: data.subarray(0, len), at, packet });
    } else {
      this.add(seq, have, data, packet, at);
      if (have < len) this.add((seq + have) >>> 0, len - have, null, packet, at, why);
    }
    this.drain();
  }

  /** A FIN at sequence number `seq` (after the segment's payload). */
  finAt(seq: number, packet: number, at: number): void {
    if (this.reset || this.finished || this.fin) return;
    if (!this.started) {
      this.started = true;
      this.next = seq;
    }
    // a FIN before bytes already delivered is taken as closing right after them
    this.fin = { seq: dist(this.next, seq) < 0 ? this.next : seq, packet, at };
    this.clipHeld(this.fin.seq);
    this.drain();
  }

  /**
   * The other side acknowledged up to `ack`: bytes before it that were not captured will never be
   * retransmitted, so they are a gap now (as Wireshark's "ACKed unseen segment").
   */
  ack(ack: number, packet: number, at: number): void {
    if (!this.started || this.reset || this.finished) return;
    const limit = this.fin && dist(this.fin.seq, ack) > 0 ? this.fin.seq : ack;
    if (dist(this.next, limit) > 0) this.skipTo(limit, { seq: limit, packet, at });
  }

  /** An RST from this side: what is held is delivered (holes as gaps), then the close. */
  rst(packet: number, at: number): void {
    if (this.reset) return;
    this.flush();
    this.reset = true;
    this.emit({ kind: 'close', dir: this.dir, how: 'rst', at, packet });
  }

  /** Nothing more will come (capture end, the other side reset): deliver what is held, holes as gaps. */
  flush(): void {
    if (this.reset || this.finished) return;
    const last = this.held[this.held.length - 1];
    const target = this.fin ? this.fin.seq : last ? (last.seq + last.len) >>> 0 : this.next;
    if (dist(this.next, target) > 0) this.skipTo(target, undefined);
  }

  /** Holds [seq, seq+len) minus what was delivered or is held already (first copy wins). */
  private add(seq: number, len: number, data: Uint8Array | null, packet: number, at: number, why?: string): void {
    const origin = dist(this.next, seq);
    let a = Math.max(origin, 0);
    const b = origin + len;
    const piece = (from: number, to: number): Held => {
      this.heldBytes += to - from;
      const h: Held = {
        seq: (this.next + from) >>> 0, len: to - from, packet, at,
        data: data ? data.slice(from - origin, to - origin) : null,
      };
      if (why !== undefined) h.why = why;
      return h;
    };
    for (let i = 0; a < b; i++) {
      const h = this.held[i];
      if (!h) {
        this.held.push(piece(a, b));
        return;
      }
      const x = dist(this.next, h.seq);
      const y = x + h.len;
      if (y <= a) continue;
      if (x >= b) {
        this.held.splice(i, 0, piece(a, b));
        return;
      }
      if (a < x) this.held.splice(i++, 0, piece(a, x));
      a = y;
    }
  }

  /** Delivers held segments that are next in line; past the hold limit, the first hole becomes a gap. */
  private drain(): void {
    for (;;) {
      const h = this.held[0];
      if (!h) break;
      if (h.seq === this.next) this.deliverFirst();
      else if (this.heldBytes > this.maxHeld) this.gap(dist(this.next, h.seq), h, h.seq);
      else break;
    }
    if (this.fin && !this.finished && this.next === this.fin.seq) {
      this.finished = true;
      this.held = [];
      this.heldBytes = 0;
      this.emit({ kind: 'close', dir: this.dir, how: 'fin', at: this.fin.at, packet: this.fin.packet });
    }
  }

  /** Gives up on every hole before `limit`; a gap is reported at `where`, or else at what follows it. */
  private skipTo(limit: number, where: Mark | undefined): void {
    while (dist(this.next, limit) > 0) {
      const h = this.held[0];
      if (h && h.seq === this.next) {
        this.deliverFirst();
        continue;
      }
      const end = h && dist(h.seq, limit) > 0 ? h.seq : limit;
      this.gap(dist(this.next, end), where ?? h ?? this.fin!, end);
    }
    this.drain();
  }

  private gap(bytes: number, where: { packet: number; at: number }, resume: number): void {
    this.next = resume;
    this.emit({ kind: 'gap', dir: this.dir, bytes, at: where.at, packet: where.packet });
  }

  private deliverFirst(): void {
    const h = this.held.shift()!;
    this.next = (h.seq + h.len) >>> 0;
    this.heldBytes -= h.len;
    const where = { at: h.at, packet: h.packet };
    if (h.data) {
      this.emit({ kind: 'data', dir: this.dir, lane: 'wire', bytes: h.data, ...where });
      return;
    }
    const gap: GapInput = { kind: 'gap', dir: this.dir, bytes: h.len, ...where };
    if (h.why !== undefined) gap.detail = h.why;
    this.emit(gap);
  }

  /** Drops held bytes at or after the FIN. */
  private clipHeld(finSeq: number): void {
    const keep: Held[] = [];
    for (const h of this.held) {
      const room = dist(h.seq, finSeq);
      if (room >= h.len) keep.push(h);
      else if (room > 0) keep.push({ ...h, len: room, data: h.data ? h.data.subarray(0, room) : null });
    }
    this.held = keep;
    this.heldBytes = keep.reduce((n, h) => n + h.len, 0);
  }
}
