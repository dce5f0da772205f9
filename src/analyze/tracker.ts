// HandshakeTracker: pure, per connection. Inputs in (TrackerInput), events out (TrackerEvent).
// It never throws, never reads a clock and never does I/O; decode failures become events.
import { DecodeError } from '../wire/errors.js';
import { hexPreview } from '../wire/hex.js';
import type { TrackerEvent } from './events.js';
import type { Dir, Lane, TrackerInput } from './input.js';
import type { ConnectionState, FramedPdu, StageContext, StageHandler } from './stage-handler.js';
import type { StageName } from './stages.js';
import { STAGE_HANDLERS } from './stages/index.js';
import { StreamBuffer } from './stream-buffer.js';
import { rdpState } from './stages/rdp-state.js';
import { installKeys } from './stages/rdp-keys.js';
import { resolveLimits, type Limits } from '../limits.js';

/** The tracker's own bounds (limits pending-bytes and events); the stages read the rest from state.limits. */
export interface TrackerLimits {
  /** largest PDU or undecodable backlog kept per direction, in bytes */
  maxPending: number;
  /** most events kept per connection; past it, opaque data stops being reported */
  maxEvents: number;
}

interface Lanestate {
  buf: StreamBuffer;
  /** parsing of this direction stopped (framing error, gap or limit); later bytes are counted only */
  stopped: boolean;
  /** opaque bytes seen since the last opaque event */
  opaque: { offset: number; length: number; at: number; packet?: number } | undefined;
}

/** `${dir}/${lane}`, the lanes' keys, without building the string for every input */
const LANE_KEY: Readonly<Record<Dir, Readonly<Record<Lane, string>>>> = {
  c2s: { wire: 'c2s/wire', inner: 'c2s/inner' },
  s2c: { wire: 's2c/wire', inner: 's2c/inner' },
};

/** The default stage handlers by stage, shared by every tracker (read only). */
let defaultHandlers: ReadonlyMap<StageName, StageHandler> | undefined;

export class HandshakeTracker {
  readonly events: TrackerEvent[] = [];
  readonly state: ConnectionState = {};
  private stage: StageName = 'resolve';
  private entered = false;
  private readonly lanes = new Map<string, Lanestate>();
  private readonly closed = new Set<Dir>();
  private readonly handlers: ReadonlyMap<StageName, StageHandler>;
  /** the transport (TLS) that frames the wire lane once its stage has been entered */
  private wireTransport: StageHandler | undefined;
  private readonly limits: TrackerLimits;

  /** `limits`: the bounds of src/limits.ts (defaults for those not given). */
  constructor(opts: { limits?: Partial<Limits>; handlers?: readonly StageHandler[] } = {}) {
    const limits = resolveLimits(opts.limits);
    this.limits = { maxPending: limits['pending-bytes'], maxEvents: limits.events };
    if (opts.limits) this.state.limits = limits;
    this.handlers = opts.handlers ? new Map(opts.handlers.map((h) => [h.stage, h])) : (defaultHandlers ??= new Map(STAGE_HANDLERS.map((h) => [h.stage, h])));
  }

  /** The stage the connection is in now. */
  get currentStage(): StageName { return this.stage; }

  /** True once both directions closed, one was reset, or the driver ended observation. */
  get done(): boolean {
    return this.events.some((e) => e.type === 'end' || (e.type === 'closed' && e.how === 'rst'))
      || this.closed.size === 2;
  }

  push(input: TrackerInput): TrackerEvent[] {
    const before = this.events.length;
    try {
      this.consume(input);
    } catch (e) {
      // a stage bug must not take the analysis down: report it as a warning and keep going
      this.emit({ type: 'warning', stage: this.stage, message: `internal error: ${(e as Error).message}`, at: input.at });
    }
    return this.events.slice(before);
  }

  private emit(ev: TrackerEvent): void {
    if (this.events.length < this.limits.maxEvents || ev.type !== 'opaque') this.events.push(ev);
  }

  private enter(stage: StageName, w: { at: number; packet?: number }): void {
    if (this.entered) this.emit(placed({ type: 'stage', stage: this.stage, status: 'completed' } as TrackerEvent, w));
    this.stage = stage;
    this.entered = true;
    const h = this.handlers.get(stage);
    if (h?.transport) this.wireTransport = h;
    this.emit(placed({ type: 'stage', stage, status: 'entered' } as TrackerEvent, w));
  }

