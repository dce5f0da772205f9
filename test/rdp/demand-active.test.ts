import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  capability, CAPSTYPE, capabilityTypeName, decodeDemandActive, decodeSharePdu, defaultServerCapabilities,
  encodeDemandActive, guidString, multifragmentUpdateCapability,
} from '../../src/rdp/index.js';
import { decodeError } from '../helpers/decode-error.js';
import * as V from '../vectors/rdp.js';

const PLAIN = fromHex(V.DEMAND_ACTIVE_4_1_12_PLAIN);
const MODERN = fromHex(V.DEMAND_ACTIVE_MODERN);
const BASE = 15; // where the decrypted PDU sat in the TPKT

describe('Server Demand Active PDU of [MS-RDPBCGR] 4.1.12 (decrypted, from the Share Control Header)', () => {
  const pdu = decodeDemandActive(PLAIN, BASE);

  it('decodes the fixed fields', () => {
    expect(pdu.control).toEqual({ totalLength: 359, pduType: 0x11, type: 1, typeName: 'PDUTYPE_DEMANDACTIVEPDU', version: 1, pduSource: 1002 });
    expect(pdu).toMatchObject({
      shareId: 0x103ea, lengthSourceDescriptor: 4, lengthCombinedCapabilities: 337, sourceDescriptor: 'RDP',
      numberCapabilities: 13, pad2Octets: 0, sessionId: 0,
    });
  });

  it('lists every capability set with type, name, length and offset', () => {
    expect(pdu.capabilitySets.map((c) => [c.type, c.name, c.length, c.offset - BASE])).toEqual([
      [9, 'CAPSTYPE_SHARE', 8, 22],
      [1, 'CAPSTYPE_GENERAL', 24, 30],
      [20, 'CAPSTYPE_VIRTUALCHANNEL', 8, 54],
      [22, 'CAPSTYPE_DRAWGDIPLUS', 40, 62],
      [14, 'CAPSTYPE_FONT', 4, 102],
      [2, 'CAPSTYPE_BITMAP', 28, 106],
      [3, 'CAPSTYPE_ORDER', 88, 134],
      [10, 'CAPSTYPE_COLORCACHE', 8, 222],
      [18, 'CAPSTYPE_BITMAPCACHE_HOSTSUPPORT', 8, 230],
      [8, 'CAPSTYPE_POINTER', 10, 238],
      [13, 'CAPSTYPE_INPUT', 88, 248],
      [23, 'CAPSTYPE_RAIL', 8, 336],
      [24, 'CAPSTYPE_WINDOW', 11, 344],
    ]);
    expect(pdu.capabilitySets.filter((c) => !c.summary).map((c) => c.name)).toEqual(['CAPSTYPE_DRAWGDIPLUS', 'CAPSTYPE_RAIL', 'CAPSTYPE_WINDOW']);
  });

  it('summarises General, Bitmap, Order', () => {
    expect(capability(pdu, 'general')).toEqual({
      kind: 'general', osMajorType: 1, osMajorTypeName: 'OSMAJORTYPE_WINDOWS', osMinorType: 3, osMinorTypeName: 'OSMINORTYPE_WINDOWS_NT',
      protocolVersion: 0x200, generalCompressionTypes: 0, extraFlags: 0x041d,
      extraFlagNames: ['FASTPATH_OUTPUT_SUPPORTED', 'LONG_CREDENTIALS_SUPPORTED', 'AUTORECONNECT_SUPPORTED', 'ENC_SALTED_CHECKSUM', 'NO_BITMAP_COMPRESSION_HDR'],
      updateCapabilityFlag: 0, remoteUnshareFlag: 0, generalCompressionLevel: 0, refreshRectSupport: true, suppressOutputSupport: true,
    });
    expect(capability(pdu, 'bitmap')).toMatchObject({
      preferredBitsPerPixel: 24, receive1BitPerPixel: 1, receive4BitsPerPixel: 1, receive8BitsPerPixel: 1,
      desktopWidth: 1280, desktopHeight: 1024, desktopResizeFlag: true, bitmapCompressionFlag: true, highColorFlags: 0,
      drawingFlags: 0, drawingFlagNames: [], multipleRectangleSupport: true,
    });
    const order = capability(pdu, 'order')!;
    expect(order).toMatchObject({
      terminalDescriptor: '', desktopSaveXGranularity: 1, desktopSaveYGranularity: 20, maximumOrderLevel: 1, numberFonts: 0,
      orderFlags: 0x22, orderFlagNames: ['NEGOTIATEORDERSUPPORT', 'COLORINDEXSUPPORT'], orderSupportCount: 22,
      textFlags: 0x06a1, orderSupportExFlags: 0, desktopSaveSize: 1000000, textANSICodePage: 0,
    });
    expect(order.orderSupportIndices).toEqual([0, 1, 2, 3, 4, 7, 8, 9, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27]);
  });

  it('summarises Input, Virtual Channel, Share, Font (4 bytes), Pointer, Color Cache, Bitmap Cache Host Support', () => {
    expect(capability(pdu, 'input')).toMatchObject({
      inputFlags: 0x35, inputFlagNames: ['INPUT_FLAG_SCANCODES', 'INPUT_FLAG_MOUSEX', 'INPUT_FLAG_UNICODE', 'INPUT_FLAG_FASTPATH_INPUT2'],
      keyboardLayout: 0x06a1, keyboardType: 1000000,
    });
    expect(capability(pdu, 'virtualChannel')).toEqual({ kind: 'virtualChannel', flags: 2, flagNames: ['VCCAPS_COMPR_CS_8K'] });
    expect(capability(pdu, 'share')).toEqual({ kind: 'share', nodeId: 1002 });
    expect(capability(pdu, 'font')).toEqual({ kind: 'font' });
    expect(capability(pdu, 'pointer')).toEqual({ kind: 'pointer', colorPointerFlag: 1, colorPointerCacheSize: 25, pointerCacheSize: 25 });
    expect(capability(pdu, 'colorCache')).toEqual({ kind: 'colorCache', colorTableCacheSize: 6 });
    expect(capability(pdu, 'bitmapCacheHostSupport')).toEqual({ kind: 'bitmapCacheHostSupport', cacheVersion: 1 });
    expect(capability(pdu, 'bitmapCodecs')).toBeUndefined();
  });

  it('re-encodes to the same 359 bytes from its capability sets', () => {
    const again = encodeDemandActive({
      shareId: pdu.shareId, sourceDescriptor: pdu.sourceDescriptor, sessionId: 0,
      capabilitySets: pdu.capabilitySets.map((c) => ({ type: c.type, data: c.data })),
    });
    expect(toHex(again)).toBe(toHex(PLAIN));
  });

  it('is what decodeSharePdu sees too', () => {
    expect(decodeSharePdu(PLAIN)).toMatchObject({ kind: 'control', control: { typeName: 'PDUTYPE_DEMANDACTIVEPDU' }, length: 359 });
  });
});

