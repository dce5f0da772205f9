// Sortable tables of the HTML report: the scan table (one row per host) and the index of a
// multi-connection page. Each cell can carry data-sort, the key the inline script sorts by.
import type { Verdict } from '../analyze/verdict.js';
import { STAGES } from '../analyze/stages.js';
import { badge, esc } from './html-util.js';

/** One scanned host, as the scan command hands it to the HTML report. */
export interface ScanRow {
  target: string;
  /** the address connected to (absent when the name did not resolve) */
  address?: string;
  port: number;
  status: Verdict['status'];
  row?: { id: number; title: string };
  /** the stage it failed at (or the last it reached) */
  stage?: string;
  summary: string;
  /** true/false, or the scan's NLA state word (required, selected, absent, unknown) */
  nla?: boolean | string;
  /** the leaf certificate's notAfter, ISO 8601 */
  certNotAfter?: string;
}

interface Cell {
  html: string;
  sort?: string | number;
  cls?: string;
}

const STATUS_ORDER: Record<Verdict['status'], number> = { failed: 0, undetermined: 1, ok: 2 };

const cell = (text: string | undefined, sort?: string | number): Cell => ({ html: esc(text ?? ''), ...(sort === undefined ? {} : { sort }) });
const statusCell = (s: Verdict['status']): Cell => ({ html: badge(s), sort: STATUS_ORDER[s] });
const rowCell = (r: ScanRow['row']): Cell => (r ? { html: `${r.id}: ${esc(r.title)}`, sort: r.id } : { html: '', sort: 1e9 });
/** stages sort in connection order; unknown names after them */
const stageCell = (s: string | undefined): Cell => {
  const i = STAGES.indexOf(s as (typeof STAGES)[number]);
  return { html: esc(s ?? ''), sort: s === undefined ? 1e9 : i < 0 ? 1e8 : i };
};

function table(cls: string, headers: string[], rows: Cell[][]): string {
  const th = headers.map((h) => `<th scope="col">${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td${c.sort === undefined ? '' : ` data-sort="${esc(c.sort)}"`}${c.cls ? ` class="${c.cls}"` : ''}>${c.html}</td>`).join('')}</tr>`).join('\n');
  return `<table class="sortable ${cls}"><thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

function nlaCell(nla: ScanRow['nla']): Cell {
  if (nla === undefined) return cell('');
  return cell(typeof nla === 'boolean' ? (nla ? 'yes' : 'no') : nla);
}

/** Certificate expiry, flagged when it is before the report's time. */
function expiryCell(notAfter: string | undefined, generatedAt: string): Cell {
  if (!notAfter) return cell('', '');
  const expired = Date.parse(notAfter) < Date.parse(generatedAt);
  return { html: `${esc(notAfter)}${expired ? ' <span class="expired">expired</span>' : ''}`, sort: notAfter, ...(expired ? { cls: 'bad' } : {}) };
}

export function renderScanTable(rows: readonly ScanRow[], generatedAt: string): string {
  const endpoint = (r: ScanRow) => `${r.address && r.address.includes(':') ? `[${r.address}]` : r.address ?? ''}:${r.port}`;
  return table('scan', ['target', 'address', 'status', 'row', 'stage', 'summary', 'NLA', 'certificate expiry'], rows.map((r) => [
    cell(r.target), cell(endpoint(r)), statusCell(r.status), rowCell(r.row), stageCell(r.stage), cell(r.summary), nlaCell(r.nla), expiryCell(r.certNotAfter, generatedAt),
  ]));
}

export interface IndexRow {
  anchor: string;
  heading: string;
  verdict: Verdict;
}

/** The multi-connection page's index: one row per connection, linking to its section. */
export function renderConnectionIndex(rows: readonly IndexRow[]): string {
  return table('index', ['#', 'connection', 'status', 'row', 'stage', 'summary'], rows.map((r, i) => [
    { html: String(i + 1), sort: i + 1 },
    { html: `<a href="#${esc(r.anchor)}">${esc(r.heading)}</a>`, sort: r.heading },
    statusCell(r.verdict.status), rowCell(r.verdict.row), stageCell(r.verdict.failedStage ?? r.verdict.stagesReached.at(-1)), cell(r.verdict.summary),
  ]));
}

/**
 * Click (or Enter/Space on) a header to sort by that column, again to reverse. Keys are data-sort
 * when present, else the cell text; numbers compare as numbers. Marks each wired table with
 * data-sort-ready so a test can tell the script ran.
 */
export const SORT_SCRIPT = `(function () {
  function key(row, col) {
    var c = row.cells[col];
    var v = c.hasAttribute('data-sort') ? c.getAttribute('data-sort') : c.textContent.trim();
    return v !== '' && !isNaN(Number(v)) ? Number(v) : v;
  }
  function sort(table, th, col) {
    var asc = th.getAttribute('aria-sort') !== 'ascending';
    table.querySelectorAll('th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    th.setAttribute('aria-sort', asc ? 'ascending' : 'descending');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a, col), y = key(b, col);
      var d = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
      return asc ? d : -d;
    });
    rows.forEach(function (r) { body.appendChild(r); });
  }
  document.querySelectorAll('table.sortable').forEach(function (table) {
    table.querySelectorAll('th').forEach(function (th, col) {
      th.tabIndex = 0;
      th.addEventListener('click', function () { sort(table, th, col); });
      th.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); sort(table, th, col); }
      });
    });
    table.setAttribute('data-sort-ready', 'yes');
  });
})();`;
