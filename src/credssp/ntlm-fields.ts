// NTLM building blocks: payload field descriptors (MS-NLMP 2.2.1.1-2.2.1.3 "...Fields"), strings
// (2.2 "Character Sets"), and AV_PAIR lists (2.2.2.1).
import { defineCodes, describeCode } from '../codes/table.js';
import { ByteReader } from '../wire/reader.js';
import { latin1, utf16leText } from '../wire/text.js';

export const NTLM_SIGNATURE = Uint8Array.of(0x4e, 0x54, 0x4c, 0x4d, 0x53, 0x53, 0x50, 0x00);

/** AV_PAIR AvId values (MS-NLMP 2.2.2.1). */
export const AV_ID = defineCodes({
  0: { name: 'MsvAvEOL', meaning: 'End of the list.' },
  1: { name: 'MsvAvNbComputerName', meaning: "The server's NetBIOS computer name." },
  2: { name: 'MsvAvNbDomainName', meaning: "The server's NetBIOS domain name." },
  3: { name: 'MsvAvDnsComputerName', meaning: "The server's FQDN." },
  4: { name: 'MsvAvDnsDomainName', meaning: "The server's DNS domain name." },
  5: { name: 'MsvAvDnsTreeName', meaning: "The server's forest DNS name." },
  6: { name: 'MsvAvFlags', meaning: '0x1 constrained authentication, 0x2 MIC present, 0x4 SPN from an untrusted source.' },
  7: { name: 'MsvAvTimestamp', meaning: "The server's time (FILETIME)." },
  8: { name: 'MsvAvSingleHost', meaning: 'Single_Host_Data: machine ID and token restrictions.' },
  9: { name: 'MsvAvTargetName', meaning: 'The SPN of the target server.' },
  10: { name: 'MsvAvChannelBindings', meaning: 'MD5 of the channel bindings (TLS endpoint).' },
});

/** Offset of the 16-byte MIC in an AUTHENTICATE_MESSAGE (after the 64-byte header and the Version). */
export const MIC_OFFSET = 72;

/** MsvAvFlags bit: the AUTHENTICATE message carries a MIC. */
export const AV_FLAG_MIC_PRESENT = 0x2;

export interface AvPairs {
  nbComputerName?: string;
  nbDomainName?: string;
  dnsComputerName?: string;
  dnsDomainName?: string;
  dnsTreeName?: string;
  flags?: number;
  /** FILETIME: 100 ns units since 1601-01-01 UTC */
  timestamp?: bigint;
  singleHost?: Uint8Array;
  targetName?: string;
  channelBindings?: Uint8Array;
  /** every pair but MsvAvEOL, in order (duplicates included; the named fields keep the first) */
  raw: { id: number; name: string; value: Uint8Array }[];
}

/** UTF-16LE text of the n bytes at r (odd n is INVALID_FIELD). */
export function readUtf16(r: ByteReader, n: number, field: string): string {
  if (n % 2 !== 0) throw r.error('INVALID_FIELD', field, `odd UTF-16 length ${n}`);
  return utf16leText(r.bytes(n, field));
}

/** Text of a payload field: UTF-16LE when unicode, else OEM (read as Latin-1). */
export function text(r: ByteReader, unicode: boolean, field: string): string {
  return unicode ? readUtf16(r, r.remaining, field) : latin1(r.rest(field));
}

/** A Len/MaxLen/BufferOffset triple (offset relative to the message); `at` is the triple's absolute offset. */
export interface FieldRef {
  name: string;
  len: number;
  offset: number;
  at: number;
}

export function readFieldRef(r: ByteReader, name: string): FieldRef {
  const at = r.absolute;
  const len = r.u16le(`${name} Len`);
  r.u16le(`${name} MaxLen`);
  const offset = r.u32le(`${name} BufferOffset`);
  return { name, len, offset, at };
}

/** First payload byte: the lowest offset of the non-empty fields (Infinity when all are empty). */
export function payloadStart(refs: readonly FieldRef[]): number {
  return Math.min(Infinity, ...refs.filter((f) => f.len > 0).map((f) => f.offset));
}

/**
 * A reader over the field's bytes with absolute offsets. An empty field is empty whatever its
 * offset; a non-empty one must lie after the header and inside the message.
 */
export function fieldReader(msg: Uint8Array, base: number, ref: FieldRef, headerEnd: number, pdu: string): ByteReader {
  const r = new ByteReader(msg, 'credssp', pdu, base);
  if (ref.len === 0) return new ByteReader(new Uint8Array(0), 'credssp', pdu, ref.at);
  if (ref.offset < headerEnd) {
    throw r.error('INVALID_FIELD', ref.name, `BufferOffset ${ref.offset} points into the ${headerEnd}-byte header`, ref.at);
  }
  if (ref.offset + ref.len > msg.length) {
    throw r.error('NOT_ENOUGH_BYTES', ref.name, `${ref.len} bytes at offset ${ref.offset}, the message has ${msg.length}`, ref.at);
  }
  r.skip(ref.offset, ref.name);
  return r.sub(ref.len, ref.name);
}

/** AV_PAIRs up to and including MsvAvEOL; bytes after it are left in r. Known fields need their sizes. */
export function decodeAvPairs(r: ByteReader): AvPairs {
  const out: AvPairs = { raw: [] };
  for (;;) {
    const id = r.u16le('AvId');
    const lenAt = r.absolute;
    const len = r.u16le('AvLen');
    const name = describeCode(AV_ID, id).name;
    if (id === 0) {
      if (len !== 0) throw r.error('INVALID_FIELD', name, `AvLen ${len}, must be 0`, lenAt);
      return out;
    }
    const v = r.sub(len, name);
    const fixed = id === 6 ? 4 : id === 7 ? 8 : undefined;
    if (fixed !== undefined && len !== fixed) throw r.error('INVALID_FIELD', name, `AvLen ${len}, must be ${fixed}`, lenAt);
    out.raw.push({ id, name, value: v.peekRest().slice() });
    switch (id) {
      case 1: out.nbComputerName ??= readUtf16(v, len, name); break;
      case 2: out.nbDomainName ??= readUtf16(v, len, name); break;
      case 3: out.dnsComputerName ??= readUtf16(v, len, name); break;
      case 4: out.dnsDomainName ??= readUtf16(v, len, name); break;
      case 5: out.dnsTreeName ??= readUtf16(v, len, name); break;
      case 6: out.flags ??= v.u32le(name); break;
      case 7: out.timestamp ??= BigInt(v.u32le(name)) + (BigInt(v.u32le(name)) << 32n); break;
      case 8: out.singleHost ??= v.rest(name).slice(); break;
      case 9: out.targetName ??= readUtf16(v, len, name); break;
      case 10: out.channelBindings ??= v.rest(name).slice(); break;
      default: break;
    }
  }
}

/** ms between 1601-01-01 (the FILETIME epoch) and 1970-01-01 */
const FILETIME_EPOCH_MS = 11644473600000;

/** FILETIME (100 ns since 1601-01-01 UTC) → ms since the Unix epoch. */
export function filetimeToMs(ft: bigint): number {
  return Number(ft / 10000n) - FILETIME_EPOCH_MS;
}

/** ms since the Unix epoch → FILETIME. */
export function msToFiletime(ms: number): bigint {
  return (BigInt(Math.round(ms)) + BigInt(FILETIME_EPOCH_MS)) * 10_000n;
}
