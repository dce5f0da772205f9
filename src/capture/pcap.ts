// Classic pcap (draft-ietf-opsawg-pcap §3-§5): a 24-byte file header, then 16-byte record headers
// (seconds, micro- or nanoseconds, captured length, original length), in the writer's byte order.
import { MAX_RECORD_BYTES, isoTime, type CapturedPacket, type IssueSink, type RecordFormat } from './types.js';

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;

export class PcapFormat implements RecordFormat {
  readonly headerSize = RECORD_HEADER;
  private readonly le: boolean;
  /** timestamp fraction units per millisecond */
  private readonly div: number;
  /** the fraction's name and its units per second */
  private readonly unit: string;
  private readonly perSecond: number;
  private linktype = -1;
  private count = 0;

  /** @param magic the first four bytes read big-endian (one of the four pcap magics) */
  constructor(magic: number, private readonly issues: IssueSink) {
    this.le = magic !== PCAP_MAGIC_US && magic !== PCAP_MAGIC_NS;
    const ns = magic === PCAP_MAGIC_NS || magic === 0x4d3cb2a1;
    this.div = ns ? 1e6 : 1e3;
    this.unit = ns ? 'nanoseconds' : 'microseconds';
    this.perSecond = ns ? 1e9 : 1e6;
  }

  get packets(): number {
    return this.count;
  }

  recordLength(dv: DataView, off: number, fileOffset: number): number {
    if (this.linktype < 0) return FILE_HEADER;
    const capLen = dv.getUint32(off + 8, this.le);
    if (capLen > MAX_RECORD_BYTES - RECORD_HEADER) {
      this.issues.file({
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
    const number = ++this.count;
    const seconds = dv.getUint32(off, le);
    let fraction = dv.getUint32(off + 4, le);
    if (fraction >= this.perSecond) {
      // a writer's bug or corruption: the second is still the best time there is
      this.issues.packet({
        packet: number, offset: fileOffset,
        reason: `timestamp ${this.unit} field ${fraction} out of range (0-${this.perSecond - 1}): the packet is analysed at its whole second, ${isoTime(seconds * 1000)}`,
      });
      fraction = 0;
    }
    out.push({
      number,
      at: seconds * 1000 + fraction / this.div,
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
      this.issues.file({ offset: fileOffset, reason: `unsupported pcap version ${major}.${dv.getUint16(off + 6, this.le)}`, fatal: true });
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
