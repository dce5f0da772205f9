// The seam every stage plugs into: a stage frames its PDUs and handles them, and says which stage
// comes next. Adding a stage means adding a file under stages/ and one line in stages/index.ts.
import type { Dir, Lane } from './input.js';
import type { TrackerEvent } from './events.js';
import type { StageName } from './stages.js';
import type { Layer } from '../wire/errors.js';
import type { TlsState } from './stages/tls-state.js';
import type { CredsspState } from './stages/credssp.js';
import type { RdpState } from './stages/rdp-state.js';
import type { Limits } from '../limits.js';

/** Facts earlier stages hand to later ones (e.g. the protocol the server selected). */
export interface ConnectionState {
  /** the bounds this connection is followed with (set by the tracker; stages read them, defaults when absent) */
  limits?: Limits;
  requestedProtocols?: number;
  selectedProtocol?: number;
  /** record-layer state once the TLS stage has begun */
  tls?: TlsState;
  credssp?: CredsspState;
  /** MCS/GCC results, channels and Standard RDP Security state, once MCS has begun */
  rdp?: RdpState;
}

export interface FramedPdu {
  bytes: Uint8Array;
  dir: Dir;
  lane: Lane;
  /** absolute offset of bytes[0] in its direction's stream */
  offset: number;
  at: number;
  packet?: number;
}

export interface StageContext {
  readonly state: ConnectionState;
  /** the stage the connection is in (a transport handler keeps framing after its own stage ends) */
  readonly stage: StageName;
  /** counts the PDU's bytes in the current stage's opaque run instead of reporting it as a PDU */
  opaque(pdu: FramedPdu): void;
  emit(event: TrackerEvent): void;
  /** completes the current stage and enters `next` */
  advance(next: StageName, pdu: FramedPdu): void;
}

export interface StageHandler {
  readonly stage: StageName;
  /** the layer whose framing frame() reads (named in framing errors) */
  readonly framing: Layer;
  /**
   * Size of the PDU at the head of buf (which starts at stream offset `base`), or undefined when
   * more bytes are needed. Throws DecodeError when the bytes cannot be this stage's framing. `state`
   * tells what may come next (e.g. CredSSP's 4-byte result only after credentials); read it, never write it.
   */
  frame(buf: Uint8Array, dir: Dir, base: number, state: Readonly<ConnectionState>): number | undefined;
  /**
   * A transport (TLS) keeps framing the wire lane for the rest of the connection once its stage is
   * entered; later stages then read the inner lane (the plaintext).
   */
  readonly transport?: boolean;
  /**
   * Optional shortcut: true when handle() would only count the framed PDU at the head of buf in the
   * opaque run (ctx.opaque) and do nothing else, so the tracker counts it without copying it out.
   * It may set up what handle() would have set up in `state` first.
   */
  opaqueOnly?(buf: Uint8Array, dir: Dir, stage: StageName, state: ConnectionState): boolean;
  /** Decodes one framed PDU, emitting events; throws DecodeError when it is malformed. */
  handle(pdu: FramedPdu, ctx: StageContext): void;
}
