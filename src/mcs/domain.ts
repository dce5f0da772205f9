// T.125 DomainMCSPDU (§7 parts 3-10), ALIGNED PER, for the PDUs RDP exchanges ([MS-RDPBCGR]
// 2.2.1.5-2.2.1.9 connection, 2.2.2.3 Disconnect Provider Ultimatum, and Send Data Request /
// Indication framing every slow-path PDU, 4.1.9-4.1.11). Every PDU opens with a 6-bit choice index.
//
// User ids: UserId ::= DynamicChannelId (1001..65535), so `initiator` travels as id - 1001 (4.1.7:
// 00 06 → 1007). Decoders return and encoders take the real id (1001..65535) everywhere.
// Input is the MCS PDU after the X.224 Data header.
import { describeCode } from '../codes/table.js';
import { MCS_DISCONNECT_REASON, MCS_RESULT } from '../codes/mcs.js';
import { PerReader, PerWriter } from './per.js';
import {
  DATA_PRIORITY, DOMAIN_PDU_INDEX, DOMAIN_PDU_NAME, DOMAIN_PDU_TYPES, MCS_USER_ID_BASE,
  type DataPriority, type DomainPduType,
} from './domain-names.js';

export interface ErectDomainRequest {
  type: 'erectDomainRequest';
  subHeight: number;
  subInterval: number;
  /** set when the fields came as two bare 16-bit integers instead of PER (rdesktop sends 04 00 01 00 01) */
  nonStandard?: string;
}
export interface AttachUserRequest { type: 'attachUserRequest' }
export interface AttachUserConfirm {
  type: 'attachUserConfirm';
  result: number;
  resultName: string;
  /** the new user id (1001-based); T.125 sends it only with rt-successful */
  initiator?: number;
}
export interface ChannelJoinRequest { type: 'channelJoinRequest'; initiator: number; channelId: number }
export interface ChannelJoinConfirm {
  type: 'channelJoinConfirm';
  result: number;
  resultName: string;
  initiator: number;
  requested: number;
  /** the joined channel; absent when the join failed */
  channelId?: number;
}
export interface SendData {
  type: 'sendDataRequest' | 'sendDataIndication';
  initiator: number;
  channelId: number;
  priority: DataPriority;
  /** 2-bit Segmentation: SEGMENTATION.BEGIN (0b10) | SEGMENTATION.END (0b01); RDP sends 0b11 */
  segmentation: number;
  data: Uint8Array;
  /** absolute offset of data[0] */
  dataOffset: number;
}
export interface DisconnectProviderUltimatum { type: 'disconnectProviderUltimatum'; reason: number; reasonName: string }

type Decoded = ErectDomainRequest | AttachUserRequest | AttachUserConfirm | ChannelJoinRequest | ChannelJoinConfirm | SendData | DisconnectProviderUltimatum;
/** Alternatives RDP never exchanges: decoded to their name only. */
export type OtherDomainPduType = Exclude<DomainPduType, Decoded['type']>;
export type DomainPdu = Decoded | { type: OtherDomainPduType };

const RESULT_COUNT = 16; // T.125 Result: rt-successful .. rt-user-rejected
const REASON_COUNT = 5; // T.125 Reason: rn-domain-disconnected .. rn-channel-purged
const MAX_USER_ID = 65535;

const userId = (p: PerReader, field: string): number => p.constrained(MCS_USER_ID_BASE, MAX_USER_ID, field);
const channelId = (p: PerReader, field: string): number => p.constrained(0, 65535, field);

function result(p: PerReader): { result: number; resultName: string } {
  const v = p.index(RESULT_COUNT, 'result');
  return { result: v, resultName: describeCode(MCS_RESULT, v).name };
}

