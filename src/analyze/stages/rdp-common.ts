// Event names and helpers shared by the stages after X.224 (MCS, GCC, RDP PDUs up to the Demand Active).
import { hexPreview } from '../../wire/hex.js';
import type { PduEvent } from '../events.js';
import type { FramedPdu, StageContext } from '../stage-handler.js';
import { STAGES, type StageName } from '../stages.js';

export const RDP_PDU = {
  connectInitial: 'MCS Connect Initial',
  connectResponse: 'MCS Connect Response',
  /** other DomainMCSPDUs are named by src/mcs DOMAIN_PDU_NAME ('MCS Attach User Confirm', ...) */
  disconnectProviderUltimatum: 'MCS Disconnect Provider Ultimatum',
  securityExchange: 'RDP Security Exchange',
  clientInfo: 'RDP Client Info',
  licensing: 'RDP Licensing',
  demandActive: 'RDP Demand Active',
  confirmActive: 'RDP Confirm Active',
  deactivateAll: 'RDP Deactivate All',
  setErrorInfo: 'RDP Set Error Info',
  dataPdu: 'RDP Data PDU',
  sharePdu: 'RDP Share PDU',
  encrypted: 'RDP encrypted PDU',
  channelData: 'RDP virtual channel data',
  messageChannel: 'RDP message channel PDU',
  fastPath: 'RDP fast-path PDU',
} as const;

export function rdpPduEvent(ctx: StageContext, pdu: FramedPdu, name: string, value: unknown): PduEvent {
  // no object spread: this runs for every PDU
  const ev: PduEvent = {
    type: 'pdu', stage: ctx.stage, dir: pdu.dir, lane: pdu.lane, name, offset: pdu.offset, length: pdu.bytes.length, value,
    head: hexPreview(pdu.bytes, 24), at: pdu.at,
  };
  if (pdu.packet !== undefined) ev.packet = pdu.packet;
  return ev;
}

/** Moves to `stage` when it lies ahead of the current one. */
export function advanceTo(ctx: StageContext, stage: StageName, pdu: FramedPdu): void {
  if (STAGES.indexOf(stage) > STAGES.indexOf(ctx.stage)) ctx.advance(stage, pdu);
}
