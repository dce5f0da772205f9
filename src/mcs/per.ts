// ALIGNED PER (ITU-T X.691), the pieces T.125 domain PDUs and T.124 GCC use in RDP ([MS-RDPBCGR]
// 2.2.1.3-2.2.1.9 annotate every bit of them). Bit fields run MSB first and are not aligned; lengths
// of unbounded size, octet strings and whole numbers of range > 255 start on an octet boundary.
// Padding bits are not checked (X.691 says they are zero; decoders ignore them).
import { DecodeError, type DecodeErrorCode, type Layer } from '../wire/errors.js';

/** Bits a constrained whole number of this range takes in a bit field (X.691 §10.5.7.1). */
function bitsFor(range: number): number {
  let n = 0;
  while (2 ** n < range) n++;
  return n;
}

/** Bounded bit cursor over untrusted bytes; errors carry the absolute offset of the byte being read. */
export class PerReader {
  private bit = 0;

  /** @param pdu named in errors; callers may refine it once the PDU type is known */
  constructor(
    private readonly buf: Uint8Array,
    public pdu: string,
    readonly base = 0,
    readonly layer: Layer = 'mcs',
  ) {}

  /** Absolute offset of the byte holding the next bit. */
  get absolute(): number { return this.base + (this.bit >>> 3); }
  /** Whole octets left after the current one is padded out. */
  get remainingOctets(): number { return this.buf.length - Math.ceil(this.bit / 8); }

  error(code: DecodeErrorCode, field: string, reason: string, at = this.absolute): DecodeError {
    return new DecodeError({ code, layer: this.layer, pdu: this.pdu, field, offset: at, reason });
  }

  /** n (<= 32) bits as an unsigned number. */
  bits(n: number, field: string): number {
    const left = this.buf.length * 8 - this.bit;
    if (n > left) throw this.error('NOT_ENOUGH_BYTES', field, `need ${n} bits, have ${left}`);
    let v = 0;
    for (let i = 0; i < n; i++, this.bit++) {
      v = v * 2 + ((this.buf[this.bit >>> 3]! >>> (7 - (this.bit & 7))) & 1);
    }
    return v;
  }

  bool(field: string): boolean {
    return this.bits(1, field) === 1;
  }

  /** Skips the padding bits up to the next octet boundary. */
  align(): void {
    this.bit = Math.ceil(this.bit / 8) * 8;
  }

  /** n octets from the next octet boundary, as a view. */
  octets(n: number, field: string): Uint8Array {
    this.align();
    if (n > this.remainingOctets) throw this.error('NOT_ENOUGH_BYTES', field, `need ${n} bytes, have ${this.remainingOctets}`);
    const start = this.bit >>> 3;
    this.bit += n * 8;
    return this.buf.subarray(start, start + n);
  }

  /** Unsigned big-endian integer of n (<= 4) octets from the next octet boundary. */
  private octetsValue(n: number, field: string): number {
    let v = 0;
    for (const b of this.octets(n, field)) v = v * 256 + b;
    return v;
  }

  /**
   * Length determinant (X.691 §10.9.3.6-10.9.3.7): 0xxxxxxx (0..127) or 10xxxxxx xxxxxxxx (..16383),
   * octet-aligned. The fragmented form (11xxxxxx, 16K blocks) is refused: RDP never sends it.
   */
  length(field: string): number {
    this.align();
    const at = this.absolute;
    const first = this.octetsValue(1, field);
    if (first < 0x80) return first;
    if (first < 0xc0) return ((first & 0x3f) << 8) | this.octetsValue(1, field);
    throw this.error('UNSUPPORTED_VALUE', field, `fragmented length 0x${first.toString(16)} (16K blocks) is not supported`, at);
  }

  /**
   * Constrained whole number lb..ub (X.691 §10.5.7): a bit field for a range up to 255, one aligned
   * octet for 256, two aligned octets up to 65536 (ub - lb < 65536 is all T.124/T.125 need).
   */
  constrained(lb: number, ub: number, field: string): number {
    const range = ub - lb + 1;
    if (range > 255) this.align();
    const at = this.absolute;
    let v: number;
    if (range <= 255) v = this.bits(bitsFor(range), field);
    else if (range === 256) v = this.octetsValue(1, field);
    else v = this.octetsValue(2, field);
    if (v > ub - lb) throw this.error('INVALID_FIELD', field, `${v + lb} is above the upper bound ${ub}`, at);
    return v + lb;
  }

  /** INTEGER (lb..MAX) (X.691 §10.7): aligned octet count, then that many octets, plus lb. */
  semiConstrained(lb: number, field: string, maxOctets = 4): number {
    return lb + this.integerOctets(field, maxOctets, false);
  }

