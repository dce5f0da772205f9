import { describe, expect, it } from 'vitest';
import { describeCode } from '../../src/codes/table.js';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  CHANNEL_OPTION, CLIENT_EARLY_CAPABILITY, decodeDataBlocks, decodeServerData, encodeDataBlocks, ENCRYPTION_LEVEL,
  ENCRYPTION_METHOD, flagNames, RDP_VERSION, rdpVersionName, SERVER_EARLY_CAPABILITY,
} from '../../src/gcc/index.js';
import { decodeError } from '../helpers/decode-error.js';

describe('TS_UD_HEADER blocks', () => {
  it('lists blocks with type names, absolute offsets and lengths, keeping unknown types', () => {
    const bytes = fromHex('01 c0 06 00 aa bb 0d c0 04 00 01 0c 05 00 cc');
    expect(decodeDataBlocks(bytes, 100, 'client')).toEqual([
      { type: 0xc001, typeName: 'CS_CORE', offset: 100, length: 6, body: Uint8Array.of(0xaa, 0xbb) },
      { type: 0xc00d, typeName: 'unknown (0xC00D)', offset: 106, length: 4, body: new Uint8Array(0) },
      // a server block in client data is not one the client side defines
      { type: 0x0c01, typeName: 'unknown (0xC01)', offset: 110, length: 5, body: Uint8Array.of(0xcc) },
    ]);
    expect(decodeDataBlocks(bytes.subarray(10), 0, 'server')[0]?.typeName).toBe('SC_CORE');
  });

  it('decodes empty user data to no blocks', () => {
    expect(decodeDataBlocks(new Uint8Array(0), 0, 'server')).toEqual([]);
  });

  it('rejects a partial header, a length under 4 and a length past the end', () => {
    expect(decodeError(() => decodeDataBlocks(fromHex('01 c0 04 00 02'), 10, 'client')).toJSON())
      .toMatchObject({ code: 'NOT_ENOUGH_BYTES', layer: 'mcs', pdu: 'Client GCC user data', field: 'TS_UD_HEADER', offset: 14 });
    expect(decodeError(() => decodeDataBlocks(fromHex('02 0c 02 00'), 10, 'server')).toJSON())
      .toMatchObject({ code: 'INVALID_FIELD', pdu: 'Server GCC user data', field: 'length', offset: 12 });
    expect(decodeError(() => decodeDataBlocks(fromHex('02 0c 09 00 00 00 00 00'), 10, 'server')).toJSON())
      .toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'length', offset: 12 });
  });

  it('encodes blocks behind their headers', () => {
    expect(toHex(encodeDataBlocks([{ type: 0x0c04, body: Uint8Array.of(0xef, 0x03) }, { type: 0xc006, body: new Uint8Array(4) }])))
      .toBe('04 0c 06 00 ef 03 06 c0 08 00 00 00 00 00');
    expect(() => encodeDataBlocks([{ type: 0xc001, body: new Uint8Array(0xfffc) }])).toThrow(RangeError);
  });

  it('keeps unknown server blocks through a round trip', () => {
    const bytes = fromHex('01 0c 08 00 04 00 08 00 77 0c 05 00 01');
    const d = decodeServerData(bytes);
    expect(d.unknown).toMatchObject([{ type: 0x0c77, typeName: 'unknown (0xC77)', offset: 8, length: 5 }]);
  });
});

describe('GCC code tables', () => {
  it('names every RDP version from 4.0 to 10.12', () => {
    expect(rdpVersionName(0x00080001)).toBe('RDP 4.0');
    expect(rdpVersionName(0x00080004)).toBe('RDP 5.0-8.1');
    for (let minor = 0; minor <= 12; minor++) expect(rdpVersionName(0x00080005 + minor)).toBe(`RDP 10.${minor}`);
    expect(rdpVersionName(0x00080012)).toBe('unknown (0x80012)');
    expect(RDP_VERSION.entries.size).toBe(15);
  });

  it('names encryption methods and levels', () => {
    expect([0, 1, 2, 8, 0x10].map((v) => describeCode(ENCRYPTION_METHOD, v).name)).toEqual([
      'ENCRYPTION_METHOD_NONE', 'ENCRYPTION_METHOD_40BIT', 'ENCRYPTION_METHOD_128BIT', 'ENCRYPTION_METHOD_56BIT', 'ENCRYPTION_METHOD_FIPS',
    ]);
    expect([0, 1, 2, 3, 4].map((v) => describeCode(ENCRYPTION_LEVEL, v).name)).toEqual([
      'ENCRYPTION_LEVEL_NONE', 'ENCRYPTION_LEVEL_LOW', 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE', 'ENCRYPTION_LEVEL_HIGH', 'ENCRYPTION_LEVEL_FIPS',
    ]);
    expect(describeCode(ENCRYPTION_METHOD, 4).known).toBe(false);
  });

  it('names flag bits and reports the rest as unknown', () => {
    expect(flagNames(CLIENT_EARLY_CAPABILITY, 0x1001)).toEqual(['RNS_UD_CS_SUPPORT_ERRINFO_PDU', 'unknown (0x1000)']);
    expect(flagNames(SERVER_EARLY_CAPABILITY, 0)).toEqual([]);
    expect(flagNames(CHANNEL_OPTION, 0x80000000)).toEqual(['CHANNEL_OPTION_INITIALIZED']);
    expect(flagNames(CHANNEL_OPTION, 0xffffffff)).toContain('unknown (0x10FFFFF)');
    for (const t of [CLIENT_EARLY_CAPABILITY, SERVER_EARLY_CAPABILITY, CHANNEL_OPTION]) {
      for (const bit of t.entries.keys()) expect(bit & (bit - 1), `0x${bit.toString(16)} is one bit`).toBe(0);
    }
  });
});
