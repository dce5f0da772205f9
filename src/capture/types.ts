// Shapes shared by the capture-file readers (draft-ietf-opsawg-pcap, draft-ietf-opsawg-pcapng).

/** One packet record from a capture file. `data` is a view into the pushed chunk (no copy). */
export interface CapturedPacket {
  /** 1-based record number, the same as Wireshark's frame number */
  number: number;
  /** milliseconds since the Unix epoch (fractional) */
  at: number;
  /** LINKTYPE_ value of the packet's interface */
  linktype: number;
  data: Uint8Array;
  /** length of the packet on the wire */
  origLen: number;
  /** captured length (data.length) */
  capLen: number;
  /** pcapng interface index; 0 for classic pcap */
  interfaceId: number;
  /** absolute file offset of the packet's record */
  offset: number;
  /** pcapng opt_comment options of the packet, when it has any */
  comments?: string[];
}

/** A problem in the file or in one packet. Parsing goes on unless the file framing is lost. */
export interface CaptureIssue {
  packet?: number;
  /** absolute file offset of the record concerned */
  offset: number;
  reason: string;
  /** reading of the file stopped here (unreadable format or lost framing) */
  fatal?: boolean;
  /**
   * nothing in the file could be analysed: not a capture, empty, cut or corrupt before its first
   * packet, or no packet of it usable (every one skipped or of an unsupported link type). `analyze`
   * exits 3 for such a file; a file with readable packets and no RDP in them is not unreadable.
   */
  unreadable?: boolean;
}

/** A pcapng Decryption Secrets Block (draft-ietf-opsawg-pcapng §4.7) with TLS key log text. */
export interface CaptureSecrets {
  /** absolute file offset of the block */
  offset: number;
  /** the NSS key log lines (secrets type 0x544c534b "TLSK") */
  keyLog: string;
}

/**
 * A proxy a TCP connection goes through: the flow's server is the proxy, `target` the destination
 * the client asked it for; the tracker sees the tunnelled streams only, after the proxy handshake.
 */
export interface Tunnel {
  kind: 'socks5' | 'socks4';
  /** host: an IPv4/IPv6 address or the domain name as the client sent it */
  target: { host: string; port: number };
}

/** Largest record (pcap packet record or pcapng block) accepted: anything longer is corruption. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * Problems with single packets listed one by one per file, by the reader and by the flow table
 * each; the rest are counted in a last issue (limit packet-issues).
 */
export const MAX_PACKET_ISSUES = 100;

/**
 * Timestamps a packet may carry, in ms since the epoch: what a JavaScript Date can hold (±275,760
 * years). Past it a pcapng timestamp (64 bits in interface units, plus if_tsoffset) is corruption.
 */
export const MAX_TIMESTAMP_MS = 8.64e15;

/** Where a format reports problems: with the file, or with one packet (bounded, see MAX_PACKET_ISSUES). */
export interface IssueSink {
  file(issue: CaptureIssue): void;
  packet(issue: CaptureIssue & { packet: number }): void;
}

/**
 * One capture file format, framed as a sequence of length-prefixed records. The parser hands each
 * format complete records only; formats never throw and never allocate by a length they read.
 */
export interface RecordFormat {
  /** bytes needed before recordLength() can be asked; never more than the smallest valid record */
  readonly headerSize: number;
  /** Total length of the record at `off`, or -1 after reporting why the file cannot go on. */
  recordLength(dv: DataView, off: number, fileOffset: number): number;
  /** Decodes one complete record into `out`; false after reporting a problem that stops the file. */
  record(buf: Uint8Array, dv: DataView, off: number, len: number, fileOffset: number, out: CapturedPacket[]): boolean;
  /** What the record cut short by the end of the file was, e.g. "truncated in packet 12". */
  truncated(head: Uint8Array): { packet?: number; what: string };
  /** packet records numbered so far, the skipped ones included */
  readonly packets: number;
  /** The file ended: counts of the problems reported only once. */
  end?(): void;
}

export function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A packet time for a message: ISO 8601, or the raw milliseconds when no Date can hold it. */
export function isoTime(ms: number): string {
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_TIMESTAMP_MS ? new Date(ms).toISOString() : `${ms} ms after the epoch`;
}
