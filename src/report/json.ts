// JSON output. Field names are stable (documented in README "JSON output"); Uint8Array values are
// written as hex strings. Schema ids carry a version: rdpscope/<kind>/<n>.
import type { TrackerEvent } from '../analyze/events.js';
import { negotiationSummary, type NegotiationSummary } from '../analyze/summary.js';
import { tlsSummary, type TlsSummary } from '../analyze/tls-summary.js';
import { credsspSummary, type CredsspSummary } from '../analyze/credssp-summary.js';
import { rdpConnectionSummary, type RdpSummary } from '../analyze/rdp-summary.js';
import type { CertificateOptions } from '../analyze/certificate.js';
import type { Verdict } from '../analyze/verdict.js';
import { timeline, type TimelineEntry } from './timeline.js';

export const SCHEMA = {
  probe: 'rdpscope/probe/1',
  connection: 'rdpscope/connection/1',
  enumeration: 'rdpscope/enumeration/1',
  tlsEnumeration: 'rdpscope/tls-enumeration/1',
  rdpSecurityEnumeration: 'rdpscope/rdp-security-enumeration/1',
  captureIssue: 'rdpscope/capture-issue/1',
} as const;

export interface ConnectionReport {
  negotiation: NegotiationSummary;
  tls?: TlsSummary;
  credssp?: CredsspSummary;
  rdp?: RdpSummary;
  verdict: Verdict;
  timeline: TimelineEntry[];
}

export function connectionReport(events: readonly TrackerEvent[], verdict: Verdict, opts: CertificateOptions = {}): ConnectionReport {
  const tls = tlsSummary(events, opts);
  const credssp = credsspSummary(events);
  const rdp = rdpConnectionSummary(events);
  return { negotiation: negotiationSummary(events), ...(tls ? { tls } : {}), ...(credssp ? { credssp } : {}), ...(rdp ? { rdp } : {}), verdict, timeline: timeline(events) };
}

/** JSON.stringify with byte arrays as hex, bigints (NTLM FILETIMEs) as decimal strings, and no undefined members. */
export function toJson(value: unknown, pretty = false): string {
  const plain = (_k: string, v: unknown): unknown => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : typeof v === 'bigint' ? v.toString() : v);
  return JSON.stringify(value, plain, pretty ? 2 : undefined);
}
