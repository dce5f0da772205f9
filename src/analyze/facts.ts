// Folds an event list into the facts the diagnosis rules read. Pure.
import type { ConnectionConfirm } from '../x224/connection-confirm.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import type { DisconnectRequest } from '../x224/tpdu.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import { CONNECTION_REQUEST_NAME } from '../x224/connection-request.js';
import { DISCONNECT_REQUEST_NAME } from '../x224/tpdu.js';
import type { PduEvent, TrackerEvent } from './events.js';
import type { Dir, Lane } from './input.js';
import type { StageName } from './stages.js';
import { tlsFact, type TlsFacts } from './tls-facts.js';
import { CREDSSP_PDU, type TsRequestPdu } from './stages/credssp.js';
import type { EarlyUserAuthResult } from '../credssp/early-user-auth.js';
import { rdpFact, rdpFacts, type RdpFacts } from './rdp-facts.js';
import { DEFAULT_LIMITS, type Limits } from '../limits.js';

type Ev<T extends TrackerEvent['type']> = Extract<TrackerEvent, { type: T }>;

export interface Facts {
  resolve?: Ev<'resolve'>;
  tcp: Ev<'tcp'>[];
  entered: StageName[];
  completed: StageName[];
  /** stage the connection was in when observation ended */
  stage: StageName;
  cr?: PduEvent<ConnectionRequest>;
  cc?: PduEvent<ConnectionConfirm>;
  dr?: PduEvent<DisconnectRequest>;
  decodeErrors: Ev<'decode-error'>[];
  closes: Ev<'closed'>[];
  gaps: Ev<'gap'>[];
  end?: Ev<'end'>;
  /** bytes seen per lane and direction in each stage (decoded PDUs and opaque runs) */
  bytes: Partial<Record<StageName, Record<Lane, Record<Dir, number>>>>;
  warnings: Ev<'warning'>[];
  tls: TlsFacts;
  credssp: { requests: PduEvent<TsRequestPdu>[]; earlyUserAuth?: PduEvent<EarlyUserAuthResult>; check?: Ev<'credssp-check'> };
  /** MCS and RDP PDUs after X.224, by kind (see stages/rdp-common.ts RDP_PDU) */
  rdp: RdpFacts;
  firstAt?: number;
  lastAt?: number;
  /** the bounds the connection was followed with: diagnose()'s options, else the defaults */
  limits: Limits;
}

export function isPdu<T>(e: TrackerEvent, name: string): e is PduEvent<T> {
  return e.type === 'pdu' && e.name === name;
}

export function collectFacts(events: readonly TrackerEvent[]): Facts {
  const f: Facts = {
    tcp: [], entered: [], completed: [], stage: 'resolve', decodeErrors: [], closes: [], gaps: [],
    bytes: {}, warnings: [], tls: { alerts: [], encryptedAlerts: [], records: [] },
    credssp: { requests: [] },
    rdp: rdpFacts(),
    limits: DEFAULT_LIMITS,
  };
  const count = (stage: StageName, lane: Lane, dir: Dir, n: number): void => {
    const b = (f.bytes[stage] ??= { wire: { c2s: 0, s2c: 0 }, inner: { c2s: 0, s2c: 0 } });
    b[lane][dir] += n;
  };
  for (const e of events) {
    f.firstAt ??= e.at;
    f.lastAt = e.at;
    switch (e.type) {
      case 'resolve': f.resolve = e; break;
      case 'tcp': f.tcp.push(e); break;
      case 'stage':
        if (e.status === 'entered') { f.entered.push(e.stage); f.stage = e.stage; } else f.completed.push(e.stage);
        break;
      case 'pdu':
        count(e.stage, e.lane, e.dir, e.length);
        if (isPdu<ConnectionRequest>(e, CONNECTION_REQUEST_NAME)) f.cr ??= e;
        else if (isPdu<ConnectionConfirm>(e, CONNECTION_CONFIRM_NAME)) f.cc ??= e;
        else if (isPdu<DisconnectRequest>(e, DISCONNECT_REQUEST_NAME)) f.dr ??= e;
        else if (isPdu<TsRequestPdu>(e, CREDSSP_PDU.tsRequest)) f.credssp.requests.push(e);
        else if (isPdu<EarlyUserAuthResult>(e, CREDSSP_PDU.earlyUserAuth)) f.credssp.earlyUserAuth ??= e;
        else if (!rdpFact(f.rdp, e)) tlsFact(f.tls, e);
        break;
      case 'tls-session': f.tls.session ??= e; break;
      case 'credssp-check': f.credssp.check ??= e; break;
      case 'opaque': count(e.stage, e.lane, e.dir, e.length); break;
      case 'decode-error': f.decodeErrors.push(e); break;
      case 'closed': f.closes.push(e); break;
      case 'gap': f.gaps.push(e); break;
      case 'end': f.end = e; break;
      case 'warning': f.warnings.push(e); break;
    }
  }
  return f;
}

/** Bytes of a stage in one direction: the plaintext when the inner lane has any, else the wire. */
export function bytesIn(f: Facts, stage: StageName, dir: Dir): number {
  const b = f.bytes[stage];
  if (!b) return 0;
  return b.inner.c2s + b.inner.s2c > 0 ? b.inner[dir] : b.wire[dir];
}
