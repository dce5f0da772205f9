// Helpers shared by the RDP PDU codecs (src/rdp, src/licensing): flag and value naming, the string
// encodings [MS-RDPBCGR] uses (UTF-16LE or an ANSI code page, NUL-terminated), and length checks that
// name the length field when a nested length does not fit its parent.
import { ByteReader } from '../wire/reader.js';
import { latin1, untilNul } from '../wire/text.js';
import { hexN } from '../wire/hex.js';

export const RDP_LAYER = 'rdp' as const;

export type FlagTable = readonly (readonly [number, string])[];

/** Names of the bits set in raw; bits no entry names are appended as `unknown (0x..)`. */
export function flagNames(raw: number, table: FlagTable, width = 4): string[] {
  let known = 0;
  const names: string[] = [];
  for (const [bit, name] of table) {
    if ((raw & bit) === bit && bit !== 0) {
      names.push(name);
      known |= bit;
    }
  }
  const unknown = (raw & ~known) >>> 0;
  if (unknown) names.push(`unknown (${hexN(unknown, width)})`);
  return names;
}

/** Name of a single value, or `unknown (0x..)`. */
export function valueName(value: number, table: Readonly<Record<number, string>>, width = 2): string {
  return table[value] ?? `unknown (${hexN(value, width)})`;
}

/** A reader in layer 'rdp' over bytes whose first byte is at absolute offset base. */
export function rdpReader(bytes: Uint8Array, base: number, pdu: string): ByteReader {
  return new ByteReader(bytes, RDP_LAYER, pdu, base);
}

/**
 * Reads a length-prefixed region: checks the declared length against what is left before reading, and
 * reports an overrun at the length field itself (not at the end of the buffer).
 */
export function checkedLength(r: ByteReader, length: number, lengthAt: number, field: string, what: string): void {
  if (length > r.remaining) {
    throw r.error('INVALID_FIELD', field, `${what} says ${length} bytes, only ${r.remaining} follow`, lengthAt);
  }
}

/** UTF-16LE text up to the first NUL (or the end); never throws on odd lengths or bad surrogates. */
export function utf16le(b: Uint8Array): string {
  const units = untilNul(b, 2);
  let s = '';
  for (let i = 0; i < units.length; i += 2) s += String.fromCharCode(units[i]! | (units[i + 1]! << 8));
  return s;
}

/** Single-byte text up to the first NUL (ANSI code pages are decoded as Latin-1: exact for ASCII). */
export function latin1z(b: Uint8Array): string {
  return latin1(untilNul(b, 1));
}

/** Throws INVALID_FIELD 'trailing data' when bytes are left over. */
export function expectEnd(r: ByteReader, after: string): void {
  if (r.remaining > 0) {
    throw r.error('INVALID_FIELD', 'trailing data', `${r.remaining} unexpected bytes after ${after}`);
  }
}
