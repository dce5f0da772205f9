// rdpscope scan TARGETS...: the probe's handshake against many targets, a bounded number at a time,
// one line (or NDJSON object) per target as it finishes, then a summary.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { performance } from 'node:perf_hooks';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT, type CliIO } from '../io.js';
import { certificateOptions } from '../tls-options.js';
import { handshakeAccount, handshakeOptions, handshakeSettings, type HandshakeArgs } from '../probe-options.js';
import { probe, type ProbeOptions } from '../../probe/live.js';
import { toJson } from '../../report/json.js';
import type { ScanRow } from '../../report/html.js';
import { HTML_OPTION, writeHtmlReport } from '../html-output.js';
import { bar, ProgressLine } from '../progress.js';
import { style } from '../../report/style.js';
import { expandTokens, lineTokens, parseShard, parseTargetSpec, shardOf, shardSize, TargetError, type ScanTarget } from '../../scan/targets.js';
import { runPool } from '../../scan/scheduler.js';
import { scanResult, type ScanResult } from '../../scan/result.js';
import { renderResultLine, renderSummary, ScanTally, type ScanSummary } from '../../scan/summary.js';
import { optionBound } from '../../limits.js';

/** --concurrency: its default and range are in the bounds table (src/limits.ts). */
const CONCURRENCY = optionBound('concurrency');
export const MAX_CONCURRENCY = CONCURRENCY.max!;

export interface ScanArgs extends HandshakeArgs {
  targets: string[];
  'input-list'?: string;
  concurrency: number;
  rate?: number;
  shard?: string;
  json: boolean;
  html?: string;
}

/** Where targets come from, in order: tokens of the command line, -iL files, standard input. */
type Sources = ({ kind: 'token'; token: string } | { kind: 'file'; path: string } | { kind: 'stdin' })[];

/** The tokens of every source, in order, read lazily. */
async function* tokensOf(sources: Sources, io: CliIO): AsyncGenerator<string> {
  for (const s of sources) {
    if (s.kind === 'token') {
      yield s.token;
      continue;
    }
    const lines = s.kind === 'file' ? createInterface({ input: createReadStream(s.path), crlfDelay: Infinity }) : io.stdinLines!();
    for await (const line of lines) yield* lineTokens(line);
  }
}

/** Checks every token that can be read twice (not stdin) before anything is contacted; their target count. */
async function precheck(sources: Sources, port: number, io: CliIO): Promise<number> {
  let total = 0;
  for await (const token of tokensOf(sources.filter((s) => s.kind !== 'stdin'), io)) total += parseTargetSpec(token, port).count;
  return total;
}

function exitOf(s: ScanSummary): number {
  return s.status.failed ? EXIT.FAILED : s.status.undetermined ? EXIT.CANNOT_ANALYZE : EXIT.OK;
}

/** Targets done, in flight and the rate, on the progress line (only on a terminal; see progress.ts). */
class Progress {
  private readonly line: ProgressLine;
  private readonly started: number;

  constructor(io: CliIO, private readonly total: number | undefined) {
    this.line = new ProgressLine(io);
    this.started = this.line.now();
  }

  update(s: { active: number; finished: number }): void {
    this.line.update(() => {
      const rate = s.finished / Math.max((this.line.now() - this.started) / 1000, 0.001);
      let done = `${s.finished}`;
      if (this.total !== undefined) {
        const f = this.total ? s.finished / this.total : 1;
        done = `${bar(f)} ${s.finished}/${this.total} ${Math.floor(f * 100)}%`;
      }
      return `${done}, ${s.active} in flight, ${rate.toFixed(0)}/s`;
    });
  }

  /** Clears the line (before stdout output, which may share the terminal). */
  clear(): void {
    this.line.clear();
  }
}

