// Capability sets ([MS-RDPBCGR] 2.2.7, 2.2.1.13.1.1.1): capabilitySetType u16 | lengthCapability u16
// (header included) | capabilityData. Demand Active and Confirm Active carry an array of them.
// The sets that say most about a server are summarised; every other type is listed with its length.
// A summarised set shorter than its structure is an error, except where the spec or real servers make
// the tail optional: Pointer (pointerCacheSize), Virtual Channel (VCChunkSize) and Font (the example in
// [MS-RDPBCGR] 4.1.12 has a 4-byte Font set, a known server bug).
import { ByteWriter } from '../wire/writer.js';
import type { ByteReader } from '../wire/reader.js';
import { checkedLength, flagNames, latin1z, utf16le, valueName, type FlagTable } from './common.js';

/** capabilitySetType ([MS-RDPBCGR] 2.2.1.13.1.1.1). */
export const CAPSTYPE = {
  GENERAL: 1,
  BITMAP: 2,
  ORDER: 3,
  BITMAPCACHE: 4,
  CONTROL: 5,
  ACTIVATION: 7,
  POINTER: 8,
  SHARE: 9,
  COLORCACHE: 10,
  SOUND: 12,
  INPUT: 13,
  FONT: 14,
  BRUSH: 15,
  GLYPHCACHE: 16,
  OFFSCREENCACHE: 17,
  BITMAPCACHE_HOSTSUPPORT: 18,
  BITMAPCACHE_REV2: 19,
  VIRTUALCHANNEL: 20,
  DRAWNINEGRIDCACHE: 21,
  DRAWGDIPLUS: 22,
  RAIL: 23,
  WINDOW: 24,
  COMPDESK: 25,
  MULTIFRAGMENTUPDATE: 26,
  LARGE_POINTER: 27,
  SURFACE_COMMANDS: 28,
  BITMAP_CODECS: 29,
  FRAME_ACKNOWLEDGE: 30,
} as const;

/** The names the spec uses (CAPSETTYPE_ from 25 on; CAPSSETTYPE_FRAME_ACKNOWLEDGE as [MS-RDPRFX] spells it). */
export const CAPSTYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(CAPSTYPE).map(([k, v]) => [v,
    v === CAPSTYPE.FRAME_ACKNOWLEDGE ? 'CAPSSETTYPE_FRAME_ACKNOWLEDGE' : v >= 25 ? `CAPSETTYPE_${k}` : `CAPSTYPE_${k}`]),
);

export function capabilityTypeName(type: number): string {
  return valueName(type, CAPSTYPE_NAMES, 4);
}

export const CAPABILITY_HEADER_SIZE = 4;

/** osMajorType ([MS-RDPBCGR] 2.2.7.1.1). */
export const OS_MAJOR_TYPE: Readonly<Record<number, string>> = {
  0: 'OSMAJORTYPE_UNSPECIFIED', 1: 'OSMAJORTYPE_WINDOWS', 2: 'OSMAJORTYPE_OS2', 3: 'OSMAJORTYPE_MACINTOSH',
  4: 'OSMAJORTYPE_UNIX', 5: 'OSMAJORTYPE_IOS', 6: 'OSMAJORTYPE_OSX', 7: 'OSMAJORTYPE_ANDROID', 8: 'OSMAJORTYPE_CHROME_OS',
};
/** osMinorType ([MS-RDPBCGR] 2.2.7.1.1). */
export const OS_MINOR_TYPE: Readonly<Record<number, string>> = {
  0: 'OSMINORTYPE_UNSPECIFIED', 1: 'OSMINORTYPE_WINDOWS_31X', 2: 'OSMINORTYPE_WINDOWS_95', 3: 'OSMINORTYPE_WINDOWS_NT',
  4: 'OSMINORTYPE_OS2_V21', 5: 'OSMINORTYPE_POWER_PC', 6: 'OSMINORTYPE_MACINTOSH', 7: 'OSMINORTYPE_NATIVE_XSERVER',
  8: 'OSMINORTYPE_PSEUDO_XSERVER', 9: 'OSMINORTYPE_WINDOWS_RT',
};
/** TS_CAPS_PROTOCOLVERSION */
export const TS_CAPS_PROTOCOLVERSION = 0x0200;

