// Protocol facts of one connection, in the peers' vocabulary (Zeek rdp.log, zgrab2, Arkime):
// cookie, requested/selected protocol, negotiation flags, failure code.
import { describeFailureCode, protocolName, protocolSet, requestFlags, responseFlags, type FlagSet } from '../x224/codes.js';
import type { Facts } from './facts.js';

export interface NegotiationSummary {
  cookie?: string;
  routingToken?: string;
  requestedProtocols?: FlagSet;
  requestFlags?: FlagSet;
  correlationId?: string;
  /** the Confirm carried no negotiation data (legacy server) */
  legacy?: boolean;
  selectedProtocol?: { raw: number; name: string };
  negotiationFlags?: FlagSet;
  failureCode?: { code: number; name: string };
  /** reason of an X.224 Disconnect Request sent instead of a Confirm */
  disconnectReason?: number;
}

/** The negotiation of one connection, from its facts (collectFacts). */
export function negotiationOf(f: Facts): NegotiationSummary {
  const s: NegotiationSummary = {};
  const cr = f.cr?.value;
  if (cr) {
    if (cr.cookie !== undefined) s.cookie = cr.cookie;
    if (cr.routingToken !== undefined) s.routingToken = cr.routingToken;
    s.requestedProtocols = protocolSet(cr.negotiation?.requestedProtocols ?? 0);
    if (cr.negotiation) s.requestFlags = requestFlags(cr.negotiation.flags);
    if (cr.correlation) s.correlationId = Buffer.from(cr.correlation.correlationId).toString('hex');
  }
  const neg = f.cc ? (f.cc.value.negotiation ?? null) : undefined;
  if (neg === null) {
    s.legacy = true;
    s.selectedProtocol = { raw: 0, name: 'RDP' };
  } else if (neg?.type === 'response') {
    s.selectedProtocol = { raw: neg.selectedProtocol, name: protocolName(neg.selectedProtocol) };
    s.negotiationFlags = responseFlags(neg.flags);
  } else if (neg?.type === 'failure') {
    s.failureCode = { code: neg.failureCode, name: describeFailureCode(neg.failureCode).name };
  }
  if (f.dr) s.disconnectReason = f.dr.value.reason;
  return s;
}
