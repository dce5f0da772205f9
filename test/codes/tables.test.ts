import { describe, expect, it } from 'vitest';
import {
  CLIENT_DISCONNECT,
  codeHex,
  defineCodes,
  describeCode,
  ERRCONNECT,
  ERRINFO,
  EUA_RESULT,
  EXTENDED_REASON,
  findCodeByName,
  MCS_DISCONNECT_REASON,
  MCS_RESULT,
  X224_DISCONNECT_REASON,
} from '../../src/codes/index.js';

// Every errorInfo value listed in docs/peers-and-codes.md §3.4 (MS-RDPBCGR 2.2.5.1.1).
const ERRINFO_DOC: [number, string][] = [
  [0x0, 'NONE'], [0x1, 'RPC_INITIATED_DISCONNECT'], [0x2, 'RPC_INITIATED_LOGOFF'], [0x3, 'IDLE_TIMEOUT'],
  [0x4, 'LOGON_TIMEOUT'], [0x5, 'DISCONNECTED_BY_OTHER_CONNECTION'], [0x6, 'OUT_OF_MEMORY'],
  [0x7, 'SERVER_DENIED_CONNECTION'], [0x9, 'SERVER_INSUFFICIENT_PRIVILEGES'], [0xa, 'SERVER_FRESH_CREDENTIALS_REQUIRED'],
  [0xb, 'RPC_INITIATED_DISCONNECT_BY_USER'], [0xc, 'LOGOFF_BY_USER'], [0xf, 'CLOSE_STACK_ON_DRIVER_NOT_READY'],
  [0x10, 'SERVER_DWM_CRASH'], [0x11, 'CLOSE_STACK_ON_DRIVER_FAILURE'], [0x12, 'CLOSE_STACK_ON_DRIVER_IFACE_FAILURE'],
  [0x17, 'SERVER_WINLOGON_CRASH'], [0x18, 'SERVER_CSRSS_CRASH'],
  [0x100, 'LICENSE_INTERNAL'], [0x101, 'LICENSE_NO_LICENSE_SERVER'], [0x102, 'LICENSE_NO_LICENSE'],
  [0x103, 'LICENSE_BAD_CLIENT_MSG'], [0x104, 'LICENSE_HWID_DOESNT_MATCH_LICENSE'], [0x105, 'LICENSE_BAD_CLIENT_LICENSE'],
  [0x106, 'LICENSE_CANT_FINISH_PROTOCOL'], [0x107, 'LICENSE_CLIENT_ENDED_PROTOCOL'], [0x108, 'LICENSE_BAD_CLIENT_ENCRYPTION'],
  [0x109, 'LICENSE_CANT_UPGRADE_LICENSE'], [0x10a, 'LICENSE_NO_REMOTE_CONNECTIONS'],
  [0x400, 'CB_DESTINATION_NOT_FOUND'], [0x402, 'CB_LOADING_DESTINATION'], [0x404, 'CB_REDIRECTING_TO_DESTINATION'],
  [0x405, 'CB_SESSION_ONLINE_VM_WAKE'], [0x406, 'CB_SESSION_ONLINE_VM_BOOT'], [0x407, 'CB_SESSION_ONLINE_VM_NO_DNS'],
  [0x408, 'CB_DESTINATION_POOL_NOT_FREE'], [0x409, 'CB_CONNECTION_CANCELLED'], [0x410, 'CB_CONNECTION_ERROR_INVALID_SETTINGS'],
  [0x411, 'CB_SESSION_ONLINE_VM_BOOT_TIMEOUT'], [0x412, 'CB_SESSION_ONLINE_VM_SESSMON_FAILED'],
  [0x10c9, 'UNKNOWN_DATA_PDU_TYPE'], [0x10ca, 'UNKNOWN_PDU_TYPE'], [0x10cb, 'DATA_PDU_SEQUENCE'],
  [0x10cd, 'CONTROL_PDU_SEQUENCE'], [0x10ce, 'INVALID_CONTROL_PDU_ACTION'], [0x10cf, 'INVALID_INPUT_PDU_TYPE'],
  [0x10d0, 'INVALID_INPUT_PDU_MOUSE'], [0x10d1, 'INVALID_REFRESH_RECT_PDU'], [0x10d2, 'CREATE_USER_DATA_FAILED'],
  [0x10d3, 'CONNECT_FAILED'], [0x10d4, 'CONFIRM_ACTIVE_HAS_WRONG_SHAREID'], [0x10d5, 'CONFIRM_ACTIVE_HAS_WRONG_ORIGINATOR'],
  [0x10da, 'PERSISTENT_KEY_PDU_BAD_LENGTH'], [0x10db, 'PERSISTENT_KEY_PDU_ILLEGAL_FIRST'],
  [0x10dc, 'PERSISTENT_KEY_PDU_TOO_MANY_TOTAL_KEYS'], [0x10dd, 'PERSISTENT_KEY_PDU_TOO_MANY_CACHE_KEYS'],
  [0x10de, 'INPUT_PDU_BAD_LENGTH'], [0x10df, 'BITMAP_CACHE_ERROR_PDU_BAD_LENGTH'], [0x10e0, 'SECURITY_DATA_TOO_SHORT'],
  [0x10e1, 'VCHANNEL_DATA_TOO_SHORT'], [0x10e2, 'SHARE_DATA_TOO_SHORT'], [0x10e3, 'BAD_SUPPRESS_OUTPUT_PDU'],
  [0x10e5, 'CONFIRM_ACTIVE_PDU_TOO_SHORT'], [0x10e7, 'CAPABILITY_SET_TOO_SMALL'], [0x10e8, 'CAPABILITY_SET_TOO_LARGE'],
  [0x10e9, 'NO_CURSOR_CACHE'], [0x10ea, 'BAD_CAPABILITIES'], [0x10ec, 'VIRTUAL_CHANNEL_DECOMPRESSION'],
  [0x10ed, 'INVALID_VC_COMPRESSION_TYPE'], [0x10ef, 'INVALID_CHANNEL_ID'], [0x10f0, 'VCHANNELS_TOO_MANY'],
  [0x10f3, 'REMOTEAPP_NOT_ENABLED'], [0x10f4, 'CACHE_CAP_NOT_SET'], [0x10f5, 'BITMAP_CACHE_ERROR_PDU_BAD_LENGTH2'],
  [0x10f6, 'OFFSCREEN_CACHE_ERROR_PDU_BAD_LENGTH'], [0x10f7, 'DRAWNINEGRID_CACHE_ERROR_PDU_BAD_LENGTH'],
  [0x10f8, 'GDIPLUS_PDU_BAD_LENGTH'],
  ...Array.from({ length: 22 }, (_, i): [number, string] => [0x1111 + i, `SECURITY_DATA_TOO_SHORT${i + 2}`]),
  [0x1129, 'BAD_MONITOR_DATA'], [0x112a, 'VC_DECOMPRESSED_REASSEMBLE_FAILED'], [0x112b, 'VC_DATA_TOO_LONG'],
  [0x112c, 'BAD_FRAME_ACK_DATA'], [0x112d, 'GRAPHICS_MODE_NOT_SUPPORTED'], [0x112e, 'GRAPHICS_SUBSYSTEM_RESET_FAILED'],
  [0x112f, 'GRAPHICS_SUBSYSTEM_FAILED'], [0x1130, 'TIMEZONE_KEY_NAME_LENGTH_TOO_SHORT'],
  [0x1131, 'TIMEZONE_KEY_NAME_LENGTH_TOO_LONG'], [0x1132, 'DYNAMIC_DST_DISABLED_FIELD_MISSING'],
  [0x1133, 'VC_DECODING_ERROR'], [0x1134, 'VIRTUALDESKTOPTOOLARGE'], [0x1135, 'MONITORGEOMETRYVALIDATIONFAILED'],
  [0x1136, 'INVALIDMONITORCOUNT'], [0x1191, 'UPDATE_SESSION_KEY_FAILED'], [0x1192, 'DECRYPT_FAILED'],
  [0x1193, 'ENCRYPT_FAILED'], [0x1194, 'ENCRYPTION_PACKAGE_MISMATCH'], [0x1195, 'DECRYPT_FAILED2'],
  [0x1196, 'PEER_DISCONNECTED'],
];

