// Scenario table: scripted X.224-stage behaviours reproducing failure-catalogue rows 4-12
// (docs/failure-catalogue.md §3; Connection Confirm per [MS-RDPBCGR] 2.2.1.2), then the TLS,
// CredSSP and RDP connection-sequence scenarios (scenarios-tls.ts, -credssp.ts, -rdp.ts), and the
// hostile servers (scenarios-hostile.ts).
import type { Step } from './script.js';
import { confirmTo, disconnect, refuseWith, selectBest, selectProtocol, unrequestedProtocol } from './replies.js';
import { describeFailureCode } from '../x224/codes.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { TLS_SCENARIOS } from './scenarios-tls.js';
import { CREDSSP_SCENARIOS } from './scenarios-credssp.js';
import { RDP_SCENARIOS } from './scenarios-rdp.js';
import { HOSTILE_SCENARIOS } from './scenarios-hostile.js';

export interface Scenario {
  /** stable kebab-case name used by tests, docs and `rdpscope serve --scenario` */
  name: string;
  /** the failure-catalogue row reproduced, or null for a successful handshake */
  row: number | null;
  describe: string;
  behaviour: readonly Step[];
}

const ascii = (s: string): Uint8Array => new TextEncoder().encode(s);
const request = { await: 'request' } as const;
const fin = { close: 'fin' } as const;
/** TLS (and CredSSP) when the selected protocol needs it, then the RDP connection sequence to the Demand Active */
const rdpOk = { rdp: {} } as const;

const HTTP_400 = ascii('HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request');
const SSH_BANNER = ascii('SSH-2.0-OpenSSH_9.6\r\n');
/** TLS 1.2 alert record: fatal(2) handshake_failure(40) (RFC 5246 §6.2.1, §7.2) */
const TLS_ALERT = Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28);
const GARBAGE = Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0x00, 0x13, 0x37, 0x42, 0xff, 0xfe);

/** A Confirm whose RDP_NEG_RSP length field says 9 instead of 8 (2.2.1.2.1 fixes it at 8). */
function malformed(req: ConnectionRequest): Uint8Array {
  const cc = selectBest(req);
  cc[13] = 9; // TPKT (4) + CC fixed part (7) + type + flags → length, little-endian
  return cc;
}

/** The first 11 bytes of a 19-byte Confirm: the TPKT header promises more than arrives. */
const truncated = (req: ConnectionRequest): Uint8Array => selectBest(req).subarray(0, 11);

function negFailure(code: number, row: number, suffix = String(code)): Scenario {
  return {
    name: `neg-failure-${suffix}`, row,
    describe: `Confirm with RDP_NEG_FAILURE failureCode ${code} = ${describeFailureCode(code).name}, then FIN`,
    behaviour: [request, { send: (req) => refuseWith(req, code) }, fin],
  };
}

export const SCENARIOS: readonly Scenario[] = [
  { name: 'close-after-request', row: 4, describe: 'reads the Connection Request, then closes (FIN) without a Confirm', behaviour: [request, fin] },
  { name: 'reset-after-request', row: 4, describe: 'reads the Connection Request, then resets (RST) without a Confirm', behaviour: [request, { close: 'rst' }] },
  { name: 'disconnect-request', row: 4, describe: 'answers with an X.224 Disconnect Request (reason 0) instead of a Confirm, then FIN', behaviour: [request, { send: (req) => disconnect(req, 0) }, fin] },
  { name: 'http-reply', row: 5, describe: 'answers like a web server: HTTP/1.1 400 Bad Request, then FIN', behaviour: [request, { send: HTTP_400 }, fin] },
  { name: 'ssh-banner', row: 5, describe: 'sends an SSH banner on connect, like sshd, and closes after the request', behaviour: [{ send: SSH_BANNER }, request, fin] },
  { name: 'tls-reply', row: 5, describe: 'answers like a TLS-only service: a TLS alert record (handshake_failure), then FIN', behaviour: [request, { send: TLS_ALERT }, fin] },
  { name: 'garbage-reply', row: 5, describe: 'answers with 10 bytes that are not TPKT, then FIN', behaviour: [request, { send: GARBAGE }, fin] },
  { name: 'silent', row: 6, describe: 'accepts and reads the request, never answers, stays open until the client leaves', behaviour: [request] },
  negFailure(1, 8),
  negFailure(2, 9),
  negFailure(3, 10),
  negFailure(4, 11),
  negFailure(5, 7),
  negFailure(6, 11),
  negFailure(0x99, 11, 'unknown'),
  { name: 'unrequested-protocol', row: 11, describe: 'selects a protocol the client did not request (RDSTLS when not offered), stays open', behaviour: [request, { send: (req) => selectProtocol(req, unrequestedProtocol(req)) }] },
  { name: 'malformed-confirm', row: 11, describe: 'Confirm whose RDP_NEG_RSP length field is 9 instead of 8, stays open', behaviour: [request, { send: malformed }] },
  { name: 'truncated-confirm', row: 11, describe: 'TPKT header claims a 19-byte Confirm, 11 bytes are sent, then FIN', behaviour: [request, { send: truncated }, fin] },
  { name: 'legacy-confirm', row: 12, describe: 'Confirm without negotiation data (pre-RDP 5.2: Standard RDP Security), then the connection sequence as in ok, stays open', behaviour: [request, { send: (req) => confirmTo(req) }, rdpOk] },
  { name: 'ok', row: null, describe: 'selects the best requested protocol (HYBRID_EX > HYBRID > SSL > RDP), completes TLS with a valid self-signed certificate for localhost and, for HYBRID/HYBRID_EX, NLA for the scenario account (rdpscope), or for RDP Standard RDP Security (128-bit RC4 at CLIENT_COMPATIBLE); then the connection sequence to the Demand Active (Connect Response, user 1007, channel joins, License Error STATUS_VALID_CLIENT), then stays open', behaviour: [request, { send: selectBest }, rdpOk] },
  { name: 'slow-confirm', row: null, describe: 'like ok, but sends the Confirm one byte every 50 ms', behaviour: [request, { send: selectBest, byteEveryMs: 50 }, rdpOk] },
  ...TLS_SCENARIOS,
  ...CREDSSP_SCENARIOS,
  ...RDP_SCENARIOS,
  ...HOSTILE_SCENARIOS,
];

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name);
}