  /** INTEGER without bounds (X.691 §10.8): aligned octet count, then two's complement octets. */
  unconstrained(field: string, maxOctets = 4): number {
    return this.integerOctets(field, maxOctets, true);
  }

  private integerOctets(field: string, maxOctets: number, signed: boolean): number {
    const at = this.absolute;
    const n = this.length(field);
    if (n === 0) throw this.error('INVALID_FIELD', field, 'an INTEGER needs at least one octet', at);
    if (n > maxOctets) throw this.error('LIMIT_EXCEEDED', field, `${n}-octet INTEGER (at most ${maxOctets})`, at);
    const b = this.octets(n, field);
    let v = signed && b[0]! >= 0x80 ? b[0]! - 0x100 : b[0]!;
    for (let i = 1; i < n; i++) v = v * 256 + b[i]!;
    return v;
  }

  /**
   * CHOICE index or ENUMERATED value among `count` root alternatives (X.691 §13, §23), after the
   * extension bit when the type is extensible. Extensions are refused as UNSUPPORTED_VALUE.
   */
  index(count: number, field: string, extensible = false): number {
    const at = this.absolute;
    if (extensible && this.bool(field)) throw this.error('UNSUPPORTED_VALUE', field, 'extension alternative', at);
    const v = this.bits(bitsFor(count), field);
    if (v >= count) throw this.error('UNSUPPORTED_VALUE', field, `${v} is not one of the ${count} alternatives`, at);
    return v;
  }

  /** Extension bit of an extensible SEQUENCE; extension additions are refused. */
  noExtension(field: string): void {
    const at = this.absolute;
    if (this.bool(field)) throw this.error('UNSUPPORTED_VALUE', field, 'extension additions present', at);
  }

  /** OBJECT IDENTIFIER (X.691 §24): length, then X.690 §8.19 contents; dotted form. */
  objectIdentifier(field: string): string {
    const lenAt = this.absolute;
    const n = this.length(field);
    if (n === 0) throw this.error('INVALID_FIELD', field, 'empty OBJECT IDENTIFIER', lenAt);
    const at = this.absolute;
    const b = this.octets(n, field);
    const arcs: number[] = [];
    let v = 0;
    for (let i = 0; i < b.length; i++) {
      if (v > 0x1ffffff) throw this.error('LIMIT_EXCEEDED', field, 'arc above 2^32', at + i);
      v = v * 128 + (b[i]! & 0x7f);
      if (b[i]! & 0x80) continue;
      if (arcs.length === 0) arcs.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else arcs.push(v);
      v = 0;
    }
    if (b[b.length - 1]! & 0x80) throw this.error('INVALID_FIELD', field, 'last arc is unterminated', at + b.length - 1);
    return arcs.join('.');
  }

  /**
   * OCTET STRING (X.691 §17): unbounded → aligned length determinant; SIZE(lb..ub) with ub < 64K →
   * length - lb as a constrained number. Contents are octet-aligned. Returns a view and its offset.
   */
  octetString(field: string, lb = 0, ub?: number): { bytes: Uint8Array; at: number } {
    const n = ub === undefined ? this.length(field) : this.constrained(lb, ub, `${field} length`);
    if (ub === undefined && n < lb) throw this.error('INVALID_FIELD', field, `${n} octets, at least ${lb} required`);
    this.align();
    const at = this.absolute;
    return { bytes: this.octets(n, field), at };
  }

  /**
   * NumericString (SIZE(lb..ub)) FROM "0123456789" as T.124 SimpleNumericString (X.691 §27.5): the
   * length as a constrained number, then 4-bit indexes into "0123456789", octet-aligned (ub > 4).
   */
  numericString(lb: number, ub: number, field: string): string {
    const n = this.constrained(lb, ub, `${field} length`);
    this.align();
    let s = '';
    for (let i = 0; i < n; i++) {
      const at = this.absolute;
      const d = this.bits(4, field);
      if (d > 9) throw this.error('INVALID_FIELD', field, `digit index ${d} is outside "0123456789"`, at);
      s += String(d);
    }
    return s;
  }

  /** Throws INVALID_FIELD when whole octets remain after the current one. */
  expectEnd(field: string): void {
    if (this.remainingOctets > 0) throw this.error('INVALID_FIELD', field, `${this.remainingOctets} unexpected bytes at the end`, this.base + Math.ceil(this.bit / 8));
  }
}

/** Growable bit writer, the inverse of PerReader. Out-of-range values are programming errors (RangeError). */
export class PerWriter {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private acc = 0;
  private nbits = 0;

