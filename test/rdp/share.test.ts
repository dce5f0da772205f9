import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeDeactivateAll, decodeSetErrorInfo, decodeSharePdu, decodeSharePdus, describeErrorInfo, encodeDeactivateAll,
  encodeSetErrorInfo, encodeShareControlPdu, encodeShareDataPdu, PDUTYPE, PDUTYPE2, pduType2Name, pduTypeName, STREAM,
} from '../../src/rdp/index.js';
import { decodeError } from '../helpers/decode-error.js';
import * as V from '../vectors/rdp.js';

const SEI = fromHex(V.SET_ERROR_INFO_DENIED);
const DA = fromHex(V.DEACTIVATE_ALL);

describe('Share Control and Share Data headers', () => {
  it('decode a Data PDU: control header, data header, body', () => {
    const pdu = decodeSharePdu(SEI, 40);
    if (pdu.kind !== 'control') throw new Error('not a control PDU');
    expect(pdu.control).toEqual({ totalLength: 22, pduType: 0x17, type: 7, typeName: 'PDUTYPE_DATAPDU', version: 1, pduSource: 0 });
    expect(pdu.length).toBe(22);
    expect(pdu.bodyOffset).toBe(6);
    expect(pdu.data!.header).toEqual({
      shareId: 0x103ea, pad1: 0, streamId: 1, streamName: 'STREAM_LOW', uncompressedLength: 8, pduType2: 47,
      pduType2Name: 'PDUTYPE2_SET_ERROR_INFO_PDU', compressedType: 0, compressionFlagNames: [], compressed: false, compressedLength: 0,
    });
    expect(pdu.data!.bodyOffset).toBe(18);
    expect(toHex(pdu.data!.body)).toBe('07 00 00 00');
  });

  it('decode a FlowPDU (totalLength 0x8000) to a typed result', () => {
    expect(decodeSharePdu(fromHex(V.FLOW_RESPONSE))).toEqual({
      kind: 'flow', length: 8,
      flow: { pduTypeFlow: 0x42, pduTypeFlowName: 'FLOW_RESPONSE', flowIdentifier: 1, flowNumber: 5, pduSource: 1002 },
    });
  });

  it('accept the 4-byte Deactivate All of Windows XP (no pduSource)', () => {
    const pdu = decodeSharePdu(fromHex(V.DEACTIVATE_ALL_XP));
    expect(pdu).toMatchObject({ kind: 'control', control: { totalLength: 4, type: 6, typeName: 'PDUTYPE_DEACTIVATEALLPDU' }, length: 4 });
    expect(pdu.kind === 'control' && pdu.control.pduSource).toBeUndefined();
  });

  it('split several share PDUs in one buffer', () => {
    const both = new Uint8Array([...SEI, ...DA, ...fromHex(V.FLOW_RESPONSE)]);
    const pdus = decodeSharePdus(both, 7);
    expect(pdus.map((p) => (p.kind === 'control' ? p.control.typeName : p.kind))).toEqual(['PDUTYPE_DATAPDU', 'PDUTYPE_DEACTIVATEALLPDU', 'flow']);
    expect(decodeError(() => decodeSharePdus(new Uint8Array([...SEI, 0x30]), 7))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', offset: 29 });
  });

  it('name totalLength when it overruns or is too short', () => {
    expect(decodeError(() => decodeSharePdu(SEI.subarray(0, 21), 40)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', layer: 'rdp', field: 'totalLength', offset: 40,
    });
    expect(decodeError(() => decodeSharePdu(fromHex('05 00 17 00 00'), 40))).toMatchObject({ field: 'totalLength', offset: 40 });
    expect(decodeError(() => decodeSharePdu(fromHex('0a 00 17 00 00 00 01 02 03 04'), 40))).toMatchObject({ field: 'totalLength', offset: 40 });
    expect(decodeError(() => decodeSharePdu(fromHex('00 80 41 00'), 40))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'FlowPDU' });
  });

  it('name every PDU type and pduType2', () => {
    expect([1, 3, 6, 7, 10, 2].map(pduTypeName)).toEqual([
      'PDUTYPE_DEMANDACTIVEPDU', 'PDUTYPE_CONFIRMACTIVEPDU', 'PDUTYPE_DEACTIVATEALLPDU', 'PDUTYPE_DATAPDU',
      'PDUTYPE_SERVER_REDIR_PKT', 'unknown (0x2)',
    ]);
    const expected: [number, string][] = [
      [2, 'UPDATE'], [20, 'CONTROL'], [27, 'POINTER'], [28, 'INPUT'], [31, 'SYNCHRONIZE'], [33, 'REFRESH_RECT'],
      [34, 'PLAY_SOUND'], [35, 'SUPPRESS_OUTPUT'], [36, 'SHUTDOWN_REQUEST'], [37, 'SHUTDOWN_DENIED'],
      [38, 'SAVE_SESSION_INFO'], [39, 'FONTLIST'], [40, 'FONTMAP'], [41, 'SET_KEYBOARD_INDICATORS'],
      [43, 'BITMAPCACHE_PERSISTENT_LIST'], [44, 'BITMAPCACHE_ERROR_PDU'], [45, 'SET_KEYBOARD_IME_STATUS'],
      [46, 'OFFSCRCACHE_ERROR_PDU'], [47, 'SET_ERROR_INFO_PDU'], [48, 'DRAWNINEGRID_ERROR_PDU'],
      [49, 'DRAWGDIPLUS_ERROR_PDU'], [50, 'ARC_STATUS_PDU'], [54, 'STATUS_INFO_PDU'], [55, 'MONITOR_LAYOUT_PDU'],
    ];
    for (const [v, n] of expected) expect(pduType2Name(v)).toBe(`PDUTYPE2_${n}`);
    expect(pduType2Name(99)).toBe('unknown (0x63)');
  });

  it('flag a compressed Data PDU', () => {
    const bytes = encodeShareDataPdu({ shareId: 1, pduSource: 1002, pduType2: PDUTYPE2.UPDATE, payload: Uint8Array.of(1, 2), compressedType: 0x61, compressedLength: 2 });
    const pdu = decodeSharePdu(bytes);
    expect(pdu.kind === 'control' && pdu.data!.header).toMatchObject({ compressed: true, compressionFlagNames: ['PACKET_COMPRESSED', 'PACKET_AT_FRONT'] });
  });

  it('encode control and data PDUs', () => {
    expect(toHex(encodeShareControlPdu({ type: PDUTYPE.DEACTIVATEALLPDU, pduSource: 1002 }, fromHex('ea 03 01 00 01 00 00')))).toBe(toHex(DA));
    const sync = encodeShareDataPdu({ shareId: 0x103ea, pduSource: 1007, pduType2: PDUTYPE2.SYNCHRONIZE, payload: fromHex('01 00 ea 03') });
    // [MS-RDPBCGR] 4.1.14 Client Synchronize PDU (decrypted), from the Share Control Header
    expect(toHex(sync)).toBe('16 00 17 00 ef 03 ea 03 01 00 00 01 08 00 1f 00 00 00 01 00 ea 03');
    expect(STREAM.LOW).toBe(1);
  });
});

