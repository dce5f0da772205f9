// Server data blocks of the GCC Conference Create Response ([MS-RDPBCGR] 2.2.1.4.2 - 2.2.1.4.6).
// All integers little-endian. decodeServerData reads what any server sent; encodeServerData writes
// what the scenario server sends (a decoded ServerData encodes back to the same bytes).
import { describeCode } from '../codes/table.js';
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { decodeDataBlocks, encodeDataBlocks, userDataName, type DataBlock, type RawBlock } from './blocks.js';
import {
  decodeServerCertificate, encodeServerCertificate, type ServerCertificate, type ServerCertificateSpec,
} from './certificate.js';
import {
  ENCRYPTION_LEVEL, ENCRYPTION_METHOD, flagNames, MULTITRANSPORT_FLAG, rdpVersionName, SERVER_EARLY_CAPABILITY, UD_TYPE,
} from './codes.js';

/** serverRandomLen whenever encryption is in effect ([MS-RDPBCGR] 2.2.1.4.3). */
export const SERVER_RANDOM_SIZE = 32;

export interface ServerCoreFields {
  version: number;
  /** the requestedProtocols of the client's RDP_NEG_REQ, echoed (optional field) */
  clientRequestedProtocols?: number;
  /** RNS_UD_SC_* bits (optional field; present only after clientRequestedProtocols) */
  earlyCapabilityFlags?: number;
}

export interface ServerCore extends ServerCoreFields {
  versionName: string;
  /** names of earlyCapabilityFlags bits; empty when the field is absent */
  flagNames: string[];
}

export interface ServerSecurityFields {
  /** ENCRYPTION_METHOD_* (a single value) */
  encryptionMethod: number;
  /** ENCRYPTION_LEVEL_* */
  encryptionLevel: number;
  /** 32 bytes; absent when method and level are both NONE */
  serverRandom?: Uint8Array;
  /** absent when method and level are both NONE (or serverCertLen is 0) */
  certificate?: ServerCertificateSpec;
}

export interface ServerSecurity extends ServerSecurityFields {
  encryptionMethodName: string;
  encryptionLevelName: string;
  certificate?: ServerCertificate;
}

export interface ServerNetwork {
  /** MCSChannelId: the I/O channel */
  mcsChannelId: number;
  /** the granted static channels, in the order of the client's CS_NET channelDefArray (0: refused) */
  channelIds: number[];
}

export interface ServerMultitransport {
  flags: number;
  flagNames: string[];
}

/** What encodeServerData writes; a decoded ServerData is one. */
export interface ServerDataSpec {
  core?: ServerCoreFields;
  /** `certificate` may also be raw SERVER_CERTIFICATE bytes, to send a malformed one */
  security?: Omit<ServerSecurityFields, 'certificate'> & { certificate?: ServerCertificateSpec | Uint8Array };
  network?: ServerNetwork;
  messageChannel?: { mcsChannelId: number };
  multitransport?: { flags: number };
  /** written after the known blocks, as they are */
  unknown?: RawBlock[];
}

export interface ServerData {
  core?: ServerCore;
  security?: ServerSecurity;
  network?: ServerNetwork;
  messageChannel?: { mcsChannelId: number };
  multitransport?: ServerMultitransport;
  /** blocks this decoder does not interpret, in wire order */
  unknown: DataBlock[];
}

const PDU = {
  core: 'Server Core Data',
  security: 'Server Security Data',
  network: 'Server Network Data',
  messageChannel: 'Server Message Channel Data',
  multitransport: 'Server Multitransport Channel Data',
} as const;

/** The optional u32 fields of TS_UD_SC_CORE: absent, or all 4 bytes present. */
function optionalU32(r: ByteReader, field: string): number | undefined {
  return r.remaining === 0 ? undefined : r.u32le(field);
}

export function decodeServerCore(body: Uint8Array, base = 0): ServerCore {
  const r = new ByteReader(body, 'mcs', PDU.core, base);
  const version = r.u32le('version');
  const core: ServerCore = { version, versionName: rdpVersionName(version), flagNames: [] };
  const requested = optionalU32(r, 'clientRequestedProtocols');
  if (requested !== undefined) {
    core.clientRequestedProtocols = requested;
    const flags = optionalU32(r, 'earlyCapabilityFlags');
    if (flags !== undefined) {
      core.earlyCapabilityFlags = flags;
      core.flagNames = flagNames(SERVER_EARLY_CAPABILITY, flags);
    }
  }
  return core;
}

