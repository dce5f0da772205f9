// One direction's pending bytes with the packet number and time of each chunk, so a PDU can be
// traced back to the packet that carried its first byte. Absolute stream offsets throughout.

/** the empty buffer a lane holds once all its bytes were taken (shared; never written) */
const EMPTY = new Uint8Array(0);

interface Mark { offset: number; at: number; packet?: number }

export class StreamBuffer {
  private buf: Uint8Array = new Uint8Array(0);
  /** the buffer of our own that buf lies in, if it does (bytes after buf's end are free) */
  private store: Uint8Array | undefined;
  /** absolute stream offset of buf[0] */
  private start = 0;
  private marks: Mark[] = [];
  /** marks before this index are spent (trimmed lazily: drop() runs for every PDU) */
  private first = 0;

  get offset(): number { return this.start; }
  get length(): number { return this.buf.length; }
  /** absolute offset just past the last byte received */
  get end(): number { return this.start + this.buf.length; }

  append(bytes: Uint8Array, at: number, packet?: number): void {
    this.marks.push(packet === undefined ? { offset: this.end, at } : { offset: this.end, at, packet });
    const buf = this.buf;
    const len = buf.length;
    if (len === 0) {
      this.buf = bytes;
      this.store = undefined;
      return;
    }
    // a PDU arriving in many segments grows in place in a store of our own (doubled when full), so
    // its bytes are not copied again with every segment; nothing outside holds a view past buf's end
    const store = this.store;
    const ours = store !== undefined && buf.buffer === store.buffer;
    if (ours) {
      const end = buf.byteOffset - store.byteOffset + len;
      if (end + bytes.length <= store.length) {
        store.set(bytes, end);
        this.buf = store.subarray(end - len, end + bytes.length);
        return;
      }
    }
    const merged = new Uint8Array(Math.max(len + bytes.length, ours ? 2 * store.length : 0));
    merged.set(buf);
    merged.set(bytes, len);
    this.store = merged;
    this.buf = merged.subarray(0, len + bytes.length);
  }

  view(): Uint8Array { return this.buf; }

  /** Copies a leftover that is a small view into a large chunk, so the chunk can be released. */
  compact(): void {
    if (this.buf.length > 0 && this.buf.buffer.byteLength > 2 * this.buf.length) {
      this.buf = this.buf.slice();
      this.store = this.buf;
    }
  }

  /** The mark of the chunk that carried the byte at absolute offset `off` (read only), if any. */
  mark(off: number): Readonly<Mark> | undefined {
    const marks = this.marks;
    let hit = marks[this.first];
    for (let i = this.first + 1; i < marks.length; i++) {
      const m = marks[i]!;
      if (m.offset > off) break;
      hit = m;
    }
    return hit;
  }

  /** Removes n bytes from the front (they are copied out so the buffer can be released). */
  take(n: number): Uint8Array {
    const out = this.buf.slice(0, n);
    this.drop(n);
    return out;
  }

  /** Removes n bytes from the front without copying them (bytes that are only counted). */
  drop(n: number): void {
    this.buf = n === this.buf.length ? EMPTY : this.buf.subarray(n);
    this.start += n;
    const marks = this.marks;
    let keep = this.first;
    while (keep + 1 < marks.length && marks[keep + 1]!.offset <= this.start) keep++;
    if (keep === this.first) return;
    if (keep + 1 === marks.length) {
      // all but the last spent: keep the list, without allocating
      marks[0] = marks[keep]!;
      marks.length = 1;
      this.first = 0;
    } else if (keep >= 32) {
      marks.splice(0, keep);
      this.first = 0;
    } else this.first = keep;
  }
}
