// rdpscope probe HOST[:PORT]: one live handshake (or --enumerate-protocols: one per protocol).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { parseTarget } from '../target.js';
import { probe, type ProbeOptions, type ProbeResult } from '../../probe/live.js';
import { enumerateProtocols, type Enumeration } from '../../probe/enumerate.js';
import { protocolSet } from '../../x224/codes.js';
import { renderConnection } from '../../report/text.js';
import { connectionReport, SCHEMA, toJson } from '../../report/json.js';
import { HTML_OPTION, writeHtmlReport } from '../html-output.js';
import { style } from '../../report/style.js';
import { exitFor } from '../exit.js';
import { certificateOptions } from '../tls-options.js';
import { handshakeAccount, handshakeOptions, handshakeSettings, type HandshakeArgs } from '../probe-options.js';
import { parseVersion, TLS_VERSION } from '../../tls/versions.js';
import { ENUMERATED_VERSIONS, enumerateTls } from '../../probe/enumerate-tls.js';
import { renderTlsEnumeration } from '../../report/tls-enumeration.js';
import { enumerateRdpSecurity } from '../../probe/enumerate-rdp-security.js';
import { renderRdpSecurityEnumeration } from '../../report/rdp-security-enumeration.js';
import { evidence } from '../../analyze/rules/rule.js';
import type { ProbeRecording } from '../../probe/record.js';
import { RECORD_CREDENTIALS_OPTION, RECORD_OPTION, withRecording } from '../record-output.js';

interface ProbeArgs extends HandshakeArgs {
  target: string;
  'enumerate-protocols': boolean;
  'enumerate-tls': boolean;
  'enumerate-rdp-security': boolean;
  json: boolean;
  bytes: boolean;
  html?: string;
  record?: string;
  'record-credentials'?: boolean;
  /** set with --record: the run's traffic goes into it */
  recording?: ProbeRecording;
}

function options(a: ProbeArgs): ProbeOptions {
  const { host, port } = parseTarget(a.target, a.port);
  const o = handshakeSettings(a, host, port, certificateOptions(a, [host]));
  if (a['enumerate-tls'] || a['enumerate-protocols']) o.noMcs = true;
  if (a.recording) Object.assign(o, a.recording.options(o));
  return o;
}

function probeJson(r: ProbeResult): object {
  return {
    schema: SCHEMA.probe,
    target: r.target,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: Math.round(r.durationMs * 10) / 10,
    connections: r.connections,
    ...connectionReport(r.events, r.verdict, r.diagnose),
  };
}

function title(r: ProbeResult): string {
  const addr = r.target.address && r.target.address !== r.target.host ? ` (${r.target.address})` : '';
  const req = r.requestedProtocols === undefined ? 'legacy request, no RDP_NEG_REQ' : `requested ${protocolSet(r.requestedProtocols).names.join('|')}`;
  return `probe ${r.target.host}:${r.target.port}${addr}, ${req}`;
}

function renderEnumeration(e: Enumeration, target: string, io: CliIO): void {
  const s = style(io.color);
  const rows = e.outcomes.map((o) => {
    const answer = o.selected !== undefined ? `selected ${o.selected}` : o.failure !== undefined ? `RDP_NEG_FAILURE ${o.failure} (${o.failureCode})` : `no Confirm: ${o.error}`;
    const mark = o.supported ? s.green('accepted') : o.selected !== undefined ? s.yellow('not selected') : s.red('refused');
    return [o.protocol, o.requestedNames.join('|'), mark, answer];
  });
  const head = ['protocol', 'requested', 'result', 'server answer'];
  const plain = (x: string) => x.replace(/\x1b\[[0-9;]*m/g, '');
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => plain(r[i]!).length)));
  const fmt = (r: string[]) => `  ${r.map((c, i) => c + ' '.repeat(widths[i]! - plain(c).length)).join('  ')}`.trimEnd();
  io.out(`${s.bold(`protocol enumeration ${target}`)}\n${s.dim(fmt(head))}\n${rows.map(fmt).join('\n')}\n\n`);
  const color = e.nla === 'required' ? s.green : e.nla === 'supported' ? s.yellow : e.nla === 'not supported' ? s.red : s.dim;
  io.out(`  NLA ${color(s.bold(e.nla))}: ${e.nlaReason}\n`);
  io.out(s.dim(`  ${e.connections} TCP connections used\n`));
}

