// Compact human report: one timeline per connection, then the verdict with evidence and remedy.
import type { TrackerEvent } from '../analyze/events.js';
import type { Verdict } from '../analyze/verdict.js';
import { style, type Style } from './style.js';
import { arrowText, ms, timeline, type TimelineEntry } from './timeline.js';
import { collectFacts } from '../analyze/facts.js';
import { tlsSummaryOf } from '../analyze/tls-summary.js';
import type { CertificateOptions } from '../analyze/certificate.js';
import { renderTls } from './tls-text.js';
import { credsspFacts } from '../analyze/credssp-summary.js';
import { renderCredssp } from './credssp-text.js';
import { STAGES } from '../analyze/stages.js';
import { rdpSummary } from '../analyze/rdp-summary.js';
import { renderRdp } from './rdp-text.js';

export interface TextOptions {
  color: boolean;
  /** include the first bytes of each PDU */
  bytes?: boolean;
  /** names and trust anchors for the certificate check */
  certificate?: CertificateOptions;
}

function arrow(e: TimelineEntry): string {
  return arrowText(e.dir) || '   ';
}

function line(e: TimelineEntry, s: Style, bytes: boolean): string {
  const where = [e.packet !== undefined ? `pkt ${e.packet}` : '', e.offset !== undefined ? `@${e.offset}` : ''].filter(Boolean).join(' ');
  const paint = e.level === 'error' ? s.red : e.level === 'warn' ? s.yellow : (x: string) => x;
  const head = `  ${s.dim(ms(e.t).padStart(10))}  ${e.stage.padEnd(11)} ${arrow(e)}  ${paint(e.what)}`;
  const out = [e.detail ? `${head}: ${e.detail}` : head, where ? s.dim(`(${where})`) : ''].filter(Boolean).join(' ');
  return bytes && e.bytes ? `${out}\n${' '.repeat(31)}${s.dim(e.bytes)}` : out;
}

function statusWord(v: Verdict, s: Style): string {
  if (v.status === 'ok') return s.green(s.bold('OK'));
  if (v.status === 'failed') return s.red(s.bold(`FAILED at ${v.failedStage}`));
  return s.yellow(s.bold('UNDETERMINED'));
}

export function renderVerdict(v: Verdict, s: Style): string[] {
  const out: string[] = [];
  out.push(`  ${statusWord(v, s)}  ${v.summary}`);
  if (v.row) out.push(`  ${s.dim('catalogue')}  row ${v.row.id}: ${v.row.title}`);
  if (v.cause) out.push(`  ${s.dim('cause')}      ${v.cause}`);
  const reached = v.stagesReached.join(' → ') || '-';
  out.push(`  ${s.dim('stages')}     ${reached}${v.lastCompletedStage ? ` (last completed: ${v.lastCompletedStage})` : ''}`);
  if (v.endedBy) {
    const pkt = v.endedBy.packet !== undefined ? `, packet ${v.endedBy.packet}` : '';
    out.push(`  ${s.dim('ended by')}   ${v.endedBy.who} (${v.endedBy.how}${pkt})`);
  }
  if (v.evidence.length) {
    out.push(`  ${s.dim('evidence')}`);
    for (const e of v.evidence) {
      const dir = e.dir ? `${arrowText(e.dir)} ` : '';
      const where = [e.packet !== undefined ? `packet ${e.packet}` : '', e.offset !== undefined ? `${dir}byte ${e.offset}` : ''].filter(Boolean).join(', ');
      out.push(`    ${e.basis === 'observed' ? s.cyan('observed') : s.yellow('inferred')}  ${e.text}${where ? s.dim(` [${where}]`) : ''}`);
      if (e.bytes) out.push(`              ${s.dim(e.bytes)}`);
    }
  }
  if (v.clientShows) {
    const c = v.clientShows;
    const code = [c.code && `error code ${c.code}${c.codeName ? ` ${c.codeName}` : ''}`, c.extended && `extended ${c.extended}${c.extendedName ? ` ${c.extendedName}` : ''}`].filter(Boolean).join(', ');
    out.push(`  ${s.dim('client shows')} ${code ? `${s.bold(code)}: ` : ''}${c.text} ${s.dim(`(${c.basis}: ${c.why})`)}`);
  }
  for (const f of v.findings) out.push(`  ${f.severity === 'info' ? s.dim('note') : s.yellow(f.severity)}  ${f.text}${f.row ? s.dim(` (row ${f.row})`) : ''}`);
  if (v.remedy.length) {
    out.push(`  ${s.dim('remedy')}`);
    v.remedy.forEach((r, i) => out.push(`    ${i + 1}. ${r}`));
  }
  const last = v.stagesReached.at(-1);
  if (last && STAGES.indexOf(last) > STAGES.indexOf(v.analysedThrough) && v.status !== 'failed') {
    out.push(s.dim(`  (this version decodes stages up to ${v.analysedThrough}; later stages are tracked, not decoded)`));
  }
  return out;
}

export function renderConnection(title: string, events: readonly TrackerEvent[], verdict: Verdict, opts: TextOptions): string {
  const s = style(opts.color);
  // one fold of the events for every summary, as connectionReport() does
  const f = collectFacts(events);
  const tls = tlsSummaryOf(f, opts.certificate);
  const credssp = credsspFacts(f);
  const rdp = rdpSummary(f);
  const lines = [s.bold(title), ...timeline(events).map((e) => line(e, s, opts.bytes ?? false)), '',
    ...(tls ? renderTls(tls, s) : []), ...(credssp ? renderCredssp(credssp, s) : []), ...(rdp ? renderRdp(rdp, s) : []), ...renderVerdict(verdict, s)];
  return `${lines.join('\n')}\n`;
}