function sendData(p: PerReader, type: SendData['type']): SendData {
  const initiator = userId(p, 'initiator');
  const channel = channelId(p, 'channelId');
  const priority = DATA_PRIORITY[p.index(4, 'dataPriority')]!;
  const segmentation = p.bits(2, 'segmentation');
  const { bytes, at } = p.octetString('userData');
  return { type, initiator, channelId: channel, priority, segmentation, data: bytes.slice(), dataOffset: at };
}

/** One DomainMCSPDU; unknown choice indexes (43-63) are UNSUPPORTED_VALUE. */
export function decodeDomainPdu(bytes: Uint8Array, base = 0): DomainPdu {
  const p = new PerReader(bytes, 'MCS Domain PDU', base);
  const at = p.absolute;
  const choice = p.bits(6, 'DomainMCSPDU choice');
  const type = DOMAIN_PDU_TYPES[choice];
  if (type === undefined) throw p.error('UNSUPPORTED_VALUE', 'DomainMCSPDU choice', `choice ${choice} is not a T.125 DomainMCSPDU (0-42)`, at);
  p.pdu = DOMAIN_PDU_NAME[type];
  let pdu: DomainPdu;
  switch (type) {
    case 'erectDomainRequest':
      // A PER INTEGER has at least one octet (X.691 §12.2.6), so a zero length byte here is not PER:
      // rdesktop writes two big-endian 16-bit values; servers ignore both fields ([MS-RDPBCGR] 3.3.5.3.5)
      if (bytes.length === 5 && bytes[1] === 0) {
        return {
          type, subHeight: (bytes[1] << 8) | bytes[2]!, subInterval: (bytes[3]! << 8) | bytes[4]!,
          nonStandard: 'two bare 16-bit integers instead of PER (rdesktop\'s encoding; servers ignore these fields)',
        };
      }
      pdu = { type, subHeight: p.semiConstrained(0, 'subHeight'), subInterval: p.semiConstrained(0, 'subInterval') };
      break;
    case 'attachUserRequest':
      pdu = { type };
      break;
    case 'attachUserConfirm': {
      const hasInitiator = p.bool('initiator present');
      pdu = { type, ...result(p) };
      if (hasInitiator) pdu.initiator = userId(p, 'initiator');
      break;
    }
    case 'channelJoinRequest':
      pdu = { type, initiator: userId(p, 'initiator'), channelId: channelId(p, 'channelId') };
      break;
    case 'channelJoinConfirm': {
      const hasChannel = p.bool('channelId present');
      pdu = { type, ...result(p), initiator: userId(p, 'initiator'), requested: channelId(p, 'requested') };
      if (hasChannel) pdu.channelId = channelId(p, 'channelId');
      break;
    }
    case 'sendDataRequest':
    case 'sendDataIndication':
      pdu = sendData(p, type);
      break;
    case 'disconnectProviderUltimatum': {
      const reason = p.index(REASON_COUNT, 'reason');
      pdu = { type, reason, reasonName: describeCode(MCS_DISCONNECT_REASON, reason).name };
      break;
    }
    default:
      return { type };
  }
  p.expectEnd('trailing data');
  return pdu;
}

// ---- encoding ----

export type DomainPduInput =
  | { type: 'erectDomainRequest'; subHeight?: number; subInterval?: number }
  | { type: 'attachUserRequest' }
  | { type: 'attachUserConfirm'; result: number; initiator?: number }
  | { type: 'channelJoinRequest'; initiator: number; channelId: number }
  | { type: 'channelJoinConfirm'; result: number; initiator: number; requested: number; channelId?: number }
  | SendDataInput
  | { type: 'disconnectProviderUltimatum'; reason: number };

export interface SendDataInput {
  type: 'sendDataRequest' | 'sendDataIndication';
  /** sender's user id (1001-based); Windows servers send 1002 (4.1.11) */
  initiator: number;
  channelId: number;
  /** default 'high', as RDP sends */
  priority?: DataPriority;
  /** default 0b11 (begin | end) */
  segmentation?: number;
  /** at most 16383 bytes (the length determinant's two-octet form) */
  data: Uint8Array;
}

