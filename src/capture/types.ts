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
}

export function dataView(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}
