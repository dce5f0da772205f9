// rdpscope analyze FILE...: replays captures through the same tracker as a live probe.
import { fstatSync, readFileSync, statSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';
import { formatTarget } from '../target.js';
import { openCaptureFile } from '../../capture/file.js';
import { replayCapture, type ReplayItem } from '../../capture/replay.js';
import type { CaptureIssue } from '../../capture/reader.js';
import { allOf, FilterError, parseFilter, type ConnectionFilter } from '../../capture/filter.js';
import { renderConnection } from '../../report/text.js';
import { connectionReport, SCHEMA, toJson } from '../../report/json.js';
import type { HtmlConnection } from '../../report/html.js';
import { HTML_OPTION, writeHtmlReport } from '../html-output.js';
import { captureProgressText, ProgressLine } from '../progress.js';
import { style } from '../../report/style.js';
import { certificateOptions, certOptions, type CertArgs } from '../tls-options.js';
import { KeyLog } from '../../tls/decrypt/keylog.js';
import type { DecryptionKeys } from '../../tls/decrypt/connection-decryptor.js';
import { limitOption, type LimitArgs } from '../limit-options.js';
import { DEFAULT_LIMITS } from '../../limits.js';

interface AnalyzeArgs extends CertArgs, LimitArgs {
  files: string[];
  port: number[];
  json: boolean;
  bytes: boolean;
  /** optional for callers that run the command directly (demo) */
  keylog?: string[];
  'server-key'?: string[];
  html?: string;
  /** --filter, once or more (a string when given once) */
  filter?: string | string[];
  /** false with --no-progress */
  progress?: boolean;
}

/** The last NDJSON object of `--json` when --filter is given: what was kept and what was filtered out. */
const ANALYZE_SUMMARY_SCHEMA = 'rdpscope/analyze-summary/1';

type Connection = Extract<ReplayItem, { type: 'connection' }>;

/** The HTML page keeps whole connections until the end: bounded (limit html-connections), a failed one displaces an ok one. */
const MAX_HTML_CONNECTIONS = DEFAULT_LIMITS['html-connections'];

function keepForPage(page: HtmlConnection[], c: HtmlConnection, max = MAX_HTML_CONNECTIONS): void {
  if (page.length < max) page.push(c);
  else if (c.verdict.status === 'failed') {
    const i = page.findIndex((p) => p.verdict.status !== 'failed');
    if (i >= 0) page.splice(i, 1, c);
  }
}

/** The file an option names; an error naming the option and the file when it cannot be read. */
function readOptionFile(option: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (e) {
    throw new Error(`${option} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** Key logs and server keys from files; a bad key log line is a warning, an unreadable file or key an error. */
function decryptionKeys(a: AnalyzeArgs, warn: (line: string) => void): DecryptionKeys {
  const keyLog = new KeyLog();
  for (const file of a.keylog ?? []) {
    const text = readOptionFile('--keylog', file).toString('latin1');
    for (const i of keyLog.add(text)) warn(`--keylog ${file}: ${i.line === undefined ? '' : `line ${i.line}: `}${i.reason}`);
  }
  const serverKeys: KeyObject[] = (a['server-key'] ?? []).map((file) => {
    const pem = readOptionFile('--server-key', file);
    let key: KeyObject;
    try {
      key = createPrivateKey(pem);
    } catch {
      throw new Error(`--server-key ${file}: not a PEM or DER private key`);
    }
    if (key.asymmetricKeyType !== 'rsa') throw new Error(`--server-key ${file}: an ${key.asymmetricKeyType?.toUpperCase()} key; only RSA keys decrypt (RSA key exchange)`);
    return key;
  });
  return { keyLog, serverKeys };
}

/** The --filter expressions, parsed; a FilterError names the expression and the position. */
function parseFilters(a: AnalyzeArgs): ConnectionFilter[] {
  const texts = a.filter === undefined ? [] : [a.filter].flat().map(String);
  return texts.map((text) => {
    try {
      return parseFilter(text);
    } catch (e) {
      if (e instanceof FilterError) throw new Error(`--filter ${JSON.stringify(text)}: ${e.explain()}`);
      throw e;
    }
  });
}

/** A capture's size for the progress line: a regular file's, also on stdin (`< file`); undefined for a pipe. */
function captureSize(file: string): number | undefined {
  try {
    if (file !== '-') {
      const st = statSync(file);
      return st.isFile() ? st.size : undefined;
    }
    if ((process.stdin as { fd?: number }).fd !== 0) return undefined;
    const st = fstatSync(0);
    return st.isFile() ? st.size : undefined;
  } catch {
    return undefined;
  }
}

/** The chunks of `source`, each counted once the replay has taken it and asks for the next. */
async function* counted(source: AsyncIterable<Uint8Array>, taken: (bytes: number) => void): AsyncGenerator<Uint8Array> {
  for await (const chunk of source) {
    yield chunk;
    taken(chunk.length);
  }
}

/** A capture issue on stderr: where (packet, else file offset), then why. */
function issueText(i: CaptureIssue): string {
  // some readers' reasons already start with "packet N "
  const where = i.packet !== undefined ? (i.reason.startsWith(`packet ${i.packet} `) ? '' : `packet ${i.packet}: `) : i.offset > 0 ? `offset ${i.offset}: ` : '';
  return `${where}${i.reason}`;
}

function title(file: string, c: Connection): string {
  const f = c.flow;
  const via = f.tunnel ? ` (${f.tunnel.kind.toUpperCase()} tunnel to ${f.tunnel.target.host}:${f.tunnel.target.port})` : '';
  return `${file} #${f.id}  ${formatTarget(f.client.ip, f.client.port)} → ${formatTarget(f.server.ip, f.server.port)}${via}  packets ${f.firstPacket}-${c.lastPacket}`;
}

export const analyzeCommand: Command<AnalyzeArgs> = {
  command: 'analyze <files..>',
  describe: 'diagnose every RDP connection in pcap/pcapng captures ("-" reads stdin)',
  builder: (y: Argv) => certOptions(y)
    .positional('files', { type: 'string', array: true, demandOption: true, describe: 'capture files (pcap or pcapng, detected by content)' })
    .option('port', {
      type: 'string', default: '3389', describe: 'comma-separated ports treated as RDP even without a Connection Request (RDP is also found on any port by its Connection Request)',
      coerce: (v: string) => String(v).split(',').map((p) => {
        const n = Number(p);
        if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`bad port "${p}"`);
        return n;
      }),
    })
    .option('json', { type: 'boolean', default: false, describe: 'NDJSON: one object per connection, as each ends' })
    .option('bytes', { type: 'boolean', default: false, describe: 'show the first bytes of each PDU' })
    .option('keylog', { type: 'string', array: true, default: [], describe: 'NSS key log file (SSLKEYLOGFILE) to decrypt TLS with; repeatable. A pcapng\'s own Decryption Secrets Blocks are used too' })
    .option('server-key', { type: 'string', array: true, default: [], describe: 'the server\'s RSA private key (PEM or DER) to decrypt TLS ≤ 1.2 sessions with RSA key exchange; repeatable' })
    .option('filter', {
      type: 'string', describe: 'analyse only the connections that match, e.g. "host 10.0.0.5", "net 10.0.0.0/8 and not port 3389", "conn 3", '
        + '"10.0.0.5:51234 → 10.0.0.9:3389" (as printed); host/net/port take client or server before them; and, or, not, parentheses. '
        + 'Repeatable: a connection must match every one',
    })
    .option('progress', { type: 'boolean', default: true, describe: 'a progress line on stderr when it is a terminal (--no-progress: never)' })
    .option('limit', limitOption('capture'))
    .option('html', { ...HTML_OPTION, describe: `${HTML_OPTION.describe}; the page holds at most ${MAX_HTML_CONNECTIONS} connections (--limit html-connections), failed ones first` }) as unknown as Argv<AnalyzeArgs>,

  async run(a, io) {
    const s = style(io.color);
    const tally = { ok: 0, failed: 0, undetermined: 0 };
    let unreadable = 0;
    let cert;
    let keys: DecryptionKeys;
    let filters: ConnectionFilter[];
    try {
      filters = parseFilters(a);
      cert = { ...certificateOptions(a), ...(a.limit ? { limits: a.limit } : {}) };
      keys = decryptionKeys(a, (line) => io.err(`rdpscope analyze: ${line}\n`));
    } catch (e) {
      io.err(`rdpscope analyze: ${(e as Error).message}\n`);
      return EXIT.USAGE;
    }
    const page: HtmlConnection[] | undefined = a.html === undefined ? undefined : [];
    const match = filters.length ? allOf(filters) : undefined;
    const perFile: { file: string; connections: number; filteredOut: number }[] = [];
    const progress = new ProgressLine(io, { enabled: a.progress !== false });
    const out = (text: string): void => {
      progress.clear();
      io.out(text);
    };
    const err = (text: string): void => {
      progress.clear();
      io.err(text);
    };
    let reported = 0;
    for (const [index, file] of a.files.entries()) {
      let connections = 0;
      let filteredOut = 0;
      /** nothing in the file could be analysed (an issue says why, or it could not be opened) */
      let unreadableFile = false;
      const filter = match && ((flow: Parameters<typeof match>[0]): boolean => {
        const keep = match(flow);
        if (!keep) filteredOut++;
        return keep;
      });
      let source = openCaptureFile(file);
      if (progress.enabled) {
        const size = captureSize(file);
        const started = progress.now();
        let read = 0;
        source = counted(source, (n) => {
          read += n;
          progress.update(() => captureProgressText({
            file, index: index + 1, files: a.files.length, read, ...(size === undefined ? {} : { size }), connections: reported, elapsedMs: progress.now() - started,
          }));
        });
      }
      try {
        for await (const item of replayCapture(source, { rdpPorts: a.port, diagnose: cert, keys, ...(filter ? { filter } : {}), ...(a.limit ? { limits: a.limit } : {}) })) {
          if (item.type === 'issue') {
            unreadableFile ||= item.issue.unreadable === true;
            if (a.json) out(`${toJson({ schema: SCHEMA.captureIssue, file, ...item.issue })}\n`);
            else err(`${file}: ${issueText(item.issue)}\n`);
            continue;
          }
          connections++;
          reported++;
          tally[item.verdict.status]++;
          if (page) keepForPage(page, { heading: title(file, item), events: item.events, verdict: item.verdict, report: connectionReport(item.events, item.verdict, cert) }, a.limit?.['html-connections']);
          if (a.json) {
            out(`${toJson({
              schema: SCHEMA.connection, file, connection: item.flow.id, client: item.flow.client, server: item.flow.server,
              ...(item.flow.tunnel ? { tunnel: item.flow.tunnel } : {}),
              firstPacket: item.flow.firstPacket, lastPacket: item.lastPacket, startedAt: new Date(item.flow.firstAt).toISOString(),
              ...connectionReport(item.events, item.verdict, cert),
            })}\n`);
          } else {
            out(`${renderConnection(title(file, item), item.events, item.verdict, { color: io.color, bytes: a.bytes, certificate: cert })}\n`);
          }
        }
      } catch (e) {
        // cannot be opened (ENOENT, EISDIR...), or a read error
        unreadableFile ||= connections === 0;
        err(`${file}: ${(e as Error).message}\n`);
      }
      progress.clear();
      perFile.push({ file, connections, filteredOut });
      // exit 3 for a file nothing could be read from; readable packets without RDP are "no RDP connection found", exit 0
      if (unreadableFile) unreadable++;
      if (!a.json && connections === 0 && !unreadableFile) {
        io.out(s.dim(filteredOut ? `${file}: no RDP connection matches --filter (${filteredOut} filtered out)\n` : `${file}: no RDP connection found\n`));
      }
    }
    const total = tally.ok + tally.failed + tally.undetermined;
    const filteredOut = perFile.reduce((n, f) => n + f.filteredOut, 0);
    if (!a.json) {
      const skipped = match ? `; ${filteredOut} filtered out by --filter` : '';
      io.out(s.bold(`${total} RDP connection${total === 1 ? '' : 's'}: ${tally.ok} ok, ${tally.failed} failed, ${tally.undetermined} undetermined${skipped}\n`));
    } else if (match) {
      io.out(`${toJson({ schema: ANALYZE_SUMMARY_SCHEMA, filter: filters.map((f) => f.text), connections: total, status: tally, filteredOut, files: perFile })}\n`);
    }
    const filtered = filters.length ? ` ${filters.map((f) => `--filter '${f.text}'`).join(' ')}` : '';
    if (page && !writeHtmlReport(a.html!, { title: `rdpscope analyze ${a.files.join(' ')}${filtered}`, connections: page }, io)) return EXIT.CANNOT_ANALYZE;
    if (tally.failed) return EXIT.FAILED;
    return unreadable ? EXIT.CANNOT_ANALYZE : EXIT.OK;
  },
};