  // events are built without object spreads ({ ...w }): this runs for every input and PDU
  private consume(input: TrackerInput): void {
    const w = input;
    switch (input.kind) {
      case 'resolve':
        this.emit(placed(input.ok
          ? { type: 'resolve', host: input.host, ok: true, addresses: input.addresses } as TrackerEvent
          : { type: 'resolve', host: input.host, ok: false, error: input.error } as TrackerEvent, w));
        this.enter('resolve', w);
        return;
      case 'tcp': {
        const ev = { type: 'tcp', what: input.what } as Extract<TrackerEvent, { type: 'tcp' }>;
        if (input.detail) ev.detail = input.detail;
        this.emit(placed(ev, w));
        if (this.stage === 'resolve') this.enter('tcp', w);
        if ((input.what === 'syn-ack' || input.what === 'connected' || input.what === 'midstream') && this.stage === 'tcp') {
          this.enter('x224', w);
        }
        return;
      }
      case 'data':
        if (this.stage === 'tcp' || this.stage === 'resolve') this.enter('x224', w);
        this.onData(input.dir, input.lane, input.bytes, w);
        return;
      case 'close':
        this.flushAllOpaque();
        this.reportPartial(input.dir, 'wire');
        this.closed.add(input.dir);
        this.emit(placed({ type: 'closed', dir: input.dir, how: input.how, stage: this.stage, streamOffset: this.lane(input.dir, 'wire').buf.end } as TrackerEvent, w));
        return;
      case 'tls-session': {
        const { kind: _k, ...rest } = input;
        this.emit({ ...rest, type: 'tls-session', stage: this.stage });
        return;
      }
      case 'credssp-check': {
        const { kind: _k, ...rest } = input;
        this.emit({ ...rest, type: 'credssp-check', stage: this.stage });
        return;
      }
      case 'rdp-client-random': {
        const st = (this.state.rdp ??= rdpState());
        st.pendingClientRandom = input.clientRandom.slice();
        // ready once the server random is known (the Connect Response normally came first)
        this.emit(placed({ type: 'rdp-keys', stage: this.stage, source: input.source, ready: installKeys(st) } as TrackerEvent, w));
        return;
      }
      case 'gap':
        this.lane(input.dir, 'wire').stopped = true;
        this.emit(placed({ type: 'gap', dir: input.dir, bytes: input.bytes, stage: this.stage, ...(input.detail ? { detail: input.detail } : {}) } as TrackerEvent, w));
        return;
      case 'end':
        this.flushAllOpaque();
        for (const l of this.lanes.keys()) {
          const [dir, lane] = l.split('/') as [Dir, Lane];
          this.reportPartial(dir, lane);
        }
        const wire = { c2s: this.lanes.get('c2s/wire')?.buf.end ?? 0, s2c: this.lanes.get('s2c/wire')?.buf.end ?? 0 };
        const ev = { type: 'end', how: input.how, stage: this.stage } as Extract<TrackerEvent, { type: 'end' }>;
        if (input.detail) ev.detail = input.detail;
        ev.wire = wire;
        this.emit(placed(ev, w));
        return;
    }
  }

  private lane(dir: Dir, lane: Lane): Lanestate {
    const key = LANE_KEY[dir][lane];
    let l = this.lanes.get(key);
    if (!l) {
      l = { buf: new StreamBuffer(), stopped: false, opaque: undefined };
      this.lanes.set(key, l);
    }
    return l;
  }

  private onData(dir: Dir, laneName: Lane, bytes: Uint8Array, w: { at: number; packet?: number }): void {
    const l = this.lane(dir, laneName);
    if (l.stopped) return;
    l.buf.append(bytes, w.at, w.packet);
    for (;;) {
      const handler = this.handlerFor(laneName);
      if (!handler) {
        this.opaque(l, dir, laneName);
        return;
      }
      const view = l.buf.view();
      if (view.length === 0) return;
      let size: number | undefined;
      try {
        size = handler.frame(view, dir, l.buf.offset, this.state);
      } catch (e) {
        this.failFraming(l, dir, laneName, e);
        return;
      }
      if (size === undefined) {
        l.buf.compact();
        if (view.length > this.limits.maxPending) this.failFraming(l, dir, laneName, this.limitError(handler, l, 'pending bytes'));
        return;
      }
      if (size > this.limits.maxPending) {
        this.failFraming(l, dir, laneName, this.limitError(handler, l, `PDU of ${size} bytes`));
        return;
      }
      if (view.length < size) {
        l.buf.compact();
        return;
      }
      const offset = l.buf.offset;
      const mark = l.buf.mark(offset);
      if (handler.opaqueOnly?.(view, dir, this.stage, this.state)) {
        // as ctx.opaque() would count it, without copying the PDU out
        l.buf.drop(size);
        if (l.opaque) l.opaque.length += size;
        else l.opaque = placed({ offset, length: size } as Lanestate['opaque'] & object, mark ?? { at: 0 });
        continue;
      }
      const pdu: FramedPdu = { bytes: l.buf.take(size), dir, lane: laneName, offset, at: mark ? mark.at : 0 };
      if (mark?.packet !== undefined) pdu.packet = mark.packet;
      this.handle(handler, pdu);
    }
  }

