// JSON output. Field names are stable (documented in README "JSON output"); Uint8Array values are
// written as hex strings. Schema ids carry a version: rdpscope/<kind>/<n>.
import type { TrackerEvent } from '../analyze/events.js';
import { collectFacts } from '../analyze/facts.js';
import { negotiationOf, type NegotiationSummary } from '../analyze/summary.js';
import { tlsSummaryOf, type TlsSummary } from '../analyze/tls-summary.js';
import { credsspFacts, type CredsspSummary } from '../analyze/credssp-summary.js';
import { rdpSummary, type RdpSummary } from '../analyze/rdp-summary.js';
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
  // one fold of the events for every summary (none of them writes to the facts)
  const f = collectFacts(events);
  const tls = tlsSummaryOf(f, opts);
  const credssp = credsspFacts(f);
  const rdp = rdpSummary(f);
  const report = { negotiation: negotiationOf(f) } as ConnectionReport;
  if (tls) report.tls = tls;
  if (credssp) report.credssp = credssp;
  if (rdp) report.rdp = rdp;
  report.verdict = verdict;
  report.timeline = timeline(events);
  return report;
}

/** JSON.stringify with byte arrays as hex, bigints (NTLM FILETIMEs) as decimal strings, and no undefined members. */
export function toJson(value: unknown, pretty = false): string {
  // the same text as JSON.stringify(value, replacer) with a replacer turning byte arrays and bigints
  // into strings, but the replacer runs in plainOf() first, so JSON.stringify keeps its fast path
  return JSON.stringify(plainOf(value, '', false), undefined, pretty ? 2 : undefined);
}

/**
 * `v` with every Uint8Array written as hex and every bigint as decimal, in the order JSON.stringify
 * visits them (toJSON() first, then the replacement); objects and arrays without any are returned as
 * they are, the others copied (own enumerable keys in order, as JSON.stringify reads them).
 */
function plainOf(v: unknown, key: string, fromToJson: boolean): unknown {
  if (typeof v === 'bigint') return v.toString();
  if (v === null || typeof v !== 'object') return v;
  if (!fromToJson && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    const r = (v as { toJSON(k: string): unknown }).toJSON(key);
    const p = plainOf(r, key, true);
    return p === r ? v : p;
  }
  if (v instanceof Uint8Array) return Buffer.from(v).toString('hex');
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const x: unknown = v[i];
      const p = x !== null && (typeof x === 'object' || typeof x === 'bigint') ? plainOf(x, String(i), false) : x;
      if (out === undefined && p !== x) out = v.slice(0, i);
      if (out !== undefined) out.push(p);
    }
    return out ?? v;
  }
  const o = v as Record<string, unknown>;
  const keys = Object.keys(o);
  let out: Record<string, unknown> | undefined;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const x = o[k];
    const p = x !== null && (typeof x === 'object' || typeof x === 'bigint') ? plainOf(x, k, false) : x;
    if (out === undefined && p !== x) {
      out = {};
      for (let j = 0; j < i; j++) out[keys[j]!] = o[keys[j]!];
    }
    if (out !== undefined) out[k] = p;
  }
  return out ?? v;
}
