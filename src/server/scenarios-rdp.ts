// Scenarios after the security upgrade: the RDP server side (src/server/rdp-responder.ts) plays the
// connection sequence from the MCS Connect Initial ([MS-RDPBCGR] 1.3.1.1) and fails in a scripted
// way (failure-catalogue rows 26-34). Most select SSL when the client offers it, so a probe reaches
// MCS without credentials (a client that requests only RDP gets Standard RDP Security: 128-bit RC4 at
// CLIENT_COMPATIBLE); rows 28 and 30 are about Standard RDP Security and select PROTOCOL_RDP whatever
// the client requested (probe them with --protocols RDP, else the Confirm is row 11's unrequested
// protocol). Names: a prefix per phase (mcs-, channel-, secx-, license-, errinfo-, dpu-).
import type { Scenario } from './scenarios.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { PROTOCOL } from '../x224/codes.js';
import { bestProtocol, confirmTo, selectProtocol } from './replies.js';
import type { RdpBehaviour, RdpFailure } from './rdp-responder.js';
import { describeCode } from '../codes/table.js';
import { MCS_DISCONNECT_REASON, MCS_RESULT } from '../codes/mcs.js';
import { ERRINFO } from '../codes/errinfo.js';
import { LICENSE_ERROR, LICENSE_ERROR_CODES, ST } from '../licensing/codes.js';
import { ENCRYPTION_LEVEL as LEVEL, ENCRYPTION_METHOD as METHOD } from '../rdp/security-header.js';

const request = { await: 'request' } as const;

/** SSL when requested (TLS without NLA), else the best requested protocol; a legacy request gets a legacy Confirm. */
export function sslFirst(req: ConnectionRequest): Uint8Array {
  if (!req.negotiation) return confirmTo(req);
  return selectProtocol(req, req.negotiation.requestedProtocols & PROTOCOL.SSL ? PROTOCOL.SSL : bestProtocol(req));
}

/** PROTOCOL_RDP whatever was requested: Standard RDP Security. */
export function rdpOnly(req: ConnectionRequest): Uint8Array {
  return req.negotiation ? selectProtocol(req, PROTOCOL.RDP) : confirmTo(req);
}

const VIA_SSL = 'selects SSL when offered (TLS with the valid localhost certificate, no NLA), else the best requested protocol (for an RDP-only client: Standard RDP Security, 128-bit RC4 when offered, at CLIENT_COMPATIBLE)';
const VIA_RDP = 'selects PROTOCOL_RDP whatever was requested (Standard RDP Security; probe with --protocols RDP)';
/** the part of the sequence a scenario plays normally before failing */
const UP_TO = {
  joins: 'answers the Connect Initial (rt-successful) and the Attach User Request (user 1007)',
  clientInfo: 'plays the sequence normally up to the Client Info PDU (Connect Response, Attach User, Channel Joins, Security Exchange under Standard RDP Security)',
};

function scenario(name: string, row: number | null, describe: string, behaviour: RdpBehaviour, security: 'ssl' | 'rdp' = 'ssl'): Scenario {
  return {
    name, row, describe: `${security === 'ssl' ? VIA_SSL : VIA_RDP}; ${describe}`,
    behaviour: [request, { send: security === 'ssl' ? sslFirst : rdpOnly }, { rdp: { behaviour } }],
  };
}

const fail = (failure: RdpFailure): RdpBehaviour => ({ failure });
const named = (d: { name: string; value: number }): string => `${d.name} (${d.value})`;

/** Row 27: the Connect Response carries a failing T.125 result. */
function connectResult(result: number): Scenario {
  const d = describeCode(MCS_RESULT, result);
  return scenario(`mcs-result-${d.name.replace(/^rt-/, '')}`, 27,
    `answers the MCS Connect Initial with a Connect Response whose result is ${named(d)}, with the GCC Conference Create Response result userRejected, then FIN`,
    fail({ connectResult: result }));
}

/** Row 28: Standard RDP Security at a weak method or level; the sequence completes. */
function weak(name: string, row: number | null, method: number, level: number, what: string): Scenario {
  return scenario(name, row, `Server Security Data selects ${what}, then completes the sequence to the Demand Active and stays open`,
    { encryption: { method, level } }, 'rdp');
}

/** Row 31: a licensing error code with ST_TOTAL_ABORT instead of STATUS_VALID_CLIENT. */
function licenseError(code: number): Scenario {
  const d = describeCode(LICENSE_ERROR_CODES, code);
  return scenario(`license-error-${d.name.replace(/^ERR_/, '').toLowerCase().replace(/_/g, '-')}`, 31,
    `${UP_TO.clientInfo}, then answers the Client Info with a License Error PDU ${d.name} (${d.hex}) and ST_TOTAL_ABORT instead of STATUS_VALID_CLIENT, then FIN`,
    fail({ licenseError: code, stateTransition: ST.TOTAL_ABORT }));
}

/** Rows 31 (0x100-0x10A) and 32: Set Error Info, then FIN. */
function errorInfo(value: number, after: 'client-info' | 'demand-active'): Scenario {
  const d = describeCode(ERRINFO, value);
  const row = value >= 0x100 && value <= 0x10a ? 31 : 32;
  const what = after === 'client-info'
    ? `${UP_TO.clientInfo}, then answers the Client Info with a Set Error Info PDU ${d.hex} ${d.name} instead of licensing, then FIN`
    : `completes the sequence to the Demand Active, then at once sends a Set Error Info PDU ${d.hex} ${d.name}, then FIN`;
  return scenario(`errinfo-${d.hex.toLowerCase()}-after-${after}`, row, what, fail({ errorInfo: value, after }));
}