  /** The wire lane belongs to the transport once TLS has begun; everything else to the current stage. */
  private handlerFor(lane: Lane): StageHandler | undefined {
    return lane === 'wire' && this.wireTransport ? this.wireTransport : this.handlers.get(this.stage);
  }

  /** What a stage handler may do; one per tracker (built once: handle() runs for every PDU). */
  private readonly ctx: StageContext = (() => {
    const self = this;
    return {
      get state() { return self.state; },
      get stage() { return self.stage; },
      opaque: (p: FramedPdu) => {
        const l = this.lane(p.dir, p.lane);
        if (l.opaque) l.opaque.length += p.bytes.length;
        else l.opaque = placed({ offset: p.offset, length: p.bytes.length } as Lanestate['opaque'] & object, p);
      },
      emit: (ev: TrackerEvent) => this.emit(ev),
      advance: (next: StageName, p: FramedPdu) => this.enter(next, p),
    };
  })();

  private handle(handler: StageHandler, pdu: FramedPdu): void {
    const ctx = this.ctx;
    try {
      handler.handle(pdu, ctx);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.emit(placed({
        type: 'decode-error', stage: handler.stage, dir: pdu.dir, lane: pdu.lane, phase: 'pdu',
        error: e.toJSON(), head: hexPreview(pdu.bytes, 24),
      } as TrackerEvent, pdu));
    }
  }

  private limitError(handler: StageHandler, l: Lanestate, what: string): DecodeError {
    return new DecodeError({
      code: 'LIMIT_EXCEEDED', layer: handler.framing, pdu: 'stream', field: 'length', offset: l.buf.offset,
      reason: `${what} exceeds the ${this.limits.maxPending}-byte limit`,
    });
  }

  private failFraming(l: Lanestate, dir: Dir, lane: Lane, e: unknown): void {
    if (!(e instanceof DecodeError)) throw e;
    const mark = l.buf.mark(l.buf.offset);
    l.stopped = true;
    this.emit(placed({
      type: 'decode-error', stage: this.stage, dir, lane, phase: 'framing', error: e.toJSON(),
      head: hexPreview(l.buf.view(), 24),
    } as TrackerEvent, mark ?? { at: 0 }));
  }

  /** At a close or end, bytes still waiting for the rest of their PDU are reported as truncated. */
  private reportPartial(dir: Dir, lane: Lane): void {
    const l = this.lanes.get(LANE_KEY[dir][lane]);
    const handler = this.handlerFor(lane);
    if (!l || l.stopped || l.buf.length === 0 || !handler) return;
    this.failFraming(l, dir, lane, new DecodeError({
      code: 'NOT_ENOUGH_BYTES', layer: handler.framing, pdu: 'stream', field: 'PDU', offset: l.buf.offset,
      reason: `the stream ended inside a PDU: ${l.buf.length} bytes of an incomplete PDU`,
    }));
  }

  /** Bytes for a stage this version does not decode: counted and reported as one opaque run. */
  private opaque(l: Lanestate, dir: Dir, lane: Lane): void {
    const n = l.buf.length;
    if (n === 0) return;
    const offset = l.buf.offset;
    const mark = l.buf.mark(offset);
    l.buf.drop(n);
    if (l.opaque) l.opaque.length += n;
    else l.opaque = placed({ offset, length: n } as Lanestate['opaque'] & object, mark ?? { at: 0 });
  }

  private flushAllOpaque(): void {
    for (const [key, l] of this.lanes) {
      if (!l.opaque) continue;
      const [dir, lane] = key.split('/') as [Dir, Lane];
      const o = l.opaque;
      this.emit(placed({ type: 'opaque', stage: this.stage, dir, lane, offset: o.offset, length: o.length } as TrackerEvent, o));
      l.opaque = undefined;
    }
  }
}

/** Sets `at` and, when known, `packet` on a new event (last, as `{ ...ev, ...where }` would). */
function placed<T extends object>(ev: T, w: { at: number; packet?: number }): T {
  const e = ev as T & { at: number; packet?: number };
  e.at = w.at;
  if (w.packet !== undefined) e.packet = w.packet;
  return e;
}
