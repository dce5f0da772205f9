// Client data blocks of the GCC Conference Create Request ([MS-RDPBCGR] 2.2.1.3.2 - 2.2.1.3.10).
// All integers little-endian. decodeClientData reads what any client sent; encodeClientData builds
// what rdpscope sends as a modern client; encodeClientDataBlocks writes a ClientDataInput exactly.
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { decodeDataBlocks, encodeDataBlocks, userDataName, type DataBlock, type RawBlock } from './blocks.js';
import {
  CHANNEL_OPTION, CLIENT_EARLY_CAPABILITY, CLUSTER_FLAG, ENCRYPTION_METHOD_FLAG, flagNames, MULTITRANSPORT_FLAG,
  rdpVersionName, REDIRECTION_VERSION_MASK, UD_TYPE,
} from './codes.js';
import { ansiField, readAnsiField, readUtf16Field, utf16Field } from './fields.js';

/** clientName is 32 bytes: 15 UTF-16 characters and a NUL. */
export const CLIENT_NAME_SIZE = 32;
/** imeFileName and clientDigProductId are 64 bytes: 31 UTF-16 characters and a NUL. */
export const IME_FILE_NAME_SIZE = 64;
export const DIG_PRODUCT_ID_SIZE = 64;
/** CHANNEL_DEF name: 7 ANSI characters and a NUL ([MS-RDPBCGR] 2.2.1.3.4.1). */
export const CHANNEL_NAME_SIZE = 8;
/** channelCount limit ([MS-RDPBCGR] 2.2.1.3.4). */
export const MAX_CHANNELS = 31;
/** monitorCount limit ([MS-RDPBCGR] 2.2.1.3.6, 2.2.1.3.10). */
export const MAX_MONITORS = 16;
/** TS_MONITOR_DEF and TS_MONITOR_ATTRIBUTES are 20 bytes each. */
export const MONITOR_DEF_SIZE = 20;
export const MONITOR_ATTRIBUTES_SIZE = 20;
/** Body bytes of TS_UD_CS_CORE up to and including imeFileName: the part every client sends. */
export const CLIENT_CORE_FIXED = 128;

/** TS_MONITOR_DEF flags ([MS-RDPBCGR] 2.2.1.3.6.1). */
export const TS_MONITOR_PRIMARY = 0x1;
/** REDIRECTION_SUPPORTED | REDIRECTION_VERSION4 (3 << 2): the cluster flags Windows clients send. */
export const CLUSTER_FLAGS_WINDOWS = 0x0d;
/** 40BIT | 128BIT | 56BIT | FIPS: the encryptionMethods Windows clients send. */
export const ENCRYPTION_METHODS_WINDOWS = 0x1b;

/** TS_UD_CS_CORE fields; the optional ones are in wire order and present only if the block has them. */
export interface ClientCoreFields {
  version: number;
  desktopWidth: number;
  desktopHeight: number;
  /** RNS_UD_COLOR_*, superseded by postBeta2ColorDepth and highColorDepth */
  colorDepth: number;
  /** RNS_UD_SAS_DEL (0xAA03) */
  sasSequence: number;
  keyboardLayout: number;
  clientBuild: number;
  clientName: string;
  keyboardType: number;
  keyboardSubType: number;
  keyboardFunctionKey: number;
  imeFileName: string;
  postBeta2ColorDepth?: number;
  clientProductId?: number;
  serialNumber?: number;
  highColorDepth?: number;
  supportedColorDepths?: number;
  earlyCapabilityFlags?: number;
  clientDigProductId?: string;
  connectionType?: number;
  pad1octet?: number;
  /** the selectedProtocol the client received in the X.224 Connection Confirm */
  serverSelectedProtocol?: number;
  desktopPhysicalWidth?: number;
  desktopPhysicalHeight?: number;
  desktopOrientation?: number;
  desktopScaleFactor?: number;
  deviceScaleFactor?: number;
}

export interface ClientCore extends ClientCoreFields {
  /** `RDP 10.7`, or `unknown (0x..)` */
  versionName: string;
  /** names of earlyCapabilityFlags bits, when that field is present */
  earlyCapabilityNames?: string[];
}

export interface ClientSecurityFields {
  /** bit set of *_ENCRYPTION_FLAG (ENCRYPTION_METHOD_FLAG) */
  encryptionMethods: number;
  /** the same bits, used only by French-locale clients */
  extEncryptionMethods: number;
}

