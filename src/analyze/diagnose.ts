// diagnose(events) → Verdict: pure. Rules are tried in connection-sequence order; the first whose
// signature matches names the failure. The catalogue row supplies client-visible code and remedy.
import type { TrackerEvent } from './events.js';
import { catalogueRow } from './catalogue.js';
import { collectFacts } from './facts.js';
import type { Rule, RuleResult } from './rules/rule.js';
import { endedBy } from './rules/rule.js';
import { resolveRule, tcpRule } from './rules/tcp.js';
import { x224Findings, x224Rules } from './rules/x224.js';
import { reachedUndecoded } from './rules/beyond.js';
import { tlsRules } from './rules/tls.js';
import { credsspRules } from './rules/credssp.js';
import { rdpRules } from './rules/rdp.js';
import { endlessCredssp, serverLimit } from './rules/limits.js';
import { checkCertificate, type CertificateOptions } from './certificate.js';
import type { StageName } from './stages.js';
import { STAGE_HANDLERS } from './stages/index.js';
import type { ClientShows, Verdict } from './verdict.js';
import { CLIENT_DISCONNECT, describeCode, EXTENDED_REASON } from '../codes/index.js';
import { resolveLimits, type Limits } from '../limits.js';

export type { Verdict } from './verdict.js';

const RULES: readonly Rule[] = [resolveRule, tcpRule, serverLimit, endlessCredssp, ...x224Rules, ...tlsRules, ...credsspRules, ...rdpRules, reachedUndecoded];

/**
 * What the caller knows that the events do not: names to match and trust anchors, and the bounds
 * the connection was followed with (src/limits.ts; the rules name them, e.g. credssp-rounds).
 */
export type DiagnoseOptions = CertificateOptions & { limits?: Partial<Limits> };

/** The last stage that has a decoder in this version. */
const ANALYSED_THROUGH: StageName = STAGE_HANDLERS[STAGE_HANDLERS.length - 1]!.stage;

function clientShowsFor(r: RuleResult): ClientShows | undefined {
  if (r.clientShows) return r.clientShows;
  if (r.row === undefined || r.status !== 'failed') return undefined;
  const row = catalogueRow(r.row);
  if (!row) return undefined;
  const cs = row.clientShows;
  const shows: ClientShows = {
    text: cs.text,
    basis: 'inferred',
    why: `how a Windows client reports catalogue row ${row.id}; rdpscope sees the wire, not the client's dialog`,
  };
  if (cs.code !== undefined) {
    const d = describeCode(CLIENT_DISCONNECT, cs.code);
    shows.code = d.hex;
    if (d.known) shows.codeName = d.name;
  }
  if (cs.extended !== undefined) {
    const d = describeCode(EXTENDED_REASON, cs.extended);
    shows.extended = d.hex;
    if (d.known) shows.extendedName = d.name;
  }
  return shows;
}

export function diagnose(events: readonly TrackerEvent[], opts: DiagnoseOptions = {}): Verdict {
  const f = collectFacts(events);
  if (opts.limits) f.limits = resolveLimits(opts.limits);
  const check = checkCertificate(f, opts);
  if (check) f.tls.check = check;
  const r: RuleResult = RULES.reduce<RuleResult | undefined>((hit, rule) => hit ?? rule(f), undefined) ?? {
    status: 'undetermined',
    summary: f.entered.length ? `observation ended in ${f.stage} before any outcome` : 'nothing was observed',
    evidence: [],
    endedBy: endedBy(f),
  };
  const row = r.row !== undefined ? catalogueRow(r.row) : undefined;
  const v: Verdict = {
    status: r.status,
    summary: r.summary,
    stagesReached: [...new Set(f.entered)],
    analysedThrough: ANALYSED_THROUGH,
    evidence: r.evidence,
    remedy: [...(r.remedy ?? []), ...(r.status === 'failed' ? row?.remedy ?? [] : [])],
    findings: r.findings ?? [],
  };
  // certificate findings belong in every verdict that saw the certificate, an unrequested selection
  // the client went on from in every verdict after it
  const extra = [...(check?.report.findings ?? []).map((x) => ({ severity: x.severity, text: `certificate: ${x.text}`, ...(x.row ? { row: x.row } : {}) })), ...x224Findings(f)];
  for (const x of extra) if (!v.findings.some((y) => y.text === x.text)) v.findings.push(x);
  const last = f.completed[f.completed.length - 1];
  if (last) v.lastCompletedStage = last;
  if (r.failedStage) v.failedStage = r.failedStage;
  if (r.endedBy) v.endedBy = r.endedBy;
  if (row) v.row = { id: row.id, title: row.title };
  if (r.cause) v.cause = r.cause;
  const shows = clientShowsFor(r);
  if (shows) v.clientShows = shows;
  return v;
}
