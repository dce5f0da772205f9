// The one I/O entry of the capture layer: a capture file (or stdin) as a stream of chunks.
import { createReadStream } from 'node:fs';

/**
 * Large reads: the parser copies nothing but the records that straddle two chunks. Not larger: a
 * chunk outlives the young generation while its packets are analysed, so its bytes are freed only by
 * a full GC, and the peak RSS grows with the chunk (handshakes mix of bench/analyze-vs-tshark.mjs:
 * 191 MB at 1 MiB, 181 MB at 512 KiB, 167 MB at 128 KiB for 5-15% more CPU).
 */
const CHUNK_BYTES = 512 * 1024;

/** Chunks of the file at `path`; "-" reads standard input. */
export function openCaptureFile(path: string): AsyncIterable<Uint8Array> {
  if (path === '-') return process.stdin;
  return createReadStream(path, { highWaterMark: CHUNK_BYTES });
}