export interface ClientSecurity extends ClientSecurityFields {
  encryptionMethodNames: string[];
}

export interface ChannelDef {
  /** up to 7 ANSI characters */
  name: string;
  /** CHANNEL_OPTION bits */
  options: number;
}

export interface ChannelDefNamed extends ChannelDef {
  optionNames: string[];
}

export interface ClientClusterFields {
  flags: number;
  redirectedSessionId: number;
}

export interface ClientCluster extends ClientClusterFields {
  /** REDIRECTION_VERSIONn: bits 2-5 of flags, plus one */
  redirectionVersion: number;
  flagNames: string[];
}

export interface MonitorDef {
  left: number;
  top: number;
  right: number;
  bottom: number;
  /** TS_MONITOR_PRIMARY */
  flags: number;
}

export interface ClientMonitor {
  /** unused; 0 */
  flags: number;
  monitors: MonitorDef[];
}

export interface MonitorAttributes {
  physicalWidth: number;
  physicalHeight: number;
  orientation: number;
  desktopScaleFactor: number;
  deviceScaleFactor: number;
}

export interface ClientMonitorEx {
  /** unused; 0 */
  flags: number;
  monitors: MonitorAttributes[];
}

export interface ClientFlagsBlock {
  flags: number;
}

export interface ClientMultitransport extends ClientFlagsBlock {
  flagNames: string[];
}

/** What encodeClientDataBlocks writes; a decoded ClientData is one. */
export interface ClientDataInput {
  core?: ClientCoreFields;
  security?: ClientSecurityFields;
  network?: { channels: ChannelDef[] };
  cluster?: ClientClusterFields;
  monitor?: ClientMonitor;
  messageChannel?: ClientFlagsBlock;
  multitransport?: ClientFlagsBlock;
  monitorEx?: ClientMonitorEx;
  /** written after the known blocks, as they are */
  unknown?: RawBlock[];
}

export interface ClientData {
  core?: ClientCore;
  security?: ClientSecurity;
  network?: { channels: ChannelDefNamed[] };
  cluster?: ClientCluster;
  monitor?: ClientMonitor;
  messageChannel?: ClientFlagsBlock;
  multitransport?: ClientMultitransport;
  monitorEx?: ClientMonitorEx;
  /** blocks this decoder does not interpret (including CS_UNUSED1), in wire order */
  unknown: DataBlock[];
}

const PDU = {
  core: 'Client Core Data',
  security: 'Client Security Data',
  network: 'Client Network Data',
  cluster: 'Client Cluster Data',
  monitor: 'Client Monitor Data',
  messageChannel: 'Client Message Channel Data',
  multitransport: 'Client Multitransport Channel Data',
  monitorEx: 'Client Monitor Extended Data',
} as const;

/** The optional TS_UD_CS_CORE tail after imeFileName: field and size, in wire order. */
const CORE_TAIL: readonly [keyof ClientCoreFields, 1 | 2 | 4 | 64][] = [
  ['postBeta2ColorDepth', 2], ['clientProductId', 2], ['serialNumber', 4], ['highColorDepth', 2],
  ['supportedColorDepths', 2], ['earlyCapabilityFlags', 2], ['clientDigProductId', DIG_PRODUCT_ID_SIZE],
  ['connectionType', 1], ['pad1octet', 1], ['serverSelectedProtocol', 4], ['desktopPhysicalWidth', 4],
  ['desktopPhysicalHeight', 4], ['desktopOrientation', 2], ['desktopScaleFactor', 4], ['deviceScaleFactor', 4],
];

function readUint(r: ByteReader, size: 1 | 2 | 4, field: string): number {
  return size === 1 ? r.u8(field) : size === 2 ? r.u16le(field) : r.u32le(field);
}