/** The PER bytes of one DomainMCSPDU (wrap them with encodeX224Data). Bad values throw RangeError. */
export function encodeDomainPdu(pdu: DomainPduInput): Uint8Array {
  const w = new PerWriter().bits(DOMAIN_PDU_INDEX[pdu.type], 6);
  const user = (v: number): PerWriter => w.constrained(v, MCS_USER_ID_BASE, MAX_USER_ID);
  const channel = (v: number): PerWriter => w.constrained(v, 0, 65535);
  switch (pdu.type) {
    case 'erectDomainRequest':
      w.semiConstrained(pdu.subHeight ?? 0, 0).semiConstrained(pdu.subInterval ?? 0, 0);
      break;
    case 'attachUserRequest':
      break;
    case 'attachUserConfirm':
      w.bool(pdu.initiator !== undefined).index(pdu.result, RESULT_COUNT);
      if (pdu.initiator !== undefined) user(pdu.initiator);
      break;
    case 'channelJoinRequest':
      user(pdu.initiator);
      channel(pdu.channelId);
      break;
    case 'channelJoinConfirm':
      w.bool(pdu.channelId !== undefined).index(pdu.result, RESULT_COUNT);
      user(pdu.initiator);
      channel(pdu.requested);
      if (pdu.channelId !== undefined) channel(pdu.channelId);
      break;
    case 'sendDataRequest':
    case 'sendDataIndication':
      user(pdu.initiator);
      channel(pdu.channelId);
      w.index(DATA_PRIORITY.indexOf(pdu.priority ?? 'high'), 4).bits(pdu.segmentation ?? 0b11, 2).octetString(pdu.data);
      break;
    case 'disconnectProviderUltimatum':
      w.index(pdu.reason, REASON_COUNT);
      break;
  }
  return w.finish();
}

/** Client MCS Erect Domain Request ([MS-RDPBCGR] 2.2.1.5; 3.2.5.3.5: both fields zero). */
export const encodeErectDomainRequest = (subHeight = 0, subInterval = 0): Uint8Array =>
  encodeDomainPdu({ type: 'erectDomainRequest', subHeight, subInterval });

/** Client MCS Attach User Request (2.2.1.6). */
export const encodeAttachUserRequest = (): Uint8Array => encodeDomainPdu({ type: 'attachUserRequest' });

/** Server MCS Attach User Confirm (2.2.1.7); initiator is the new user id (1001-based). */
export const encodeAttachUserConfirm = (result: number, initiator?: number): Uint8Array =>
  encodeDomainPdu(initiator === undefined ? { type: 'attachUserConfirm', result } : { type: 'attachUserConfirm', result, initiator });

/** Client MCS Channel Join Request (2.2.1.8). */
export const encodeChannelJoinRequest = (initiator: number, channelId: number): Uint8Array =>
  encodeDomainPdu({ type: 'channelJoinRequest', initiator, channelId });

/** Server MCS Channel Join Confirm (2.2.1.9). */
export const encodeChannelJoinConfirm = (c: { result: number; initiator: number; requested: number; channelId?: number }): Uint8Array =>
  encodeDomainPdu({ type: 'channelJoinConfirm', ...c });

/** MCS Send Data Request (client → server). */
export const encodeSendDataRequest = (s: Omit<SendDataInput, 'type'>): Uint8Array =>
  encodeDomainPdu({ ...s, type: 'sendDataRequest' });

/** MCS Send Data Indication (server → client). */
export const encodeSendDataIndication = (s: Omit<SendDataInput, 'type'>): Uint8Array =>
  encodeDomainPdu({ ...s, type: 'sendDataIndication' });

/** MCS Disconnect Provider Ultimatum (2.2.2.3: rn-provider-initiated (1) or rn-user-requested (3)). */
export const encodeDisconnectProviderUltimatum = (reason: number): Uint8Array =>
  encodeDomainPdu({ type: 'disconnectProviderUltimatum', reason });
