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

interface ProbeArgs {
  target: string;
  port: number;
  protocols?: string;
  legacy?: boolean;
  cookie?: string;
  'routing-token'?: string;
  'enumerate-protocols': boolean;
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
  return o;
}

function probeJson(r: ProbeResult): object {
  return {
    schema: SCHEMA.probe,
    target: r.target,
    startedAt: new Date(r.startedAt).toISOString(),
    durationMs: Math.round(r.durationMs * 10) / 10,
    connections: r.connections,
    ...connectionReport(r.events, r.verdict),
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
  builder: (y: Argv) => y
    .positional('target', { type: 'string', demandOption: true, describe: 'HOST, HOST:PORT or [IPv6]:PORT' })
    .option('port', { type: 'number', default: 3389, describe: 'port when the target has none' })
    .option('protocols', { type: 'string', describe: 'requested protocols, e.g. SSL|HYBRID|HYBRID_EX (default), RDP, 0x0b' })
    .option('legacy', { type: 'boolean', describe: 'send a Connection Request without RDP_NEG_REQ' })
    .option('cookie', { type: 'string', describe: 'mstshash cookie to send (e.g. a user name)' })
    .option('routing-token', { type: 'string', describe: 'routing token line to send instead of a cookie' })
    .option('enumerate-protocols', { type: 'boolean', default: false, describe: 'one connection per protocol: what the server selects for each, and whether NLA is required' })
    .option('connect-timeout', { type: 'number', default: 5000, describe: 'TCP connect timeout, ms' })
    .option('timeout', { type: 'number', default: 5000, describe: 'longest silence within a stage, ms' })
    .option('ipv4', { alias: '4', type: 'boolean', describe: 'use IPv4' })
    .option('ipv6', { alias: '6', type: 'boolean', describe: 'use IPv6' })
    .option('json', { type: 'boolean', default: false, describe: 'print one JSON object' })
    .option('bytes', { type: 'boolean', default: false, describe: 'show the first bytes of each PDU' })
    .conflicts('ipv4', 'ipv6')
    .conflicts('legacy', 'protocols') as unknown as Argv<ProbeArgs>,

  async run(a, io) {
    let o: ReturnType<typeof options>;
    try {
      o = options(a);
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
    const r = await probe(o);
    if (a.json) io.out(`${toJson(probeJson(r))}\n`);
    else {
      io.out(renderConnection(title(r), r.events, r.verdict, { color: io.color, bytes: a.bytes }));
      io.out(style(io.color).dim(`  ${r.connections} TCP connection${r.connections === 1 ? '' : 's'} used, ${r.durationMs.toFixed(1)} ms\n`));
    }
    return exitFor(r.verdict);
  },
};
