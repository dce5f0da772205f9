// ClientScript: the sans-IO active prober. Given the tracker's events it says what to send next;
// the live driver executes its actions ([MS-RDPBCGR] 1.3.1.1 connection sequence, client side).
import { encodeConnectionRequest, type ConnectionRequest } from '../x224/connection-request.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import { DISCONNECT_REQUEST_NAME } from '../x224/tpdu.js';
import type { TrackerEvent } from '../analyze/events.js';

export type ScriptAction =
  | { kind: 'send'; bytes: Uint8Array }
  /** the probe has what it came for (or cannot go on): close politely */
  | { kind: 'done'; reason: string };

export interface ScriptOptions {
  /** RDP_NEG_REQ requestedProtocols; undefined sends a legacy request without RDP_NEG_REQ */
  requestedProtocols?: number;
  cookie?: string;
  routingToken?: string;
  requestFlags?: number;
}

/** What modern clients send: SSL|HYBRID|HYBRID_EX. */
export const DEFAULT_REQUESTED = 0x1 | 0x2 | 0x8;

export class ClientScript {
  private finished = false;

  constructor(private readonly opts: ScriptOptions) {}

  connectionRequest(): ConnectionRequest {
    const o = this.opts;
    const req: ConnectionRequest = { header: { dstRef: 0, srcRef: 0, classOption: 0 } };
    if (o.cookie !== undefined) req.cookie = o.cookie;
    else if (o.routingToken !== undefined) req.routingToken = o.routingToken;
    if (o.requestedProtocols !== undefined) {
      req.negotiation = { flags: o.requestFlags ?? 0, requestedProtocols: o.requestedProtocols };
    }
    return req;
  }

  /** Actions once TCP is connected. */
  start(): ScriptAction[] {
    return [{ kind: 'send', bytes: encodeConnectionRequest(this.connectionRequest()) }];
  }

  /** Actions in answer to new tracker events. */
  next(events: readonly TrackerEvent[]): ScriptAction[] {
    if (this.finished) return [];
    for (const e of events) {
      const reason = this.stopReason(e);
      if (reason) {
        this.finished = true;
        return [{ kind: 'done', reason }];
      }
    }
    return [];
  }

  private stopReason(e: TrackerEvent): string | undefined {
    if (e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME) return 'connection confirm received';
    if (e.type === 'pdu' && e.name === DISCONNECT_REQUEST_NAME) return 'server sent a disconnect request';
    if (e.type === 'decode-error' && e.dir === 's2c') return 'server reply did not decode';
    return undefined;
  }
}