export const scanCommand: Command<ScanArgs> = {
  command: 'scan [targets..]',
  describe: 'probe many RDP servers (hosts, CIDRs, ranges, lists) and report each verdict as it comes, then a summary',
  builder: (y: Argv) => handshakeOptions(y)
    .positional('targets', { type: 'string', array: true, default: [], describe: 'HOST, HOST:PORT, [IPv6]:PORT, CIDR (10.0.0.0/24), range (10.0.0.1-20, 10.0.0.1-10.0.1.5), or - for a list on standard input' })
    .option('input-list', { alias: 'iL', type: 'string', describe: 'file of targets, one or more a line, # comments (- for standard input)' })
    .option('concurrency', { type: 'number', default: CONCURRENCY.default!, describe: `targets probed at once (at most ${MAX_CONCURRENCY})` })
    .option('rate', { type: 'number', describe: 'new connections per second at most (default: no limit beyond --concurrency)' })
    .option('shard', { type: 'string', describe: 'K/N: probe only shard K of N; the i-th target (from 0) is in shard (i mod N)+1' })
    .option('json', { type: 'boolean', default: false, describe: 'NDJSON: one rdpscope/scan-result/1 object per target, then one rdpscope/scan-summary/1' })
    .option('html', HTML_OPTION) as unknown as Argv<ScanArgs>,

  async run(a, io) {
    const usage = (message: string): number => {
      io.err(`rdpscope scan: ${message}\n`);
      return EXIT.USAGE;
    };
    const sources: Sources = a.targets.map((t) => (t === '-' ? { kind: 'stdin' as const } : { kind: 'token' as const, token: t }));
    if (a['input-list'] !== undefined) sources.push(a['input-list'] === '-' ? { kind: 'stdin' } : { kind: 'file', path: a['input-list'] });
    if (!sources.length) return usage('name targets, -iL FILE, or - to read them from standard input');
    const stdin = sources.filter((s) => s.kind === 'stdin').length;
    if (stdin > 1) return usage('standard input (-) can be read once');
    if (stdin && !io.stdinLines) return usage('no standard input to read targets from');
    if (!Number.isInteger(a.port) || a.port < 1 || a.port > 65535) return usage(`--port ${a.port}: give 1 to 65535`);
    if (!Number.isInteger(a.concurrency) || a.concurrency < 1 || a.concurrency > MAX_CONCURRENCY) {
      return usage(`--concurrency ${a.concurrency}: give 1 to ${MAX_CONCURRENCY}`);
    }
    if (a.rate !== undefined && !(a.rate > 0)) return usage(`--rate ${a.rate}: give a number of connections per second above 0`);
    if (a.user !== undefined && !a.credssp) return usage('--user needs the CredSSP exchange (not with --no-credssp)');

    let probeOptions: (t: ScanTarget) => ProbeOptions;
    let shard: { index: number; count: number } | undefined;
    let total: number | undefined;
    try {
      shard = a.shard === undefined ? undefined : parseShard(a.shard);
      const cert = certificateOptions(a);
      const handshake = (t: ScanTarget): ProbeOptions => handshakeSettings(a, t.host, t.port, { ...cert, names: cert.names ?? [t.host] });
      handshake({ host: 'localhost', port: a.port }); // a bad option value throws here, before any connection
      const known = await precheck(sources, a.port, io);
      total = stdin ? undefined : shard ? shardSize(known, shard) : known;
      const account = await handshakeAccount(a, io);
      probeOptions = (t) => ({ ...handshake(t), ...account });
    } catch (e) {
      return usage((e as Error).message);
    }

    const st = style(io.color);
    const tally = new ScanTally(a['expiry-warning']);
    const progress = new Progress(io, total);
    const started = performance.now();
    const targets = expandTokens(tokensOf(sources, io), a.port);
    // the HTML table needs every row at the end: a small record per target, only when asked for
    const rows: ScanRow[] | undefined = a.html === undefined ? undefined : [];
    let stopped: Error | undefined;
    try {
      const results = runPool(shard ? shardOf(targets, shard) : targets, async (t) => scanResult(await probe(probeOptions(t))), {
        concurrency: a.concurrency,
        ...(a.rate === undefined ? {} : { rate: a.rate }),
        onChange: (s) => progress.update(s),
      });
      for await (const r of results) {
        tally.add(r);
        if (rows) rows.push(scanRow(r));
        progress.clear();
        io.out(a.json ? `${toJson(r)}\n` : renderResultLine(r, st));
      }
    } catch (e) {
      if (!(e instanceof TargetError)) throw e;
      stopped = e; // a bad line on standard input: the targets before it were scanned
    }
    progress.clear();
    const summary = tally.summary(performance.now() - started);
    io.out(a.json ? `${toJson(summary)}\n` : `\n${renderSummary(summary, st)}`);
    if (rows && !writeHtmlReport(a.html!, { title: `rdpscope scan ${a.targets.join(' ')}`, connections: [], scan: rows }, io)) return EXIT.CANNOT_ANALYZE;
    if (stopped) return usage(stopped.message);
    return exitOf(summary);
  },
};

function scanRow(r: ScanResult): ScanRow {
  const v = r.verdict;
  return {
    target: r.target, port: r.port, status: v.status, summary: v.summary, nla: r.nla,
    ...(r.address ? { address: r.address } : {}),
    ...(v.row ? { row: v.row } : {}),
    ...(v.failedStage ?? v.lastCompletedStage ? { stage: v.failedStage ?? v.lastCompletedStage } : {}),
    ...(r.tls?.certificate ? { certNotAfter: r.tls.certificate.notAfter } : {}),
  };
}
