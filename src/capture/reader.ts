// Push-based capture reader: pcap (draft-ietf-opsawg-pcap) or pcapng (draft-ietf-opsawg-pcapng),
// told apart by magic. Packets are views into the pushed chunks; only a record that straddles two
// chunks is copied, so memory stays flat however large the file is.
import { PCAP_MAGIC_NS, PCAP_MAGIC_US, PcapFormat } from './pcap.js';
import { PCAPNG_MAGIC, PcapngFormat } from './pcapng.js';
import { MAX_PACKET_ISSUES, dataView, type CaptureIssue, type CapturedPacket, type CaptureSecrets, type IssueSink, type RecordFormat } from './types.js';

export type { CaptureIssue, CapturedPacket, CaptureSecrets } from './types.js';

const PCAP_MAGICS = new Set([PCAP_MAGIC_US, PCAP_MAGIC_NS, 0xd4c3b2a1, 0x4d3cb2a1]);

export class CaptureParser {
  /** every issue so far, in file order; end() returns the complete list */
  readonly issues: CaptureIssue[] = [];
  /** TLS key logs embedded in the file (pcapng Decryption Secrets Blocks), in file order */
  readonly secrets: CaptureSecrets[] = [];
  private fmt: RecordFormat | undefined;
  /** the record being assembled across chunks (copied pieces) */
  private parts: Uint8Array[] = [];
  private carried = 0;
  /** length of the carried record once its header is complete, else -1 */
  private carryNeed = -1;
  /** absolute offset of the carried record */
  private carryStart = 0;
  /** absolute offset of the next chunk's first byte */
  private base = 0;
  private stopped = false;
  /** packets returned so far */
  private returned = 0;
  /** problems with single packets listed, and not listed past MAX_PACKET_ISSUES */
  private packetIssues = 0;
  private packetIssuesMore = 0;
  private readonly sink: IssueSink = {
    file: (issue) => {
      this.issues.push(issue);
    },
    packet: (issue) => {
      if (this.packetIssues < MAX_PACKET_ISSUES) {
        this.packetIssues++;
        this.issues.push(issue);
      } else this.packetIssuesMore++;
    },
  };

  /** packets returned by push() so far */
  get packetsRead(): number {
    return this.returned;
  }

  /** packet records met so far, the ones skipped as unreadable included */
  get packetRecords(): number {
    return this.fmt?.packets ?? 0;
  }

  /** an issue said nothing in the file could be analysed (see CaptureIssue.unreadable) */
  get unreadable(): boolean {
    return this.issues.some((i) => i.unreadable);
  }

  /** Packets completed by this chunk. The chunk must not be modified while they are in use. */
  push(chunk: Uint8Array): CapturedPacket[] {
    const out: CapturedPacket[] = [];
    if (this.stopped || chunk.length === 0) return out;
    // views of a plain Uint8Array are much cheaper to make than views of a Node Buffer
    if (chunk.constructor !== Uint8Array) chunk = new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const pos = this.fmt && this.carried === 0 ? 0 : this.finishCarry(chunk, out);
    if (pos >= 0 && !this.stopped) this.run(chunk, pos, out);
    this.base += chunk.length;
    if (this.stopped && this.returned + out.length === 0) this.nothingRead();
    this.returned += out.length;
    return out;
  }

  /** Ends the file: reports a record cut short or an empty file. Returns every issue of the file. */
  end(): CaptureIssue[] {
    if (!this.stopped) {
      this.stopped = true;
      if (this.base === 0) this.issues.push({ offset: 0, reason: 'empty file', fatal: true, unreadable: true });
      else if (!this.fmt) this.issues.push({ offset: 0, reason: `file too short (${this.base} bytes) to be a capture`, fatal: true, unreadable: true });
      else if (this.carried > 0) {
        const { packet, what } = this.fmt.truncated(this.join());
        const need = this.carryNeed >= 0 ? ` of ${this.carryNeed}` : '';
        // cut before any packet: nothing of the file can be analysed
        const none = this.returned === 0 ? '; no packet could be read' : '';
        const issue: CaptureIssue = { offset: this.carryStart, reason: `file cut short: ${what} (${this.carried}${need} bytes present)${none}` };
        if (none) issue.unreadable = true;
        this.issues.push(packet === undefined ? issue : { packet, ...issue });
        this.parts = [];
        this.carried = 0;
      }
      this.fmt?.end?.();
      const n = this.packetIssuesMore;
      if (n > 0) this.issues.push({ offset: 0, reason: `${n} more problem${n === 1 ? '' : 's'} with single packets not listed` });
    }
    return this.issues;
  }