export const GENERAL_EXTRA = {
  FASTPATH_OUTPUT_SUPPORTED: 0x0001,
  LONG_CREDENTIALS_SUPPORTED: 0x0004,
  AUTORECONNECT_SUPPORTED: 0x0008,
  ENC_SALTED_CHECKSUM: 0x0010,
  NO_BITMAP_COMPRESSION_HDR: 0x0400,
} as const;
const GENERAL_EXTRA_FLAGS: FlagTable = Object.entries(GENERAL_EXTRA).map(([k, v]) => [v, k] as const);

const DRAWING_FLAGS: FlagTable = [
  [0x02, 'DRAW_ALLOW_DYNAMIC_COLOR_FIDELITY'], [0x04, 'DRAW_ALLOW_COLOR_SUBSAMPLING'],
  [0x08, 'DRAW_ALLOW_SKIP_ALPHA'], [0x10, 'DRAW_UNUSED_FLAG'],
];

export const ORDER_FLAGS = {
  NEGOTIATEORDERSUPPORT: 0x0002,
  ZEROBOUNDSDELTASSUPPORT: 0x0008,
  COLORINDEXSUPPORT: 0x0020,
  SOLIDPATTERNBRUSHONLY: 0x0040,
  ORDERFLAGS_EXTRA_FLAGS: 0x0080,
} as const;
const ORDER_FLAG_NAMES: FlagTable = Object.entries(ORDER_FLAGS).map(([k, v]) => [v, k] as const);

/** inputFlags ([MS-RDPBCGR] 2.2.7.1.6). */
export const INPUT_FLAG = {
  SCANCODES: 0x0001,
  MOUSEX: 0x0004,
  FASTPATH_INPUT: 0x0008,
  UNICODE: 0x0010,
  FASTPATH_INPUT2: 0x0020,
  UNUSED1: 0x0040,
  MOUSE_RELATIVE: 0x0080,
  MOUSE_HWHEEL: 0x0100,
  QOE_TIMESTAMPS: 0x0200,
} as const;
const INPUT_FLAG_NAMES: FlagTable = [
  [0x0001, 'INPUT_FLAG_SCANCODES'], [0x0004, 'INPUT_FLAG_MOUSEX'], [0x0008, 'INPUT_FLAG_FASTPATH_INPUT'],
  [0x0010, 'INPUT_FLAG_UNICODE'], [0x0020, 'INPUT_FLAG_FASTPATH_INPUT2'], [0x0040, 'INPUT_FLAG_UNUSED1'],
  [0x0080, 'INPUT_FLAG_MOUSE_RELATIVE'], [0x0100, 'TS_INPUT_FLAG_MOUSE_HWHEEL'], [0x0200, 'TS_INPUT_FLAG_QOE_TIMESTAMPS'],
];

export const VCCAPS = { NO_COMPR: 0x0, COMPR_SC: 0x1, COMPR_CS_8K: 0x2 } as const;
const VCCAPS_NAMES: FlagTable = [[0x1, 'VCCAPS_COMPR_SC'], [0x2, 'VCCAPS_COMPR_CS_8K']];

const LARGE_POINTER_FLAGS: FlagTable = [[0x1, 'LARGE_POINTER_FLAG_96x96'], [0x2, 'LARGE_POINTER_FLAG_384x384']];
const SURFCMDS_FLAGS: FlagTable = [
  [0x02, 'SURFCMDS_SETSURFACEBITS'], [0x10, 'SURFCMDS_FRAMEMARKER'], [0x40, 'SURFCMDS_STREAMSURFACEBITS'],
];