/** TS_UD_CS_CORE body; `base` is the absolute offset of its first byte (after the header). */
export function decodeClientCore(body: Uint8Array, base = 0): ClientCore {
  const r = new ByteReader(body, 'mcs', PDU.core, base);
  const version = r.u32le('version');
  const core: ClientCore = {
    version,
    versionName: rdpVersionName(version),
    desktopWidth: r.u16le('desktopWidth'),
    desktopHeight: r.u16le('desktopHeight'),
    colorDepth: r.u16le('colorDepth'),
    sasSequence: r.u16le('SASSequence'),
    keyboardLayout: r.u32le('keyboardLayout'),
    clientBuild: r.u32le('clientBuild'),
    clientName: readUtf16Field(r, CLIENT_NAME_SIZE, 'clientName'),
    keyboardType: r.u32le('keyboardType'),
    keyboardSubType: r.u32le('keyboardSubType'),
    keyboardFunctionKey: r.u32le('keyboardFunctionKey'),
    imeFileName: readUtf16Field(r, IME_FILE_NAME_SIZE, 'imeFileName'),
  };
  // 2.2.1.3.2: each optional field may be present only if all the ones before it are; a block that
  // ends inside a field is malformed (NOT_ENOUGH_BYTES). Bytes after deviceScaleFactor are ignored.
  for (const [field, size] of CORE_TAIL) {
    if (r.remaining === 0) break;
    if (field === 'clientDigProductId') core.clientDigProductId = readUtf16Field(r, size, field);
    else (core as unknown as Record<string, number>)[field] = readUint(r, size as 1 | 2 | 4, field);
  }
  if (core.earlyCapabilityFlags !== undefined) {
    core.earlyCapabilityNames = flagNames(CLIENT_EARLY_CAPABILITY, core.earlyCapabilityFlags);
  }
  return core;
}

export function decodeClientSecurity(body: Uint8Array, base = 0): ClientSecurity {
  const r = new ByteReader(body, 'mcs', PDU.security, base);
  const encryptionMethods = r.u32le('encryptionMethods');
  const extEncryptionMethods = r.u32le('extEncryptionMethods');
  return { encryptionMethods, extEncryptionMethods, encryptionMethodNames: flagNames(ENCRYPTION_METHOD_FLAG, encryptionMethods) };
}

export function decodeClientNetwork(body: Uint8Array, base = 0): { channels: ChannelDefNamed[] } {
  const r = new ByteReader(body, 'mcs', PDU.network, base);
  const countAt = r.absolute;
  const count = r.u32le('channelCount');
  if (count > MAX_CHANNELS) throw r.error('INVALID_FIELD', 'channelCount', `${count} channels; at most ${MAX_CHANNELS} are allowed`, countAt);
  r.ensure(count * 12, 'channelDefArray');
  const channels: ChannelDefNamed[] = [];
  for (let i = 0; i < count; i++) {
    const name = readAnsiField(r, CHANNEL_NAME_SIZE, `channelDefArray[${i}].name`);
    const options = r.u32le(`channelDefArray[${i}].options`);
    channels.push({ name, options, optionNames: flagNames(CHANNEL_OPTION, options) });
  }
  return { channels };
}

export function decodeClientCluster(body: Uint8Array, base = 0): ClientCluster {
  const r = new ByteReader(body, 'mcs', PDU.cluster, base);
  const flags = r.u32le('Flags');
  const redirectedSessionId = r.u32le('RedirectedSessionID');
  return {
    flags,
    redirectedSessionId,
    redirectionVersion: ((flags & REDIRECTION_VERSION_MASK) >>> 2) + 1,
    flagNames: flagNames(CLUSTER_FLAG, flags & ~REDIRECTION_VERSION_MASK),
  };
}

function monitorCount(r: ByteReader, entrySize: number): number {
  const at = r.absolute;
  const count = r.u32le('monitorCount');
  if (count > MAX_MONITORS) throw r.error('INVALID_FIELD', 'monitorCount', `${count} monitors; at most ${MAX_MONITORS} are allowed`, at);
  r.ensure(count * entrySize, 'monitor array');
  return count;
}

export function decodeClientMonitor(body: Uint8Array, base = 0): ClientMonitor {
  const r = new ByteReader(body, 'mcs', PDU.monitor, base);
  const flags = r.u32le('flags');
  const count = monitorCount(r, MONITOR_DEF_SIZE);
  const monitors: MonitorDef[] = [];
  for (let i = 0; i < count; i++) {
    const f = `monitorDefArray[${i}]`;
    monitors.push({
      left: r.u32le(`${f}.left`) | 0,
      top: r.u32le(`${f}.top`) | 0,
      right: r.u32le(`${f}.right`) | 0,
      bottom: r.u32le(`${f}.bottom`) | 0,
      flags: r.u32le(`${f}.flags`),
    });
  }
  return { flags, monitors };
}

