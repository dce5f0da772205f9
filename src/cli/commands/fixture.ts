// rdpscope fixture record HOST[:PORT] [-o FILE] | fixture verify FILE [HOST[:PORT]]: a server's
// handshake profile stored as JSON, and the drift of the live server from it.
import { readFileSync, writeFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { formatTarget, parseTarget } from '../target.js';
import { certificateOptions } from '../tls-options.js';
import { handshakeAccount, handshakeOptions, handshakeSettings, type HandshakeArgs } from '../probe-options.js';
import type { ProbeOptions } from '../../probe/live.js';
import { toJson } from '../../report/json.js';
import { style } from '../../report/style.js';
import { collectProfile } from '../../fixture/collect.js';
import { compare, expiryWarning } from '../../fixture/compare.js';
import { FIXTURE_SCHEMA, FixtureError, formatFixture, parseFixture, VERIFY_SCHEMA, type Fixture } from '../../fixture/format.js';
import type { Profile } from '../../fixture/profile.js';
import type { ProbeRecording } from '../../probe/record.js';
import { RECORD_CREDENTIALS_OPTION, withRecording } from '../record-output.js';
import { RDPSCOPE_VERSION } from '../root.js';

interface FixtureArgs extends HandshakeArgs {
  action: 'record' | 'verify';
  /** record: the target; verify: the fixture file */
  subject: string;
  /** verify: the target, instead of the fixture's */
  target?: string;
  output?: string;
  'tls-enumeration': boolean;
  'warn-expiry'?: number;
  json: boolean;
  pcapng?: string;
  'record-credentials'?: boolean;
}


function settings(a: FixtureArgs, spec: string): ProbeOptions {
  const { host, port } = parseTarget(spec, a.port);
  return handshakeSettings(a, host, port, certificateOptions(a, [host]));
}

/** A drift value for the terminal: long lists (TLS suites) cut to their first three; --json has them all. */
function shown(v: unknown): string {
  if (v === null) return 'none';
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return v.length > 3 ? `${v.slice(0, 3).join(', ')}, … (${v.length} in all)` : v.join(', ') || '(empty)';
  return JSON.stringify(v);
}

/** The profile as label/value lines for the terminal. */
function profileLines(p: Profile): [string, string][] {
  const c = p.credssp;
  const n = c?.ntlm;
  return [
    ['protocols', Object.entries(p.protocols).map(([k, v]) => `${k}: ${v.replace(/^selected /, '')}`).join(', ')],
    ['nla', p.nla],
    ['tls', p.tls === null ? 'not enumerated' : Object.entries(p.tls).filter(([, s]) => s).map(([v, s]) => `${v} (${s!.length} suites)`).join(', ') || 'no version accepted'],
    ['certificate', p.certificate ? `${p.certificate.subject}, not after ${p.certificate.notAfter}, SHA-256 ${p.certificate.sha256}` : 'none'],
    ['credssp', c ? [`version ${c.version ?? '?'}`, c.mechanism, n && `NTLM ${[n.nbDomainName, n.nbComputerName].filter(Boolean).join('\\')} (${n.dnsComputerName ?? '?'}), product ${n.productVersion ?? '?'}`].filter(Boolean).join(', ') : 'not reached'],
    ['mcs', p.mcs ? `server ${p.mcs.serverVersion ?? '?'}` : 'not reached'],
    ['rdp security', p.rdpSecurity ? `${p.rdpSecurity.method} at ${p.rdpSecurity.level}` : 'not offered'],
    ['probe', `${p.probe.status}, reached ${p.probe.stageReached ?? 'no stage'}${p.probe.row ? `, row ${p.probe.row.id}: ${p.probe.row.title}` : ''}`],
  ];
}

const table = (rows: [string, string][]): string => rows.map(([k, v]) => `  ${k.padEnd(13)}${v}\n`).join('');

async function record(a: FixtureArgs, io: CliIO, recording?: ProbeRecording): Promise<number> {
  if (a.target !== undefined) throw new Error(`record takes one target, not "${a.target}" too`);
  if (a['warn-expiry'] !== undefined || a.json) throw new Error('--warn-expiry and --json are verify options (record writes JSON already)');
  if (a.pcapng !== undefined && !recording) {
    // --pcapng FILE: every connection of the fixture's probes, with their TLS keys (see --record on probe)
    const request = { path: a.pcapng, command: 'rdpscope fixture record', flag: '--pcapng', ...(a.user === undefined ? {} : { user: a.user }), credentials: a['record-credentials'] ?? false };
    return withRecording(request, io, (r) => record(a, io, r));
  }
  const o = { ...settings(a, a.subject), ...await handshakeAccount(a, io) };
  if (recording) Object.assign(o, recording.options(o));
  const c = await collectProfile(o, a['tls-enumeration']);
  if (c.profile.nla === 'unknown') {
    io.err(`rdpscope fixture record: nothing recorded: no request got a Connection Confirm from ${o.host}:${o.port} (the probe stopped at ${c.profile.probe.stageReached ?? 'no stage'})\n`);
    return EXIT.CANNOT_ANALYZE;
  }
  const f: Fixture = { schema: FIXTURE_SCHEMA, recordedAt: new Date().toISOString(), target: { host: o.host, port: o.port }, rdpscopeVersion: RDPSCOPE_VERSION, profile: c.profile };
  if (a.output === undefined || a.output === '-') {
    io.out(formatFixture(f));
    return EXIT.OK;
  }
  writeFileSync(a.output, formatFixture(f));
  const s = style(io.color);
  io.out(`${s.bold(`recorded ${o.host}:${o.port} into ${a.output}`)} (${FIXTURE_SCHEMA})\n${table(profileLines(c.profile))}`);
  io.out(s.dim(`  ${c.connections} TCP connections used, ${c.durationMs.toFixed(0)} ms\n`));
  return EXIT.OK;
}

async function verify(a: FixtureArgs, io: CliIO): Promise<number> {
  if (a.output !== undefined || a.pcapng !== undefined) throw new Error('-o and --pcapng are record options');
  let f: Fixture;
  try {
    f = parseFixture(readFileSync(a.subject, 'utf8'));
  } catch (e) {
    throw new Error(`${a.subject}: ${(e as Error).message}`);
  }
  const spec = a.target ?? formatTarget(f.target.host, f.target.port);
  const o = { ...settings(a, spec), ...await handshakeAccount(a, io) };
  const tls = f.profile.tls !== null && a['tls-enumeration'];
  const c = await collectProfile(o, tls);
  const drifts = compare(f.profile, c.profile, tls);
  const warning = a['warn-expiry'] === undefined ? undefined : expiryWarning(c.profile, a['warn-expiry'], Date.now());
  const notCompared = tls ? [] : [{ path: 'profile.tls', reason: f.profile.tls === null ? 'the fixture was recorded with --no-tls-enumeration' : '--no-tls-enumeration' }];
  const target = { host: o.host, port: o.port };
  if (a.json) {
    io.out(`${toJson({
      schema: VERIFY_SCHEMA, fixture: a.subject, fixtureTarget: f.target, target, recordedAt: f.recordedAt, verifiedAt: new Date().toISOString(),
      drift: drifts.length > 0, drifts, warnings: warning ? [warning] : [], notCompared,
      connections: c.connections, durationMs: Math.round(c.durationMs),
    })}\n`);
  } else {
    const s = style(io.color);
    io.out(`${s.bold(`verify ${o.host}:${o.port} against ${a.subject}`)} ${s.dim(`(recorded ${f.recordedAt} from ${f.target.host}:${f.target.port} by rdpscope ${f.rdpscopeVersion})`)}\n`);
    for (const d of drifts) {
      io.out(`  ${s.red('drift')}    ${d.path}: ${s.bold(d.meaning)}\n             expected ${shown(d.expected)}\n             actual   ${shown(d.actual)}\n`);
    }
    if (warning) io.out(`  ${s.yellow('warning')}  ${warning.path}: ${warning.meaning} (${warning.notAfter}, --warn-expiry ${a['warn-expiry']})\n`);
    for (const n of notCompared) io.out(s.dim(`  not compared: ${n.path} (${n.reason})\n`));
    io.out(drifts.length ? `  ${s.red(s.bold(`${drifts.length} drift${drifts.length === 1 ? '' : 's'}`))}\n` : `  ${s.green(s.bold('no drift'))}\n`);
    io.out(s.dim(`  ${c.connections} TCP connections used, ${c.durationMs.toFixed(0)} ms\n`));
  }
  return drifts.length ? EXIT.FAILED : EXIT.OK;
}

export const fixtureCommand: Command<FixtureArgs> = {
  command: 'fixture <action> <subject> [target]',
  describe: 'record a server\'s handshake profile as a JSON fixture, or verify a server against one (drift: exit 1)',
  builder: (y: Argv) => handshakeOptions(y)
    .positional('action', { choices: ['record', 'verify'] as const, demandOption: true, describe: 'record HOST[:PORT] -o FILE, or verify FILE [HOST[:PORT]]' })
    .positional('subject', { type: 'string', demandOption: true, describe: 'record: HOST, HOST:PORT or [IPv6]:PORT; verify: the fixture file' })
    .positional('target', { type: 'string', describe: 'verify: probe this target instead of the fixture\'s' })
    .option('output', { alias: 'o', type: 'string', describe: 'record: write the fixture to this file (default: standard output)' })
    .option('tls-enumeration', { type: 'boolean', default: true, describe: 'run --enumerate-tls (--no-tls-enumeration skips it: it takes many connections)' })
    .option('warn-expiry', { type: 'number', describe: 'verify: warn when the certificate expires within this many days (the exit code is unchanged)' })
    .option('json', { type: 'boolean', default: false, describe: 'verify: print one JSON object (rdpscope/fixture-verify/1)' })
    .option('pcapng', { type: 'string', describe: 'record: also write the probes\' own traffic to this pcapng file (mode 0600) with their TLS keys inside; whoever holds the file can decrypt it' })
    .option('record-credentials', RECORD_CREDENTIALS_OPTION) as unknown as Argv<FixtureArgs>,

  async run(a, io) {
    const name = `rdpscope fixture ${a.action}`;
    if (a.user !== undefined && !a.credssp) {
      io.err(`${name}: --user needs the CredSSP exchange (not with --no-credssp)\n`);
      return EXIT.USAGE;
    }
    try {
      return a.action === 'record' ? await record(a, io) : await verify(a, io);
    } catch (e) {
      // bad arguments, an unreadable fixture or output file, no password for --user
      io.err(`${name}: ${(e as Error).message}\n`);
      return EXIT.USAGE;
    }
  },
};