/** Bitmap codec GUIDs ([MS-RDPBCGR] 2.2.7.2.10.1.1), in the usual string form. */
export const CODEC_GUIDS: Readonly<Record<string, string>> = {
  'CA8D1BB9-000F-154F-589F-AE2D1A87E2D6': 'CODEC_GUID_NSCODEC',
  '76772F12-BD72-4463-AFB3-B73C9C6F7886': 'CODEC_GUID_REMOTEFX',
  '2744CCD4-9D8A-4E74-803C-0ECBEEA19C54': 'CODEC_GUID_IMAGE_REMOTEFX',
  '9C4351A6-3535-42AE-910C-CDFCE5760B58': 'CODEC_GUID_IGNORE',
};

/** A wire GUID (Data1 u32, Data2 u16, Data3 u16 little-endian, Data4 8 bytes) as XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX. */
export function guidString(b: Uint8Array): string {
  const h = (i: number) => b[i]!.toString(16).padStart(2, '0');
  const s = [3, 2, 1, 0].map(h).join('') + '-' + [5, 4].map(h).join('') + '-' + [7, 6].map(h).join('') + '-'
    + [8, 9].map(h).join('') + '-' + [10, 11, 12, 13, 14, 15].map(h).join('');
  return s.toUpperCase();
}

export interface GeneralCapability {
  kind: 'general';
  osMajorType: number;
  osMajorTypeName: string;
  osMinorType: number;
  osMinorTypeName: string;
  protocolVersion: number;
  generalCompressionTypes: number;
  extraFlags: number;
  extraFlagNames: string[];
  updateCapabilityFlag: number;
  remoteUnshareFlag: number;
  generalCompressionLevel: number;
  refreshRectSupport: boolean;
  suppressOutputSupport: boolean;
}

export interface BitmapCapability {
  kind: 'bitmap';
  preferredBitsPerPixel: number;
  receive1BitPerPixel: number;
  receive4BitsPerPixel: number;
  receive8BitsPerPixel: number;
  desktopWidth: number;
  desktopHeight: number;
  desktopResizeFlag: boolean;
  bitmapCompressionFlag: boolean;
  highColorFlags: number;
  drawingFlags: number;
  drawingFlagNames: string[];
  multipleRectangleSupport: boolean;
}

export interface OrderCapability {
  kind: 'order';
  terminalDescriptor: string;
  desktopSaveXGranularity: number;
  desktopSaveYGranularity: number;
  maximumOrderLevel: number;
  numberFonts: number;
  orderFlags: number;
  orderFlagNames: string[];
  /** how many of the 32 orderSupport entries are non-zero */
  orderSupportCount: number;
  /** indices of the non-zero orderSupport entries (TS_NEG_*_INDEX) */
  orderSupportIndices: number[];
  textFlags: number;
  orderSupportExFlags: number;
  desktopSaveSize: number;
  textANSICodePage: number;
}

export interface PointerCapability {
  kind: 'pointer';
  colorPointerFlag: number;
  colorPointerCacheSize: number;
  /** absent in the 8-byte form */
  pointerCacheSize?: number;
}

export interface InputCapability {
  kind: 'input';
  inputFlags: number;
  inputFlagNames: string[];
  keyboardLayout: number;
  keyboardType: number;
  keyboardSubType: number;
  keyboardFunctionKey: number;
  imeFileName: string;
}

export interface VirtualChannelCapability {
  kind: 'virtualChannel';
  flags: number;
  flagNames: string[];
  /** absent in the 8-byte form */
  vcChunkSize?: number;
}

