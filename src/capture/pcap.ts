// Classic pcap (draft-ietf-opsawg-pcap §3-§5): a 24-byte file header, then 16-byte record headers
// (seconds, micro- or nanoseconds, captured length, original length), in the writer's byte order.
import { MAX_RECORD_BYTES, type CaptureIssue, type CapturedPacket, type RecordFormat } from './types.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapFormat implements RecordFormat {
  readonly headerSize = RECORD_HEADER;
  private readonly le: boolean;
  /** timestamp fraction units per millisecond */
  private readonly div: number;
  private linktype = -1;
  private count = 0;

  /** @param magic the first four bytes read big-endian (one of the four pcap magics) */
  constructor(magic: number, private readonly issues: CaptureIssue[]) {
    this.le = magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS;
    const ns = magic === PCAP_MAGIC_NS || magic === 0x4d3cb2a1;
    this.div = ns ? 1e6 : 1e3;
  }

  recordLength(dv: DataView, off: number, fileOffset: number): number {
    if (this.linktype < 0) return FILE_HEADER;
    const capLen = dv.getUint32(off + 8, this.le);
    if (capLen > MAX_RECORD_BYTES - RECORD_HEADER) {
      this.issues.push({
        packet: this.count + 1, offset: fileOffset,
        reason: `packet record claims ${capLen} captured bytes (limit ${MAX_RECORD_BYTES}): file is corrupt, reading stopped`,
        fatal: true,
      });
      return -1;
    }
    return RECORD_HEADER + capLen;
  }

  record(buf: Uint8Array, dv: DataView, off: number, len: number, fileOffset: number, out: CapturedPacket[]): boolean {
    const le = this.le;
    if (this.linktype < 0) return this.fileHeader(dv, off, fileOffset);
    const capLen = len - RECORD_HEADER;
    out.push({
      number: ++this.count,
      at: dv.getUint32(off, le) * 1000 + dv.getUint32(off + 4, le) / this.div,
      linktype: this.linktype,
      data: buf.subarray(off + RECORD_HEADER, off + len),
      origLen: dv.getUint32(off + 12, le),
      capLen,
      interfaceId: 0,
      offset: fileOffset,
    });
    return true;
  }

  private fileHeader(dv: DataView, off: number, fileOffset: number): boolean {
    const major = dv.getUint16(off + 4, this.le);
    if (major !== 2) {
      this.issues.push({ offset: fileOffset, reason: `unsupported pcap version ${major}.${dv.getUint16(off + 6, this.le)}`, fatal: true });
      return false;
    }
    // the low 16 bits are the link type; the high bits carry FCS information (§4)
    this.linktype = dv.getUint32(off + 20, this.le) & 0xffff;
    return true;
  }

  truncated(): { packet?: number; what: string } {
    if (this.linktype < 0) return { what: 'truncated in the pcap file header' };
    return { packet: this.count + 1, what: `truncated in packet ${this.count + 1}` };
  }
}
