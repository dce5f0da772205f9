// pcapng (draft-ietf-opsawg-pcapng §3-§4): blocks of type, length, body, length. Reads the Section
// Header (byte order per section), Interface Description (link type, if_tsresol, if_tsoffset),
// Enhanced, Simple and obsolete Packet Blocks, and the TLS key logs of Decryption Secrets Blocks
// (§4.7); every other block is skipped.
import { DecodeError } from '../wire/errors.js';
import { ByteReader } from '../wire/reader.js';
import { latin1 } from '../wire/text.js';
import { MAX_RECORD_BYTES, MAX_TIMESTAMP_MS, dataView, isoTime, type CapturedPacket, type CaptureSecrets, type IssueSink, type RecordFormat } from './types.js';

export const PCAPNG_MAGIC = 0x0a0d0d0a;
export const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const IDB = 1;
const PB = 2;
const SPB = 3;
export const EPB = 6;
/** Decryption Secrets Block (§4.7): secrets type, secrets length, data padded to 32 bits, options. */
export const DSB = 10;
const DSB_HEADER = 20;
/** Secrets type "TLSK": NSS key log text. */
export const SECRETS_TLS_KEY_LOG = 0x544c534b;
const OPT_TSRESOL = 9;
export const OPT_COMMENT = 1;
/** comments kept per packet */
const MAX_COMMENTS = 8;
const utf8 = new TextDecoder();
const OPT_TSOFFSET = 14;

interface Interface {
  linktype: number;
  snaplen: number;
  /** timestamp units per millisecond */
  div: number;
  /** if_tsoffset, in milliseconds */
  offsetMs: number;
}

export class PcapngFormat implements RecordFormat {
  readonly headerSize = 12;
  private le = true;
  private ifaces: Interface[] = [];
  private count = 0;
  private lastAt = 0;
  /** interface ids of this section already reported as undescribed, and the packets skipped since */
  private undescribed = new Set<number>();
  private undescribedMore = 0;

  constructor(private readonly issues: IssueSink, private readonly secrets: CaptureSecrets[]) {}

  get packets(): number {
    return this.count;
  }

  end(): void {
    const n = this.undescribedMore;
    if (n > 0) this.issues.file({ offset: 0, reason: `${n} more packet${n === 1 ? '' : 's'} on interfaces no interface block described, skipped (not listed)` });
  }

  recordLength(dv: DataView, off: number, fileOffset: number): number {
    const type = dv.getUint32(off, this.le);
    const le = type === PCAPNG_MAGIC ? this.sectionOrder(dv, off) : this.le;
    if (le === undefined) {
      this.stop(fileOffset, 'section header has no valid byte-order magic');
      return -1;
    }
    const len = dv.getUint32(off + 4, le);
    if (len < (type === PCAPNG_MAGIC ? 28 : 12) || len % 4 !== 0 || len > MAX_RECORD_BYTES) {
      this.stop(fileOffset, `block of type 0x${type.toString(16)} has an impossible length ${len}`);
      return -1;
    }
    return len;
  }

  record(buf: Uint8Array, dv: DataView, off: number, len: number, fileOffset: number, out: CapturedPacket[]): boolean {
    const type = dv.getUint32(off, this.le);
    if (type === PCAPNG_MAGIC) this.le = this.sectionOrder(dv, off)!;
    const le = this.le;
    if (dv.getUint32(off + len - 4, le) !== len) {
      return this.stop(fileOffset, `block of type 0x${type.toString(16)}: trailing length differs from ${len}`);
    }
    switch (type) {
      case PCAPNG_MAGIC: {
        const major = dv.getUint16(off + 12, le);
        if (major !== 1) return this.stop(fileOffset, `unsupported pcapng version ${major}`);
        this.ifaces = [];
        this.undescribed.clear();
        return true;
      }
      case IDB:
        if (len < 20) return this.skip(fileOffset, undefined, 'interface description block too short');
        this.ifaces.push(this.interface(buf, dv, off, len, fileOffset));
        return true;
      case EPB:
      case PB: {
        const n = ++this.count;
        if (len < 32) return this.skip(fileOffset, n, 'packet block too short');
        const id = type === EPB ? dv.getUint32(off + 8, le) : dv.getUint16(off + 8, le);
        const capLen = dv.getUint32(off + 20, le);
        if (28 + capLen > len - 4) return this.skip(fileOffset, n, `captured length ${capLen} overruns its block`);
        const iface = this.ifaces[id];
        if (!iface) {
          // named once per interface and section: a section without its interface blocks would list every packet
          if (this.undescribed.has(id)) {
            this.undescribedMore++;
            return true;
          }
          this.undescribed.add(id);
          return this.skip(fileOffset, n, `refers to interface ${id}, which no interface block described`);
        }
        const at = (dv.getUint32(off + 12, le) * 4294967296 + dv.getUint32(off + 16, le)) / iface.div + iface.offsetMs;
        if (Number.isFinite(at) && Math.abs(at) <= MAX_TIMESTAMP_MS) this.lastAt = at;
        else {
          this.issues.packet({
            packet: n, offset: fileOffset,
            reason: `timestamp ${isoTime(at)} is out of any date's range: the packet is analysed at the previous packet's time, ${isoTime(this.lastAt)}`,
          });
        }
        const packet: CapturedPacket = {
          number: n, at: this.lastAt, linktype: iface.linktype, data: buf.subarray(off + 28, off + 28 + capLen),
          origLen: dv.getUint32(off + 24, le), capLen, interfaceId: id, offset: fileOffset,
        };
        if (type === EPB) {
          const comments = this.comments(buf, dv, off + 28 + capLen + ((4 - (capLen % 4)) % 4), off + len - 4);
          if (comments) packet.comments = comments;
        }
        out.push(packet);
        return true;
      }
      case SPB: {
        const n = ++this.count;
        const iface = this.ifaces[0];
        if (len < 16) return this.skip(fileOffset, n, 'simple packet block too short');
        if (!iface) return this.skip(fileOffset, n, 'simple packet block without an interface block');
        // no timestamp of its own (§4.4): it takes the previous packet's time
        const origLen = dv.getUint32(off + 8, le);
        const capLen = Math.min(origLen, len - 16, iface.snaplen || Infinity);
        out.push({
          number: n, at: this.lastAt, linktype: iface.linktype, data: buf.subarray(off + 12, off + 12 + capLen),
          origLen, capLen, interfaceId: 0, offset: fileOffset,
        });
        return true;
      }
      case DSB: {
        if (len < DSB_HEADER) return this.skip(fileOffset, undefined, 'decryption secrets block too short');
        const kind = dv.getUint32(off + 8, le);
        const size = dv.getUint32(off + 12, le);
        if (size > len - DSB_HEADER) return this.skip(fileOffset, undefined, `decryption secrets length ${size} overruns its block`);
        if (kind === SECRETS_TLS_KEY_LOG) this.secrets.push({ offset: fileOffset, keyLog: latin1(buf.subarray(off + 16, off + 16 + size)) });
        return true;
      }
      default:
        return true;
    }
  }