export const probeCommand: Command<ProbeArgs> = {
  command: 'probe <target>',
  describe: 'probe an RDP server live and say where its handshake stops, and why',
  builder: (y: Argv) => handshakeOptions(y)
    .positional('target', { type: 'string', demandOption: true, describe: 'HOST, HOST:PORT or [IPv6]:PORT' })
    .option('enumerate-protocols', { type: 'boolean', default: false, describe: 'one connection per protocol: what the server selects for each, and whether NLA is required' })
    .option('enumerate-rdp-security', { type: 'boolean', default: false, describe: 'which Standard RDP Security encryption methods (40/56/128-bit RC4, FIPS) the server accepts, and at which level' })
    .option('enumerate-tls', { type: 'boolean', default: false, describe: 'which TLS versions (SSL 3.0-TLS 1.3) and cipher suites the server accepts, in its order of preference' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
    .option('bytes', { type: 'boolean', default: false, describe: 'show the first bytes of each PDU' })
    .option('html', HTML_OPTION)
    .option('record', RECORD_OPTION)
    .option('record-credentials', RECORD_CREDENTIALS_OPTION) as unknown as Argv<ProbeArgs>,

  async run(a, io) {
    if (a.record !== undefined && !a.recording) {
      const request = { path: a.record, command: 'rdpscope probe', flag: '--record', ...(a.user === undefined ? {} : { user: a.user }), credentials: a['record-credentials'] ?? false };
      return withRecording(request, io, (recording) => probeCommand.run({ ...a, recording }, io));
    }
    let o: ProbeOptions;
    if ([a['enumerate-tls'], a['enumerate-protocols'], a['enumerate-rdp-security']].filter(Boolean).length > 1) {
      io.err('rdpscope probe: --enumerate-tls, --enumerate-protocols and --enumerate-rdp-security are separate runs; give one\n');
      return EXIT.USAGE;
    }
    if (a.user !== undefined && (!a.credssp || a['enumerate-tls'] || a['enumerate-protocols'] || a['enumerate-rdp-security'])) {
      io.err('rdpscope probe: --user needs the CredSSP exchange of a single probe (not with --no-credssp or an enumeration)\n');
      return EXIT.USAGE;
    }
    try {
      o = { ...options(a), ...await handshakeAccount(a, io) };
    } catch (e) {
      io.err(`rdpscope probe: ${(e as Error).message}\n`);
      return EXIT.USAGE;
    }
    if (a['enumerate-protocols']) {
      const e = await enumerateProtocols(o);
      if (a.json) {
        io.out(`${toJson({
          schema: SCHEMA.enumeration, target: { host: o.host, port: o.port }, connections: e.connections,
          nla: { verdict: e.nla, reason: e.nlaReason },
          protocols: e.outcomes.map(({ probe: p, ...rest }) => ({ ...rest, verdict: p.verdict })),
        })}\n`);
      } else renderEnumeration(e, `${o.host}:${o.port}`, io);
      return e.nla === 'unknown' ? exitFor(e.outcomes[0]!.probe.verdict) : EXIT.OK;
    }
    if (a['enumerate-rdp-security']) {
      const e = await enumerateRdpSecurity(o);
      if (a.json) io.out(`${toJson({ schema: SCHEMA.rdpSecurityEnumeration, target: { host: o.host, port: o.port }, ...e })}\n`);
      else io.out(renderRdpSecurityEnumeration(e, `${o.host}:${o.port}`, style(io.color)));
      return e.methods.some((m) => m.accepted) ? EXIT.OK : EXIT.FAILED;
    }
    if (a['enumerate-tls']) {
      // --tls-min/--tls-max narrow the versions tested; every known suite is offered at each
      const lo = a['tls-min'] === undefined ? TLS_VERSION.SSL3 : parseVersion(a['tls-min']) ?? TLS_VERSION.SSL3;
      const hi = a['tls-max'] === undefined ? TLS_VERSION.TLS13 : parseVersion(a['tls-max']) ?? TLS_VERSION.TLS13;
      const e = await enumerateTls({ ...o, versions: ENUMERATED_VERSIONS.filter((v) => v >= lo && v <= hi) });
      if (a.json) io.out(`${toJson({ schema: SCHEMA.tlsEnumeration, target: { host: o.host, port: o.port }, ...e })}\n`);
      else io.out(renderTlsEnumeration(e, `${o.host}:${o.port}`, style(io.color)));
      return e.versions.some((v) => v.accepted) ? EXIT.OK : e.refusedBeforeTls || e.versions.length ? EXIT.FAILED : EXIT.CANNOT_ANALYZE;
    }
    const r = await probe(o);
    if (r.verdict.row?.id === 14) {
      // no common suite: say what the server does accept, from a follow-up enumeration of the offered versions
      const offered = r.events.find((e) => e.type === 'pdu' && e.name === 'TLS ClientHello');
      const max = offered?.type === 'pdu' ? (offered.value as { maxVersion: number }).maxVersion : TLS_VERSION.TLS13;
      const e = await enumerateTls({ ...o, versions: [TLS_VERSION.TLS10, TLS_VERSION.TLS11, TLS_VERSION.TLS12, TLS_VERSION.TLS13].filter((v) => v <= max) });
      r.connections += e.connections;
      r.durationMs += e.durationMs;
      const accepts = e.versions.filter((v) => v.accepted).map((v) => `${v.version}: ${v.suites.map((c) => c.name).join(', ')}`);
      r.verdict.evidence.push(evidence('observed', accepts.length
        ? `follow-up enumeration (${e.connections} connections): the server accepts ${accepts.join('; ')}`
        : `follow-up enumeration (${e.connections} connections): the server accepted no suite rdpscope knows at the offered versions`));
    }
    if (a.html !== undefined && !writeHtmlReport(a.html, {
      title: `rdpscope probe ${a.target}`,
      connections: [{ heading: title(r), events: r.events, verdict: r.verdict, report: connectionReport(r.events, r.verdict, r.diagnose) }],
    }, io)) return EXIT.CANNOT_ANALYZE;
    if (a.json) io.out(`${toJson(probeJson(r))}\n`);
    else {
      io.out(renderConnection(title(r), r.events, r.verdict, { color: io.color, bytes: a.bytes, ...(r.diagnose ? { certificate: r.diagnose } : {}) }));
      io.out(style(io.color).dim(`  ${r.connections} TCP connection${r.connections === 1 ? '' : 's'} used, ${r.durationMs.toFixed(1)} ms\n`));
    }
    return exitFor(r.verdict);
  },
};