export interface ShareCapability { kind: 'share'; nodeId: number }
export interface FontCapability { kind: 'font'; /** absent in the 4-byte form (4.1.12) */ fontSupportFlags?: number }
export interface ColorCacheCapability { kind: 'colorCache'; colorTableCacheSize: number }
export interface BitmapCacheHostSupportCapability { kind: 'bitmapCacheHostSupport'; cacheVersion: number }
export interface MultifragmentUpdateCapability { kind: 'multifragmentUpdate'; maxRequestSize: number }
export interface LargePointerCapability { kind: 'largePointer'; largePointerSupportFlags: number; flagNames: string[] }
export interface SurfaceCommandsCapability { kind: 'surfaceCommands'; cmdFlags: number; cmdFlagNames: string[] }
export interface FrameAcknowledgeCapability { kind: 'frameAcknowledge'; maxUnacknowledgedFrameCount: number }

export interface BitmapCodec {
  guid: string;
  /** CODEC_GUID_* or `unknown` */
  name: string;
  codecId: number;
  codecPropertiesLength: number;
}

export interface BitmapCodecsCapability { kind: 'bitmapCodecs'; codecs: BitmapCodec[] }

export type CapabilitySummary =
  | GeneralCapability | BitmapCapability | OrderCapability | PointerCapability | InputCapability
  | VirtualChannelCapability | ShareCapability | FontCapability | ColorCacheCapability
  | BitmapCacheHostSupportCapability | MultifragmentUpdateCapability | LargePointerCapability
  | SurfaceCommandsCapability | BitmapCodecsCapability | FrameAcknowledgeCapability;

export interface CapabilitySet {
  type: number;
  name: string;
  /** lengthCapability, header included */
  length: number;
  /** absolute offset of capabilitySetType */
  offset: number;
  /** capabilityData: the bytes after the 4-byte header */
  data: Uint8Array;
  /** for the types summarised here */
  summary?: CapabilitySummary;
}

/** Smallest lengthCapability (header included) that holds the summarised fields. */
const MIN_LENGTH: Readonly<Record<number, number>> = {
  [CAPSTYPE.GENERAL]: 24, [CAPSTYPE.BITMAP]: 28, [CAPSTYPE.ORDER]: 88, [CAPSTYPE.POINTER]: 8, [CAPSTYPE.INPUT]: 88,
  [CAPSTYPE.VIRTUALCHANNEL]: 8, [CAPSTYPE.SHARE]: 8, [CAPSTYPE.FONT]: 4, [CAPSTYPE.COLORCACHE]: 8,
  [CAPSTYPE.BITMAPCACHE_HOSTSUPPORT]: 8, [CAPSTYPE.MULTIFRAGMENTUPDATE]: 8, [CAPSTYPE.LARGE_POINTER]: 6,
  [CAPSTYPE.SURFACE_COMMANDS]: 12, [CAPSTYPE.BITMAP_CODECS]: 5, [CAPSTYPE.FRAME_ACKNOWLEDGE]: 8,
};

