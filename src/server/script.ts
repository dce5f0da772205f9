// Sans-IO scenario scripts: what the scripted server does in answer to a Client X.224 Connection
// Request ([MS-RDPBCGR] 2.2.1.1). One ScriptRun per connection; the server executes its effects.
import { DecodeError } from '../wire/errors.js';
import { decodeConnectionRequest, type ConnectionRequest } from '../x224/connection-request.js';
import { findTpktSize } from '../x224/tpkt.js';
import { findTlsRecordSize } from '../tls/record.js';
import type { TlsServerSpec } from './tls-certs.js';
import type { RdpBehaviour } from './rdp-responder.js';
import { decodeConnectionConfirm } from '../x224/connection-confirm.js';
import { PROTOCOL } from '../x224/codes.js';
import { bestProtocol } from './replies.js';

/** The RDP server side after the Confirm (src/server/rdp-responder.ts). */
export interface RdpSpec {
  /** default: complete the connection sequence to the Demand Active */
  behaviour?: RdpBehaviour;
  /** the TLS server when the Confirm selected a TLS-based protocol; default { cert: 'ok' } (CredSSP 'challenge') */
  tls?: TlsServerSpec;
}

/** Bytes to send, fixed or computed from the client's decoded request. */
export type Reply = Uint8Array | ((req: ConnectionRequest) => Uint8Array);

/**
 * One server action. A script that ends without `close` keeps the connection open, reading and
 * ignoring whatever the client sends, until the client leaves (or the server's idle limit).
 */
export type Step =
  /** wait for one complete TPKT holding a Connection Request; anything else closes (FIN) */
  | { await: 'request' }
  /** wait for one complete TLS record (the ClientHello); anything else closes (FIN) */
  | { await: 'client-hello' }
  /**
   * hand the connection to a TLS server ([MS-RDPBCGR] 5.4.5.1), CredSSP for HYBRID/HYBRID_EX, then
   * the default RDP side (the sequence to the Demand Active) once TLS, or NLA, completed; the script ends here
   */
  | { tls: TlsServerSpec }
  /**
   * play the RDP server side from the MCS Connect Initial (RdpResponder) with this behaviour: on the
   * raw TCP stream when the Confirm this script sent selected PROTOCOL_RDP (or had no negotiation
   * data), else as `tls` (with `rdp.tls`, default the 'ok' certificate); the script ends here
   */
  | { rdp: RdpSpec }
  /** write the reply; with byteEveryMs, one byte at a time with that pause between bytes */
  | { send: Reply; byteEveryMs?: number }
  /** write the reply again and again, everyMs apart, until the client leaves; the script ends here */
  | { repeat: Reply; everyMs: number }
  /** stop reading the socket (its receive window fills) and never answer; the script ends here */
  | { stopReading: true }
  /** end the connection: FIN (graceful close) or RST (reset) */
  | { close: 'fin' | 'rst' };

/** What the I/O layer performs, in order. */
/**
 * startTls carries the client's Connection Request and the protocol the Confirm selected (CredSSP
 * needs to know whether HYBRID_EX was chosen) and, from an `rdp` step, what follows TLS (and CredSSP).
 * startRdp hands the raw stream to an RdpResponder, with the client bytes already read past the request.
 */
export type Effect =
  | { write: Uint8Array } | { sleep: number } | { close: 'fin' | 'rst' }
  | { repeat: Uint8Array; everyMs: number } | { stopReading: true }
  | { startTls: TlsServerSpec; request?: ConnectionRequest; selectedProtocol?: number; rdp?: RdpBehaviour }
  | { startRdp: RdpBehaviour; request?: ConnectionRequest; rest: Uint8Array };

/** selectedProtocol of a Confirm (PROTOCOL_RDP without negotiation data); undefined for anything else. */
function selectedBy(bytes: Uint8Array): number | undefined {
  try {
    const n = decodeConnectionConfirm(bytes).negotiation;
    return n === undefined ? PROTOCOL.RDP : n.type === 'response' ? n.selectedProtocol : undefined;
  } catch (e) {
    if (e instanceof DecodeError) return undefined;
    throw e;
  }
}

export class ScriptRun {
  private next = 0;
  private pending = new Uint8Array(0);
  private request: ConnectionRequest | undefined;
  /** what the Confirm this script sent selected */
  private selected: number | undefined;
  /** client bytes that came after the Connection Request in the same reads */
  private rest = new Uint8Array(0);
  private ended = false;

  constructor(private readonly script: readonly Step[]) {}

  /** Effects to perform on connect, up to the first step that needs client bytes. */
  start(): Effect[] {
    return this.run();
  }

  /** Client bytes arrived; returns the effects they unlock (none while more bytes are needed). */
  receive(bytes: Uint8Array): Effect[] {
    const step = this.script[this.next];
    if (this.ended || !step || !('await' in step)) return [];
    const joined = new Uint8Array(this.pending.length + bytes.length);
    joined.set(this.pending);
    joined.set(bytes, this.pending.length);
    this.pending = joined;
    try {
      const size = step.await === 'request' ? findTpktSize(joined) : findTlsRecordSize(joined);
      if (size === undefined || joined.length < size) return [];
      if (step.await === 'request') this.request = decodeConnectionRequest(joined.subarray(0, size));
      this.rest = joined.slice(size);
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return this.stop({ close: 'fin' });
    }
    this.pending = new Uint8Array(0);
    this.next++;
    return this.run();
  }

  private bytesOf(reply: Reply): Uint8Array {
    if (typeof reply !== 'function') return reply;
    if (!this.request) throw new Error('scenario bug: a computed reply must follow { await: \'request\' }');
    const bytes = reply(this.request);
    this.selected = selectedBy(bytes) ?? this.selected;
    return bytes;
  }

  private writes(step: { send: Reply; byteEveryMs?: number }): Effect[] {
    const bytes = this.bytesOf(step.send);
    const pause = step.byteEveryMs;
    if (pause === undefined) return [{ write: bytes }];
    const out: Effect[] = [];
    bytes.forEach((b, i) => {
      if (i > 0) out.push({ sleep: pause });
      out.push({ write: Uint8Array.of(b) });
    });
    return out;
  }

  private stop(effect: Effect): Effect[] {
    this.ended = true;
    return [effect];
  }

  private run(): Effect[] {
    const out: Effect[] = [];
    for (let step = this.script[this.next]; step && !('await' in step); step = this.script[++this.next]) {
      if ('close' in step) return [...out, ...this.stop({ close: step.close })];
      if ('stopReading' in step) return [...out, ...this.stop({ stopReading: true })];
      if ('repeat' in step) return [...out, ...this.stop({ repeat: this.bytesOf(step.repeat), everyMs: step.everyMs })];
      const request = this.request ? { request: this.request } : {};
      const selected = this.selected ?? (this.request ? bestProtocol(this.request) : undefined);
      const selectedProtocol = selected === undefined ? {} : { selectedProtocol: selected };
      if ('tls' in step) return [...out, ...this.stop({ startTls: step.tls, ...request, ...selectedProtocol })];
      if ('rdp' in step) {
        const behaviour = step.rdp.behaviour ?? {};
        if (selected === undefined || selected === PROTOCOL.RDP) return [...out, ...this.stop({ startRdp: behaviour, ...request, rest: this.rest })];
        return [...out, ...this.stop({ startTls: step.rdp.tls ?? { cert: 'ok' }, ...request, ...selectedProtocol, rdp: behaviour })];
      }
      out.push(...this.writes(step));
    }
    return out;
  }
}