export function decodeClientMonitorEx(body: Uint8Array, base = 0): ClientMonitorEx {
  const r = new ByteReader(body, 'mcs', PDU.monitorEx, base);
  const flags = r.u32le('flags');
  const sizeAt = r.absolute;
  const size = r.u32le('monitorAttributeSize');
  if (size !== MONITOR_ATTRIBUTES_SIZE) {
    throw r.error('INVALID_FIELD', 'monitorAttributeSize', `must be ${MONITOR_ATTRIBUTES_SIZE}, got ${size}`, sizeAt);
  }
  const count = monitorCount(r, MONITOR_ATTRIBUTES_SIZE);
  const monitors: MonitorAttributes[] = [];
  for (let i = 0; i < count; i++) {
    const f = `monitorAttributesArray[${i}]`;
    monitors.push({
      physicalWidth: r.u32le(`${f}.physicalWidth`),
      physicalHeight: r.u32le(`${f}.physicalHeight`),
      orientation: r.u32le(`${f}.orientation`),
      desktopScaleFactor: r.u32le(`${f}.desktopScaleFactor`),
      deviceScaleFactor: r.u32le(`${f}.deviceScaleFactor`),
    });
  }
  return { flags, monitors };
}

const DECODED = new Set<number>([
  UD_TYPE.CS_CORE, UD_TYPE.CS_SECURITY, UD_TYPE.CS_NET, UD_TYPE.CS_CLUSTER, UD_TYPE.CS_MONITOR,
  UD_TYPE.CS_MCS_MSGCHANNEL, UD_TYPE.CS_MONITOR_EX, UD_TYPE.CS_MULTITRANSPORT,
]);

function decodeFlagsBlock(body: Uint8Array, base: number, pdu: string): ClientFlagsBlock {
  return { flags: new ByteReader(body, 'mcs', pdu, base).u32le('flags') };
}

/**
 * The client data blocks of a GCC Conference Create Request (the H.221 "Duca" user data value).
 * `base` is the absolute offset of bytes[0]. A block type seen twice is INVALID_FIELD.
 */
export function decodeClientData(bytes: Uint8Array, base = 0): ClientData {
  const data: ClientData = { unknown: [] };
  const seen = new Set<number>();
  for (const b of decodeDataBlocks(bytes, base, 'client')) {
    const at = b.offset + 4;
    if (seen.has(b.type) && DECODED.has(b.type)) {
      throw new ByteReader(bytes, 'mcs', userDataName('client'), base).error('INVALID_FIELD', 'type', `a second ${b.typeName} block`, b.offset);
    }
    seen.add(b.type);
    switch (b.type) {
      case UD_TYPE.CS_CORE: data.core = decodeClientCore(b.body, at); break;
      case UD_TYPE.CS_SECURITY: data.security = decodeClientSecurity(b.body, at); break;
      case UD_TYPE.CS_NET: data.network = decodeClientNetwork(b.body, at); break;
      case UD_TYPE.CS_CLUSTER: data.cluster = decodeClientCluster(b.body, at); break;
      case UD_TYPE.CS_MONITOR: data.monitor = decodeClientMonitor(b.body, at); break;
      case UD_TYPE.CS_MCS_MSGCHANNEL: data.messageChannel = decodeFlagsBlock(b.body, at, PDU.messageChannel); break;
      case UD_TYPE.CS_MONITOR_EX: data.monitorEx = decodeClientMonitorEx(b.body, at); break;
      case UD_TYPE.CS_MULTITRANSPORT: {
        const { flags } = decodeFlagsBlock(b.body, at, PDU.multitransport);
        data.multitransport = { flags, flagNames: flagNames(MULTITRANSPORT_FLAG, flags) };
        break;
      }
      default: data.unknown.push(b);
    }
  }
  return data;
}

// ---- encoding ----