describe('Server Set Error Info PDU', () => {
  it('decodes errorInfo 7 as ERRINFO_SERVER_DENIED_CONNECTION', () => {
    const e = decodeSetErrorInfo(SEI, 30);
    expect(e.errorInfo).toBe(7);
    expect(e.error).toMatchObject({ name: 'ERRINFO_SERVER_DENIED_CONNECTION', hex: '0x7', known: true });
    expect(e.control.pduSource).toBe(0);
    expect(e.header.pduType2Name).toBe('PDUTYPE2_SET_ERROR_INFO_PDU');
  });

  it('encodes the same 22 bytes', () => {
    expect(toHex(encodeSetErrorInfo({ errorInfo: 7, shareId: 0x103ea }))).toBe(toHex(SEI));
  });

  it('names unknown codes, and rejects other Data PDUs, short and long bodies', () => {
    expect(describeErrorInfo(0xdead)).toMatchObject({ name: 'unknown (0xDEAD)', known: false });
    const other = SEI.slice();
    other[14] = 31;
    expect(decodeError(() => decodeSetErrorInfo(other, 30))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'pduType2', offset: 44 });
    expect(decodeError(() => decodeSetErrorInfo(DA, 30))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'pduType', offset: 32 });
    const short = encodeShareDataPdu({ shareId: 1, pduSource: 0, pduType2: 47, payload: Uint8Array.of(7, 0) });
    expect(decodeError(() => decodeSetErrorInfo(short, 30))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'errorInfo', offset: 48 });
    const long = encodeShareDataPdu({ shareId: 1, pduSource: 0, pduType2: 47, payload: Uint8Array.of(7, 0, 0, 0, 0) });
    expect(decodeError(() => decodeSetErrorInfo(long, 30))).toMatchObject({ field: 'trailing data', offset: 52 });
    expect(decodeError(() => decodeSetErrorInfo(new Uint8Array([...SEI, 0]), 30))).toMatchObject({ field: 'totalLength', offset: 30 });
  });
});

describe('Server Deactivate All PDU', () => {
  it('decodes and encodes the 2.2.3.1.1 layout', () => {
    const d = decodeDeactivateAll(DA, 60);
    expect(d).toMatchObject({ shareId: 0x103ea, sourceDescriptorText: '' });
    expect(d.control).toMatchObject({ typeName: 'PDUTYPE_DEACTIVATEALLPDU', pduSource: 1002, totalLength: 13 });
    expect(toHex(d.sourceDescriptor!)).toBe('00');
    expect(toHex(encodeDeactivateAll({ shareId: 0x103ea, pduSource: 1002 }))).toBe(toHex(DA));
  });

  it('decodes the 4-byte Windows XP form', () => {
    const d = decodeDeactivateAll(fromHex(V.DEACTIVATE_ALL_XP));
    expect(d.shareId).toBeUndefined();
    expect(d.control.totalLength).toBe(4);
  });

  it('names lengthSourceDescriptor when it overruns, and the type when it is not Deactivate All', () => {
    const bad = DA.slice();
    bad[10] = 2;
    expect(decodeError(() => decodeDeactivateAll(bad, 60))).toMatchObject({ code: 'INVALID_FIELD', field: 'lengthSourceDescriptor', offset: 70 });
    expect(decodeError(() => decodeDeactivateAll(SEI, 60))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'pduType', offset: 62 });
  });
});
