// The one I/O entry of the capture layer: a capture file (or stdin) as a stream of chunks.
import { createReadStream } from 'node:fs';

/** Large reads: the parser copies nothing but the records that straddle two chunks. */
const CHUNK_BYTES = 1 << 20;

/** Chunks of the file at `path`; "-" reads standard input. */
export function openCaptureFile(path: string): AsyncIterable<Uint8Array> {
  if (path === '-') return process.stdin;
  return createReadStream(path, { highWaterMark: CHUNK_BYTES });
}