/** TS_UD_CS_CORE body; the optional tail is written up to its last defined field (earlier gaps as 0). */
export function encodeClientCore(c: ClientCoreFields): Uint8Array {
  let last = -1;
  CORE_TAIL.forEach(([field], i) => { if (c[field] !== undefined) last = i; });
  const tail = CORE_TAIL.slice(0, last + 1);
  const w = new ByteWriter(CLIENT_CORE_FIXED + tail.reduce((n, [, size]) => n + size, 0));
  w.u32le(c.version).u16le(c.desktopWidth).u16le(c.desktopHeight).u16le(c.colorDepth).u16le(c.sasSequence);
  w.u32le(c.keyboardLayout).u32le(c.clientBuild).bytes(utf16Field(c.clientName, CLIENT_NAME_SIZE));
  w.u32le(c.keyboardType).u32le(c.keyboardSubType).u32le(c.keyboardFunctionKey);
  w.bytes(utf16Field(c.imeFileName, IME_FILE_NAME_SIZE));
  for (const [field, size] of tail) {
    if (field === 'clientDigProductId') {
      w.bytes(utf16Field(c.clientDigProductId ?? '', size));
      continue;
    }
    const v = (c[field] as number | undefined) ?? 0;
    if (size === 1) w.u8(v);
    else if (size === 2) w.u16le(v);
    else w.u32le(v);
  }
  return w.finish();
}

const u32Block = (...values: number[]): Uint8Array => {
  const w = new ByteWriter(4 * values.length);
  for (const v of values) w.u32le(v);
  return w.finish();
};

export function encodeClientNetwork(channels: readonly ChannelDef[]): Uint8Array {
  if (channels.length > MAX_CHANNELS) throw new RangeError(`${channels.length} channels; at most ${MAX_CHANNELS}`);
  const w = new ByteWriter(4 + 12 * channels.length);
  w.u32le(channels.length);
  for (const ch of channels) w.bytes(ansiField(ch.name, CHANNEL_NAME_SIZE, 'channel name')).u32le(ch.options);
  return w.finish();
}

function encodeMonitors(m: ClientMonitor): Uint8Array {
  if (m.monitors.length > MAX_MONITORS) throw new RangeError(`${m.monitors.length} monitors; at most ${MAX_MONITORS}`);
  const w = new ByteWriter(8 + MONITOR_DEF_SIZE * m.monitors.length);
  w.u32le(m.flags).u32le(m.monitors.length);
  for (const d of m.monitors) w.u32le(d.left).u32le(d.top).u32le(d.right).u32le(d.bottom).u32le(d.flags);
  return w.finish();
}

function encodeMonitorsEx(m: ClientMonitorEx): Uint8Array {
  if (m.monitors.length > MAX_MONITORS) throw new RangeError(`${m.monitors.length} monitors; at most ${MAX_MONITORS}`);
  const w = new ByteWriter(12 + MONITOR_ATTRIBUTES_SIZE * m.monitors.length);
  w.u32le(m.flags).u32le(MONITOR_ATTRIBUTES_SIZE).u32le(m.monitors.length);
  for (const a of m.monitors) {
    w.u32le(a.physicalWidth).u32le(a.physicalHeight).u32le(a.orientation).u32le(a.desktopScaleFactor).u32le(a.deviceScaleFactor);
  }
  return w.finish();
}

/**
 * The blocks of `d`, exactly, in the order Windows clients use: core, cluster, security, network,
 * monitor, message channel, multitransport, monitor extended, then `unknown` as given.
 */
export function encodeClientDataBlocks(d: ClientDataInput): Uint8Array {
  const blocks: RawBlock[] = [];
  if (d.core) blocks.push({ type: UD_TYPE.CS_CORE, body: encodeClientCore(d.core) });
  if (d.cluster) blocks.push({ type: UD_TYPE.CS_CLUSTER, body: u32Block(d.cluster.flags, d.cluster.redirectedSessionId) });
  if (d.security) blocks.push({ type: UD_TYPE.CS_SECURITY, body: u32Block(d.security.encryptionMethods, d.security.extEncryptionMethods) });
  if (d.network) blocks.push({ type: UD_TYPE.CS_NET, body: encodeClientNetwork(d.network.channels) });
  if (d.monitor) blocks.push({ type: UD_TYPE.CS_MONITOR, body: encodeMonitors(d.monitor) });
  if (d.messageChannel) blocks.push({ type: UD_TYPE.CS_MCS_MSGCHANNEL, body: u32Block(d.messageChannel.flags) });
  if (d.multitransport) blocks.push({ type: UD_TYPE.CS_MULTITRANSPORT, body: u32Block(d.multitransport.flags) });
  if (d.monitorEx) blocks.push({ type: UD_TYPE.CS_MONITOR_EX, body: encodeMonitorsEx(d.monitorEx) });
  for (const b of d.unknown ?? []) blocks.push({ type: b.type, body: b.body });
  return encodeDataBlocks(blocks);
}

