// Byte-array comparison shared by the decoders and the certificate check.

/** Same length and same bytes (memcmp through Buffer.compare). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && Buffer.compare(a, b) === 0;
}
