// Named values of the GCC user data blocks ([MS-RDPBCGR] 2.2.1.3.x client, 2.2.1.4.x server), as
// open code tables: a value no table defines still decodes and is printed as `unknown (0x..)`.
import { codeHex, defineCodes, describeCode, type CodeTable } from '../codes/table.js';

/** TS_UD_HEADER type ([MS-RDPBCGR] 2.2.1.3.1). Client blocks are 0xC0xx, server blocks 0x0Cxx. */
export const UD_TYPE = {
  CS_CORE: 0xc001,
  CS_SECURITY: 0xc002,
  CS_NET: 0xc003,
  CS_CLUSTER: 0xc004,
  CS_MONITOR: 0xc005,
  CS_MCS_MSGCHANNEL: 0xc006,
  CS_MONITOR_EX: 0xc008,
  CS_MULTITRANSPORT: 0xc00a,
  CS_UNUSED1: 0xc00c,
  SC_CORE: 0x0c01,
  SC_SECURITY: 0x0c02,
  SC_NET: 0x0c03,
  SC_MCS_MSGCHANNEL: 0x0c04,
  SC_MULTITRANSPORT: 0x0c08,
} as const;

export const CLIENT_BLOCK_TYPE = defineCodes({
  [UD_TYPE.CS_CORE]: { name: 'CS_CORE', meaning: 'Client Core Data (2.2.1.3.2): version, desktop, keyboard, client name, early capabilities.' },
  [UD_TYPE.CS_SECURITY]: { name: 'CS_SECURITY', meaning: 'Client Security Data (2.2.1.3.3): the Standard RDP Security encryption methods the client supports.' },
  [UD_TYPE.CS_NET]: { name: 'CS_NET', meaning: 'Client Network Data (2.2.1.3.4): the static virtual channels the client asks for.' },
  [UD_TYPE.CS_CLUSTER]: { name: 'CS_CLUSTER', meaning: 'Client Cluster Data (2.2.1.3.5): session redirection support.' },
  [UD_TYPE.CS_MONITOR]: { name: 'CS_MONITOR', meaning: 'Client Monitor Data (2.2.1.3.6): the client monitor layout.' },
  [UD_TYPE.CS_MCS_MSGCHANNEL]: { name: 'CS_MCS_MSGCHANNEL', meaning: 'Client Message Channel Data (2.2.1.3.7): the client supports the MCS message channel.' },
  [UD_TYPE.CS_MONITOR_EX]: { name: 'CS_MONITOR_EX', meaning: 'Client Monitor Extended Data (2.2.1.3.10): physical size, orientation and scale of each monitor.' },
  [UD_TYPE.CS_MULTITRANSPORT]: { name: 'CS_MULTITRANSPORT', meaning: 'Client Multitransport Channel Data (2.2.1.3.8): the UDP transports the client supports.' },
  [UD_TYPE.CS_UNUSED1]: { name: 'CS_UNUSED1', meaning: 'Client Unused1 Data (2.2.1.3.9): padding the server ignores.' },
});

export const SERVER_BLOCK_TYPE = defineCodes({
  [UD_TYPE.SC_CORE]: { name: 'SC_CORE', meaning: 'Server Core Data (2.2.1.4.2): server version, the protocols the client requested, early capabilities.' },
  [UD_TYPE.SC_SECURITY]: { name: 'SC_SECURITY', meaning: 'Server Security Data (2.2.1.4.3): encryption method and level, server random and certificate.' },
  [UD_TYPE.SC_NET]: { name: 'SC_NET', meaning: 'Server Network Data (2.2.1.4.4): the I/O channel and the ids of the granted static channels.' },
  [UD_TYPE.SC_MCS_MSGCHANNEL]: { name: 'SC_MCS_MSGCHANNEL', meaning: 'Server Message Channel Data (2.2.1.4.5): the id of the MCS message channel.' },
  [UD_TYPE.SC_MULTITRANSPORT]: { name: 'SC_MULTITRANSPORT', meaning: 'Server Multitransport Channel Data (2.2.1.4.6): the UDP transports the server supports.' },
});

