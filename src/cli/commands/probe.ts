// rdpscope probe HOST[:PORT]: one live handshake (or --enumerate-protocols: one per protocol).
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { parseTarget } from '../target.js';
import { probe, type ProbeOptions, type ProbeResult } from '../../probe/live.js';
import { DEFAULT_REQUESTED } from '../../probe/client-script.js';
import { enumerateProtocols, type Enumeration } from '../../probe/enumerate.js';
import { parseProtocols, protocolSet } from '../../x224/codes.js';
import { renderConnection } from '../../report/text.js';
import { connectionReport, SCHEMA, toJson } from '../../report/json.js';
import { style } from '../../report/style.js';
import { exitFor } from '../exit.js';
import { certificateOptions, certOptions, type CertArgs } from '../tls-options.js';
import type { TlsClientOptions } from '../../probe/client-script.js';
import { parseVersion, TLS_VERSION } from '../../tls/versions.js';
import { isIP } from 'node:net';
import { ENUMERATED_VERSIONS, enumerateTls } from '../../probe/enumerate-tls.js';
import { renderTlsEnumeration } from '../../report/tls-enumeration.js';
import { enumerateRdpSecurity } from '../../probe/enumerate-rdp-security.js';
import { renderRdpSecurityEnumeration } from '../../report/rdp-security-enumeration.js';
import { evidence } from '../../analyze/rules/rule.js';
import { DEFAULT_PASSWORD_ENV } from '../password.js';

interface ProbeArgs extends CertArgs {
  'tls-min'?: string;
  'tls-max'?: string;
  'tls-ciphers'?: string;
  sni?: string;
  credssp: boolean;
  mcs: boolean;
  user?: string;
  domain?: string;
  delegate?: boolean;
  'password-env': string;
  target: string;
  port: number;
  protocols?: string;
  legacy?: boolean;
  cookie?: string;
  'routing-token'?: string;
  'enumerate-protocols': boolean;
  'enumerate-tls': boolean;
  'enumerate-rdp-security': boolean;
  'connect-timeout': number;
  timeout: number;
  ipv4?: boolean;
  ipv6?: boolean;
  json: boolean;
  bytes: boolean;
}

function options(a: ProbeArgs): Omit<ProbeOptions, 'requestedProtocols'> & { requestedProtocols?: number } {
  const { host, port } = parseTarget(a.target, a.port);
  const o: ProbeOptions = {
    host, port, family: a.ipv4 ? 4 : a.ipv6 ? 6 : 0,
    connectTimeoutMs: a['connect-timeout'], stageTimeoutMs: a.timeout,
  };
  if (!a.legacy) o.requestedProtocols = a.protocols !== undefined ? parseProtocols(a.protocols) : DEFAULT_REQUESTED;
  if (a.cookie !== undefined) o.cookie = a.cookie;
  if (a['routing-token'] !== undefined) o.routingToken = a['routing-token'];
  o.tls = tlsClient(a, host);
  if (!a.credssp) o.noCredssp = true;
  if (!a.mcs || a['enumerate-tls'] || a['enumerate-protocols']) o.noMcs = true;
  o.diagnose = certificateOptions(a, [host]);
  return o;
}

/** USER, DOMAIN\\USER or USER@DOMAIN (--domain wins when given). */
function account(user: string, domain: string | undefined): { user: string; domain: string } {
  const slash = user.indexOf('\\');
  if (slash >= 0) return { domain: domain ?? user.slice(0, slash), user: user.slice(slash + 1) };
  const at = user.lastIndexOf('@');
  if (at > 0) return { user: user.slice(0, at), domain: domain ?? user.slice(at + 1) };
  return { user, domain: domain ?? '' };
}

const NODE_VERSION: Record<number, TlsClientOptions['maxVersion']> = {
  [TLS_VERSION.TLS10]: 'TLSv1', [TLS_VERSION.TLS11]: 'TLSv1.1', [TLS_VERSION.TLS12]: 'TLSv1.2', [TLS_VERSION.TLS13]: 'TLSv1.3',
};

function nodeVersion(flag: string, v: string | undefined): TlsClientOptions['maxVersion'] {
  if (v === undefined) return undefined;
  const n = NODE_VERSION[parseVersion(v) ?? -1];
  if (!n) throw new Error(`--${flag} ${v}: give 1.0, 1.1, 1.2 or 1.3 (SSL 3.0 is only tested by --enumerate-tls)`);
  return n;
}