function summarise(type: number, r: ByteReader): CapabilitySummary | undefined {
  switch (type) {
    case CAPSTYPE.GENERAL: {
      const osMajorType = r.u16le('osMajorType');
      const osMinorType = r.u16le('osMinorType');
      const protocolVersion = r.u16le('protocolVersion');
      r.skip(2, 'pad2octetsA');
      const generalCompressionTypes = r.u16le('generalCompressionTypes');
      const extraFlags = r.u16le('extraFlags');
      return {
        kind: 'general', osMajorType, osMajorTypeName: valueName(osMajorType, OS_MAJOR_TYPE, 4),
        osMinorType, osMinorTypeName: valueName(osMinorType, OS_MINOR_TYPE, 4), protocolVersion,
        generalCompressionTypes, extraFlags, extraFlagNames: flagNames(extraFlags, GENERAL_EXTRA_FLAGS),
        updateCapabilityFlag: r.u16le('updateCapabilityFlag'), remoteUnshareFlag: r.u16le('remoteUnshareFlag'),
        generalCompressionLevel: r.u16le('generalCompressionLevel'),
        refreshRectSupport: r.u8('refreshRectSupport') !== 0, suppressOutputSupport: r.u8('suppressOutputSupport') !== 0,
      };
    }
    case CAPSTYPE.BITMAP: {
      const c = {
        preferredBitsPerPixel: r.u16le('preferredBitsPerPixel'), receive1BitPerPixel: r.u16le('receive1BitPerPixel'),
        receive4BitsPerPixel: r.u16le('receive4BitsPerPixel'), receive8BitsPerPixel: r.u16le('receive8BitsPerPixel'),
        desktopWidth: r.u16le('desktopWidth'), desktopHeight: r.u16le('desktopHeight'),
      };
      r.skip(2, 'pad2octets');
      const desktopResizeFlag = r.u16le('desktopResizeFlag') !== 0;
      const bitmapCompressionFlag = r.u16le('bitmapCompressionFlag') !== 0;
      const highColorFlags = r.u8('highColorFlags');
      const drawingFlags = r.u8('drawingFlags');
      const multipleRectangleSupport = r.u16le('multipleRectangleSupport') !== 0;
      return {
        kind: 'bitmap', ...c, desktopResizeFlag, bitmapCompressionFlag, highColorFlags, drawingFlags,
        drawingFlagNames: flagNames(drawingFlags, DRAWING_FLAGS, 2), multipleRectangleSupport,
      };
    }
    case CAPSTYPE.ORDER: {
      const terminalDescriptor = latin1z(r.bytes(16, 'terminalDescriptor'));
      r.skip(4, 'pad4octetsA');
      const desktopSaveXGranularity = r.u16le('desktopSaveXGranularity');
      const desktopSaveYGranularity = r.u16le('desktopSaveYGranularity');
      r.skip(2, 'pad2octetsA');
      const maximumOrderLevel = r.u16le('maximumOrderLevel');
      const numberFonts = r.u16le('numberFonts');
      const orderFlags = r.u16le('orderFlags');
      const support = r.bytes(32, 'orderSupport');
      const orderSupportIndices: number[] = [];
      support.forEach((v, i) => { if (v) orderSupportIndices.push(i); });
      const textFlags = r.u16le('textFlags');
      const orderSupportExFlags = r.u16le('orderSupportExFlags');
      r.skip(4, 'pad4octetsB');
      const desktopSaveSize = r.u32le('desktopSaveSize');
      r.skip(4, 'pad2octetsC, pad2octetsD');
      const textANSICodePage = r.u16le('textANSICodePage');
      return {
        kind: 'order', terminalDescriptor, desktopSaveXGranularity, desktopSaveYGranularity, maximumOrderLevel,
        numberFonts, orderFlags, orderFlagNames: flagNames(orderFlags, ORDER_FLAG_NAMES),
        orderSupportCount: orderSupportIndices.length, orderSupportIndices, textFlags, orderSupportExFlags,
        desktopSaveSize, textANSICodePage,
      };
    }
    case CAPSTYPE.POINTER: {
      const p: PointerCapability = {
        kind: 'pointer', colorPointerFlag: r.u16le('colorPointerFlag'), colorPointerCacheSize: r.u16le('colorPointerCacheSize'),
      };
      if (r.remaining >= 2) p.pointerCacheSize = r.u16le('pointerCacheSize');
      return p;
    }
    case CAPSTYPE.INPUT: {
      const inputFlags = r.u16le('inputFlags');
      r.skip(2, 'pad2octetsA');
      return {
        kind: 'input', inputFlags, inputFlagNames: flagNames(inputFlags, INPUT_FLAG_NAMES),
        keyboardLayout: r.u32le('keyboardLayout'), keyboardType: r.u32le('keyboardType'),
        keyboardSubType: r.u32le('keyboardSubType'), keyboardFunctionKey: r.u32le('keyboardFunctionKey'),
        imeFileName: utf16le(r.bytes(64, 'imeFileName')),
      };
    }
    case CAPSTYPE.VIRTUALCHANNEL: {
      const flags = r.u32le('flags');
      const v: VirtualChannelCapability = {
        kind: 'virtualChannel', flags, flagNames: flags === 0 ? ['VCCAPS_NO_COMPR'] : flagNames(flags, VCCAPS_NAMES, 8),
      };
      if (r.remaining >= 4) v.vcChunkSize = r.u32le('VCChunkSize');
      return v;
    }
    case CAPSTYPE.SHARE:
      return { kind: 'share', nodeId: r.u16le('nodeID') };
    case CAPSTYPE.FONT: {
      const f: FontCapability = { kind: 'font' };
      if (r.remaining >= 2) f.fontSupportFlags = r.u16le('fontSupportFlags');
      return f;
    }
    case CAPSTYPE.COLORCACHE:
      return { kind: 'colorCache', colorTableCacheSize: r.u16le('colorTableCacheSize') };
    case CAPSTYPE.BITMAPCACHE_HOSTSUPPORT:
      return { kind: 'bitmapCacheHostSupport', cacheVersion: r.u8('cacheVersion') };
    case CAPSTYPE.MULTIFRAGMENTUPDATE:
      return { kind: 'multifragmentUpdate', maxRequestSize: r.u32le('MaxRequestSize') };
    case CAPSTYPE.LARGE_POINTER: {
      const largePointerSupportFlags = r.u16le('largePointerSupportFlags');
      return { kind: 'largePointer', largePointerSupportFlags, flagNames: flagNames(largePointerSupportFlags, LARGE_POINTER_FLAGS) };
    }
    case CAPSTYPE.SURFACE_COMMANDS: {
      const cmdFlags = r.u32le('cmdFlags');
      return { kind: 'surfaceCommands', cmdFlags, cmdFlagNames: flagNames(cmdFlags, SURFCMDS_FLAGS, 8) };
    }
    case CAPSTYPE.BITMAP_CODECS: {
      const countAt = r.absolute;
      const count = r.u8('bitmapCodecCount');
      if (count * 19 > r.remaining) {
        throw r.error('INVALID_FIELD', 'bitmapCodecCount', `${count} codecs need at least ${count * 19} bytes, ${r.remaining} follow`, countAt);
      }
      const codecs: BitmapCodec[] = [];
      for (let i = 0; i < count; i++) {
        const guid = guidString(r.bytes(16, 'codecGUID'));
        const codecId = r.u8('codecID');
        const lenAt = r.absolute;
        const codecPropertiesLength = r.u16le('codecPropertiesLength');
        checkedLength(r, codecPropertiesLength, lenAt, 'codecPropertiesLength', 'codecPropertiesLength');
        r.skip(codecPropertiesLength, 'codecProperties');
        codecs.push({ guid, name: CODEC_GUIDS[guid] ?? 'unknown', codecId, codecPropertiesLength });
      }
      return { kind: 'bitmapCodecs', codecs };
    }
    case CAPSTYPE.FRAME_ACKNOWLEDGE:
      return { kind: 'frameAcknowledge', maxUnacknowledgedFrameCount: r.u32le('maxUnacknowledgedFrameCount') };
    default:
      return undefined;
  }
}