/** TS_UD_CS_CORE / TS_UD_SC_CORE version ([MS-RDPBCGR] 2.2.1.3.2, 2.2.1.4.2): major 8 in the high word. */
export const RDP_VERSION = defineCodes({
  0x00080001: { name: 'RDP 4.0', meaning: 'RDP 4.0 (NT 4.0 Terminal Server Edition era).' },
  0x00080004: { name: 'RDP 5.0-8.1', meaning: 'One value for RDP 5.0, 5.1, 5.2, 6.0, 6.1, 7.0, 7.1, 8.0 and 8.1.' },
  0x00080005: { name: 'RDP 10.0', meaning: 'RDP 10.0.' },
  0x00080006: { name: 'RDP 10.1', meaning: 'RDP 10.1.' },
  0x00080007: { name: 'RDP 10.2', meaning: 'RDP 10.2.' },
  0x00080008: { name: 'RDP 10.3', meaning: 'RDP 10.3.' },
  0x00080009: { name: 'RDP 10.4', meaning: 'RDP 10.4.' },
  0x0008000a: { name: 'RDP 10.5', meaning: 'RDP 10.5.' },
  0x0008000b: { name: 'RDP 10.6', meaning: 'RDP 10.6.' },
  0x0008000c: { name: 'RDP 10.7', meaning: 'RDP 10.7.' },
  0x0008000d: { name: 'RDP 10.8', meaning: 'RDP 10.8.' },
  0x0008000e: { name: 'RDP 10.9', meaning: 'RDP 10.9.' },
  0x0008000f: { name: 'RDP 10.10', meaning: 'RDP 10.10.' },
  0x00080010: { name: 'RDP 10.11', meaning: 'RDP 10.11.' },
  0x00080011: { name: 'RDP 10.12', meaning: 'RDP 10.12.' },
});

/** `RDP 10.7`, or `unknown (0x80099)`. */
export function rdpVersionName(version: number): string {
  return describeCode(RDP_VERSION, version).name;
}

/** TS_UD_SC_SEC1 encryptionMethod: the single method the server chose ([MS-RDPBCGR] 2.2.1.4.3). */
export const ENCRYPTION_METHOD = defineCodes({
  0x00: { name: 'ENCRYPTION_METHOD_NONE', meaning: 'No Standard RDP Security encryption (TLS or CredSSP protects the connection, or nothing does).' },
  0x01: { name: 'ENCRYPTION_METHOD_40BIT', meaning: '40-bit RC4 session keys with MD5/SHA-1 MACs.' },
  0x02: { name: 'ENCRYPTION_METHOD_128BIT', meaning: '128-bit RC4 session keys with MD5/SHA-1 MACs.' },
  0x08: { name: 'ENCRYPTION_METHOD_56BIT', meaning: '56-bit RC4 session keys with MD5/SHA-1 MACs.' },
  0x10: { name: 'ENCRYPTION_METHOD_FIPS', meaning: 'FIPS 140-1: Triple DES with SHA-1 HMACs.' },
});

/** TS_UD_CS_SEC encryptionMethods: the bit set of methods the client supports ([MS-RDPBCGR] 2.2.1.3.3). */
export const ENCRYPTION_METHOD_FLAG = defineCodes({
  0x01: { name: '40BIT_ENCRYPTION_FLAG', meaning: 'The client supports 40-bit RC4.' },
  0x02: { name: '128BIT_ENCRYPTION_FLAG', meaning: 'The client supports 128-bit RC4.' },
  0x08: { name: '56BIT_ENCRYPTION_FLAG', meaning: 'The client supports 56-bit RC4.' },
  0x10: { name: 'FIPS_ENCRYPTION_FLAG', meaning: 'The client supports FIPS 140-1 Triple DES.' },
});

