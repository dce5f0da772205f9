// Exact-size writer: callers compute sizeX() first, and finish() asserts every byte was written.

export class ByteWriter {
  private pos = 0;
  private readonly buf: Uint8Array;

  constructor(size: number) {
    this.buf = new Uint8Array(size);
  }

  get offset(): number { return this.pos; }

  private room(n: number): void {
    if (this.pos + n > this.buf.length) {
      throw new RangeError(`ByteWriter overflow: writing ${n} at ${this.pos} of ${this.buf.length}`);
    }
  }

  u8(v: number): this {
    this.room(1);
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u16le(v: number): this {
    this.room(2);
    this.buf[this.pos++] = v & 0xff;
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    return this;
  }

  u16be(v: number): this {
    this.room(2);
    this.buf[this.pos++] = (v >>> 8) & 0xff;
    this.buf[this.pos++] = v & 0xff;
    return this;
  }

  u32le(v: number): this {
    this.room(4);
    for (let i = 0; i < 4; i++) this.buf[this.pos++] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  u32be(v: number): this {
    this.room(4);
    for (let i = 3; i >= 0; i--) this.buf[this.pos++] = (v >>> (8 * i)) & 0xff;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
    return this;
  }

  /** The written buffer; throws if fewer bytes were written than were sized. */
  finish(): Uint8Array {
    if (this.pos !== this.buf.length) {
      throw new RangeError(`ByteWriter underflow: wrote ${this.pos} of ${this.buf.length}`);
    }
    return this.buf;
  }
}

/** The parts one after another, in a new buffer. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
