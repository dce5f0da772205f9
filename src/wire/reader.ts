// Bounds-checked cursor over untrusted bytes. Little-endian by default; big-endian is spelled out.
import { DecodeError, type DecodeErrorCode, type Layer } from './errors.js';

export class ByteReader {
  private pos = 0;

  /**
   * @param buf bytes to read
   * @param layer layer named in errors
   * @param pdu PDU named in errors
   * @param base absolute offset of buf[0] in the enclosing stream (errors report absolute offsets)
   */
  constructor(
    private readonly buf: Uint8Array,
    readonly layer: Layer,
    readonly pdu: string,
    readonly base = 0,
  ) {}

  get offset(): number { return this.pos; }
  get absolute(): number { return this.base + this.pos; }
  get remaining(): number { return this.buf.length - this.pos; }
  get length(): number { return this.buf.length; }

  /** Throws NOT_ENOUGH_BYTES unless n more bytes are available. */
  ensure(n: number, field: string): void {
    if (n > this.remaining) {
      throw this.error('NOT_ENOUGH_BYTES', field, `need ${n} bytes, have ${this.remaining}`);
    }
  }

  error(code: DecodeErrorCode, field: string, reason: string, at = this.absolute): DecodeError {
    return new DecodeError({ code, layer: this.layer, pdu: this.pdu, field, offset: at, reason });
  }

  u8(field: string): number {
    this.ensure(1, field);
    return this.buf[this.pos++]!;
  }

  u16le(field: string): number {
    this.ensure(2, field);
    const v = this.buf[this.pos]! | (this.buf[this.pos + 1]! << 8);
    this.pos += 2;
    return v;
  }

  u16be(field: string): number {
    this.ensure(2, field);
    const v = (this.buf[this.pos]! << 8) | this.buf[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  u32le(field: string): number {
    this.ensure(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return (b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16)) + b[p + 3]! * 0x1000000;
  }

  u32be(field: string): number {
    this.ensure(4, field);
    const b = this.buf;
    const p = this.pos;
    this.pos += 4;
    return b[p]! * 0x1000000 + ((b[p + 1]! << 16) | (b[p + 2]! << 8) | b[p + 3]!);
  }

  /** n bytes as a view (no copy). */
  bytes(n: number, field: string): Uint8Array {
    if (n < 0) throw this.error('INVALID_FIELD', field, `negative length ${n}`);
    this.ensure(n, field);
    const v = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }

  skip(n: number, field: string): void {
    this.bytes(n, field);
  }

  /** Next byte without consuming it, or undefined at the end. */
  peekU8(): number | undefined {
    return this.buf[this.pos];
  }

  /** Remaining bytes without consuming them. */
  peekRest(): Uint8Array {
    return this.buf.subarray(this.pos);
  }

  /** A child reader over the next n bytes that keeps absolute offsets; advances this reader. */
  sub(n: number, field: string, pdu = this.pdu, layer = this.layer): ByteReader {
    const start = this.absolute;
    return new ByteReader(this.bytes(n, field), layer, pdu, start);
  }

  rest(field: string): Uint8Array {
    return this.bytes(this.remaining, field);
  }
}