function tlsClient(a: ProbeArgs, host: string): TlsClientOptions {
  const t: TlsClientOptions = {};
  const min = nodeVersion('tls-min', a['tls-min']);
  const max = nodeVersion('tls-max', a['tls-max']);
  if (min) t.minVersion = min;
  if (max) t.maxVersion = max;
  if (a['tls-ciphers'] !== undefined) t.ciphers = a['tls-ciphers'];
  const sni = a.sni ?? (isIP(host) ? undefined : host);
  if (sni) t.servername = sni;
  return t;
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
  builder: (y: Argv) => certOptions(y)
    .positional('target', { type: 'string', demandOption: true, describe: 'HOST, HOST:PORT or [IPv6]:PORT' })
    .option('port', { type: 'number', default: 3389, describe: 'port when the target has none' })
    .option('protocols', { type: 'string', describe: 'requested protocols, e.g. SSL|HYBRID|HYBRID_EX (default), RDP, 0x0b' })
    .option('legacy', { type: 'boolean', describe: 'send a Connection Request without RDP_NEG_REQ' })
    .option('cookie', { type: 'string', describe: 'mstshash cookie to send (e.g. a user name)' })
    .option('routing-token', { type: 'string', describe: 'routing token line to send instead of a cookie' })
    .option('enumerate-protocols', { type: 'boolean', default: false, describe: 'one connection per protocol: what the server selects for each, and whether NLA is required' })
    .option('tls-min', { type: 'string', describe: 'lowest TLS version the probe offers (1.0-1.3)' })
    .option('tls-max', { type: 'string', describe: 'highest TLS version the probe offers, e.g. 1.2 to act like an older client' })
    .option('tls-ciphers', { type: 'string', describe: 'OpenSSL cipher list the probe offers for TLS ≤ 1.2 (default: all, any security level)' })
    .option('sni', { type: 'string', describe: 'server name to send (default: the target when it is a name; none for an address)' })
    .option('credssp', { type: 'boolean', default: true, describe: 'when NLA is selected, open CredSSP with an NTLM NEGOTIATE and report the CHALLENGE (--no-credssp stops after TLS)' })
    .option('mcs', { type: 'boolean', default: true, describe: 'go on through MCS, channels, licensing to the Demand Active (--no-mcs stops after X.224, TLS or CredSSP)' })
    .option('user', { type: 'string', describe: 'NLA check with this account (USER, DOMAIN\\USER or USER@DOMAIN): NTLMv2 AUTHENTICATE, and the server must prove its TLS key; the password comes from $RDPSCOPE_PASSWORD or a prompt' })
    .option('domain', { type: 'string', describe: 'domain of --user (default: none, a local account)' })
    .option('delegate', { type: 'boolean', describe: 'with --user: once the server proved its key, send the credentials (TSCredentials) as a client that logs on does' })
    .option('password-env', { type: 'string', default: DEFAULT_PASSWORD_ENV, describe: 'environment variable holding the password for --user (never give it on the command line)' })
    .option('enumerate-rdp-security', { type: 'boolean', default: false, describe: 'which Standard RDP Security encryption methods (40/56/128-bit RC4, FIPS) the server accepts, and at which level' })
    .option('enumerate-tls', { type: 'boolean', default: false, describe: 'which TLS versions (SSL 3.0-TLS 1.3) and cipher suites the server accepts, in its order of preference' })
    .option('connect-timeout', { type: 'number', default: 5000, describe: 'TCP connect timeout, ms' })
    .option('timeout', { type: 'number', default: 5000, describe: 'longest silence within a stage, ms' })
    .option('ipv4', { alias: '4', type: 'boolean', describe: 'use IPv4' })
    .option('ipv6', { alias: '6', type: 'boolean', describe: 'use IPv6' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
    .option('bytes', { type: 'boolean', default: false, describe: 'show the first bytes of each PDU' })
    .conflicts('ipv4', 'ipv6')
    .implies('delegate', 'user')
    .implies('domain', 'user')
    .conflicts('legacy', 'protocols') as unknown as Argv<ProbeArgs>,

  async run(a, io) {
    let o: ReturnType<typeof options>;
    if ([a['enumerate-tls'], a['enumerate-protocols'], a['enumerate-rdp-security']].filter(Boolean).length > 1) {
      io.err('rdpscope probe: --enumerate-tls, --enumerate-protocols and --enumerate-rdp-security are separate runs; give one\n');
      return EXIT.USAGE;
    }
    try {
      o = options(a);
    } catch (e) {
      io.err(`rdpscope probe: ${(e as Error).message}\n`);
      return EXIT.USAGE;
    }
    if (a.user !== undefined) {
      if (!a.credssp || a['enumerate-tls'] || a['enumerate-protocols'] || a['enumerate-rdp-security']) {
        io.err('rdpscope probe: --user needs the CredSSP exchange of a single probe (not with --no-credssp or an enumeration)\n');
        return EXIT.USAGE;
      }
      const password = io.env[a['password-env']] || await io.promptSecret(`password for ${a.user}: `);
      if (password === undefined) {
        io.err(`rdpscope probe: --user needs a password: set ${a['password-env']}, or run in a terminal to be prompted\n`);
        return EXIT.USAGE;
      }
      o.credentials = { ...account(a.user, a.domain), password };
      o.delegate = a.delegate ?? false;
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
    if (a.json) io.out(`${toJson(probeJson(r))}\n`);
    else {
      io.out(renderConnection(title(r), r.events, r.verdict, { color: io.color, bytes: a.bytes, ...(r.diagnose ? { certificate: r.diagnose } : {}) }));
      io.out(style(io.color).dim(`  ${r.connections} TCP connection${r.connections === 1 ? '' : 's'} used, ${r.durationMs.toFixed(1)} ms\n`));
    }
    return exitFor(r.verdict);
  },
};
