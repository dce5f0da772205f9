// X.224 stage rules: catalogue rows 4-12 (plus row 34/35 forms of the X.224 stage).
import { describeFailureCode, protocolName, protocolSet } from '../../x224/codes.js';
import { hex32 } from '../../wire/hex.js';
import type { Facts } from '../facts.js';
import { bytesIn } from '../facts.js';
import type { Finding } from '../verdict.js';
import type { Rule } from './rule.js';
import { describeEnd, endedBy, errorEvidence, evidence, pduEvidence } from './rule.js';
import { sniffReply } from './sniff.js';

const FAILURE_ROW: Record<number, number> = { 5: 7, 1: 8, 2: 9, 3: 10 };

function requestEvidence(f: Facts) {
  const cr = f.cr;
  if (!cr) return [];
  const req = cr.value.negotiation;
  const text = req
    ? `client requested ${protocolSet(req.requestedProtocols).names.join('|')} (${hex32(req.requestedProtocols)})`
    : 'client sent a Connection Request without RDP_NEG_REQ (Standard RDP Security only)';
  return [pduEvidence('observed', text, cr)];
}

/** The server's reply did not decode: not TPKT at all (row 5) or a malformed Confirm (row 11). */
const badReply: Rule = (f) => {
  const err = f.decodeErrors.find((e) => e.stage === 'x224' && e.dir === 's2c');
  // what the server sent after a decoded Confirm does not change what the Confirm said
  if (!err || (f.cc && f.cc.at <= err.at)) return undefined;
  const cutConfirm = err.error.code === 'NOT_ENOUGH_BYTES' && /^03 00 .. .. .. d/.test(err.head);
  // a PDU still incomplete at the timeout was not cut by a close: noConfirm reports the stall
  if (err.error.code === 'NOT_ENOUGH_BYTES' && endedBy(f)?.how === 'timeout') return undefined;
  if (err.phase === 'framing' && !cutConfirm) {
    const looks = sniffReply(err.head);
    return {
      status: 'failed', failedStage: 'x224', row: 5,
      summary: `the reply to the Connection Request is not RDP: it looks like ${looks}`,
      cause: 'another service answers on this port, or a proxy/middlebox speaks something else',
      evidence: [...requestEvidence(f), errorEvidence('observed', `server sent ${looks}: ${err.error.reason}`, err)],
      endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
    };
  }
  return {
    status: 'failed', failedStage: 'x224', row: 11,
    summary: cutConfirm
      ? `the server closed in the middle of its Connection Confirm: ${err.error.reason}`
      : `malformed Connection Confirm: ${err.error.field}: ${err.error.reason}`,
    cause: 'the server or a middlebox sent a Confirm that does not follow MS-RDPBCGR 2.2.1.2',
    evidence: [...requestEvidence(f), errorEvidence('observed', `${err.error.pdu}: ${err.error.field} at byte ${err.error.offset}: ${err.error.reason}`, err)],
    endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
  };
};

const negotiationFailure: Rule = (f) => {
  const neg = f.cc?.value.negotiation;
  if (!f.cc || neg?.type !== 'failure') return undefined;
  const d = describeFailureCode(neg.failureCode);
  return {
    status: 'failed', failedStage: 'x224', row: FAILURE_ROW[neg.failureCode] ?? 11,
    summary: `the server refused the requested security protocols: RDP_NEG_FAILURE ${d.known ? `${d.name} (${neg.failureCode})` : d.name}`,
    cause: d.meaning,
    evidence: [
      ...requestEvidence(f),
      pduEvidence('observed', `Connection Confirm carries RDP_NEG_FAILURE failureCode ${neg.failureCode} = ${d.name}`, f.cc),
    ],
    endedBy: { who: 'server', how: 'negotiation-failure', at: f.cc.at, ...(f.cc.packet ? { packet: f.cc.packet } : {}) },
  };
};

const disconnectRequest: Rule = (f) => {
  const dr = f.dr;
  if (!dr || f.cc) return undefined;
  return {
    status: 'failed', failedStage: 'x224', row: 4,
    summary: `the server refused the connection with an X.224 Disconnect Request (reason ${dr.value.reason})`,
    cause: 'the server (or a middlebox in front of it) will not accept this connection',
    evidence: [...requestEvidence(f), pduEvidence('observed', `X.224 Disconnect Request, reason ${dr.value.reason}, instead of a Connection Confirm`, dr)],
    endedBy: { who: 'server', how: 'disconnect-request', at: dr.at, ...(dr.packet ? { packet: dr.packet } : {}) },
  };
};

/** The server selected a protocol the client did not offer (row 11), as text; undefined when it did not. */
function unrequestedSelection(f: Facts): string | undefined {
  const neg = f.cc?.value.negotiation;
  const req = f.cr?.value.negotiation;
  if (!f.cc || !req || neg?.type !== 'response') return undefined;
  const requested = req.requestedProtocols;
  const sel = neg.selectedProtocol;
  const allowed = sel === 0 ? requested === 0 : (requested & sel) === sel && (sel & (sel - 1)) === 0;
  return allowed ? undefined : `server selected ${protocolName(sel)} (${hex32(sel)}), which the client did not request (${protocolSet(requested).names.join('|')})`;
}