const rn = (reason: number): string => named(describeCode(MCS_DISCONNECT_REASON, reason));
const RN_PROVIDER_INITIATED = 1;
const RN_USER_REQUESTED = 3;
const RT_NO_SUCH_CHANNEL = 3;
const RT_PARAMETERS_UNACCEPTABLE = 8;
const RT_TOO_MANY_USERS = 13;
const RT_USER_REJECTED = 15;

export const RDP_SCENARIOS: readonly Scenario[] = [
  scenario('mcs-close-after-connect-initial', 26, 'reads the MCS Connect Initial, then closes (FIN) without a Connect Response', fail({ close: 'after-connect-initial' })),
  scenario('mcs-dpu-after-connect-initial', 26,
    `answers the MCS Connect Initial with an MCS Disconnect Provider Ultimatum ${rn(RN_USER_REQUESTED)} instead of a Connect Response, as xrdp does when it refuses the client data, then FIN`,
    fail({ disconnect: 'after-connect-initial', reason: RN_USER_REQUESTED })),
  scenario('mcs-silent-after-connect-initial', 34, 'reads the MCS Connect Initial and never answers, stays open', fail({ silent: 'after-connect-initial' })),
  connectResult(RT_USER_REJECTED),
  connectResult(RT_TOO_MANY_USERS),
  connectResult(RT_PARAMETERS_UNACCEPTABLE),
  weak('mcs-weak-40bit-low', 28, METHOD.BIT_40, LEVEL.LOW, 'ENCRYPTION_METHOD_40BIT at ENCRYPTION_LEVEL_LOW (only client-to-server traffic encrypted; xrdp crypt_level=low)'),
  weak('mcs-weak-56bit', 28, METHOD.BIT_56, LEVEL.CLIENT_COMPATIBLE, 'ENCRYPTION_METHOD_56BIT at ENCRYPTION_LEVEL_CLIENT_COMPATIBLE'),
  weak('mcs-no-encryption', 28, METHOD.NONE, LEVEL.NONE, 'ENCRYPTION_METHOD_NONE at ENCRYPTION_LEVEL_NONE (no server random, no certificate, no Security Exchange: everything in the clear)'),
  weak('mcs-fips', null, METHOD.FIPS, LEVEL.FIPS, 'ENCRYPTION_METHOD_FIPS at ENCRYPTION_LEVEL_FIPS (3DES, HMAC-SHA1)'),
  scenario('channel-attach-too-many-users', 29,
    `answers the Connect Initial (rt-successful), then the Attach User Request with an Attach User Confirm result ${named(describeCode(MCS_RESULT, RT_TOO_MANY_USERS))} and no user id, then reads and ignores the rest`,
    fail({ attachResult: RT_TOO_MANY_USERS })),
  scenario('channel-join-io-no-such-channel', 29,
    `${UP_TO.joins}, then the Channel Join Request for the I/O channel 1003 with a Channel Join Confirm result ${named(describeCode(MCS_RESULT, RT_NO_SUCH_CHANNEL))} and no channel id (the user channel join succeeds), then reads and ignores the rest`,
    fail({ joinResult: RT_NO_SUCH_CHANNEL, channel: 'io' })),
  scenario('channel-close-during-joins', 29, `${UP_TO.joins}, confirms the first Channel Join Request, then closes (FIN) on the next one`, fail({ close: 'during-channel-joins' })),
  scenario('channel-close-after-joins', 29,
    `${UP_TO.joins}, confirms every Channel Join Request (user channel, I/O channel 1003, the static channels from 1004, the message channel if asked), then closes (FIN) after the last Confirm`,
    fail({ close: 'after-channel-joins' })),
  scenario('secx-close-after-security-exchange', 30,
    'completes MCS and the channel joins (128-bit RC4 when offered, at CLIENT_COMPATIBLE; a TS-signed proprietary certificate with a 512-bit key), reads the client\'s Security Exchange PDU, then closes (FIN)',
    fail({ close: 'after-security-exchange' }), 'rdp'),
  licenseError(LICENSE_ERROR.ERR_NO_LICENSE_SERVER),
  licenseError(LICENSE_ERROR.ERR_INVALID_CLIENT),
  licenseError(LICENSE_ERROR.ERR_INVALID_SCOPE),
  licenseError(LICENSE_ERROR.ERR_INVALID_PRODUCTID),
  licenseError(LICENSE_ERROR.ERR_INVALID_MAC),
  licenseError(LICENSE_ERROR.ERR_INVALID_MESSAGE_LEN),
  scenario('license-silent-after-client-info', 34, `${UP_TO.clientInfo}, then never answers the Client Info (no licensing PDU), stays open`, fail({ silent: 'after-client-info' })),
  errorInfo(0x7, 'client-info'),
  errorInfo(0x5, 'client-info'),
  errorInfo(0x9, 'client-info'),
  errorInfo(0x3, 'demand-active'),
  ...Array.from({ length: 0x10a - 0x100 + 1 }, (_, i) => errorInfo(0x100 + i, 'client-info')),
  scenario('dpu-after-client-info', 33,
    `${UP_TO.clientInfo}, then answers the Client Info with an MCS Disconnect Provider Ultimatum ${rn(RN_PROVIDER_INITIATED)}, then FIN`,
    fail({ disconnect: 'after-client-info', reason: RN_PROVIDER_INITIATED })),
];
