// rdpscope analyze FILE...: replays captures through the same tracker as a live probe.
import { readFileSync } from 'node:fs';
import { createPrivateKey, type KeyObject } from 'node:crypto';
import type { Argv } from 'yargs';
import type { Command } from '../command.js';
import { EXIT } from '../io.js';
import { openCaptureFile } from '../../capture/file.js';
import { replayCapture, type ReplayItem } from '../../capture/replay.js';
import { renderConnection } from '../../report/text.js';
import { connectionReport, SCHEMA, toJson } from '../../report/json.js';
import type { HtmlConnection } from '../../report/html.js';
import { HTML_OPTION, writeHtmlReport } from '../html-output.js';
import { style } from '../../report/style.js';
import { certificateOptions, certOptions, type CertArgs } from '../tls-options.js';
import { KeyLog } from '../../tls/decrypt/keylog.js';
import type { DecryptionKeys } from '../../tls/decrypt/connection-decryptor.js';

interface AnalyzeArgs extends CertArgs {
  files: string[];
  port: number[];
  json: boolean;
  bytes: boolean;
  /** optional for callers that run the command directly (demo) */
  keylog?: string[];
  'server-key'?: string[];
  html?: string;
}

type Connection = Extract<ReplayItem, { type: 'connection' }>;

/** The HTML page keeps whole connections until the end: bounded, a failed one displaces an ok one. */
const MAX_HTML_CONNECTIONS = 500;

function keepForPage(page: HtmlConnection[], c: HtmlConnection): void {
  if (page.length < MAX_HTML_CONNECTIONS) page.push(c);
  else if (c.verdict.status === 'failed') {
    const i = page.findIndex((p) => p.verdict.status !== 'failed');
    if (i >= 0) page.splice(i, 1, c);
  }
}

/** Key logs and server keys from files; a bad key log line is a warning, an unreadable file or key an error. */
function decryptionKeys(a: AnalyzeArgs, warn: (line: string) => void): DecryptionKeys {
  const keyLog = new KeyLog();
  for (const file of a.keylog ?? []) {
    let text: string;
    try {
      text = readFileSync(file, 'latin1');
    } catch (e) {
      throw new Error(`--keylog ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    for (const i of keyLog.add(text)) warn(`--keylog ${file}: ${i.line === undefined ? '' : `line ${i.line}: `}${i.reason}`);
  }
  const serverKeys: KeyObject[] = (a['server-key'] ?? []).map((file) => {
    let pem: Buffer;
    try {
      pem = readFileSync(file);
    } catch (e) {
      throw new Error(`--server-key ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
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

function endpoint(e: { ip: string; port: number }): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}

function title(file: string, c: Connection): string {
  const f = c.flow;
  const via = f.tunnel ? ` (${f.tunnel.kind.toUpperCase()} tunnel to ${f.tunnel.target.host}:${f.tunnel.target.port})` : '';
  return `${file} #${f.id}  ${endpoint(f.client)} → ${endpoint(f.server)}${via}  packets ${f.firstPacket}-${c.lastPacket}`;
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
    .option('html', { ...HTML_OPTION, describe: `${HTML_OPTION.describe}; the page holds at most ${MAX_HTML_CONNECTIONS} connections, failed ones first` }) as unknown as Argv<AnalyzeArgs>,

  async run(a, io) {
    const s = style(io.color);
    const tally = { ok: 0, failed: 0, undetermined: 0 };
    let unreadable = 0;
    let cert;
    let keys: DecryptionKeys;
    try {
      cert = certificateOptions(a);
      keys = decryptionKeys(a, (line) => io.err(`rdpscope analyze: ${line}\n`));
    } catch (e) {
      io.err(`rdpscope analyze: ${(e as Error).message}\n`);
      return EXIT.USAGE;
    }
    const page: HtmlConnection[] | undefined = a.html === undefined ? undefined : [];
    for (const file of a.files) {
      let connections = 0;
      let fatal = false;
      try {
        for await (const item of replayCapture(openCaptureFile(file), { rdpPorts: a.port, diagnose: cert, keys })) {
          if (item.type === 'issue') {
            const fatalIssue = item.issue.fatal === true;
            fatal ||= fatalIssue;
            if (a.json) io.out(`${toJson({ schema: SCHEMA.captureIssue, file, ...item.issue })}\n`);
            else io.err(`${file}: ${item.issue.packet !== undefined ? `packet ${item.issue.packet}: ` : ''}${item.issue.reason}\n`);
            continue;
          }
          connections++;
          tally[item.verdict.status]++;
          if (page) keepForPage(page, { heading: title(file, item), events: item.events, verdict: item.verdict, report: connectionReport(item.events, item.verdict, cert) });
          if (a.json) {
            io.out(`${toJson({
              schema: SCHEMA.connection, file, connection: item.flow.id, client: item.flow.client, server: item.flow.server,
              ...(item.flow.tunnel ? { tunnel: item.flow.tunnel } : {}),
              firstPacket: item.flow.firstPacket, lastPacket: item.lastPacket, startedAt: new Date(item.flow.firstAt).toISOString(),
              ...connectionReport(item.events, item.verdict, cert),
            })}\n`);
          } else {
            io.out(`${renderConnection(title(file, item), item.events, item.verdict, { color: io.color, bytes: a.bytes, certificate: cert })}\n`);
          }
        }
      } catch (e) {
        fatal = true;
        io.err(`${file}: ${(e as Error).message}\n`);
      }
      if (fatal && connections === 0) unreadable++;
      if (!a.json && connections === 0 && !fatal) io.out(s.dim(`${file}: no RDP connection found\n`));
    }
    if (!a.json) {
      const total = tally.ok + tally.failed + tally.undetermined;
      io.out(s.bold(`${total} RDP connection${total === 1 ? '' : 's'}: ${tally.ok} ok, ${tally.failed} failed, ${tally.undetermined} undetermined\n`));
    }
    if (page && !writeHtmlReport(a.html!, { title: `rdpscope analyze ${a.files.join(' ')}`, connections: page }, io)) return EXIT.CANNOT_ANALYZE;
    if (tally.failed) return EXIT.FAILED;
    return unreadable ? EXIT.CANNOT_ANALYZE : EXIT.OK;
  },
};
