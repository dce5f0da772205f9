// The blocks under a connection's ladder: the verdict (stage, cause, evidence), what a Windows client
// shows, the catalogue row's explanation, remedy and findings; then the session facts and the full
// timeline, folded.
import type { Evidence, Verdict } from '../analyze/verdict.js';
import { catalogueRow } from '../analyze/catalogue.js';
import { STAGES } from '../analyze/stages.js';
import type { ConnectionReport } from './json.js';
import { renderTls } from './tls-text.js';
import { renderCredssp } from './credssp-text.js';
import { renderRdp } from './rdp-text.js';
import { style } from './style.js';
import { arrowText, esc, ms } from './html-util.js';

const item = (term: string, html: string) => `<dt>${esc(term)}</dt><dd>${html}</dd>`;

function evidenceItem(e: Evidence): string {
  const place = [e.packet !== undefined ? `packet ${e.packet}` : '', e.offset !== undefined ? `${arrowText(e.dir)} byte ${e.offset}`.trim() : e.dir ? arrowText(e.dir) : '']
    .filter(Boolean).join(', ');
  return `<li class="${e.basis}"><span class="basis ${e.basis}">${e.basis}</span> ${esc(e.text)}`
    + `${place ? ` <span class="where">[${esc(place)}]</span>` : ''}${e.bytes ? `<br><code>${esc(e.bytes)}</code>` : ''}</li>`;
}

function clientShows(v: Verdict): string {
  const c = v.clientShows;
  if (!c) return '';
  const code = [c.code && `error code ${c.code}${c.codeName ? ` ${c.codeName}` : ''}`, c.extended && `extended ${c.extended}${c.extendedName ? ` ${c.extendedName}` : ''}`]
    .filter(Boolean).join(', ');
  return `<h4>What a Windows client shows</h4><p class="client-shows">${code ? `<strong>${esc(code)}</strong>: ` : ''}${esc(c.text)}`
    + ` <span class="muted">(${esc(c.basis)}: ${esc(c.why)})</span></p>`;
}

function catalogue(v: Verdict): string {
  if (!v.row) return '';
  const row = catalogueRow(v.row.id);
  const head = `<h4>Catalogue row ${v.row.id}: ${esc(v.row.title)}</h4>`;
  if (!row) return head;
  return `${head}<p class="catalogue">What rdpscope observes for this row: ${esc(row.signature)}.</p>`
    + `<p>Usual causes:</p><ul class="causes">${row.causes.map((c) => `<li>${esc(c)}</li>`).join('')}</ul>`;
}

export function renderVerdictBlock(v: Verdict): string {
  const stopped = v.failedStage ?? (v.status === 'ok' ? 'no stage failed' : 'not determined');
  const ended = v.endedBy ? `${v.endedBy.who} (${v.endedBy.how}${v.endedBy.packet !== undefined ? `, packet ${v.endedBy.packet}` : ''})` : '';
  const last = v.stagesReached.at(-1);
  const partial = last && STAGES.indexOf(last) > STAGES.indexOf(v.analysedThrough) && v.status !== 'failed'
    ? `<p class="muted">This version decodes stages up to ${esc(v.analysedThrough)}; later stages are tracked, not decoded.</p>` : '';
  return `<div class="verdict ${v.status}"><h3>Verdict</h3><dl>`
    + item('stopped at', `<strong>${esc(stopped)}</strong>`)
    + item('stages', `${esc(v.stagesReached.join(' → ') || '-')}${v.lastCompletedStage ? ` <span class="muted">(last completed: ${esc(v.lastCompletedStage)})</span>` : ''}`)
    + (ended ? item('ended by', esc(ended)) : '')
    + (v.row ? item('catalogue', esc(`row ${v.row.id}: ${v.row.title}`)) : '')
    + (v.cause ? item('cause', esc(v.cause)) : '')
    + '</dl>'
    + (v.evidence.length ? `<h4>Evidence</h4><ol class="evidence">${v.evidence.map(evidenceItem).join('')}</ol>` : '')
    + clientShows(v)
    + catalogue(v)
    + (v.remedy.length ? `<h4>Remedy</h4><ol class="remedy">${v.remedy.map((r) => `<li>${esc(r)}</li>`).join('')}</ol>` : '')
    + (v.findings.length ? `<h4>Findings</h4><ul class="findings">${v.findings.map((f) => `<li class="${f.severity}"><span class="sev">${f.severity}</span> ${esc(f.text)}${f.row ? ` <span class="muted">(row ${f.row})</span>` : ''}</li>`).join('')}</ul>` : '')
    + partial + '</div>';
}

/** TLS, CredSSP and RDP facts as the text report prints them, folded. */
export function renderFacts(r: ConnectionReport): string {
  const s = style(false);
  const lines = [...(r.tls ? renderTls(r.tls, s) : []), ...(r.credssp ? renderCredssp(r.credssp, s) : []), ...(r.rdp ? renderRdp(r.rdp, s) : [])];
  return lines.length ? `<details class="facts"><summary>Session details</summary><pre>${esc(lines.join('\n'))}</pre></details>` : '';
}

export function renderTimelineTable(r: ConnectionReport): string {
  const rows = r.timeline.map((e) => `<tr class="${e.level}"><td data-sort="${e.t}">${esc(ms(e.t))}</td><td>${e.packet ?? ''}</td><td>${esc(e.stage)}</td>`
    + `<td>${arrowText(e.dir)}</td><td>${esc(e.what)}</td><td>${esc(e.detail)}${e.bytes ? `<br><code>${esc(e.bytes)}</code>` : ''}</td><td>${e.offset ?? ''}</td></tr>`);
  return `<details class="timeline"><summary>Timeline (${r.timeline.length} entries)</summary>`
    + `<table class="sortable timeline"><thead><tr><th scope="col">t</th><th scope="col">pkt</th><th scope="col">stage</th><th scope="col">dir</th><th scope="col">what</th><th scope="col">detail</th><th scope="col">offset</th></tr></thead>`
    + `<tbody>\n${rows.join('\n')}\n</tbody></table></details>`;
}