/**
 * Reads numberCapabilities capability sets that must exactly fill r (the lengthCombinedCapabilities
 * region after numberCapabilities and pad2Octets). countAt is the absolute offset of numberCapabilities.
 */
export function readCapabilitySets(r: ByteReader, count: number, countAt: number): CapabilitySet[] {
  if (count * CAPABILITY_HEADER_SIZE > r.remaining) {
    throw r.error('INVALID_FIELD', 'numberCapabilities', `${count} capability sets cannot fit in ${r.remaining} bytes`, countAt);
  }
  const sets: CapabilitySet[] = [];
  for (let i = 0; i < count; i++) {
    const offset = r.absolute;
    r.ensure(CAPABILITY_HEADER_SIZE, 'capability set header');
    const type = r.u16le('capabilitySetType');
    const lengthAt = r.absolute;
    const length = r.u16le('lengthCapability');
    if (length < CAPABILITY_HEADER_SIZE) {
      throw r.error('INVALID_FIELD', 'lengthCapability', `${length} is shorter than the capability set header`, lengthAt);
    }
    checkedLength(r, length - CAPABILITY_HEADER_SIZE, lengthAt, 'lengthCapability', `lengthCapability (${length}) minus the header`);
    const min = MIN_LENGTH[type];
    if (min !== undefined && length < min) {
      throw r.error('INVALID_FIELD', 'lengthCapability', `${capabilityTypeName(type)} needs at least ${min} bytes, lengthCapability is ${length}`, lengthAt);
    }
    const body = r.sub(length - CAPABILITY_HEADER_SIZE, 'capabilityData', `${capabilityTypeName(type)} capability set`);
    const data = body.peekRest().slice();
    const set: CapabilitySet = { type, name: capabilityTypeName(type), length, offset, data };
    const summary = summarise(type, body);
    if (summary) set.summary = summary;
    sets.push(set);
  }
  if (r.remaining > 0) {
    throw r.error('INVALID_FIELD', 'lengthCombinedCapabilities', `${r.remaining} bytes left after ${count} capability sets`);
  }
  return sets;
}

