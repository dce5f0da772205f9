// X.224 stage: Connection Request (c2s) and Connection Confirm or Disconnect Request (s2c),
// [MS-RDPBCGR] 1.3.1.1 connection initiation. Hands over to TLS or MCS by the selected protocol.
import { hexPreview } from '../../wire/hex.js';
import { findTpktSize } from '../../x224/tpkt.js';
import { CONNECTION_REQUEST_NAME, decodeConnectionRequest } from '../../x224/connection-request.js';
import { CONNECTION_CONFIRM_NAME, decodeConnectionConfirm } from '../../x224/connection-confirm.js';
import {
  DATA_TPDU_NAME, decodeDataTpdu, decodeDisconnectRequest, decodeX224Frame, DISCONNECT_REQUEST_NAME, tpduKind,
} from '../../x224/tpdu.js';
import { PROTOCOL } from '../../x224/codes.js';
import type { PduEvent } from '../events.js';
import type { FramedPdu, StageContext, StageHandler } from '../stage-handler.js';
import type { StageName } from '../stages.js';

function pduEvent<T>(pdu: FramedPdu, name: string, value: T): PduEvent<T> {
  const ev: PduEvent<T> = {
    type: 'pdu', stage: 'x224', dir: pdu.dir, lane: pdu.lane, name, offset: pdu.offset,
    length: pdu.bytes.length, value, head: hexPreview(pdu.bytes, 24), at: pdu.at,
  };
  if (pdu.packet !== undefined) ev.packet = pdu.packet;
  return ev;
}

/** Stage after X.224 for a selected protocol ([MS-RDPBCGR] 5.3 Standard, 5.4 Enhanced Security). */
export function nextStageFor(selected: number): StageName {
  return selected === PROTOCOL.RDP ? 'mcs-connect' : 'tls';
}

export const x224Stage: StageHandler = {
  stage: 'x224',
  framing: 'tpkt',

  frame(buf, _dir, base) {
    return findTpktSize(buf, base);
  },

  handle(pdu: FramedPdu, ctx: StageContext) {
    const kind = tpduKind(pdu.bytes[5] ?? 0);
    if (kind === 'DT') {
      // data before the exchange completed (e.g. an MCS Disconnect Provider Ultimatum after a
      // negotiation failure): reported, decoded by the MCS stage's codecs once they exist
      ctx.emit(pduEvent(pdu, DATA_TPDU_NAME, decodeDataTpdu(decodeX224Frame(pdu.bytes, pdu.offset, DATA_TPDU_NAME))));
      return;
    }
    if (pdu.dir === 'c2s') {
      // anything but a CR fails inside the codec, which names the field and offset
      const cr = decodeConnectionRequest(pdu.bytes, pdu.offset);
      ctx.state.requestedProtocols = cr.negotiation?.requestedProtocols ?? PROTOCOL.RDP;
      ctx.emit(pduEvent(pdu, CONNECTION_REQUEST_NAME, cr));
      return;
    }
    if (kind === 'DR') {
      const dr = decodeDisconnectRequest(decodeX224Frame(pdu.bytes, pdu.offset, DISCONNECT_REQUEST_NAME));
      ctx.emit(pduEvent(pdu, DISCONNECT_REQUEST_NAME, dr));
      return;
    }
    const cc = decodeConnectionConfirm(pdu.bytes, pdu.offset);
    ctx.emit(pduEvent(pdu, CONNECTION_CONFIRM_NAME, cc));
    const neg = cc.negotiation;
    if (neg?.type === 'failure') return;
    const selected = neg?.type === 'response' ? neg.selectedProtocol : PROTOCOL.RDP;
    ctx.state.selectedProtocol = selected;
    ctx.advance(nextStageFor(selected), pdu);
  },
};
