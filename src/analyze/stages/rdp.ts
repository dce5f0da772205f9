// The stages after X.224 ([MS-RDPBCGR] 1.3.1.1): mcs-connect, channels, security-exchange,
// client-info, licensing, capabilities, finalization. They share one framing (TPKT or fast-path) and
// one decoder; what a PDU is moves the connection forward, never back, so a skipped phase (no
// Security Exchange under TLS, no channel joins) needs no special case.
import { decodeDisconnectRequest, decodeX224Frame, DISCONNECT_REQUEST_NAME, tpduKind } from '../../x224/tpdu.js';
import {
  decodeConferenceCreateRequest, decodeConferenceCreateResponse, decodeConnectInitial, decodeConnectResponse,
  decodeDomainPdu, decodeX224Data, DOMAIN_PDU_NAME, mcsConnectKind, type DomainPdu,
} from '../../mcs/index.js';
import { decodeClientData, decodeServerData } from '../../gcc/index.js';
import type { FramedPdu, StageContext, StageHandler } from '../stage-handler.js';
import type { StageName } from '../stages.js';
import { frameRdp, isFastPath } from './rdp-framing.js';
import { advanceTo, RDP_PDU, rdpPduEvent } from './rdp-common.js';
import { rdpState, type RdpState } from './rdp-state.js';
import { installKeys } from './rdp-keys.js';
import { handleSendData } from './rdp-send-data.js';

const MCS_USER_CHANNEL = 'user';

function connectInitial(payload: Uint8Array, at: number, st: RdpState) {
  const ci = decodeConnectInitial(payload, at);
  const gcc = decodeConferenceCreateRequest(ci.userData, ci.userDataOffset);
  const clientData = decodeClientData(gcc.userData, gcc.userDataOffset);
  st.clientData = clientData;
  return { targetParameters: ci.targetParameters, clientData };
}

function connectResponse(payload: Uint8Array, at: number, st: RdpState) {
  const cr = decodeConnectResponse(payload, at);
  if (cr.result !== 0) return { result: cr.result, resultName: cr.resultName };
  const gcc = decodeConferenceCreateResponse(cr.userData, cr.userDataOffset);
  const serverData = decodeServerData(gcc.userData, gcc.userDataOffset);
  st.serverData = serverData;
  const net = serverData.network;
  if (net) {
    st.channels.set(net.mcsChannelId, 'I/O');
    const names = st.clientData?.network?.channels ?? [];
    net.channelIds.forEach((id, i) => { if (id) st.channels.set(id, names[i]?.name ?? `static channel ${i}`); });
  }
  if (serverData.messageChannel) st.channels.set(serverData.messageChannel.mcsChannelId, 'message');
  installKeys(st);
  return { result: cr.result, resultName: cr.resultName, domainParameters: cr.domainParameters, gccResult: gcc.result, serverData };
}

function domain(pdu: FramedPdu, d: DomainPdu, ctx: StageContext, st: RdpState): void {
  if (d.type === 'sendDataRequest' || d.type === 'sendDataIndication') {
    handleSendData(pdu, d, ctx, st);
    return;
  }
  if (d.type === 'attachUserConfirm' && d.result === 0 && d.initiator !== undefined) st.channels.set(d.initiator, MCS_USER_CHANNEL);
  const name = d.type === 'disconnectProviderUltimatum' ? RDP_PDU.disconnectProviderUltimatum : DOMAIN_PDU_NAME[d.type];
  ctx.emit(rdpPduEvent(ctx, pdu, name, d));
}

function rdpStage(stage: StageName): StageHandler {
  return {
    stage,
    framing: 'tpkt',
    frame: (buf, _dir, base) => frameRdp(buf, base),
    // what handle() does with an active session's fast-path PDUs, without the copy of each one
    opaqueOnly(buf, _dir, current, state) {
      if (current !== 'active' || !isFastPath(buf[0]!)) return false;
      state.rdp ??= rdpState();
      return true;
    },
    handle(pdu, ctx) {
      const st = (ctx.state.rdp ??= rdpState());
      const first = pdu.bytes[0]!;
      if (isFastPath(first)) {
        // an active session's bulk: counted in runs, so a long capture does not become one event per PDU
        if (ctx.stage === 'active') return ctx.opaque(pdu);
        // [MS-RDPBCGR] 2.2.9.1.2 / 2.2.8.1.2: after activation; FASTPATH_*_ENCRYPTED is bit 7 of the header
        ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.fastPath, { encrypted: (first & 0x80) !== 0, length: pdu.bytes.length }));
        // fast-path input and output are used only once the connection is active
        advanceTo(ctx, 'active', pdu);
        return;
      }
      if (tpduKind(pdu.bytes[5] ?? 0) === 'DR') {
        ctx.emit(rdpPduEvent(ctx, pdu, DISCONNECT_REQUEST_NAME, decodeDisconnectRequest(decodeX224Frame(pdu.bytes, pdu.offset, DISCONNECT_REQUEST_NAME))));
        return;
      }
      const { payload, payloadOffset } = decodeX224Data(pdu.bytes, pdu.offset);
      const kind = mcsConnectKind(payload);
      if (kind === 'connect-initial') {
        ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.connectInitial, connectInitial(payload, payloadOffset, st)));
      } else if (kind === 'connect-response') {
        const value = connectResponse(payload, payloadOffset, st);
        ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.connectResponse, value));
        if (value.result === 0) advanceTo(ctx, 'channels', pdu);
      } else {
        domain(pdu, decodeDomainPdu(payload, payloadOffset), ctx, st);
      }
    },
  };
}

export const RDP_STAGES: readonly StageHandler[] = (['mcs-connect', 'channels', 'security-exchange', 'client-info', 'licensing', 'capabilities', 'finalization', 'active'] as const).map(rdpStage);
