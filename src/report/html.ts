// Self-contained HTML report: inline CSS and one small inline script (table sorting), no external
// resources, and a Content-Security-Policy that allows only those two. Pure: the same input gives the same page (the time is passed in). Every string from the
// input, the wire or the server goes through esc().
import { createHash } from 'node:crypto';
import type { TrackerEvent } from '../analyze/events.js';
import type { Verdict } from '../analyze/verdict.js';
import { connectionReport, type ConnectionReport } from './json.js';
import { renderLadder } from './html-ladder.js';
import { renderConnectionIndex, renderScanTable, SORT_SCRIPT, type ScanRow } from './html-table.js';
import { renderFacts, renderTimelineTable, renderVerdictBlock } from './html-verdict.js';
import { badge, esc } from './html-util.js';

export type { ScanRow } from './html-table.js';

export interface HtmlConnection {
  /** what the text report prints as the connection's title (probe target, or file #n and flow) */
  heading: string;
  events: readonly TrackerEvent[];
  verdict: Verdict;
  /** connectionReport(events, verdict, certificate options); computed without options when absent */
  report?: ConnectionReport;
}

export interface HtmlReportInput {
  title: string;
  /** ISO time printed in the page and used to flag expired certificates in the scan table */
  generatedAt: string;
  connections: readonly HtmlConnection[];
  scan?: readonly ScanRow[];
}

const CSS = `
:root { --ok: #1a7f37; --failed: #cf222e; --undetermined: #9a6700; --muted: #57606a; --line: #d0d7de; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: #1f2328; margin: 0 auto; padding: 16px 24px 48px; max-width: 1200px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 0 0 6px; word-break: break-all; } h3 { font-size: 15px; margin: 16px 0 6px; } h4 { font-size: 14px; margin: 14px 0 4px; }
.muted, .meta { color: var(--muted); }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; letter-spacing: .03em; }
.badge.ok { background: var(--ok); } .badge.failed { background: var(--failed); } .badge.undetermined { background: var(--undetermined); }
section.connection { border-top: 2px solid var(--line); margin-top: 28px; padding-top: 14px; }
.summary-line { font-size: 15px; margin: 4px 0 10px; }
.diagram { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
svg.ladder { display: block; max-width: 100%; height: auto; font: 12px system-ui, sans-serif; }
svg .band.even { fill: #f6f8fa; } svg .band.odd { fill: #fff; } svg .band.failed { fill: #ffebe9; }
svg .stage { font-weight: 600; fill: #424a53; }
svg .life { stroke: #8c959f; stroke-width: 1.5; stroke-dasharray: 4 3; }
svg .head { fill: #24292f; } svg .headtext { fill: #fff; font-weight: 600; text-anchor: middle; }
svg .t, svg .pk { text-anchor: end; fill: var(--muted); } svg .pk { font-size: 10px; }
svg .label { text-anchor: middle; fill: #1f2328; }
svg .detail { fill: var(--muted); font: 11px ui-monospace, monospace; }
svg .msg { stroke: #0969da; stroke-width: 1.6; }
svg .ah { fill: #0969da; } svg .ah-warn { fill: #bf8700; } svg .ah-fail { fill: var(--failed); } svg .ah-end { fill: var(--undetermined); }
svg .close .msg, svg .timeout .msg { stroke-dasharray: 6 4; }
svg .warn .msg, svg .error .msg { stroke: #bf8700; }
svg .notebox { fill: #fff; stroke: #afb8c1; }
svg .warn .notebox { stroke: #bf8700; } svg .error .notebox { stroke: var(--failed); }
svg .fail .msg { stroke: var(--failed); stroke-width: 2.5; } svg .fail .label { fill: var(--failed); font-weight: 700; }
svg .end .msg { stroke: var(--undetermined); stroke-width: 2.5; } svg .end .label { fill: var(--undetermined); font-weight: 700; }
svg .fail .notebox { stroke: var(--failed); stroke-width: 2; } svg .end .notebox { stroke: var(--undetermined); stroke-width: 2; }
svg .ev { font: italic 11px system-ui, sans-serif; fill: #0550ae; } svg .ev.inferred { fill: #8250df; }
svg .ev.fail { fill: var(--failed); font-weight: 600; } svg .ev.end { fill: var(--undetermined); font-weight: 600; }
svg .gap .label { fill: var(--muted); font-style: italic; }
.verdict { border-left: 4px solid var(--line); padding: 2px 0 2px 14px; margin-top: 14px; }
.verdict.failed { border-color: var(--failed); } .verdict.ok { border-color: var(--ok); } .verdict.undetermined { border-color: var(--undetermined); }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; } dt { color: var(--muted); } dd { margin: 0; }
.basis { display: inline-block; min-width: 64px; font-size: 12px; font-weight: 600; } .basis.observed { color: #0550ae; } .basis.inferred { color: #8250df; }
.where { color: var(--muted); }
code, pre { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; } code { color: var(--muted); word-break: break-all; }
pre { background: #f6f8fa; padding: 8px; overflow-x: auto; }
.findings .sev { font-weight: 600; } .findings .warning .sev, .findings .error .sev { color: var(--failed); }
details { margin-top: 10px; } summary { cursor: pointer; color: #0969da; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; font-size: 13px; }
th, td { border-bottom: 1px solid var(--line); padding: 4px 8px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; cursor: pointer; user-select: none; white-space: nowrap; }
th[aria-sort=ascending]::after { content: " ▲"; } th[aria-sort=descending]::after { content: " ▼"; }
tr.error td { color: var(--failed); } tr.warn td { color: #9a6700; }
td.bad, .expired { color: var(--failed); font-weight: 600; }
`;

