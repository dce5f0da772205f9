// Limits rules: the server sent something the tracker refused to follow because a length or a count
// is beyond its bounds (a TLS record over 2^14 + 2048 bytes, a handshake message over 256 KiB, a
// TSRequest over 64 KiB, too many records before the handshake ends), or a CredSSP exchange that
// does not end. Tried right after TCP: what a hostile or broken server sent decides the verdict.
import type { Facts } from '../facts.js';
import { MAX_CREDSSP_ROUNDS } from '../stages/credssp.js';
import type { Rule } from './rule.js';
import { describeEnd, endedBy, evidence } from './rule.js';

const CAUSE = 'a broken or hostile server, or a middlebox corrupting the stream: no RDP server needs this; rdpscope stops following the stream instead of buffering what it claims';

/** The first server PDU whose length or count exceeds a limit (DecodeError LIMIT_EXCEEDED). */
export const serverLimit: Rule = (f: Facts) => {
  const err = f.decodeErrors.find((e) => e.dir === 's2c' && e.error.code === 'LIMIT_EXCEEDED');
  if (!err) return undefined;
  const x = err.error;
  return {
    status: 'failed', failedStage: err.stage,
    summary: `the server's ${x.pdu} exceeds a limit: ${x.field} at byte ${x.offset}: ${x.reason}`,
    cause: CAUSE,
    evidence: [evidence('observed', `${x.pdu}: ${x.field} at byte ${x.offset} (${x.layer}): ${x.reason} (LIMIT_EXCEEDED)`, { ...err, offset: x.offset }, err.head)],
    endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
  };
};

/** More server TSRequests than a CredSSP exchange takes ([MS-CSSP] 3.1.5): it does not end. */
export const endlessCredssp: Rule = (f: Facts) => {
  const server = f.credssp.requests.filter((r) => r.dir === 's2c');
  if (server.length <= MAX_CREDSSP_ROUNDS) return undefined;
  const last = server[MAX_CREDSSP_ROUNDS]!;
  const by = endedBy(f);
  return {
    status: 'failed', failedStage: 'credssp',
    summary: `CredSSP does not end: the server sent more than ${MAX_CREDSSP_ROUNDS} TSRequests`,
    cause: CAUSE,
    evidence: [
      evidence('observed', `server TSRequest ${MAX_CREDSSP_ROUNDS + 1} (beyond the ${MAX_CREDSSP_ROUNDS}-round limit)`, last, last.head),
      evidence('observed', describeEnd(by), f.end ?? f.closes[0]),
    ],
    endedBy: by ?? { who: 'server', how: 'protocol-error', at: last.at },
  };
};