/** TS_UD_SC_SEC1 encryptionLevel ([MS-RDPBCGR] 2.2.1.4.3, 5.3.1). */
export const ENCRYPTION_LEVEL = defineCodes({
  0: { name: 'ENCRYPTION_LEVEL_NONE', meaning: 'Standard RDP Security encryption is off; the method must be NONE too.' },
  1: { name: 'ENCRYPTION_LEVEL_LOW', meaning: 'Only client-to-server traffic is encrypted.' },
  2: { name: 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE', meaning: 'Both directions encrypted, with the strongest method the client supports.' },
  3: { name: 'ENCRYPTION_LEVEL_HIGH', meaning: 'Both directions encrypted with 128-bit keys; clients without 128-bit support cannot connect.' },
  4: { name: 'ENCRYPTION_LEVEL_FIPS', meaning: 'Both directions encrypted with FIPS 140-1 methods only.' },
});

/** TS_UD_CS_CORE earlyCapabilityFlags ([MS-RDPBCGR] 2.2.1.3.2). */
export const CLIENT_EARLY_CAPABILITY = defineCodes({
  0x0001: { name: 'RNS_UD_CS_SUPPORT_ERRINFO_PDU', meaning: 'The client understands the Set Error Info PDU, so the server can say why it disconnects.' },
  0x0002: { name: 'RNS_UD_CS_WANT_32BPP_SESSION', meaning: 'The client asks for a 32 bpp session (highColorDepth is then ignored).' },
  0x0004: { name: 'RNS_UD_CS_SUPPORT_STATUSINFO_PDU', meaning: 'The client understands the Server Status Info PDU.' },
  0x0008: { name: 'RNS_UD_CS_STRONG_ASYMMETRIC_KEYS', meaning: 'The client accepts proprietary certificate keys longer than 512 bits.' },
  0x0010: { name: 'RNS_UD_CS_RELATIVE_MOUSE_INPUT', meaning: 'The client can send relative mouse input.' },
  0x0020: { name: 'RNS_UD_CS_VALID_CONNECTION_TYPE', meaning: 'The connectionType field is meaningful.' },
  0x0040: { name: 'RNS_UD_CS_SUPPORT_MONITOR_LAYOUT_PDU', meaning: 'The client understands the Monitor Layout PDU.' },
  0x0080: { name: 'RNS_UD_CS_SUPPORT_NETCHAR_AUTODETECT', meaning: 'The client supports network characteristics detection.' },
  0x0100: { name: 'RNS_UD_CS_SUPPORT_DYNVC_GFX_PROTOCOL', meaning: 'The client supports the graphics pipeline extension (EGFX).' },
  0x0200: { name: 'RNS_UD_CS_SUPPORT_DYNAMIC_TIME_ZONE', meaning: 'The client sends dynamic daylight saving time information.' },
  0x0400: { name: 'RNS_UD_CS_SUPPORT_HEARTBEAT_PDU', meaning: 'The client understands the Heartbeat PDU.' },
  0x0800: { name: 'RNS_UD_CS_SUPPORT_SKIP_CHANNELJOIN', meaning: 'The client can skip the MCS Channel Join requests if the server agrees.' },
});

/** TS_UD_SC_CORE earlyCapabilityFlags ([MS-RDPBCGR] 2.2.1.4.2). */
export const SERVER_EARLY_CAPABILITY = defineCodes({
  0x01: { name: 'RNS_UD_SC_EDGE_ACTIONS_SUPPORTED_V1', meaning: 'The server supports edge gestures, version 1.' },
  0x02: { name: 'RNS_UD_SC_DYNAMIC_DST_SUPPORTED', meaning: 'The server accepts dynamic daylight saving time information.' },
  0x04: { name: 'RNS_UD_SC_EDGE_ACTIONS_SUPPORTED_V2', meaning: 'The server supports edge gestures, version 2.' },
  0x08: { name: 'RNS_UD_SC_SKIP_CHANNELJOIN_SUPPORTED', meaning: 'The client may skip the MCS Channel Join requests.' },
});

/** CHANNEL_DEF options ([MS-RDPBCGR] 2.2.1.3.4.1). */
export const CHANNEL_OPTION = defineCodes({
  0x80000000: { name: 'CHANNEL_OPTION_INITIALIZED', meaning: 'The channel is allocated (set by every client).' },
  0x40000000: { name: 'CHANNEL_OPTION_ENCRYPT_RDP', meaning: 'Encrypt the channel as RDP data (Standard RDP Security).' },
  0x20000000: { name: 'CHANNEL_OPTION_ENCRYPT_SC', meaning: 'Encrypt server-to-client channel data.' },
  0x10000000: { name: 'CHANNEL_OPTION_ENCRYPT_CS', meaning: 'Encrypt client-to-server channel data.' },
  0x08000000: { name: 'CHANNEL_OPTION_PRI_HIGH', meaning: 'High MCS priority.' },
  0x04000000: { name: 'CHANNEL_OPTION_PRI_MED', meaning: 'Medium MCS priority.' },
  0x02000000: { name: 'CHANNEL_OPTION_PRI_LOW', meaning: 'Low MCS priority.' },
  0x00800000: { name: 'CHANNEL_OPTION_COMPRESS_RDP', meaning: 'Compress the channel data if RDP data is compressed.' },
  0x00400000: { name: 'CHANNEL_OPTION_COMPRESS', meaning: 'Compress the channel data.' },
  0x00200000: { name: 'CHANNEL_OPTION_SHOW_PROTOCOL', meaning: 'Send the channel PDU header to the application.' },
  0x00100000: { name: 'REMOTE_CONTROL_PERSISTENT', meaning: 'The channel stays open during a remote control (shadow) session.' },
});

/** TS_UD_CS_CLUSTER Flags, outside the redirection version bits 2-5 ([MS-RDPBCGR] 2.2.1.3.5). */
export const CLUSTER_FLAG = defineCodes({
  0x01: { name: 'REDIRECTION_SUPPORTED', meaning: 'The client supports session redirection.' },
  0x02: { name: 'REDIRECTED_SESSIONID_FIELD_VALID', meaning: 'RedirectedSessionID names the session to reconnect to.' },
  0x40: { name: 'REDIRECTED_SMARTCARD', meaning: 'The client logged on with a smart card.' },
});

/** ServerSessionRedirectionVersionMask: bits 2-5 of the cluster Flags hold REDIRECTION_VERSIONn - 1. */
export const REDIRECTION_VERSION_MASK = 0x3c;

/** TS_UD_CS_MULTITRANSPORT / TS_UD_SC_MULTITRANSPORT flags ([MS-RDPBCGR] 2.2.1.3.8, 2.2.1.4.6). */
export const MULTITRANSPORT_FLAG = defineCodes({
  0x001: { name: 'TRANSPORTTYPE_UDPFECR', meaning: 'RDP-UDP reliable transport.' },
  0x004: { name: 'TRANSPORTTYPE_UDPFECL', meaning: 'RDP-UDP lossy transport.' },
  0x100: { name: 'TRANSPORTTYPE_UDP_PREFERRED', meaning: 'Static virtual channel traffic may be tunneled over UDP.' },
  0x200: { name: 'SOFTSYNC_TCP_TO_UDP', meaning: 'Dynamic virtual channels may move from TCP to UDP.' },
});

/**
 * Names of the bits set in `raw`, in table order; bits no entry names are reported together as
 * `unknown (0x..)`. Entries must be single bits.
 */
export function flagNames(table: CodeTable, raw: number): string[] {
  const names: string[] = [];
  let known = 0;
  for (const [bit, info] of table.entries) {
    if (bit !== 0 && (raw & bit) >>> 0 === bit) {
      names.push(info.name);
      known = (known | bit) >>> 0;
    }
  }
  const rest = (raw & ~known) >>> 0;
  if (rest) names.push(`unknown (${codeHex(rest)})`);
  return names;
}
