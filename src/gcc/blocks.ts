// The concatenated settings data blocks inside the GCC Conference Create Request and Response user
// data ([MS-RDPBCGR] 2.2.1.3, 2.2.1.4). Each block is TS_UD_HEADER (2.2.1.3.1: type u16le, length
// u16le counting the header itself) followed by length - 4 bytes of body. Blocks may come in any order.
import { describeCode } from '../codes/table.js';
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { CLIENT_BLOCK_TYPE, SERVER_BLOCK_TYPE } from './codes.js';

export type Side = 'client' | 'server';

export const UD_HEADER_SIZE = 4;

export interface DataBlock {
  type: number;
  /** `CS_CORE`, `SC_SECURITY`, ... or `unknown (0x..)` for a type the side does not define */
  typeName: string;
  /** absolute offset of the block's TS_UD_HEADER */
  offset: number;
  /** the header's length field: header plus body */
  length: number;
  /** the length - 4 body bytes (a copy) */
  body: Uint8Array;
}

/** What encodeDataBlocks needs of a block. */
export interface RawBlock {
  type: number;
  body: Uint8Array;
}

export const userDataName = (side: Side): string => (side === 'client' ? 'Client GCC user data' : 'Server GCC user data');

export function blockTypeName(side: Side, type: number): string {
  return describeCode(side === 'client' ? CLIENT_BLOCK_TYPE : SERVER_BLOCK_TYPE, type).name;
}

/**
 * Splits user data into its blocks. `base` is the absolute offset of bytes[0]. Every header must
 * have length >= 4 and end inside `bytes`; unknown types are kept as they are.
 */
export function decodeDataBlocks(bytes: Uint8Array, base: number, side: Side): DataBlock[] {
  const r = new ByteReader(bytes, 'mcs', userDataName(side), base);
  const blocks: DataBlock[] = [];
  while (r.remaining > 0) {
    const offset = r.absolute;
    r.ensure(UD_HEADER_SIZE, 'TS_UD_HEADER');
    const type = r.u16le('type');
    const lengthAt = r.absolute;
    const length = r.u16le('length');
    const typeName = blockTypeName(side, type);
    if (length < UD_HEADER_SIZE) {
      throw r.error('INVALID_FIELD', 'length', `${typeName} block length ${length} is shorter than its 4-byte header`, lengthAt);
    }
    if (length - UD_HEADER_SIZE > r.remaining) {
      throw r.error('NOT_ENOUGH_BYTES', 'length', `${typeName} block length ${length} runs ${length - UD_HEADER_SIZE - r.remaining} bytes past the user data`, lengthAt);
    }
    blocks.push({ type, typeName, offset, length, body: r.bytes(length - UD_HEADER_SIZE, typeName).slice() });
  }
  return blocks;
}

export function sizeDataBlocks(blocks: readonly RawBlock[]): number {
  return blocks.reduce((n, b) => n + UD_HEADER_SIZE + b.body.length, 0);
}

/** Concatenates blocks, each behind its TS_UD_HEADER (RangeError for a block over 65535 bytes). */
export function encodeDataBlocks(blocks: readonly RawBlock[]): Uint8Array {
  const w = new ByteWriter(sizeDataBlocks(blocks));
  for (const b of blocks) {
    const length = UD_HEADER_SIZE + b.body.length;
    if (length > 0xffff) throw new RangeError(`block 0x${b.type.toString(16)} is ${length} bytes; TS_UD_HEADER length is 16-bit`);
    w.u16le(b.type).u16le(length).bytes(b.body);
  }
  return w.finish();
}