const clientWentOn = (f: Facts): boolean => bytesIn(f, f.stage, 'c2s') > 0 && f.stage !== 'x224';

/** Row 11 as a failure: the client stopped at the unrequested selection (what strict clients do). */
const unrequestedProtocol: Rule = (f) => {
  const text = unrequestedSelection(f);
  if (!text || clientWentOn(f)) return undefined;
  return {
    status: 'failed', failedStage: 'x224', row: 11,
    summary: text,
    cause: 'the server ignores the client\'s protocol list (xrdp with security_layer=rdp answers this way instead of SSL_NOT_ALLOWED_BY_SERVER)',
    evidence: [...requestEvidence(f), pduEvidence('observed', text, f.cc!)],
    endedBy: endedBy(f),
  };
};

/**
 * Row 11 as a warning in whatever verdict the later stages give, when the client went on anyway
 * (rdesktop and mstsc accept RDP after offering SSL|HYBRID; FreeRDP and IronRDP abort).
 */
export function x224Findings(f: Facts): Finding[] {
  const text = unrequestedSelection(f);
  return text && clientWentOn(f) ? [{ severity: 'warning', row: 11, text: `${text}; the client went on, strict clients (FreeRDP, IronRDP) abort here` }] : [];
}

/** No Confirm: the server closed (row 4), stayed silent (row 6), or observation ended (34/35). */
const noConfirm: Rule = (f) => {
  if (f.stage !== 'x224' || f.cc || f.dr) return undefined;
  const by = endedBy(f);
  const ev = [...requestEvidence(f)];
  // with no Confirm every server byte is still in X.224, complete PDUs or not (the end counts them all)
  const serverBytes = Math.max(bytesIn(f, 'x224', 's2c'), f.end?.wire.s2c ?? 0);
  if (by?.who === 'server') {
    const close = f.closes[0]!;
    ev.push(evidence('observed', `${describeEnd(by)} ${f.cr ? 'after the Connection Request' : 'before any request'}, without a Connection Confirm (${serverBytes} bytes from the server)`, close));
    return {
      status: 'failed', failedStage: 'x224', row: 4,
      summary: `the server ${by.how === 'rst' ? 'reset' : 'closed'} the connection right after the Connection Request, without a Confirm`,
      cause: 'the server accepted TCP but refused RDP: remote connections disabled, connection limit reached, listener broken, or an IPS/load balancer cut it',
      evidence: ev, endedBy: by,
    };
  }
  if (by?.how === 'timeout') {
    const silent = serverBytes === 0;
    ev.push(evidence('observed', silent ? 'no byte came back before the timeout' : `the server sent ${serverBytes} bytes but no complete Confirm before the timeout (${f.end?.detail ?? 'timeout'})`, f.end));
    return {
      status: 'failed', failedStage: 'x224', row: silent ? 6 : 34,
      summary: silent ? 'no reply to the Connection Request before the timeout' : 'the server began its Confirm but did not complete it before the timeout',
      cause: silent ? 'a tarpit, a half-open middlebox, or an overloaded server accepts TCP but never answers' : 'overload, a middlebox idle timeout or an MTU black hole',
      evidence: ev, endedBy: by,
    };
  }
  if (by?.who === 'client') {
    const close = f.closes[0]!;
    ev.push(evidence('observed', `${describeEnd(by)} before the server answered`, close));
    return { status: 'undetermined', summary: 'the client gave up before the server sent a Connection Confirm', evidence: ev, endedBy: by };
  }
  ev.push(evidence('observed', `${describeEnd(by)} before a Connection Confirm was seen`, f.end ?? f.gaps[0]));
  return { status: 'undetermined', row: 35, summary: 'the capture holds no Connection Confirm for this connection', evidence: ev, endedBy: by };
};

/** The client's first bytes were not a Connection Request (picked up mid-stream, or not RDP). */
const noRequest: Rule = (f) => {
  const err = f.decodeErrors.find((e) => e.stage === 'x224' && e.dir === 'c2s');
  if (!err || f.cc) return undefined;
  const mid = f.tcp.some((t) => t.what === 'midstream');
  return {
    status: 'undetermined', row: mid ? 35 : undefined,
    summary: mid ? 'the capture starts in the middle of this connection' : 'the client did not start with an X.224 Connection Request',
    evidence: [errorEvidence('observed', `client bytes: ${err.error.reason}`, err)],
    endedBy: endedBy(f),
  };
};

export const x224Rules: Rule[] = [badReply, negotiationFailure, disconnectRequest, unrequestedProtocol, noRequest, noConfirm];