/**
 * TS_UD_SC_SEC1 body. With encryptionMethod and encryptionLevel both 0, serverRandomLen and
 * serverCertLen (if present) are ignored and nothing follows them ([MS-RDPBCGR] 2.2.1.4.3). Otherwise
 * serverRandomLen must be 32 and serverCertLen must fit in the block.
 */
export function decodeServerSecurity(body: Uint8Array, base = 0): ServerSecurity {
  const r = new ByteReader(body, 'mcs', PDU.security, base);
  const encryptionMethod = r.u32le('encryptionMethod');
  const encryptionLevel = r.u32le('encryptionLevel');
  const sec: ServerSecurity = {
    encryptionMethod,
    encryptionMethodName: describeCode(ENCRYPTION_METHOD, encryptionMethod).name,
    encryptionLevel,
    encryptionLevelName: describeCode(ENCRYPTION_LEVEL, encryptionLevel).name,
  };
  if (encryptionMethod === 0 && encryptionLevel === 0) return sec;
  if (r.remaining === 0) {
    throw r.error('NOT_ENOUGH_BYTES', 'serverRandomLen', `${sec.encryptionMethodName} at ${sec.encryptionLevelName} needs a server random and certificate, but the block ends`);
  }
  const randomLenAt = r.absolute;
  const randomLen = r.u32le('serverRandomLen');
  const certLenAt = r.absolute;
  const certLen = r.u32le('serverCertLen');
  if (randomLen !== SERVER_RANDOM_SIZE) {
    throw r.error('INVALID_FIELD', 'serverRandomLen', `${randomLen}; must be ${SERVER_RANDOM_SIZE} when encryption is in effect`, randomLenAt);
  }
  sec.serverRandom = r.bytes(SERVER_RANDOM_SIZE, 'serverRandom').slice();
  if (certLen > r.remaining) {
    throw r.error('NOT_ENOUGH_BYTES', 'serverCertLen', `${certLen} bytes, but the block has ${r.remaining} left`, certLenAt);
  }
  if (certLen > 0) {
    const certAt = r.absolute;
    sec.certificate = decodeServerCertificate(r.bytes(certLen, 'serverCertificate'), certAt);
  }
  return sec;
}

export function decodeServerNetwork(body: Uint8Array, base = 0): ServerNetwork {
  const r = new ByteReader(body, 'mcs', PDU.network, base);
  const mcsChannelId = r.u16le('MCSChannelId');
  const count = r.u16le('channelCount');
  r.ensure(2 * count, 'channelIdArray');
  const channelIds: number[] = [];
  for (let i = 0; i < count; i++) channelIds.push(r.u16le(`channelIdArray[${i}]`));
  // Pad: 2 bytes after an odd channelCount, so the block stays a multiple of 4; tolerated if missing.
  return { mcsChannelId, channelIds };
}

const DECODED = new Set<number>([UD_TYPE.SC_CORE, UD_TYPE.SC_SECURITY, UD_TYPE.SC_NET, UD_TYPE.SC_MCS_MSGCHANNEL, UD_TYPE.SC_MULTITRANSPORT]);

/**
 * The server data blocks of a GCC Conference Create Response (the H.221 "McDn" user data value).
 * `base` is the absolute offset of bytes[0]. A block type seen twice is INVALID_FIELD.
 */