describe('a current server\'s Demand Active (built from the 2.2.7 layouts)', () => {
  const pdu = decodeDemandActive(MODERN, 0);

  it('summarises the RDP 6+ capability sets and keeps unknown types as type and length', () => {
    expect(pdu.numberCapabilities).toBe(17);
    expect(pdu.sessionId).toBe(1);
    expect(capability(pdu, 'virtualChannel')).toMatchObject({ flags: 0, flagNames: ['VCCAPS_NO_COMPR'], vcChunkSize: 1600 });
    expect(capability(pdu, 'font')).toEqual({ kind: 'font', fontSupportFlags: 1 });
    expect(capability(pdu, 'bitmap')).toMatchObject({ preferredBitsPerPixel: 32, desktopWidth: 1920, desktopHeight: 1080, drawingFlagNames: ['DRAW_ALLOW_SKIP_ALPHA'] });
    expect(capability(pdu, 'input')).toMatchObject({
      inputFlagNames: ['INPUT_FLAG_SCANCODES', 'INPUT_FLAG_MOUSEX', 'INPUT_FLAG_UNICODE', 'INPUT_FLAG_FASTPATH_INPUT2', 'TS_INPUT_FLAG_MOUSE_HWHEEL'],
      keyboardLayout: 0x409, keyboardType: 4, keyboardFunctionKey: 12, imeFileName: '',
    });
    expect(capability(pdu, 'order')).toMatchObject({ orderSupportCount: 0, orderFlagNames: ['NEGOTIATEORDERSUPPORT', 'ZEROBOUNDSDELTASSUPPORT', 'COLORINDEXSUPPORT'] });
    expect(capability(pdu, 'multifragmentUpdate')).toEqual({ kind: 'multifragmentUpdate', maxRequestSize: 0x3f0000 });
    expect(capability(pdu, 'largePointer')).toEqual({ kind: 'largePointer', largePointerSupportFlags: 1, flagNames: ['LARGE_POINTER_FLAG_96x96'] });
    expect(capability(pdu, 'surfaceCommands')).toEqual({
      kind: 'surfaceCommands', cmdFlags: 0x52, cmdFlagNames: ['SURFCMDS_SETSURFACEBITS', 'SURFCMDS_FRAMEMARKER', 'SURFCMDS_STREAMSURFACEBITS'],
    });
    expect(capability(pdu, 'bitmapCodecs')!.codecs).toEqual([
      { guid: 'CA8D1BB9-000F-154F-589F-AE2D1A87E2D6', name: 'CODEC_GUID_NSCODEC', codecId: 1, codecPropertiesLength: 3 },
      { guid: '76772F12-BD72-4463-AFB3-B73C9C6F7886', name: 'CODEC_GUID_REMOTEFX', codecId: 3, codecPropertiesLength: 4 },
      { guid: '2744CCD4-9D8A-4E74-803C-0ECBEEA19C54', name: 'CODEC_GUID_IMAGE_REMOTEFX', codecId: 5, codecPropertiesLength: 4 },
      { guid: '11111111-1111-1111-1111-111111111111', name: 'unknown', codecId: 0, codecPropertiesLength: 0 },
    ]);
    expect(capability(pdu, 'frameAcknowledge')).toEqual({ kind: 'frameAcknowledge', maxUnacknowledgedFrameCount: 2 });
    const unknown = pdu.capabilitySets.at(-1)!;
    expect(unknown).toMatchObject({ type: 0xff, name: 'unknown (0x00ff)', length: 6 });
    expect(unknown.summary).toBeUndefined();
    expect(capabilityTypeName(CAPSTYPE.FRAME_ACKNOWLEDGE)).toBe('CAPSSETTYPE_FRAME_ACKNOWLEDGE');
    expect(capabilityTypeName(CAPSTYPE.BITMAP_CODECS)).toBe('CAPSETTYPE_BITMAP_CODECS');
  });

  it('formats wire GUIDs in the usual order', () => {
    expect(guidString(fromHex('b9 1b 8d ca 0f 00 4f 15 58 9f ae 2d 1a 87 e2 d6'))).toBe('CA8D1BB9-000F-154F-589F-AE2D1A87E2D6');
  });
});