// docs/peers-and-codes.md §3.2 (documented values) plus the undocumented ones users report.
const DISC_DOC: [number, string][] = [
  [0x0, 'disconnectReasonNoInfo'], [0x1, 'disconnectReasonLocalNotError'], [0x2, 'disconnectReasonRemoteByUser'],
  [0x3, 'disconnectReasonByServer'], [0x104, 'disconnectReasonDNSLookupFailed'], [0x204, 'disconnectReasonSocketConnectFailed'],
  [0x304, 'disconnectReasonWinsockSendFailed'], [0x404, 'disconnectReasonSocketRecvFailed'], [0x604, 'disconnectReasonGetHostByNameFailed'],
  [0x704, 'disconnectReasonTimeoutOccurred'], [0x804, 'disconnectReasonInvalidIP'], [0x904, 'disconnectReasonAtClientWinsockFDCLOSE'],
  [0x106, 'disconnectReasonOutOfMemory'], [0x206, 'disconnectReasonOutOfMemory2'], [0x306, 'disconnectReasonOutOfMemory3'],
  [0x406, 'disconnectReasonInvalidSecurityData'], [0x506, 'disconnectReasonInvalidEncryption'],
  [0x606, 'disconnectReasonInvalidServerSecurityInfo'], [0x706, 'disconnectReasonServerCertificateUnpackErr'],
  [0x906, 'disconnectReasonInternalSecurityError'], [0xa06, 'disconnectReasonInternalSecurityError2'],
  [0xb06, 'disconnectReasonEncryptionError'], [0xc06, 'disconnectReasonDecryptionError'],
  [0x807, 'SSL_ERR_LOGON_FAILURE'], [0xa07, 'SSL_ERR_NO_SUCH_USER'], [0xb07, 'SSL_ERR_ACCOUNT_DISABLED'],
  [0xc07, 'SSL_ERR_ACCOUNT_RESTRICTION'], [0xd07, 'SSL_ERR_ACCOUNT_LOCKED_OUT'], [0xe07, 'SSL_ERR_ACCOUNT_EXPIRED'],
  [0xf07, 'SSL_ERR_PASSWORD_EXPIRED'], [0x1207, 'SSL_ERR_PASSWORD_MUST_CHANGE'], [0x1607, 'SSL_ERR_DELEGATION_POLICY'],
  [0x1707, 'SSL_ERR_POLICY_NTLM_ONLY'], [0x1807, 'SSL_ERR_NO_AUTHENTICATING_AUTHORITY'], [0x1b07, 'SSL_ERR_CERT_EXPIRED'],
  [0x1c07, 'SSL_ERR_SMARTCARD_WRONG_PIN'], [0x2107, 'SSL_ERR_FRESH_CRED_REQUIRED_BY_SERVER'],
  [0x2207, 'SSL_ERR_SMARTCARD_CARD_BLOCKED'], [0x108, 'disconnectReasonConnectionTimedOut'],
  [0x208, 'disconnectReasonHostNotFound'], [0x308, 'disconnectReasonInvalidIPAddr'], [0x408, 'disconnectReasonInternalError'],
  [0x508, 'disconnectReasonDNSLookupFailed2'], [0x608, 'disconnectReasonTimerError'], [0x808, 'disconnectReasonLicensingFailed'],
  [0x908, 'disconnectReasonLicensingTimeout'], [0xc08, 'disconnectReasonClientDecompressionError'],
];