  truncated(head: Uint8Array): { packet?: number; what: string } {
    const type = head.length >= 4 ? dataView(head).getUint32(0, this.le) : -1;
    if (type === EPB || type === PB || type === SPB) {
      return { packet: this.count + 1, what: `truncated in packet ${this.count + 1}` };
    }
    return { what: type < 0 ? 'truncated in a block header' : `truncated in a block of type 0x${type.toString(16)}` };
  }

  /**
   * The opt_comment values (§3.5) among the options in [from, to), or undefined when there are none
   * (no allocation for the usual packet); malformed options end the list.
   */
  private comments(buf: Uint8Array, dv: DataView, from: number, to: number): string[] | undefined {
    let out: string[] | undefined;
    for (let o = from; o + 4 <= to && (out?.length ?? 0) < MAX_COMMENTS;) {
      const code = dv.getUint16(o, this.le);
      const size = dv.getUint16(o + 2, this.le);
      if (code === 0 || o + 4 + size > to) break;
      if (code === OPT_COMMENT) (out ??= []).push(utf8.decode(buf.subarray(o + 4, o + 4 + size)));
      o += 4 + size + ((4 - (size % 4)) % 4);
    }
    return out;
  }

  /** true for little-endian, false for big-endian, undefined when the magic is wrong */
  private sectionOrder(dv: DataView, off: number): boolean | undefined {
    const bom = dv.getUint32(off + 8, true);
    if (bom === BYTE_ORDER_MAGIC) return true;
    return bom === 0x4d3c2b1a ? false : undefined;
  }

  private interface(buf: Uint8Array, dv: DataView, off: number, len: number, fileOffset: number): Interface {
    const le = this.le;
    const iface: Interface = { linktype: dv.getUint16(off + 8, le), snaplen: dv.getUint32(off + 12, le), div: 1000, offsetMs: 0 };
    const r = new ByteReader(buf.subarray(off + 16, off + len - 4), 'capture', 'pcapng interface block', fileOffset + 16);
    try {
      while (r.remaining >= 4) {
        const code = le ? r.u16le('option code') : r.u16be('option code');
        const size = le ? r.u16le('option length') : r.u16be('option length');
        if (code === 0) break;
        const v = r.sub(size, 'option value');
        r.skip((4 - (size % 4)) % 4, 'option padding');
        if (code === OPT_TSRESOL && size === 1) iface.div = unitsPerSecond(v.u8('if_tsresol')) / 1000;
        if (code === OPT_TSOFFSET && size === 8) {
          const a = le ? v.u32le('if_tsoffset') : v.u32be('if_tsoffset');
          const b = le ? v.u32le('if_tsoffset') : v.u32be('if_tsoffset');
          const [hi, lo] = le ? [b, a] : [a, b];
          iface.offsetMs = ((hi | 0) * 4294967296 + lo) * 1000;
        }
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      this.issues.file({ offset: e.offset, reason: `interface ${this.ifaces.length}: ${e.reason}; later options ignored` });
    }
    if (Number.isNaN(iface.div)) {
      this.issues.file({ offset: fileOffset, reason: `interface ${this.ifaces.length}: unusable if_tsresol; microseconds assumed` });
      iface.div = 1000;
    }
    return iface;
  }

  private skip(fileOffset: number, packet: number | undefined, why: string): boolean {
    if (packet === undefined) this.issues.file({ offset: fileOffset, reason: why });
    else this.issues.packet({ packet, offset: fileOffset, reason: `packet ${packet} ${why}` });
    return true;
  }

  private stop(fileOffset: number, why: string): false {
    this.issues.file({ offset: fileOffset, reason: `${why}: file is corrupt, reading stopped`, fatal: true });
    return false;
  }
}

/** if_tsresol: 10^v units per second, or 2^v when the top bit is set (§4.2); NaN past 64-bit range. */
function unitsPerSecond(v: number): number {
  if (v & 0x80) return (v & 0x7f) <= 64 ? 2 ** (v & 0x7f) : NaN;
  return v <= 19 ? 10 ** v : NaN;
}