/** The summary of the first capability set of a kind, if present. */
export function findCapability<K extends CapabilitySummary['kind']>(
  sets: readonly CapabilitySet[], kind: K,
): Extract<CapabilitySummary, { kind: K }> | undefined {
  for (const s of sets) if (s.summary?.kind === kind) return s.summary as Extract<CapabilitySummary, { kind: K }>;
  return undefined;
}

// ---- encoders (capability sets a server sends in its Demand Active) ----

export interface CapabilitySetSpec {
  type: number;
  /** capabilityData, without the 4-byte header */
  data: Uint8Array;
}

export function capabilitySetSize(s: CapabilitySetSpec): number {
  return CAPABILITY_HEADER_SIZE + s.data.length;
}

export function writeCapabilitySet(w: ByteWriter, s: CapabilitySetSpec): void {
  w.u16le(s.type).u16le(capabilitySetSize(s)).bytes(s.data);
}

export interface ServerCapabilityOptions {
  desktopWidth: number;
  desktopHeight: number;
  /** preferredBitsPerPixel; 24 by default */
  bitsPerPixel?: number;
  /** nodeID of the Share set: the server channel ID (1002) */
  serverChannelId?: number;
  /** General extraFlags; FASTPATH_OUTPUT | LONG_CREDENTIALS | AUTORECONNECT | ENC_SALTED_CHECKSUM | NO_BITMAP_COMPRESSION_HDR by default */
  extraFlags?: number;
  /** Input inputFlags; SCANCODES | MOUSEX | UNICODE | FASTPATH_INPUT2 by default */
  inputFlags?: number;
}

export function generalCapability(o: { extraFlags?: number; osMajorType?: number; osMinorType?: number } = {}): CapabilitySetSpec {
  const extra = o.extraFlags ?? (GENERAL_EXTRA.FASTPATH_OUTPUT_SUPPORTED | GENERAL_EXTRA.LONG_CREDENTIALS_SUPPORTED
    | GENERAL_EXTRA.AUTORECONNECT_SUPPORTED | GENERAL_EXTRA.ENC_SALTED_CHECKSUM | GENERAL_EXTRA.NO_BITMAP_COMPRESSION_HDR);
  const w = new ByteWriter(20);
  w.u16le(o.osMajorType ?? 1).u16le(o.osMinorType ?? 3).u16le(TS_CAPS_PROTOCOLVERSION).u16le(0).u16le(0).u16le(extra);
  w.u16le(0).u16le(0).u16le(0).u8(1).u8(1);
  return { type: CAPSTYPE.GENERAL, data: w.finish() };
}