  /** Records wholly inside `chunk` from `pos`; the tail that starts the next record is carried. */
  private run(chunk: Uint8Array, pos: number, out: CapturedPacket[]): void {
    const fmt = this.fmt!;
    const dv = dataView(chunk);
    const end = chunk.length;
    const h = fmt.headerSize;
    while (end - pos >= h) {
      const at = this.base + pos;
      const len = fmt.recordLength(dv, pos, at);
      if (len < 0) return this.stop();
      if (end - pos < len) {
        this.carryNeed = len;
        break;
      }
      if (!fmt.record(chunk, dv, pos, len, at, out)) return this.stop();
      pos += len;
    }
    if (pos < end) {
      this.carryStart = this.base + pos;
      this.carry(chunk.subarray(pos));
    }
  }

  /**
   * Completes the carried record with the start of `chunk` (and identifies the format on the first
   * bytes of the file). Returns where the chunk's own records begin, or -1 if the chunk was used up.
   */
  private finishCarry(chunk: Uint8Array, out: CapturedPacket[]): number {
    let pos = 0;
    if (!this.fmt) {
      pos = this.carry(chunk.subarray(0, 4 - this.carried));
      if (this.carried < 4) return -1;
      if (!this.detect(dataView(this.join()).getUint32(0, false))) return -1;
    }
    const fmt = this.fmt!;
    if (this.carryNeed < 0) {
      pos += this.carry(chunk.subarray(pos, pos + fmt.headerSize - this.carried));
      if (this.carried < fmt.headerSize) return -1;
      this.carryNeed = fmt.recordLength(dataView(this.join()), 0, this.carryStart);
      if (this.carryNeed < 0) {
        this.stop();
        return -1;
      }
    }
    pos += this.carry(chunk.subarray(pos, pos + this.carryNeed - this.carried));
    if (this.carried < this.carryNeed) return -1;
    const rec = this.join();
    this.parts = [];
    this.carried = 0;
    this.carryNeed = -1;
    if (!fmt.record(rec, dataView(rec), 0, rec.length, this.carryStart, out)) {
      this.stop();
      return -1;
    }
    return pos;
  }

  private detect(magic: number): boolean {
    if (PCAP_MAGICS.has(magic)) this.fmt = new PcapFormat(magic, this.sink);
    else if (magic === PCAPNG_MAGIC) this.fmt = new PcapngFormat(this.sink, this.secrets);
    else {
      const hex = magic.toString(16).padStart(8, '0');
      this.issues.push({ offset: 0, reason: `not a pcap or pcapng file (magic 0x${hex})`, fatal: true });
      this.stop();
      return false;
    }
    return true;
  }

  /** Copies a piece into the carry; returns its length. */
  private carry(piece: Uint8Array): number {
    if (piece.length > 0) {
      this.parts.push(piece.slice());
      this.carried += piece.length;
    }
    return piece.length;
  }

  private join(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0]!;
    const all = new Uint8Array(this.carried);
    let o = 0;
    for (const p of this.parts) {
      all.set(p, o);
      o += p.length;
    }
    this.parts = [all];
    return all;
  }

  private stop(): void {
    this.stopped = true;
    this.parts = [];
    this.carried = 0;
  }

  /** Reading stopped before any packet: the issue that stopped it says the file could not be analysed. */
  private nothingRead(): void {
    const last = this.issues[this.issues.length - 1];
    if (last?.fatal) last.unreadable = true;
  }
}
