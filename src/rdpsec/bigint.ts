// Unsigned integers as bytes, and modular exponentiation, for the raw RSA of Standard RDP Security.
// [MS-RDPBCGR] 5.3.3.1.2, 5.3.3.1.3 and 5.3.4.1 treat every RSA operand as an unsigned
// little-endian integer; X.509 and PKCS#1 keys carry theirs big-endian.

function hexOf(b: Uint8Array, reverse: boolean): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[reverse ? b.length - 1 - i : i]!.toString(16).padStart(2, '0');
  return s;
}

/** The unsigned integer whose least significant byte comes first. */
export function fromLittleEndian(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${hexOf(b, true)}`);
}

/** The unsigned integer whose most significant byte comes first. */
export function fromBigEndian(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt(`0x${hexOf(b, false)}`);
}

function bytesOf(x: bigint, length: number, littleEndian: boolean): Uint8Array {
  if (x < 0n) throw new RangeError('negative integer');
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`length ${length}`);
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) {
    out[littleEndian ? i : length - 1 - i] = Number(x & 0xffn);
    x >>= 8n;
  }
  if (x !== 0n) throw new RangeError(`integer does not fit in ${length} bytes`);
  return out;
}

/** x as exactly `length` bytes, least significant first (RangeError if it does not fit). */
export function toLittleEndian(x: bigint, length: number): Uint8Array {
  return bytesOf(x, length, true);
}

/** x as exactly `length` bytes, most significant first (RangeError if it does not fit). */
export function toBigEndian(x: bigint, length: number): Uint8Array {
  return bytesOf(x, length, false);
}

/** Number of significant bits (0 for 0). */
export function bitLength(x: bigint): number {
  return x <= 0n ? 0 : x.toString(2).length;
}

/** base^exponent mod modulus by square-and-multiply (modulus > 1, exponent >= 0). */
export function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  if (modulus <= 1n) throw new RangeError('modulus must be greater than 1');
  if (exponent < 0n) throw new RangeError('negative exponent');
  let result = 1n;
  let b = base % modulus;
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * b) % modulus;
    b = (b * b) % modulus;
  }
  return result;
}