/** What rdpscope tells a server about itself; everything but selectedProtocol has a default. */
export interface ClientDataSpec {
  /** selectedProtocol from the server's RDP_NEG_RSP (PROTOCOL_RDP, 0, if it sent none) */
  selectedProtocol: number;
  /** up to 15 characters (longer names are cut); default `rdpscope` */
  clientName?: string;
  /** default 0x0008000C (RDP 10.7) */
  version?: number;
  /** default 1024 x 768 */
  desktopWidth?: number;
  desktopHeight?: number;
  /** default 0x409 (en-US) */
  keyboardLayout?: number;
  /** default 0 */
  clientBuild?: number;
  /** HIGH_COLOR_*; default 16 bpp */
  highColorDepth?: number;
  /** RNS_UD_*BPP_SUPPORT bits; default 24 and 16 bpp */
  supportedColorDepths?: number;
  /** replaces the default RNS_UD_CS_SUPPORT_ERRINFO_PDU; keep that bit to learn why a server disconnects */
  earlyCapabilityFlags?: number;
  /** *_ENCRYPTION_FLAG bits; default ENCRYPTION_METHODS_WINDOWS (0x1b) */
  encryptionMethods?: number;
  /** static virtual channels to ask for; default none (CS_NET is still sent) */
  channels?: ChannelDef[];
  /** default CLUSTER_FLAGS_WINDOWS (REDIRECTION_SUPPORTED, REDIRECTION_VERSION4); false: no CS_CLUSTER */
  cluster?: ClientClusterFields | false;
  /**
   * Extended client data blocks. Send them only if the server's RDP_NEG_RSP set
   * EXTENDED_CLIENT_DATA_SUPPORTED ([MS-RDPBCGR] 2.2.1.2.1); default none.
   */
  messageChannel?: boolean;
  multitransportFlags?: number;
}

const RNS_UD_SAS_DEL = 0xaa03;
const RNS_UD_COLOR_8BPP = 0xca01;
const IBM_ENHANCED_KEYBOARD = 4;

/** The ClientDataInput rdpscope sends as a modern client (see ClientDataSpec for the defaults). */
export function modernClientData(s: ClientDataSpec): ClientDataInput {
  const d: ClientDataInput = {
    core: {
      version: s.version ?? 0x0008000c,
      desktopWidth: s.desktopWidth ?? 1024,
      desktopHeight: s.desktopHeight ?? 768,
      colorDepth: RNS_UD_COLOR_8BPP,
      sasSequence: RNS_UD_SAS_DEL,
      keyboardLayout: s.keyboardLayout ?? 0x409,
      clientBuild: s.clientBuild ?? 0,
      clientName: (s.clientName ?? 'rdpscope').slice(0, CLIENT_NAME_SIZE / 2 - 1),
      keyboardType: IBM_ENHANCED_KEYBOARD,
      keyboardSubType: 0,
      keyboardFunctionKey: 12,
      imeFileName: '',
      postBeta2ColorDepth: RNS_UD_COLOR_8BPP,
      clientProductId: 1,
      serialNumber: 0,
      highColorDepth: s.highColorDepth ?? 0x10,
      supportedColorDepths: s.supportedColorDepths ?? 0x03,
      earlyCapabilityFlags: s.earlyCapabilityFlags ?? 0x0001,
      clientDigProductId: '',
      connectionType: 0,
      pad1octet: 0,
      serverSelectedProtocol: s.selectedProtocol,
    },
    security: { encryptionMethods: s.encryptionMethods ?? ENCRYPTION_METHODS_WINDOWS, extEncryptionMethods: 0 },
    network: { channels: s.channels ?? [] },
  };
  if (s.cluster !== false) d.cluster = s.cluster ?? { flags: CLUSTER_FLAGS_WINDOWS, redirectedSessionId: 0 };
  if (s.messageChannel) d.messageChannel = { flags: 0 };
  if (s.multitransportFlags !== undefined) d.multitransport = { flags: s.multitransportFlags };
  return d;
}

/** The client data blocks rdpscope sends (GCC Conference Create Request user data). */
export function encodeClientData(spec: ClientDataSpec): Uint8Array {
  return encodeClientDataBlocks(modernClientData(spec));
}