export function decodeServerData(bytes: Uint8Array, base = 0): ServerData {
  const data: ServerData = { unknown: [] };
  const seen = new Set<number>();
  for (const b of decodeDataBlocks(bytes, base, 'server')) {
    const at = b.offset + 4;
    if (seen.has(b.type) && DECODED.has(b.type)) {
      throw new ByteReader(bytes, 'mcs', userDataName('server'), base).error('INVALID_FIELD', 'type', `a second ${b.typeName} block`, b.offset);
    }
    seen.add(b.type);
    switch (b.type) {
      case UD_TYPE.SC_CORE: data.core = decodeServerCore(b.body, at); break;
      case UD_TYPE.SC_SECURITY: data.security = decodeServerSecurity(b.body, at); break;
      case UD_TYPE.SC_NET: data.network = decodeServerNetwork(b.body, at); break;
      case UD_TYPE.SC_MCS_MSGCHANNEL:
        data.messageChannel = { mcsChannelId: new ByteReader(b.body, 'mcs', PDU.messageChannel, at).u16le('MCSChannelID') };
        break;
      case UD_TYPE.SC_MULTITRANSPORT: {
        const flags = new ByteReader(b.body, 'mcs', PDU.multitransport, at).u32le('flags');
        data.multitransport = { flags, flagNames: flagNames(MULTITRANSPORT_FLAG, flags) };
        break;
      }
      default: data.unknown.push(b);
    }
  }
  return data;
}

// ---- encoding ----

export function encodeServerCore(c: ServerCoreFields): Uint8Array {
  if (c.earlyCapabilityFlags !== undefined && c.clientRequestedProtocols === undefined) {
    throw new RangeError('earlyCapabilityFlags needs clientRequestedProtocols before it');
  }
  const fields = [c.version, c.clientRequestedProtocols, c.earlyCapabilityFlags].filter((v): v is number => v !== undefined);
  const w = new ByteWriter(4 * fields.length);
  for (const v of fields) w.u32le(v);
  return w.finish();
}

/**
 * TS_UD_SC_SEC1 body. With no random and no certificate and method and level both NONE, the 8-byte
 * form Windows sends (no serverRandomLen, no serverCertLen); otherwise both lengths, as given.
 */
export function encodeServerSecurity(s: NonNullable<ServerDataSpec['security']>): Uint8Array {
  const cert = s.certificate === undefined ? undefined
    : s.certificate instanceof Uint8Array ? s.certificate : encodeServerCertificate(s.certificate);
  const random = s.serverRandom;
  const short = !random && !cert && s.encryptionMethod === 0 && s.encryptionLevel === 0;
  const w = new ByteWriter(short ? 8 : 16 + (random?.length ?? 0) + (cert?.length ?? 0));
  w.u32le(s.encryptionMethod).u32le(s.encryptionLevel);
  if (!short) {
    w.u32le(random?.length ?? 0).u32le(cert?.length ?? 0);
    if (random) w.bytes(random);
    if (cert) w.bytes(cert);
  }
  return w.finish();
}

export function encodeServerNetwork(n: ServerNetwork): Uint8Array {
  if (n.channelIds.length > 0xffff) throw new RangeError('channelCount is 16-bit');
  const pad = n.channelIds.length % 2 === 1 ? 2 : 0;
  const w = new ByteWriter(4 + 2 * n.channelIds.length + pad);
  w.u16le(n.mcsChannelId).u16le(n.channelIds.length);
  for (const id of n.channelIds) w.u16le(id);
  if (pad) w.u16le(0);
  return w.finish();
}

/**
 * The server data blocks, in the order Windows servers use: core, network, security, message channel,
 * multitransport, then `unknown` as given.
 */
export function encodeServerData(d: ServerDataSpec): Uint8Array {
  const blocks: RawBlock[] = [];
  const u16 = (v: number): Uint8Array => new ByteWriter(2).u16le(v).finish();
  const u32 = (v: number): Uint8Array => new ByteWriter(4).u32le(v).finish();
  if (d.core) blocks.push({ type: UD_TYPE.SC_CORE, body: encodeServerCore(d.core) });
  if (d.network) blocks.push({ type: UD_TYPE.SC_NET, body: encodeServerNetwork(d.network) });
  if (d.security) blocks.push({ type: UD_TYPE.SC_SECURITY, body: encodeServerSecurity(d.security) });
  if (d.messageChannel) blocks.push({ type: UD_TYPE.SC_MCS_MSGCHANNEL, body: u16(d.messageChannel.mcsChannelId) });
  if (d.multitransport) blocks.push({ type: UD_TYPE.SC_MULTITRANSPORT, body: u32(d.multitransport.flags) });
  for (const b of d.unknown ?? []) blocks.push({ type: b.type, body: b.body });
  return encodeDataBlocks(blocks);
}