export function bitmapCapability(o: { desktopWidth: number; desktopHeight: number; bitsPerPixel?: number }): CapabilitySetSpec {
  const w = new ByteWriter(24);
  w.u16le(o.bitsPerPixel ?? 24).u16le(1).u16le(1).u16le(1).u16le(o.desktopWidth).u16le(o.desktopHeight).u16le(0);
  w.u16le(1).u16le(1).u8(0).u8(0).u16le(1).u16le(0);
  return { type: CAPSTYPE.BITMAP, data: w.finish() };
}

/** An Order set that supports no drawing orders (the server sends bitmaps only). */
export function orderCapability(): CapabilitySetSpec {
  const w = new ByteWriter(84);
  w.bytes(new Uint8Array(16)).u32le(0).u16le(1).u16le(20).u16le(0).u16le(1).u16le(0);
  w.u16le(ORDER_FLAGS.NEGOTIATEORDERSUPPORT | ORDER_FLAGS.ZEROBOUNDSDELTASSUPPORT | ORDER_FLAGS.COLORINDEXSUPPORT);
  w.bytes(new Uint8Array(32)).u16le(0).u16le(0).u32le(0).u32le(0).u16le(0).u16le(0).u16le(0).u16le(0);
  return { type: CAPSTYPE.ORDER, data: w.finish() };
}

export function pointerCapability(cacheSize = 25): CapabilitySetSpec {
  return { type: CAPSTYPE.POINTER, data: new ByteWriter(6).u16le(1).u16le(cacheSize).u16le(cacheSize).finish() };
}

export function inputCapability(inputFlags: number = INPUT_FLAG.SCANCODES | INPUT_FLAG.MOUSEX | INPUT_FLAG.UNICODE | INPUT_FLAG.FASTPATH_INPUT2): CapabilitySetSpec {
  const w = new ByteWriter(84);
  w.u16le(inputFlags).u16le(0).u32le(0).u32le(0).u32le(0).u32le(0).bytes(new Uint8Array(64));
  return { type: CAPSTYPE.INPUT, data: w.finish() };
}

export function virtualChannelCapability(flags: number = VCCAPS.NO_COMPR, chunkSize = 1600): CapabilitySetSpec {
  return { type: CAPSTYPE.VIRTUALCHANNEL, data: new ByteWriter(8).u32le(flags).u32le(chunkSize).finish() };
}

export function shareCapability(nodeId: number): CapabilitySetSpec {
  return { type: CAPSTYPE.SHARE, data: new ByteWriter(4).u16le(nodeId).u16le(0).finish() };
}

export function fontCapability(): CapabilitySetSpec {
  return { type: CAPSTYPE.FONT, data: new ByteWriter(4).u16le(0x0001 /* FONTSUPPORT_FONTLIST */).u16le(0).finish() };
}

export function colorCacheCapability(size = 6): CapabilitySetSpec {
  return { type: CAPSTYPE.COLORCACHE, data: new ByteWriter(4).u16le(size).u16le(0).finish() };
}

export function multifragmentUpdateCapability(maxRequestSize: number): CapabilitySetSpec {
  return { type: CAPSTYPE.MULTIFRAGMENTUPDATE, data: new ByteWriter(4).u32le(maxRequestSize).finish() };
}

/**
 * A minimal but complete server set, in the order Windows sends them (4.1.12): Share, General,
 * Virtual Channel, Font, Bitmap, Order, Color Cache, Pointer, Input.
 */
export function defaultServerCapabilities(o: ServerCapabilityOptions): CapabilitySetSpec[] {
  return [
    shareCapability(o.serverChannelId ?? 1002),
    generalCapability(o.extraFlags === undefined ? {} : { extraFlags: o.extraFlags }),
    virtualChannelCapability(),
    fontCapability(),
    bitmapCapability({ desktopWidth: o.desktopWidth, desktopHeight: o.desktopHeight, bitsPerPixel: o.bitsPerPixel ?? 24 }),
    orderCapability(),
    colorCacheCapability(),
    pointerCapability(),
    inputCapability(o.inputFlags),
  ];
}