describe('ERRINFO (MS-RDPBCGR 2.2.5.1.1)', () => {
  it('has every errorInfo value of peers-and-codes §3.4 under its ERRINFO_ name', () => {
    for (const [v, name] of ERRINFO_DOC) {
      const d = describeCode(ERRINFO, v);
      expect(d.known, codeHex(v)).toBe(true);
      expect(d.name).toBe(`ERRINFO_${name}`);
      expect(d.meaning.length).toBeGreaterThan(10);
    }
    expect(ERRINFO.entries.size).toBe(ERRINFO_DOC.length);
  });

  it('names a sample the way FreeRDP and the spec do', () => {
    expect(describeCode(ERRINFO, 0x10c9).name).toBe('ERRINFO_UNKNOWN_DATA_PDU_TYPE');
    expect(describeCode(ERRINFO, 0x1196).name).toBe('ERRINFO_PEER_DISCONNECTED');
    expect(describeCode(ERRINFO, 0x112f).name).toBe('ERRINFO_GRAPHICS_SUBSYSTEM_FAILED');
    expect(describeCode(ERRINFO, 0x10a).name).toBe('ERRINFO_LICENSE_NO_REMOTE_CONNECTIONS');
    expect(describeCode(ERRINFO, 0x409).name).toBe('ERRINFO_CB_CONNECTION_CANCELLED');
    expect(describeCode(ERRINFO, 0x7)).toMatchObject({ hex: '0x7', name: 'ERRINFO_SERVER_DENIED_CONNECTION', known: true });
  });

  it('has no value 0x8 (the FIPS variant exists only as an extended reason)', () => {
    expect(describeCode(ERRINFO, 0x8).known).toBe(false);
    expect(describeCode(EXTENDED_REASON, 0x8).name).toBe('exDiscReasonServerDeniedConnectionFips');
  });
});

describe('Windows client discReason', () => {
  it('has every documented value of peers-and-codes §3.2', () => {
    for (const [v, name] of DISC_DOC) expect(describeCode(CLIENT_DISCONNECT, v), codeHex(v)).toMatchObject({ name, known: true });
  });

  it('marks the field-reported values undocumented', () => {
    for (const v of [0xb09, 0x1104, 0x708]) expect(describeCode(CLIENT_DISCONNECT, v)).toMatchObject({ known: true, undocumented: true });
    expect(describeCode(CLIENT_DISCONNECT, 0x904).undocumented).toBeUndefined();
    expect(describeCode(CLIENT_DISCONNECT, 0xb09).meaning).toMatch(/Network Level Authentication/);
  });
});