  bits(v: number, n: number): this {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** n) throw new RangeError(`PER: ${v} does not fit in ${n} bits`);
    for (let i = n - 1; i >= 0; i--) {
      this.acc = (this.acc << 1) | (Math.floor(v / 2 ** i) & 1);
      if (++this.nbits === 8) {
        this.pending.push(this.acc);
        this.acc = 0;
        this.nbits = 0;
      }
    }
    return this;
  }

  bool(b: boolean): this {
    return this.bits(b ? 1 : 0, 1);
  }

  align(): this {
    if (this.nbits > 0) this.bits(0, 8 - this.nbits);
    return this;
  }

  octets(b: Uint8Array): this {
    this.align();
    if (this.pending.length > 0) {
      this.chunks.push(Uint8Array.from(this.pending));
      this.pending = [];
    }
    this.chunks.push(b);
    return this;
  }

  /** Length determinant, 0..16383 (the fragmented form is never written). */
  length(n: number): this {
    if (!Number.isInteger(n) || n < 0 || n > 0x3fff) throw new RangeError(`PER: length ${n} needs fragmentation`);
    this.align();
    return n < 0x80 ? this.bits(n, 8) : this.bits(0x8000 | n, 16);
  }

  constrained(v: number, lb: number, ub: number): this {
    if (!Number.isInteger(v) || v < lb || v > ub) throw new RangeError(`PER: ${v} is outside ${lb}..${ub}`);
    const range = ub - lb + 1;
    if (range <= 255) return this.bits(v - lb, bitsFor(range));
    this.align();
    return this.bits(v - lb, range === 256 ? 8 : 16);
  }

  semiConstrained(v: number, lb: number): this {
    if (!Number.isInteger(v) || v < lb || v - lb > 0xffffffff) throw new RangeError(`PER: ${v} is outside ${lb}..MAX`);
    let x = v - lb;
    const out: number[] = [];
    do { out.unshift(x % 256); x = Math.floor(x / 256); } while (x > 0);
    return this.length(out.length).octets(Uint8Array.from(out));
  }

  unconstrained(v: number): this {
    if (!Number.isInteger(v) || v < -0x80000000 || v > 0x7fffffff) throw new RangeError(`PER: ${v} is not a 32-bit integer`);
    const out: number[] = [];
    let x = v;
    do { out.unshift(x & 0xff); x >>= 8; } while (!(x === 0 && (out[0]! & 0x80) === 0) && !(x === -1 && (out[0]! & 0x80) !== 0));
    return this.length(out.length).octets(Uint8Array.from(out));
  }

  index(v: number, count: number, extensible = false): this {
    if (extensible) this.bool(false);
    if (!Number.isInteger(v) || v < 0 || v >= count) throw new RangeError(`PER: ${v} is not one of ${count} alternatives`);
    return this.bits(v, bitsFor(count));
  }

  objectIdentifier(dotted: string): this {
    const arcs = dotted.split('.').map(Number);
    if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0 || a > 0xffffffff)) throw new RangeError(`PER: bad OID ${dotted}`);
    const out: number[] = [];
    const values = [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)];
    for (const a of values) {
      const septets: number[] = [];
      let x = a;
      do { septets.unshift(x % 128); x = Math.floor(x / 128); } while (x > 0);
      septets.forEach((s, i) => out.push(i < septets.length - 1 ? s | 0x80 : s));
    }
    return this.length(out.length).octets(Uint8Array.from(out));
  }

  octetString(b: Uint8Array, lb = 0, ub?: number): this {
    if (ub === undefined) {
      if (b.length < lb) throw new RangeError(`PER: ${b.length} octets, at least ${lb} required`);
      this.length(b.length);
    } else {
      this.constrained(b.length, lb, ub);
    }
    return this.octets(b);
  }

  numericString(s: string, lb: number, ub: number): this {
    if (!/^[0-9]*$/.test(s)) throw new RangeError(`PER: "${s}" is not a numeric string`);
    this.constrained(s.length, lb, ub).align();
    for (const c of s) this.bits(c.charCodeAt(0) - 0x30, 4);
    return this;
  }

  /** Pads the last octet and returns everything written. */
  finish(): Uint8Array {
    this.align();
    if (this.pending.length > 0) this.chunks.push(Uint8Array.from(this.pending));
    this.pending = [];
    const total = this.chunks.reduce((n, c) => n + c.length, 0);
    const out = new Uint8Array(total);
    let p = 0;
    for (const c of this.chunks) {
      out.set(c, p);
      p += c.length;
    }
    return out;
  }
}