/** Only the page's own style and script may run: an injection that slipped past esc() would be inert. */
const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
const CSP = `default-src 'none'; style-src ${sha256(CSS)}; script-src ${sha256(SORT_SCRIPT)}; base-uri 'none'; form-action 'none'`;

function counts(verdicts: readonly Verdict['status'][]): string {
  const n = (s: Verdict['status']) => verdicts.filter((v) => v === s).length;
  return `${n('ok')} ok, ${n('failed')} failed, ${n('undetermined')} undetermined`;
}

function renderConnection(c: HtmlConnection, index: number): string {
  const id = `conn-${index + 1}`;
  const report = c.report ?? connectionReport(c.events, c.verdict);
  const v = c.verdict;
  return `<section class="connection" id="${id}"><h2>${esc(c.heading)}</h2>`
    + `<p class="summary-line">${badge(v.status)}${v.failedStage ? ` <strong>at ${esc(v.failedStage)}</strong>` : ''} ${esc(v.summary)}</p>`
    + `<div class="diagram">${renderLadder(c.events, v, id)}</div>`
    + renderVerdictBlock(v) + renderFacts(report) + renderTimelineTable(report) + '</section>';
}

/** The whole page: a scan table and/or an index when there are several connections, then each connection. */
export function renderHtmlReport(input: HtmlReportInput): string {
  const { connections, scan } = input;
  const parts: string[] = [];
  if (scan) parts.push(`<section class="scan"><h2>Scan: ${scan.length} host${scan.length === 1 ? '' : 's'}, ${counts(scan.map((r) => r.status))}</h2>`
    + `<p class="muted">Click a column header to sort.</p>${renderScanTable(scan, input.generatedAt)}</section>`);
  if (connections.length > 1) parts.push(`<section class="index"><h2>${connections.length} connections, ${counts(connections.map((c) => c.verdict.status))}</h2>`
    + renderConnectionIndex(connections.map((c, i) => ({ anchor: `conn-${i + 1}`, heading: c.heading, verdict: c.verdict }))) + '</section>');
  parts.push(...connections.map(renderConnection));
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(input.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(input.title)}</h1><p class="meta">rdpscope report, generated ${esc(input.generatedAt)}</p></header>
${parts.join('\n')}
<script>${SORT_SCRIPT}</script>
</body>
</html>
`;
}
