// The closing summary of a scan (rdpscope/scan-summary/1): targets per verdict status and per
// catalogue row, NLA per negotiation outcome, certificates expired or expiring; and the one-line
// text form of each result.
import type { Style } from '../report/style.js';
import { catalogueRow } from '../analyze/catalogue.js';
import { SCAN_SCHEMA, type NlaState, type ScanResult } from './result.js';
import { formatTarget } from '../cli/target.js';

export interface ScanSummary {
  schema: typeof SCAN_SCHEMA.summary;
  targets: number;
  durationMs: number;
  status: Record<ScanResult['verdict']['status'], number>;
  /** failure-catalogue rows, by id: targets whose verdict or one of its findings names the row */
  rows: { id: number; title: string; targets: number }[];
  nla: Record<NlaState, number>;
  /** targets whose certificate chain has an expired or an expiring-soon (--expiry-warning) certificate */
  certificates: { expired: number; expiringSoon: number; expiryWarningDays: number };
}

export class ScanTally {
  private readonly status = { ok: 0, failed: 0, undetermined: 0 };
  private readonly rows = new Map<number, { id: number; title: string; targets: number }>();
  private readonly nla = { required: 0, selected: 0, absent: 0, unknown: 0 };
  private readonly certificates = { expired: 0, expiringSoon: 0 };
  private targets = 0;

  constructor(private readonly expiryWarningDays: number) {}

  add(r: ScanResult): void {
    this.targets++;
    this.status[r.verdict.status]++;
    const rows = new Map<number, string>();
    if (r.verdict.row) rows.set(r.verdict.row.id, r.verdict.row.title);
    for (const f of r.verdict.findings) if (f.row !== undefined && !rows.has(f.row)) rows.set(f.row, catalogueRow(f.row)?.title ?? '');
    for (const [id, title] of rows) {
      const seen = this.rows.get(id) ?? { id, title, targets: 0 };
      seen.targets++;
      this.rows.set(id, seen);
    }
    this.nla[r.nla]++;
    const findings = r.tls?.certificate?.findings ?? [];
    if (findings.includes('expired')) this.certificates.expired++;
    if (findings.includes('expiring-soon')) this.certificates.expiringSoon++;
  }

  summary(durationMs: number): ScanSummary {
    return {
      schema: SCAN_SCHEMA.summary,
      targets: this.targets,
      durationMs: Math.round(durationMs),
      status: { ...this.status },
      rows: [...this.rows.values()].sort((a, b) => a.id - b.id),
      nla: { ...this.nla },
      certificates: { ...this.certificates, expiryWarningDays: this.expiryWarningDays },
    };
  }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

export function renderSummary(s: ScanSummary, st: Style): string {
  const lines = [
    st.bold(`${plural(s.targets, 'target')} in ${(s.durationMs / 1000).toFixed(1)} s: `
      + `${s.status.ok} ok, ${s.status.failed} failed, ${s.status.undetermined} undetermined`),
    ...s.rows.map((r) => `  row ${String(r.id).padStart(2)}  ${String(r.targets).padStart(6)}  ${r.title}`),
    `  NLA     ${s.nla.required} required (HYBRID_REQUIRED_BY_SERVER), ${s.nla.selected} selected (HYBRID/HYBRID_EX), `
      + `${s.nla.absent} absent (RDP/SSL), ${s.nla.unknown} unknown (no negotiation)`,
    `  certificates  ${s.certificates.expired} expired, ${s.certificates.expiringSoon} expiring within ${plural(s.certificates.expiryWarningDays, 'day')}`,
  ];
  return `${lines.join('\n')}\n`;
}

const STATUS_WIDTH = 'undetermined'.length;
const TARGET_WIDTH = '255.255.255.255:65535'.length;

/** status, HOST:PORT, stage, row, cause (or summary), on one line. */
export function renderResultLine(r: ScanResult, st: Style): string {
  const v = r.verdict;
  const paint = v.status === 'ok' ? st.green : v.status === 'failed' ? st.red : st.yellow;
  const where = formatTarget(r.target, r.port);
  const stage = v.failedStage ?? v.lastCompletedStage ?? '-';
  const row = v.row ? `row ${v.row.id}` : '-';
  const expiry = r.tls?.certificate?.findings.includes('expiring-soon') ? st.yellow(` [certificate expires ${r.tls.certificate.notAfter}]`) : '';
  return `${paint(v.status.padEnd(STATUS_WIDTH))}  ${where.padEnd(TARGET_WIDTH)}  ${stage.padEnd(17)}  ${row.padEnd(6)}  ${v.cause ?? v.summary}${expiry}\n`;
}
