// The ladder (sequence) diagram of one connection as inline SVG: Client and Server lifelines, one
// arrow per PDU, TCP closes and timeouts, notes for events without a direction, stage bands, and the
// point where the connection failed in red with the evidence next to it.
import type { TrackerEvent } from '../analyze/events.js';
import type { Dir } from '../analyze/input.js';
import type { Evidence, Verdict } from '../analyze/verdict.js';
import { timeline, type TimelineEntry } from './timeline.js';
import { arrowText, clip, esc, ms } from './html-util.js';

type Kind = 'arrow' | 'close' | 'timeout' | 'note';

export interface LadderRow {
  entry: TimelineEntry;
  /** the event's own time (epoch ms), to match evidence and endedBy */
  at: number;
  kind: Kind;
  /** TCP rows have no direction in the timeline; SYN, SYN/ACK and a refusing RST get one here */
  dir?: Dir;
  /** how many consecutive identical PDUs this arrow stands for */
  count: number;
  lastPacket?: number;
  evidence: Evidence[];
  /** where the connection ended: 'fail' on a failed verdict, 'end' on an undetermined one */
  mark?: 'fail' | 'end';
}

export type LadderItem = { type: 'row'; row: LadderRow } | { type: 'gap'; hidden: number };

/** Runs of this many identical PDUs or more become one arrow. */
const RUN_MIN = 3;
/** Above this many rows the middle is left out, keeping the first HEAD and last TAIL rows and the marked ones. */
const MAX_ROWS = 60;
const HEAD = 40;
const TAIL = 15;
/** endedBy values that say the observation stopped, not that the connection failed there */
const NEUTRAL_END = new Set(['probe-done', 'capture-end']);

function shape(e: TrackerEvent): { kind: Kind; dir?: Dir } {
  switch (e.type) {
    case 'pdu':
    case 'decode-error':
    case 'opaque':
      return { kind: 'arrow', dir: e.dir };
    case 'closed':
      return { kind: 'close', dir: e.dir };
    case 'tcp':
      if (e.what === 'syn') return { kind: 'arrow', dir: 'c2s' };
      if (e.what === 'syn-ack') return { kind: 'arrow', dir: 's2c' };
      if (e.what === 'refused') return { kind: 'close', dir: 's2c' };
      return { kind: e.what === 'no-answer' ? 'timeout' : 'note' };
    case 'end':
      return { kind: e.how === 'timeout' ? 'timeout' : 'note' };
    default:
      return { kind: 'note' };
  }
}

function toRows(events: readonly TrackerEvent[]): LadderRow[] {
  const t0 = events[0]?.at ?? 0;
  const rows: LadderRow[] = [];
  for (const e of events) {
    const entry = timeline([e])[0];
    if (!entry) continue;
    rows.push({ entry: { ...entry, t: Math.max(0, e.at - t0) }, at: e.at, ...shape(e), count: 1, evidence: [] });
  }
  return rows;
}

/** The row an evidence item points at: packet, direction and offset when given, else its time. */
function locate(rows: LadderRow[], ev: { packet?: number; dir?: Dir; offset?: number; at?: number }): number {
  if (ev.packet === undefined && ev.offset === undefined && ev.at === undefined) return -1;
  const byPlace = ev.packet !== undefined || ev.offset !== undefined;
  const fits = rows.flatMap((r, i) =>
    (ev.packet === undefined || r.entry.packet === ev.packet) && (ev.dir === undefined || r.dir === ev.dir)
    && (ev.offset === undefined || r.entry.offset === ev.offset) && (byPlace || r.at === ev.at) ? [i] : []);
  return fits.find((i) => rows[i]!.at === ev.at) ?? fits[0] ?? -1;
}

/** The row where the connection ended: the close, timeout, alert or answer endedBy names. */
function locateEnd(rows: LadderRow[], v: Verdict): number {
  const end = v.endedBy;
  if (!end || NEUTRAL_END.has(end.how) || (end.packet === undefined && end.at === undefined)) return -1;
  const fits = rows.flatMap((r, i) => ((end.packet !== undefined ? r.entry.packet === end.packet : r.at === end.at) ? [i] : []));
  const decisive = fits.filter((i) => rows[i]!.kind !== 'arrow' || rows[i]!.entry.level === 'error');
  return decisive.at(-1) ?? fits.at(-1) ?? -1;
}

