// Capture replay: capture bytes → packets → RDP connections → one HandshakeTracker each → verdict.
// Each connection is yielded as soon as it ends in the capture; the ones still open at the end last.
// With TLS keys (a key log, the pcapng's own Decryption Secrets Blocks, or a server's RSA key) a
// ConnectionDecryptor per connection adds the plaintext the live probe would have seen.
import { diagnose, type DiagnoseOptions, type Verdict } from '../analyze/diagnose.js';
import type { TrackerEvent } from '../analyze/events.js';
import { HandshakeTracker } from '../analyze/tracker.js';
import { FlowTable, type FlowMeta, type FlowOutput } from './flows.js';
import { CaptureParser, type CaptureIssue, type CapturedPacket } from './reader.js';
import { ConnectionDecryptor, type DecryptionKeys } from '../tls/decrypt/connection-decryptor.js';
import { KeyLog } from '../tls/decrypt/keylog.js';
import { resolveLimits, type Limits } from '../limits.js';

export interface ReplayOptions {
  /** server ports taken as RDP whatever the payload (default 3389) */
  rdpPorts?: number[];
  /** certificate names and trust anchors for the verdicts */
  diagnose?: DiagnoseOptions;
  /** analyse only the connections this accepts */
  filter?: (flow: FlowMeta) => boolean;
  /** TLS keys; the key logs of the capture's Decryption Secrets Blocks are added to keyLog */
  keys?: DecryptionKeys;
  /** bounds (src/limits.ts): the flow table's, each tracker's and decryptor's, the verdicts'; defaults for those not given */
  limits?: Partial<Limits>;
}

export type ReplayItem =
  | { type: 'connection'; flow: FlowMeta; lastPacket: number; events: readonly TrackerEvent[]; verdict: Verdict }
  | { type: 'issue'; issue: CaptureIssue };

class Replay {
  private readonly parser = new CaptureParser();
  private readonly table: FlowTable;
  private readonly open = new Map<number, { flow: FlowMeta; tracker: HandshakeTracker; decryptor?: ConnectionDecryptor }>();
  private readonly keys: DecryptionKeys;
  private readonly limits: Limits;
  private readonly diagnoseOptions: DiagnoseOptions | undefined;
  private issuesOut = 0;
  private secretsIn = 0;
  /** the packet being replayed, to place decryption issues in the file */
  private current: CapturedPacket | undefined;

  constructor(private readonly opts: ReplayOptions) {
    this.limits = resolveLimits(opts.limits);
    this.table = new FlowTable({
      ...(opts.rdpPorts ? { rdpPorts: opts.rdpPorts } : {}),
      maxFlows: this.limits.flows, idleTimeoutMs: this.limits['flow-idle-seconds'] * 1000, maxHeldBytes: this.limits['held-bytes'],
    });
    this.diagnoseOptions = opts.limits ? { ...opts.diagnose, limits: this.limits } : opts.diagnose;
    this.keys = opts.keys ?? { keyLog: new KeyLog(), serverKeys: [] };
  }

  chunk(bytes: Uint8Array): ReplayItem[] {
    const out: ReplayItem[] = [];
    const packets = this.parser.push(bytes);
    // the keys must be in before the packets; their problems are listed with the file's, in file order
    const secretIssues = this.captureSecrets();
    for (const p of packets) {
      this.current = p;
      this.take(this.table.packet(p), out);
    }
    this.current = undefined;
    this.captureIssues(out, secretIssues);
    return out;
  }

  end(): ReplayItem[] {
    const out: ReplayItem[] = [];
    this.parser.end();
    this.captureIssues(out);
    this.take(this.table.end(this.table.endAt), out);
    const none = this.nothingUsable();
    if (none) out.push({ type: 'issue', issue: none });
    return out;
  }