describe('Demand Active encoder (scenario server)', () => {
  it('a minimal valid set decodes back with the values asked for', () => {
    const bytes = encodeDemandActive({
      shareId: 0x1003ea, capabilitySets: [...defaultServerCapabilities({ desktopWidth: 1024, desktopHeight: 768 }), multifragmentUpdateCapability(65535)],
    });
    const pdu = decodeDemandActive(bytes);
    expect(pdu.capabilitySets.map((c) => c.name)).toEqual([
      'CAPSTYPE_SHARE', 'CAPSTYPE_GENERAL', 'CAPSTYPE_VIRTUALCHANNEL', 'CAPSTYPE_FONT', 'CAPSTYPE_BITMAP', 'CAPSTYPE_ORDER',
      'CAPSTYPE_COLORCACHE', 'CAPSTYPE_POINTER', 'CAPSTYPE_INPUT', 'CAPSETTYPE_MULTIFRAGMENTUPDATE',
    ]);
    expect(pdu).toMatchObject({ shareId: 0x1003ea, sourceDescriptor: 'RDP', sessionId: 0, control: { pduSource: 1002 } });
    expect(capability(pdu, 'bitmap')).toMatchObject({ desktopWidth: 1024, desktopHeight: 768, preferredBitsPerPixel: 24 });
    expect(capability(pdu, 'general')!.extraFlags).toBe(0x041d);
    expect(capability(pdu, 'share')!.nodeId).toBe(1002);
    expect(capability(pdu, 'font')!.fontSupportFlags).toBe(1);
    expect(capability(pdu, 'pointer')!.pointerCacheSize).toBe(25);
    expect(capability(pdu, 'virtualChannel')!.vcChunkSize).toBe(1600);
    expect(capability(pdu, 'input')!.inputFlags).toBe(0x35);
    expect(capability(pdu, 'multifragmentUpdate')!.maxRequestSize).toBe(65535);
  });
});