function collapse(rows: LadderRow[]): LadderRow[] {
  const plain = (r: LadderRow) => r.kind === 'arrow' && r.entry.level === 'info' && !r.mark && r.evidence.length === 0;
  const same = (a: LadderRow, b: LadderRow) => a.dir === b.dir && a.entry.what === b.entry.what && a.entry.stage === b.entry.stage;
  const out: LadderRow[] = [];
  for (let i = 0; i < rows.length;) {
    let j = i + 1;
    if (plain(rows[i]!)) while (j < rows.length && plain(rows[j]!) && same(rows[i]!, rows[j]!)) j++;
    if (j - i >= RUN_MIN) {
      const first = rows[i]!;
      const last = rows[j - 1]!;
      const packets = first.entry.packet !== undefined && last.entry.packet !== undefined && last.entry.packet !== first.entry.packet
        ? `, packets ${first.entry.packet}-${last.entry.packet}` : '';
      out.push({ ...first, count: j - i, ...(last.entry.packet === undefined ? {} : { lastPacket: last.entry.packet }),
        entry: { ...first.entry, detail: `${j - i} in a row${packets}; the first: ${first.entry.detail}` } });
    } else out.push(...rows.slice(i, j));
    i = j;
  }
  return out;
}

function cap(rows: LadderRow[]): LadderItem[] {
  if (rows.length <= MAX_ROWS) return rows.map((row) => ({ type: 'row', row }));
  const keep = new Set<number>();
  rows.forEach((r, i) => {
    if (i < HEAD || i >= rows.length - TAIL) keep.add(i);
    if (r.mark || r.evidence.length) [i - 1, i, i + 1].forEach((k) => keep.add(k));
  });
  const out: LadderItem[] = [];
  let hidden = 0;
  rows.forEach((row, i) => {
    if (!keep.has(i)) return void hidden++;
    if (hidden) out.push({ type: 'gap', hidden });
    hidden = 0;
    out.push({ type: 'row', row });
  });
  return out;
}

/** The ladder's rows: evidence attached, the end marked, runs collapsed, long middles left out. */
export function ladderItems(events: readonly TrackerEvent[], verdict: Verdict): LadderItem[] {
  const rows = toRows(events);
  let lastEvidence = -1;
  for (const ev of verdict.evidence) {
    const i = locate(rows, ev);
    if (i < 0) continue;
    rows[i]!.evidence.push(ev);
    lastEvidence = Math.max(lastEvidence, i);
  }
  const end = locateEnd(rows, verdict);
  const at = end >= 0 ? end : lastEvidence;
  if (verdict.status !== 'ok' && at >= 0) rows[at]!.mark = verdict.status === 'failed' ? 'fail' : 'end';
  return cap(collapse(rows));
}

// ---- drawing

const W = 1160;
const TIME_X = 184;
const CX = 270;
const SX = 650;
const NOTE_X = 668;
const TOP = 46;
const ROW_H = 34;
const LINE_H = 14;
const GAP_H = 28;
/** characters that fit: arrow labels between the lifelines, details and evidence in the notes column */
const LABEL_MAX = 56;
const NOTE_MAX = 72;

function annotations(r: LadderRow, v: Verdict): { cls: string; text: string }[] {
  const own: { cls: string; text: string }[] = r.evidence.map((e) => ({ cls: e.basis, text: `${e.basis}: ${e.text}` }));
  if (r.mark && own.length === 0) own.push({ cls: 'summary', text: `${r.mark === 'fail' ? '✗ ' : ''}${v.summary}` });
  return own.map((a) => (r.mark ? { ...a, cls: `${a.cls} ${r.mark}` } : a));
}

function rowHeight(r: LadderRow, v: Verdict): number {
  return ROW_H + LINE_H * annotations(r, v).length;
}

function where(r: LadderRow): string {
  const e = r.entry;
  const pkt = e.packet === undefined ? '' : r.lastPacket !== undefined && r.lastPacket !== e.packet ? `pkt ${e.packet}-${r.lastPacket}` : `pkt ${e.packet}`;
  return [pkt, e.offset === undefined ? '' : `@${e.offset}`].filter(Boolean).join(' ');
}

