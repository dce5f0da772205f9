// One direction's pending bytes with the packet number and time of each chunk, so a PDU can be
// traced back to the packet that carried its first byte. Absolute stream offsets throughout.

interface Mark { offset: number; at: number; packet?: number }

export class StreamBuffer {
  private buf: Uint8Array = new Uint8Array(0);
  /** absolute stream offset of buf[0] */
  private start = 0;
  private marks: Mark[] = [];

  get offset(): number { return this.start; }
  get length(): number { return this.buf.length; }
  /** absolute offset just past the last byte received */
  get end(): number { return this.start + this.buf.length; }

  append(bytes: Uint8Array, at: number, packet?: number): void {
    this.marks.push(packet === undefined ? { offset: this.end, at } : { offset: this.end, at, packet });
    if (this.buf.length === 0) {
      this.buf = bytes;
      return;
    }
    const merged = new Uint8Array(this.buf.length + bytes.length);
    merged.set(this.buf);
    merged.set(bytes, this.buf.length);
    this.buf = merged;
  }

  view(): Uint8Array { return this.buf; }

  /** Copies a leftover that is a small view into a large chunk, so the chunk can be released. */
  compact(): void {
    if (this.buf.length > 0 && this.buf.buffer.byteLength > 2 * this.buf.length) this.buf = this.buf.slice();
  }

  /** Where the byte at absolute offset `off` came from. */
  origin(off: number): { at: number; packet?: number } {
    let hit = this.marks[0];
    for (const m of this.marks) {
      if (m.offset > off) break;
      hit = m;
    }
    return hit ? (hit.packet === undefined ? { at: hit.at } : { at: hit.at, packet: hit.packet }) : { at: 0 };
  }

  /** Removes n bytes from the front (they are copied out so the buffer can be released). */
  take(n: number): Uint8Array {
    const out = this.buf.slice(0, n);
    this.drop(n);
    return out;
  }

  /** Removes n bytes from the front without copying them (bytes that are only counted). */
  drop(n: number): void {
    this.buf = this.buf.subarray(n);
    this.start += n;
    let keep = 0;
    while (keep + 1 < this.marks.length && this.marks[keep + 1]!.offset <= this.start) keep++;
    if (keep > 0) this.marks = this.marks.slice(keep);
  }
}
