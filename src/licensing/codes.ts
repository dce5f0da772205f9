// Licensing code tables ([MS-RDPBCGR] 2.2.1.12.1.1-2.2.1.12.1.3, [MS-RDPELE] 2.2.2).
import { defineCodes } from '../codes/table.js';

/** LICENSE_PREAMBLE bMsgType ([MS-RDPBCGR] 2.2.1.12.1.1). */
export const LICENSE_MSG = {
  LICENSE_REQUEST: 0x01,
  PLATFORM_CHALLENGE: 0x02,
  NEW_LICENSE: 0x03,
  UPGRADE_LICENSE: 0x04,
  LICENSE_INFO: 0x12,
  NEW_LICENSE_REQUEST: 0x13,
  PLATFORM_CHALLENGE_RESPONSE: 0x15,
  ERROR_ALERT: 0xff,
} as const;

export const LICENSE_MSG_TYPES = defineCodes({
  0x01: { name: 'LICENSE_REQUEST', meaning: 'Server License Request: the server starts the licensing exchange ([MS-RDPELE] 2.2.2.1).' },
  0x02: { name: 'PLATFORM_CHALLENGE', meaning: 'Server Platform Challenge ([MS-RDPELE] 2.2.2.4).' },
  0x03: { name: 'NEW_LICENSE', meaning: 'Server New License: a client access licence to store ([MS-RDPELE] 2.2.2.7).' },
  0x04: { name: 'UPGRADE_LICENSE', meaning: "Server Upgrade License: a replacement for the client's stored licence ([MS-RDPELE] 2.2.2.6)." },
  0x12: { name: 'LICENSE_INFO', meaning: 'Client License Information: the client presents a stored licence ([MS-RDPELE] 2.2.2.3).' },
  0x13: { name: 'NEW_LICENSE_REQUEST', meaning: 'Client New License Request: the client has no licence and asks for one ([MS-RDPELE] 2.2.2.2).' },
  0x15: { name: 'PLATFORM_CHALLENGE_RESPONSE', meaning: 'Client Platform Challenge Response ([MS-RDPELE] 2.2.2.5).' },
  0xff: { name: 'ERROR_ALERT', meaning: 'Licensing Error Message: an error or status code ([MS-RDPBCGR] 2.2.1.12.1.3).' },
});

/** LICENSE_PREAMBLE flags: the low nibble is the licensing protocol version. */
export const PREAMBLE_VERSION_MASK = 0x0f;
export const PREAMBLE_VERSION_2_0 = 0x2;
export const PREAMBLE_VERSION_3_0 = 0x3;
export const EXTENDED_ERROR_MSG_SUPPORTED = 0x80;
export const PREAMBLE_VERSIONS: Readonly<Record<number, string>> = {
  [PREAMBLE_VERSION_2_0]: 'PREAMBLE_VERSION_2_0', [PREAMBLE_VERSION_3_0]: 'PREAMBLE_VERSION_3_0',
};

/** LICENSE_BINARY_BLOB wBlobType ([MS-RDPBCGR] 2.2.1.12.1.2). */
export const BB = {
  ANY_BLOB: 0x0000,
  DATA_BLOB: 0x0001,
  RANDOM_BLOB: 0x0002,
  CERTIFICATE_BLOB: 0x0003,
  ERROR_BLOB: 0x0004,
  ENCRYPTED_DATA_BLOB: 0x0009,
  KEY_EXCHG_ALG_BLOB: 0x000d,
  SCOPE_BLOB: 0x000e,
  CLIENT_USER_NAME_BLOB: 0x000f,
  CLIENT_MACHINE_NAME_BLOB: 0x0010,
} as const;

export const BLOB_TYPE_NAMES: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(BB).map(([k, v]) => [v, `BB_${k}`]),
);

/** LICENSE_ERROR_MESSAGE dwErrorCode ([MS-RDPBCGR] 2.2.1.12.1.3). */
export const LICENSE_ERROR = {
  ERR_INVALID_SERVER_CERTIFICATE: 0x01,
  ERR_NO_LICENSE: 0x02,
  ERR_INVALID_MAC: 0x03,
  ERR_INVALID_SCOPE: 0x04,
  ERR_NO_LICENSE_SERVER: 0x06,
  STATUS_VALID_CLIENT: 0x07,
  ERR_INVALID_CLIENT: 0x08,
  ERR_INVALID_PRODUCTID: 0x0b,
  ERR_INVALID_MESSAGE_LEN: 0x0c,
} as const;

export const LICENSE_ERROR_CODES = defineCodes({
  0x01: { name: 'ERR_INVALID_SERVER_CERTIFICATE', meaning: "(sent by the client) The client could not use the server's licensing certificate." },
  0x02: { name: 'ERR_NO_LICENSE', meaning: '(sent by the client) The client has no licence to present.' },
  0x03: { name: 'ERR_INVALID_MAC', meaning: 'A licensing message failed its MAC check (wrong keys or a corrupted message).' },
  0x04: { name: 'ERR_INVALID_SCOPE', meaning: "The scope the client asked for is not one the server's licence covers." },
  0x06: { name: 'ERR_NO_LICENSE_SERVER', meaning: 'The server could not reach a Remote Desktop license server to issue a licence.' },
  0x07: { name: 'STATUS_VALID_CLIENT', meaning: 'No licence is needed or the client\'s licence is valid: licensing is over.' },
  0x08: { name: 'ERR_INVALID_CLIENT', meaning: "The server could not validate the client or its licence (no CAL available, or it was rejected)." },
  0x0b: { name: 'ERR_INVALID_PRODUCTID', meaning: "The product ID in the client's licence does not match the server's." },
  0x0c: { name: 'ERR_INVALID_MESSAGE_LEN', meaning: 'A licensing message had an invalid length.' },
});

/** LICENSE_ERROR_MESSAGE dwStateTransition ([MS-RDPBCGR] 2.2.1.12.1.3; [MS-RDPELE] 3.1.5.2). */
export const ST = {
  TOTAL_ABORT: 0x1,
  NO_TRANSITION: 0x2,
  RESET_PHASE_TO_START: 0x3,
  RESEND_LAST_MESSAGE: 0x4,
} as const;

export const STATE_TRANSITIONS = defineCodes({
  0x1: { name: 'ST_TOTAL_ABORT', meaning: 'Licensing has failed: the connection ends.' },
  0x2: { name: 'ST_NO_TRANSITION', meaning: 'No change of licensing state (after STATUS_VALID_CLIENT: licensing is complete).' },
  0x3: { name: 'ST_RESET_PHASE_TO_START', meaning: 'Licensing starts over from the Server License Request.' },
  0x4: { name: 'ST_RESEND_LAST_MESSAGE', meaning: 'The receiver asks for the last licensing message again.' },
});

/** KeyExchangeList values ([MS-RDPELE] 2.2.2.1). */
export const KEY_EXCHANGE_ALG: Readonly<Record<number, string>> = { 0x1: 'KEY_EXCHANGE_ALG_RSA' };