function drawRow(r: LadderRow, v: Verdict, y: number, id: string): string {
  const e = r.entry;
  const cls = ['row', r.kind, e.level, r.mark ?? ''].filter(Boolean).join(' ');
  const label = `${e.what}${r.count > 1 ? ` ×${r.count}` : ''}`;
  const full = [ms(e.t), e.stage, arrowText(r.dir), `${label}${e.detail ? `: ${e.detail}` : ''}`, where(r) && `(${where(r)})`].filter(Boolean).join(' ');
  const mid = (CX + SX) / 2;
  const ay = y + 22;
  const parts = [`<title>${esc(full)}</title>`,
    `<text class="t" x="${TIME_X}" y="${y + 17}">${esc(ms(e.t))}</text>`];
  if (where(r)) parts.push(`<text class="pk" x="${TIME_X}" y="${y + 29}">${esc(where(r))}</text>`);
  if (r.kind === 'arrow' || r.kind === 'close') {
    const [x1, x2] = r.dir === 's2c' ? [SX, CX] : [CX, SX];
    const marker = r.mark ? `${id}-ah-${r.mark}` : e.level === 'info' ? `${id}-ah` : `${id}-ah-warn`;
    parts.push(`<line class="msg" x1="${x1}" y1="${ay}" x2="${x2 + (x2 > x1 ? -2 : 2)}" y2="${ay}" marker-end="url(#${marker})"/>`,
      `<text class="label" x="${mid}" y="${y + 16}">${esc(clip(label, LABEL_MAX))}</text>`);
  } else if (r.kind === 'timeout') {
    parts.push(`<line class="msg" x1="${CX}" y1="${ay}" x2="${SX}" y2="${ay}"/>`,
      `<text class="label" x="${mid}" y="${y + 16}">${esc(clip(label, LABEL_MAX))}</text>`);
  } else {
    parts.push(`<rect class="notebox" x="${CX + 12}" y="${y + 6}" width="${SX - CX - 24}" height="20" rx="4"/>`,
      `<text class="label" x="${mid}" y="${y + 20}">${esc(clip(label, LABEL_MAX))}</text>`);
  }
  if (e.detail) parts.push(`<text class="detail" x="${NOTE_X}" y="${y + 17}">${esc(clip(e.detail, NOTE_MAX))}</text>`);
  annotations(r, v).forEach((a, i) => parts.push(`<text class="ev ${a.cls}" x="${NOTE_X}" y="${y + 31 + i * LINE_H}">${esc(clip(a.text, NOTE_MAX))}</text>`));
  return `<g class="${cls}"${e.packet === undefined ? '' : ` data-packet="${e.packet}"`}>${parts.join('')}</g>`;
}

/** Stage bands behind the rows: one per run of rows in the same stage (a gap ends a band). */
function bands(items: LadderItem[], heights: number[], failed: string | undefined): string {
  const out: string[] = [];
  let y = TOP;
  let start = TOP;
  let n = 0;
  items.forEach((it, i) => {
    const stage = it.type === 'row' ? it.row.entry.stage : undefined;
    const next = items[i + 1];
    const nextStage = next?.type === 'row' ? next.row.entry.stage : undefined;
    y += heights[i]!;
    if (stage === undefined) return void (start = y);
    if (nextStage === stage) return;
    const cls = stage === failed ? 'band failed' : `band ${n++ % 2 ? 'odd' : 'even'}`;
    out.push(`<rect class="${cls}" x="0" y="${start}" width="${W}" height="${y - start}"/>`,
      `<text class="stage" x="8" y="${start + 16}">${esc(stage || '-')}${stage === failed ? ' ✗' : ''}</text>`);
    start = y;
  });
  return out.join('');
}

/** The SVG for one connection; `id` makes the marker ids unique in the page. */
export function renderLadder(events: readonly TrackerEvent[], verdict: Verdict, id: string): string {
  const items = ladderItems(events, verdict);
  const heights = items.map((it) => (it.type === 'gap' ? GAP_H : rowHeight(it.row, verdict)));
  const height = TOP + heights.reduce((a, b) => a + b, 0) + 12;
  const arrows = items.filter((it) => it.type === 'row' && it.row.kind !== 'note').length;
  let y = TOP;
  const body = items.map((it, i) => {
    const at = y;
    y += heights[i]!;
    if (it.type === 'row') return drawRow(it.row, verdict, at, id);
    return `<g class="gap"><text class="label" x="${(CX + SX) / 2}" y="${at + 18}">⋯ ${it.hidden} more not drawn (all are in the timeline table)</text></g>`;
  }).join('');
  const marker = (suffix: string, cls: string) =>
    `<marker id="${id}-ah${suffix}" class="${cls}" viewBox="0 0 10 10" refX="10" refY="5" markerUnits="userSpaceOnUse" markerWidth="9" markerHeight="9" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z"/></marker>`;
  const head = (x: number, name: string) =>
    `<rect class="head" x="${x - 55}" y="6" width="110" height="26" rx="4"/><text class="headtext" x="${x}" y="24">${name}</text>`;
  return `<svg class="ladder" viewBox="0 0 ${W} ${height}" width="${W}" height="${height}" role="img" aria-label="${esc(`sequence diagram: ${arrows} messages`)}" data-arrows="${arrows}">`
    + `<defs>${marker('', 'ah')}${marker('-warn', 'ah-warn')}${marker('-fail', 'ah-fail')}${marker('-end', 'ah-end')}</defs>`
    + bands(items, heights, verdict.failedStage)
    + `<line class="life" x1="${CX}" y1="32" x2="${CX}" y2="${height - 6}"/><line class="life" x1="${SX}" y1="32" x2="${SX}" y2="${height - 6}"/>`
    + head(CX, 'Client') + head(SX, 'Server') + body + '</svg>';
}