  /** The file had packet records but none this reader could use: nothing of it could be analysed. */
  private nothingUsable(): CaptureIssue | undefined {
    const records = this.parser.packetRecords;
    if (this.parser.unreadable || records === 0 || this.table.usablePackets > 0) return undefined;
    const read = this.parser.packetsRead;
    const linktypes = this.table.unsupportedLinktypes;
    const lt = `an unsupported link type (${linktypes.join(', ')})`;
    const why = read === 0 ? `${records === 1 ? 'the only packet was' : `all ${records} packets were`} skipped as unreadable (see above)`
      : read === records ? `${records === 1 ? 'the only packet is' : `all ${records} packets are`} of ${lt}`
        : `of its ${records} packets, ${records - read} were skipped as unreadable and ${read} are of ${lt}`;
    return { offset: 0, reason: `nothing could be analysed: ${why}`, unreadable: true };
  }

  private take(outputs: FlowOutput[], out: ReplayItem[]): void {
    for (const o of outputs) {
      switch (o.type) {
        case 'start':
          if (!this.opts.filter || this.opts.filter(o.flow)) {
            const decrypt = this.keys.keyLog.size > 0 || this.keys.serverKeys.length > 0;
            this.open.set(o.flow.id, { flow: o.flow, tracker: new HandshakeTracker(this.opts.limits ? { limits: this.limits } : {}), ...(decrypt ? { decryptor: new ConnectionDecryptor(this.keys, this.limits) } : {}) });
          }
          break;
        case 'input': {
          const c = this.open.get(o.flowId);
          if (!c) break;
          c.tracker.push(o.input);
          if (!c.decryptor) break;
          // the plaintext follows the wire bytes that carried it, as from the live TLS socket
          const { inputs, issues } = c.decryptor.push(o.input);
          for (const input of inputs) c.tracker.push(input);
          for (const i of issues) {
            const offset = i.packet !== undefined && i.packet === this.current?.number ? this.current.offset : 0;
            out.push({ type: 'issue', issue: { ...(i.packet === undefined ? {} : { packet: i.packet }), offset, reason: `connection #${o.flowId}: ${i.reason}` } });
          }
          break;
        }
        case 'finish': {
          const c = this.open.get(o.flowId);
          if (!c) break;
          this.open.delete(o.flowId);
          const events = c.tracker.events;
          out.push({ type: 'connection', flow: c.flow, lastPacket: o.lastPacket, events, verdict: diagnose(events, this.diagnoseOptions) });
          break;
        }
        case 'issue':
          out.push({ type: 'issue', issue: o.issue });
      }
    }
  }

  /** Key logs from the file's Decryption Secrets Blocks; a bad line is an issue, the rest are kept. */
  private captureSecrets(): CaptureIssue[] {
    const issues: CaptureIssue[] = [];
    const all = this.parser.secrets;
    for (; this.secretsIn < all.length; this.secretsIn++) {
      const s = all[this.secretsIn]!;
      for (const i of this.keys.keyLog.add(s.keyLog)) {
        issues.push({ offset: s.offset, reason: `decryption secrets block: ${i.line === undefined ? '' : `line ${i.line}: `}${i.reason}` });
      }
    }
    return issues;
  }

  private captureIssues(out: ReplayItem[], more: CaptureIssue[] = []): void {
    const all = this.parser.issues;
    const fresh = [...all.slice(this.issuesOut), ...more].sort((a, b) => a.offset - b.offset);
    this.issuesOut = all.length;
    for (const issue of fresh) out.push({ type: 'issue', issue });
  }
}

/** Replays a capture read chunk by chunk (see file.ts), yielding connections as they end. */
export async function* replayCapture(source: AsyncIterable<Uint8Array>, opts: ReplayOptions = {}): AsyncGenerator<ReplayItem> {
  const replay = new Replay(opts);
  for await (const chunk of source) yield* replay.chunk(chunk);
  yield* replay.end();
}

/** The same over a capture already in memory. */
export function replayBytes(bytes: Uint8Array, opts: ReplayOptions = {}): ReplayItem[] {
  const replay = new Replay(opts);
  return [...replay.chunk(bytes), ...replay.end()];
}
