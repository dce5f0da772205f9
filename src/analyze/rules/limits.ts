// Limits rules: the server sent something the tracker refused to follow because a length or a count
// is beyond its bounds (src/limits.ts: a TLS record over 2^14 + 2048 bytes, a handshake message over
// handshake-message-bytes, a TSRequest over tsrequest-bytes, more than handshake-records records
// before the handshake ends), or a CredSSP exchange that does not end (credssp-rounds). Tried right after TCP: what a hostile or broken server sent decides the verdict.
import type { Facts } from '../facts.js';
import type { DecodeErrorInfo } from '../../wire/errors.js';
import { DEFAULT_LIMITS, type LimitName } from '../../limits.js';
import type { Rule } from './rule.js';
import { describeEnd, endedBy, errorEvidence, evidence, pduEvidence } from './rule.js';

const CAUSE = 'a broken or hostile server, or a middlebox corrupting the stream: no RDP server needs this; rdpscope stops following the stream instead of buffering what it claims';

/** The configurable bound (src/limits.ts) a LIMIT_EXCEEDED error comes from; none for protocol facts. */
function limitOf(x: DecodeErrorInfo): LimitName | undefined {
  if (x.pdu === 'stream') return 'pending-bytes';
  if (x.pdu === 'TLS handshake' && x.field === 'length') return 'handshake-message-bytes';
  if (x.pdu === 'TLS record' && x.field === 'records before the handshake completed') return 'handshake-records';
  if (x.pdu === 'CredSSP TSRequest' && x.field === 'TSRequest length' && / exceed \d+$/.test(x.reason)) return 'tsrequest-bytes';
  return undefined;
}

/** The cause: a hostile server, unless the bound was lowered below its default (then a genuine server may exceed it). */
function causeOf(f: Facts, name: LimitName | undefined): string {
  if (name === undefined || f.limits[name] >= DEFAULT_LIMITS[name]) return CAUSE;
  return `the bound was lowered with --limit ${name}=${f.limits[name]} (default ${DEFAULT_LIMITS[name]}): a genuine server may need more; rdpscope stops following the stream there`;
}

/** The step for a genuine server that needs more than a bound allows. */
function raise(name: LimitName, now: number): string {
  return `If this server is genuine and needs more, raise the bound: --limit ${name}=VALUE (now ${now}; 'rdpscope limits' gives the range)`;
}

/** The first server PDU whose length or count exceeds a limit (DecodeError LIMIT_EXCEEDED). */
export const serverLimit: Rule = (f: Facts) => {
  const err = f.decodeErrors.find((e) => e.dir === 's2c' && e.error.code === 'LIMIT_EXCEEDED');
  if (!err) return undefined;
  const x = err.error;
  const limit = limitOf(x);
  return {
    status: 'failed', failedStage: err.stage,
    summary: `the server's ${x.pdu} exceeds a limit: ${x.field} at byte ${x.offset}: ${x.reason}`,
    cause: causeOf(f, limit),
    evidence: [errorEvidence('observed', `${x.pdu}: ${x.field} at byte ${x.offset} (${x.layer}): ${x.reason} (LIMIT_EXCEEDED)`, err)],
    endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
    ...(limit ? { remedy: [raise(limit, f.limits[limit])] } : {}),
  };
};

/**
 * More server TSRequests than a CredSSP exchange takes ([MS-CSSP] 3.1.5): it does not end. The
 * bound is the limit credssp-rounds the connection was followed with (the probe stops there).
 */
export const endlessCredssp: Rule = (f: Facts) => {
  const rounds = f.limits['credssp-rounds'];
  const server = f.credssp.requests.filter((r) => r.dir === 's2c');
  if (server.length <= rounds) return undefined;
  const last = server[rounds]!;
  const by = endedBy(f);
  return {
    status: 'failed', failedStage: 'credssp',
    summary: `CredSSP does not end: the server sent more than ${rounds} TSRequests`,
    cause: causeOf(f, 'credssp-rounds'),
    evidence: [
      pduEvidence('observed', `server TSRequest ${rounds + 1} (beyond the ${rounds}-round limit, credssp-rounds)`, last),
      evidence('observed', describeEnd(by), f.end ?? f.closes[0]),
    ],
    endedBy: by ?? { who: 'server', how: 'protocol-error', at: last.at },
    remedy: [raise('credssp-rounds', rounds)],
  };
};
