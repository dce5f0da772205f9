// --enumerate-protocols: one connection per protocol set, in parallel, reporting what the server
// *selected* for each (nmap's rdp-enum-encryption calls any RDP_NEG_RSP a success; we do not).
import { describeFailureCode, PROTOCOL, protocolName, protocolSet } from '../x224/codes.js';
import type { ConnectionConfirm } from '../x224/connection-confirm.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import { probe, type ProbeOptions, type ProbeResult } from './live.js';

/** Each protocol with the set a client sends to ask for it (HYBRID and HYBRID_EX go with SSL, [MS-RDPBCGR] 2.2.1.1.1). */
export const PROTOCOL_PROBES = [
  { protocol: 'RDP', requested: PROTOCOL.RDP },
  { protocol: 'SSL', requested: PROTOCOL.SSL },
  { protocol: 'HYBRID', requested: PROTOCOL.SSL | PROTOCOL.HYBRID },
  { protocol: 'RDSTLS', requested: PROTOCOL.RDSTLS },
  { protocol: 'HYBRID_EX', requested: PROTOCOL.SSL | PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX },
  { protocol: 'RDSAAD', requested: PROTOCOL.RDSAAD },
] as const;

export interface ProtocolOutcome {
  protocol: string;
  requested: number;
  requestedNames: string[];
  /** accepted: the server selected exactly this protocol */
  supported: boolean;
  selected?: string;
  failureCode?: number;
  failure?: string;
  /** when there was no Confirm: the verdict's summary */
  error?: string;
  probe: ProbeResult;
}

export type NlaVerdict = 'required' | 'supported' | 'not supported' | 'unknown';

export interface Enumeration {
  outcomes: ProtocolOutcome[];
  nla: NlaVerdict;
  nlaReason: string;
  connections: number;
}

function outcome(p: (typeof PROTOCOL_PROBES)[number], r: ProbeResult): ProtocolOutcome {
  const cc = r.events.find((e) => e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME);
  const o: ProtocolOutcome = {
    protocol: p.protocol, requested: p.requested, requestedNames: protocolSet(p.requested).names, supported: false, probe: r,
  };
  if (!cc || cc.type !== 'pdu') {
    o.error = r.verdict.summary;
    return o;
  }
  const neg = (cc.value as ConnectionConfirm).negotiation;
  if (neg?.type === 'failure') {
    o.failureCode = neg.failureCode;
    o.failure = describeFailureCode(neg.failureCode).name;
    return o;
  }
  const selected = neg ? neg.selectedProtocol : PROTOCOL.RDP;
  o.selected = neg ? protocolName(selected) : 'RDP (legacy Confirm)';
  o.supported = protocolName(selected) === p.protocol;
  return o;
}

/** NLA required / supported / not supported, from the per-protocol outcomes. */
export function nlaVerdict(outcomes: readonly ProtocolOutcome[]): { nla: NlaVerdict; reason: string } {
  const by = (name: string) => outcomes.find((o) => o.protocol === name);
  const nla = ['HYBRID', 'HYBRID_EX'].map(by).filter((o) => o?.supported);
  const plain = ['RDP', 'SSL'].map(by);
  const answered = outcomes.some((o) => o.selected !== undefined || o.failureCode !== undefined);
  if (!answered) return { nla: 'unknown', reason: 'no probe got a Connection Confirm' };
  const demanded = plain.filter((o) => o?.failureCode === 5).map((o) => o!.protocol);
  if (nla.length === 0 && demanded.length) {
    return { nla: 'required', reason: `the server answers HYBRID_REQUIRED_BY_SERVER to ${demanded.join(' and ')}, yet selected neither HYBRID nor HYBRID_EX when offered (inconsistent server)` };
  }
  if (nla.length === 0) return { nla: 'not supported', reason: 'no request offering CredSSP got HYBRID or HYBRID_EX selected' };
  const open = plain.filter((o) => o?.supported).map((o) => o!.protocol);
  if (open.length) return { nla: 'supported', reason: `CredSSP is accepted, but so is ${open.join(' and ')} without it` };
  const refused = plain.map((o) => `${o?.protocol}: ${o?.failure ?? o?.selected ?? o?.error ?? 'no answer'}`).join('; ');
  return { nla: 'required', reason: `only requests offering CredSSP were accepted (${refused})` };
}

const ENUMERATION_CONCURRENCY = 2;

export async function enumerateProtocols(base: Omit<ProbeOptions, 'requestedProtocols'>): Promise<Enumeration> {
  // the Confirm (and the TLS upgrade) answers the question: no MCS phase
  // two connections at a time: xrdp's listen backlog is 2, and a third SYN is dropped and resent after 1 s
  const results: ProbeResult[] = [];
  for (let i = 0; i < PROTOCOL_PROBES.length; i += ENUMERATION_CONCURRENCY) {
    const batch = PROTOCOL_PROBES.slice(i, i + ENUMERATION_CONCURRENCY);
    results.push(...await Promise.all(batch.map((p) => probe({ ...base, noMcs: true, requestedProtocols: p.requested }))));
  }
  const outcomes = PROTOCOL_PROBES.map((p, i) => outcome(p, results[i]!));
  const { nla, reason } = nlaVerdict(outcomes);
  return { outcomes, nla, nlaReason: reason, connections: results.reduce((n, r) => n + r.connections, 0) };
}