describe('Demand Active length checks name the field and its offset', () => {
  const patch = (src: Uint8Array, at: number, ...v: number[]) => {
    const b = src.slice();
    b.set(v, at);
    return b;
  };

  it('lengthSourceDescriptor and lengthCombinedCapabilities', () => {
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 10, 0xff, 0x01), BASE)).toJSON()).toMatchObject({
      code: 'INVALID_FIELD', layer: 'rdp', pdu: 'Server Demand Active PDU', field: 'lengthSourceDescriptor', offset: BASE + 10,
    });
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 12, 0x56, 0x01), BASE))).toMatchObject({ field: 'lengthCombinedCapabilities', offset: BASE + 12 });
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 12, 0x02, 0x00), BASE))).toMatchObject({ field: 'lengthCombinedCapabilities', offset: BASE + 12 });
    // 4 bytes shorter: the sets overrun the combined region
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 12, 0x4d, 0x01), BASE))).toMatchObject({ field: 'lengthCapability', offset: BASE + 346 });
  });

  it('numberCapabilities limited by the bytes, and leftovers', () => {
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 18, 0xff, 0x00), BASE))).toMatchObject({ field: 'numberCapabilities', offset: BASE + 18 });
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 18, 0x0c, 0x00), BASE))).toMatchObject({ field: 'lengthCombinedCapabilities', offset: BASE + 344 });
  });

  it('lengthCapability too long, too short, or short of the structure', () => {
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 32, 0xff, 0x01), BASE))).toMatchObject({ field: 'lengthCapability', offset: BASE + 32 });
    expect(decodeError(() => decodeDemandActive(patch(PLAIN, 32, 0x02, 0x00), BASE))).toMatchObject({ field: 'lengthCapability', offset: BASE + 32 });
    const shortGeneral = encodeDemandActive({ shareId: 1, capabilitySets: [{ type: CAPSTYPE.GENERAL, data: new Uint8Array(16) }] });
    expect(decodeError(() => decodeDemandActive(shortGeneral, 0))).toMatchObject({ code: 'INVALID_FIELD', field: 'lengthCapability', offset: 24 });
  });

  it('nested codec lengths stay inside their capability set', () => {
    // the Bitmap Codecs set starts at 330; the NSCodec entry's codecPropertiesLength (at 352) claims 0x100 bytes
    const codecsAt = 330;
    expect(MODERN[codecsAt]).toBe(0x1d);
    expect(decodeError(() => decodeDemandActive(patch(MODERN, codecsAt + 22, 0x00, 0x01), 0))).toMatchObject({
      field: 'codecPropertiesLength', offset: codecsAt + 22, pdu: 'CAPSETTYPE_BITMAP_CODECS capability set',
    });
    expect(decodeError(() => decodeDemandActive(patch(MODERN, codecsAt + 4, 0x09), 0))).toMatchObject({ field: 'bitmapCodecCount', offset: codecsAt + 4 });
  });

  it('type, totalLength and truncation', () => {
    expect(decodeError(() => decodeDemandActive(fromHex(V.DEACTIVATE_ALL), 5))).toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'pduType', offset: 7 });
    expect(decodeError(() => decodeDemandActive(PLAIN.subarray(0, 358), BASE))).toMatchObject({ field: 'totalLength', offset: BASE });
    expect(decodeError(() => decodeDemandActive(new Uint8Array([...PLAIN, 0]), BASE))).toMatchObject({ field: 'totalLength', offset: BASE });
  });
});
