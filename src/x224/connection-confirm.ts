// Server X.224 Connection Confirm PDU ([MS-RDPBCGR] 2.2.1.2):
//   TPKT | X.224 CC (LI, 0xD0, DST-REF, SRC-REF, class) | RDP_NEG_RSP or RDP_NEG_FAILURE (optional)
// No negotiation data at all is the legacy form (pre-RDP 5.2 servers): Standard RDP Security.
import { ByteWriter } from '../wire/writer.js';
import {
  CONNECTION_TPDU_FIXED, decodeConnectionTpdu, encodeConnectionTpdu, TPDU_CODE,
  type ConnectionHeader,
} from './tpdu.js';
import { TPKT_HEADER_SIZE } from './tpkt.js';
import {
  decodeNegFailure, decodeNegResponse, encodeNegFailure, encodeNegResponse, NEG_SIZE, NEG_TYPE,
  type NegFailure, type NegResponse,
} from './negotiation.js';

export const CONNECTION_CONFIRM_NAME = 'Server X.224 Connection Confirm';

export type ConfirmNegotiation =
  | ({ type: 'response' } & NegResponse)
  | ({ type: 'failure' } & NegFailure);

export interface ConnectionConfirm {
  header: ConnectionHeader;
  /** absent for a legacy Confirm without negotiation data */
  negotiation?: ConfirmNegotiation;
}

export function decodeConnectionConfirm(bytes: Uint8Array, base = 0): ConnectionConfirm {
  const { header, rest: r } = decodeConnectionTpdu(bytes, base, CONNECTION_CONFIRM_NAME, 'CC');
  const cc: ConnectionConfirm = { header };
  if (r.remaining > 0) {
    const at = r.absolute;
    const type = r.peekU8();
    if (type === NEG_TYPE.RSP) cc.negotiation = { type: 'response', ...decodeNegResponse(r) };
    else if (type === NEG_TYPE.FAILURE) cc.negotiation = { type: 'failure', ...decodeNegFailure(r) };
    else throw r.error('UNEXPECTED_TYPE', 'type', `RDP_NEG type ${type} is neither RSP (2) nor FAILURE (3)`, at);
  }
  if (r.remaining > 0) {
    throw r.error('INVALID_FIELD', 'trailing data', `${r.remaining} unexpected bytes after the negotiation data`);
  }
  return cc;
}

export function sizeConnectionConfirm(cc: ConnectionConfirm): number {
  return TPKT_HEADER_SIZE + CONNECTION_TPDU_FIXED + (cc.negotiation ? NEG_SIZE : 0);
}

export function encodeConnectionConfirm(cc: ConnectionConfirm): Uint8Array {
  const w = new ByteWriter(sizeConnectionConfirm(cc));
  encodeConnectionTpdu(w, TPDU_CODE.CC, cc.header, cc.negotiation ? NEG_SIZE : 0);
  const n = cc.negotiation;
  if (n?.type === 'response') encodeNegResponse(w, n);
  else if (n?.type === 'failure') encodeNegFailure(w, n);
  return w.finish();
}
