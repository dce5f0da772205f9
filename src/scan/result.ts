// One scanned target as an NDJSON record (rdpscope/scan-result/1): fields picked from the probe's
// connection report (src/report/json.ts), under the same names, so a scan line reads like a short probe.
import type { ProbeResult } from '../probe/live.js';
import type { Verdict } from '../analyze/verdict.js';
import type { NegotiationSummary } from '../analyze/summary.js';
import { connectionReport } from '../report/json.js';
import { PROTOCOL } from '../x224/codes.js';

export const SCAN_SCHEMA = {
  result: 'rdpscope/scan-result/1',
  summary: 'rdpscope/scan-summary/1',
} as const;

/**
 * NLA from the X.224 negotiation: `required` (RDP_NEG_FAILURE HYBRID_REQUIRED_BY_SERVER), `selected`
 * (the server chose HYBRID or HYBRID_EX among those offered), `absent` (it chose RDP or SSL, or
 * answered without negotiation data), `unknown` (no Confirm, or another answer).
 */
export type NlaState = 'required' | 'selected' | 'absent' | 'unknown';

export interface ScanResult {
  schema: typeof SCAN_SCHEMA.result;
  /** host name or address as expanded from the target list */
  target: string;
  /** the address connected to (absent when the name did not resolve) */
  address?: string;
  port: number;
  startedAt: string;
  durationMs: number;
  nla: NlaState;
  negotiation: NegotiationSummary;
  tls?: {
    handshake: string;
    version?: string;
    /** the leaf; `findings` are the codes of the chain's findings (expired, expiring-soon, name-mismatch...) */
    certificate?: { subject?: string; notAfter: string; trust: string; findings: string[] };
  };
  verdict: Pick<Verdict, 'status' | 'summary' | 'cause' | 'row' | 'failedStage' | 'lastCompletedStage' | 'endedBy' | 'clientShows' | 'findings'>;
}

export function nlaState(n: NegotiationSummary): NlaState {
  if (n.failureCode?.code === 5) return 'required';
  const p = n.selectedProtocol?.raw;
  if (p === PROTOCOL.HYBRID || p === PROTOCOL.HYBRID_EX) return 'selected';
  if (p === PROTOCOL.RDP || p === PROTOCOL.SSL) return 'absent';
  return 'unknown';
}

/** Members left undefined are left out of the JSON (toJson). */
export function scanResult(r: ProbeResult): ScanResult {
  const report = connectionReport(r.events, r.verdict, r.diagnose);
  const v = r.verdict;
  const t = report.tls;
  const leaf = t?.certificate?.chain[0];
  return {
    schema: SCAN_SCHEMA.result,
    target: r.target.host,
    address: r.target.address,
    port: r.target.port,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: Math.round(r.durationMs * 10) / 10,
    nla: nlaState(report.negotiation),
    negotiation: report.negotiation,
    tls: t && {
      handshake: t.handshake,
      version: t.version,
      certificate: leaf && {
        subject: leaf.subjectCN, notAfter: leaf.notAfter, trust: t.certificate!.trust,
        findings: [...new Set(t.certificate!.findings.map((f) => f.code))],
      },
    },
    verdict: {
      status: v.status, summary: v.summary, cause: v.cause, row: v.row, failedStage: v.failedStage,
      lastCompletedStage: v.lastCompletedStage, endedBy: v.endedBy, clientShows: v.clientShows, findings: v.findings,
    },
  };
}
