// Server answers at the X.224 stage: Connection Confirm with RDP_NEG_RSP / RDP_NEG_FAILURE or none
// ([MS-RDPBCGR] 2.2.1.2, 2.2.1.2.1, 2.2.1.2.2), Disconnect Request (X.224 §13.5), protocol choice.
import { PROTOCOL } from '../x224/codes.js';
import { encodeConnectionConfirm, type ConfirmNegotiation } from '../x224/connection-confirm.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { encodeDisconnectRequest } from '../x224/tpdu.js';

/** RDP_NEG_RSP flag EXTENDED_CLIENT_DATA_SUPPORTED, set by every current Windows server. */
const EXTENDED_CLIENT_DATA_SUPPORTED = 0x01;
/** SRC-REF Windows servers put in their Confirm. */
const SERVER_REF = 0x1234;

/** Connection Confirm answering req (DST-REF echoes the client's SRC-REF, X.224 §13.4). */
export function confirmTo(req: ConnectionRequest, negotiation?: ConfirmNegotiation): Uint8Array {
  const header = { dstRef: req.header.srcRef, srcRef: SERVER_REF, classOption: 0 };
  return encodeConnectionConfirm(negotiation ? { header, negotiation } : { header });
}

export function selectProtocol(req: ConnectionRequest, selectedProtocol: number): Uint8Array {
  return confirmTo(req, { type: 'response', flags: EXTENDED_CLIENT_DATA_SUPPORTED, selectedProtocol });
}

export function refuseWith(req: ConnectionRequest, failureCode: number): Uint8Array {
  return confirmTo(req, { type: 'failure', flags: 0, failureCode });
}

export function disconnect(req: ConnectionRequest, reason: number): Uint8Array {
  return encodeDisconnectRequest({ dstRef: req.header.srcRef, srcRef: SERVER_REF, reason });
}

function requested(req: ConnectionRequest): number {
  return req.negotiation?.requestedProtocols ?? PROTOCOL.RDP;
}

/** The strongest requested protocol: HYBRID_EX, else HYBRID, else SSL, else Standard RDP Security. */
export function bestProtocol(req: ConnectionRequest): number {
  const asked = requested(req);
  return [PROTOCOL.HYBRID_EX, PROTOCOL.HYBRID, PROTOCOL.SSL].find((p) => asked & p) ?? PROTOCOL.RDP;
}

/** A Confirm selecting the best requested protocol, as a healthy server sends it. */
export function selectBest(req: ConnectionRequest): Uint8Array {
  return selectProtocol(req, bestProtocol(req));
}

/** A single protocol bit the client did not request, from RDSTLS upwards (0 once every bit is taken). */
export function unrequestedProtocol(req: ConnectionRequest): number {
  const asked = requested(req);
  let bit = PROTOCOL.RDSTLS as number;
  while (bit !== 0 && asked & bit) bit <<= 1;
  return bit >>> 0;
}
