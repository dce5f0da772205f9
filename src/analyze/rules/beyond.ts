// After a successful X.224 exchange: stages this version does not decode yet are reported
// honestly: reached, with byte counts and who ended the connection, never guessed.
import { protocolName, responseFlags } from '../../x224/codes.js';
import { bytesIn } from '../facts.js';
import type { Rule } from './rule.js';
import { describeEnd, endedBy, evidence } from './rule.js';

export const x224Succeeded: Rule = (f) => {
  const cc = f.cc;
  if (!cc || cc.value.negotiation?.type === 'failure') return undefined;
  const neg = cc.value.negotiation;
  const selected = neg?.type === 'response' ? neg.selectedProtocol : 0;
  const legacy = !neg;
  const findings = legacy
    ? [{ severity: 'warning' as const, row: 12, text: 'legacy Connection Confirm without negotiation data: the server only speaks Standard RDP Security (pre-RDP 5.2 or negotiation disabled)' }]
    : [];
  const flags = neg?.type === 'response' && neg.flags ? ` (flags ${responseFlags(neg.flags).names.join(', ')})` : '';
  const ev = [evidence('observed', legacy ? 'legacy Connection Confirm (no RDP_NEG_RSP)' : `server selected ${protocolName(selected)}${flags}`, { ...cc, offset: cc.offset }, cc.head)];
  const next = f.stage;
  const by = endedBy(f);
  const c2s = bytesIn(f, next, 'c2s');
  const s2c = bytesIn(f, next, 's2c');
  const base = `X.224 negotiation succeeded: ${legacy ? 'legacy Confirm, Standard RDP Security' : `selected ${protocolName(selected)}`}`;
  if (next === 'x224') return undefined;
  // the server ending the connection inside a stage we cannot decode is not evidence of success
  const serverEnded = by?.who === 'server';
  if (by?.how === 'probe-done' || (c2s > 0 && s2c > 0 && !serverEnded)) {
    if (c2s + s2c > 0) ev.push(evidence('observed', `${next} stage carried ${c2s} bytes from the client and ${s2c} from the server (not decoded by this version)`));
    return {
      status: 'ok', summary: by?.how === 'probe-done' ? base : `${base}; the connection went on into ${next}`,
      evidence: ev, endedBy: by, findings, ...(legacy ? { row: 12 } : {}),
    };
  }
  ev.push(evidence('observed', `in ${next}: ${c2s} bytes from the client, ${s2c} from the server; then ${describeEnd(by)}`, f.closes[0]));
  if (serverEnded) {
    ev.push(evidence('inferred', `a server ${by.how === 'rst' ? 'reset' : 'close'} this early in ${next} usually means the server refused what the client sent there; ${next} is decoded from a later version on`));
  }
  return {
    status: 'undetermined',
    summary: `${base}; the connection ended in ${next}, which this version does not decode`,
    evidence: ev, endedBy: by, findings, ...(legacy ? { row: 12 } : {}),
  };
};