describe('ExtendedDisconnectReason', () => {
  it('has 0-12, 256-267 and 768', () => {
    for (const v of [...Array(13).keys(), ...Array.from({ length: 12 }, (_, i) => 256 + i), 768]) {
      expect(describeCode(EXTENDED_REASON, v).known, String(v)).toBe(true);
    }
    expect(describeCode(EXTENDED_REASON, 7).name).toBe('exDiscReasonServerDeniedConnection');
  });

  it('covers the protocol range 4096-32767 and nothing past it', () => {
    expect(describeCode(EXTENDED_REASON, 4096).name).toBe('exDiscReasonProtocolRange');
    expect(describeCode(EXTENDED_REASON, 32767).known).toBe(true);
    expect(describeCode(EXTENDED_REASON, 32768).known).toBe(false);
    expect(describeCode(EXTENDED_REASON, 13).known).toBe(false);
  });
});

describe('MCS, X.224 disconnect, EUA and FreeRDP tables', () => {
  it('MCS results 0..15 and Disconnect Provider Ultimatum reasons 0..4', () => {
    expect([...Array(16).keys()].every((v) => describeCode(MCS_RESULT, v).known)).toBe(true);
    expect(describeCode(MCS_RESULT, 13).name).toBe('rt-too-many-users');
    expect(describeCode(MCS_RESULT, 15).name).toBe('rt-user-rejected');
    expect(describeCode(MCS_RESULT, 16).known).toBe(false);
    expect([0, 1, 2, 3, 4].map((v) => describeCode(MCS_DISCONNECT_REASON, v).name)).toEqual([
      'rn-domain-disconnected', 'rn-provider-initiated', 'rn-token-purged', 'rn-user-requested', 'rn-channel-purged',
    ]);
  });

  it('X.224 Disconnect Request reasons of X.224 §13.5.3', () => {
    for (const v of [0, 1, 2, 3, 128, 129, 130, 131, 132, 133, 135, 136, 138]) {
      expect(describeCode(X224_DISCONNECT_REASON, v).known, String(v)).toBe(true);
    }
    expect(describeCode(X224_DISCONNECT_REASON, 134).known).toBe(false);
    expect(describeCode(X224_DISCONNECT_REASON, 130).name).toBe('negotiation-failed');
  });

  it('Early User Authorization and FreeRDP ERRCONNECT', () => {
    expect(describeCode(EUA_RESULT, 5).name).toBe('AUTHZ_ACCESS_DENIED');
    expect(describeCode(ERRCONNECT, 0x2000d).name).toBe('ERRCONNECT_CONNECT_TRANSPORT_FAILED');
    expect(describeCode(ERRCONNECT, 0x2001e).name).toBe('ERRCONNECT_HYBRID_REQUIRED_BY_SERVER');
    expect(ERRCONNECT.entries.size).toBe(0x1e);
  });
});

describe('table helper', () => {
  it('renders unknown values as unknown (0x..) and never throws', () => {
    expect(describeCode(ERRINFO, 0x8)).toEqual({ value: 8, hex: '0x8', name: 'unknown (0x8)', meaning: 'not a value this table defines', known: false });
    expect(describeCode(CLIENT_DISCONNECT, 0xdeadbeef).name).toBe('unknown (0xDEADBEEF)');
    expect(() => describeCode(MCS_RESULT, -1)).not.toThrow();
    expect(() => describeCode(MCS_RESULT, Number.NaN)).not.toThrow();
  });

  it('defines tables from plain objects and finds names case-insensitively', () => {
    const t = defineCodes({ 0x10: { name: 'SIXTEEN', meaning: 'sixteen' } }, [{ from: 0x20, to: 0x2f, name: 'BLOCK', meaning: 'a block' }]);
    expect(describeCode(t, 16)).toMatchObject({ hex: '0x10', name: 'SIXTEEN', known: true });
    expect(describeCode(t, 0x25).name).toBe('BLOCK');
    expect(findCodeByName(t, 'sixteen')).toBe(16);
    expect(findCodeByName(ERRINFO, 'errinfo_server_denied_connection')).toBe(7);
    expect(findCodeByName(t, 'BLOCK')).toBeUndefined();
  });

  it('tables are frozen data', () => {
    expect(Object.isFrozen(ERRINFO)).toBe(true);
    expect(Object.isFrozen(ERRINFO.entries.get(7))).toBe(true);
  });
});
