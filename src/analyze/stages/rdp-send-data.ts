// The user data of MCS Send Data Request/Indication ([MS-RDPBCGR] 2.2.8.1.1.1.1): security header
// (2.2.8.1.1.2, by security mode and PDU), then the Security Exchange, Client Info, licensing or share
// PDUs (Demand Active, Confirm Active, Data PDUs with Set Error Info). Standard RDP Security PDUs are
// decrypted when the tracker holds keys (rdp-keys.ts); otherwise they are reported as encrypted with
// their visible flags, which still tell the phase (SEC_INFO_PKT, SEC_LICENSE_PKT are in the clear).
import { DecodeError } from '../../wire/errors.js';
import type { SendData } from '../../mcs/index.js';
import {
  decodeDemandActive, decodeInfoPacket, decodeSecurityExchange, decodeSecurityHeader, decodeSetErrorInfoBody, decodeSharePdu,
  describeErrorInfo, findCapability, PDUTYPE, PDUTYPE2, SEC, securityFlagNames, securityHeaderKind, type SecurityHeader, type SecuredPdu,
} from '../../rdp/index.js';
import { decodeLicensingPdu, LICENSE_MSG_TYPES, licensingOutcome } from '../../licensing/index.js';
import { describeCode } from '../../codes/table.js';
import type { Dir } from '../input.js';
import type { FramedPdu, StageContext } from '../stage-handler.js';
import { STAGES } from '../stages.js';
import type { RdpState } from './rdp-state.js';
import { advanceTo, RDP_PDU, rdpPduEvent } from './rdp-common.js';
import { ENCRYPTION_METHOD, type SecurityContext } from '../../rdp/security-header.js';

const before = (ctx: StageContext, stage: (typeof STAGES)[number]): boolean => STAGES.indexOf(ctx.stage) < STAGES.indexOf(stage);
const u16 = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);

/** A licensing PDU in the clear: basic header with SEC_LICENSE_PKT, a known bMsgType, wMsgSize = the rest. */
function looksLikeLicensing(data: Uint8Array, flags: number): boolean {
  if (!(flags & SEC.LICENSE_PKT)) return false;
  if (flags & SEC.ENCRYPT) return true;
  return data.length >= 8 && describeCode(LICENSE_MSG_TYPES, data[4]!).known && u16(data, 6) === data.length - 4;
}

interface Opened { body: Uint8Array; at: number; header?: SecurityHeader; decrypted: boolean }

/**
 * Security header of this kind, then the body: in the clear, decrypted with the tracker's keys, or
 * undefined when encrypted and no keys are held (an encrypted event is emitted).
 */
function open(data: Uint8Array, at: number, kind: ReturnType<typeof securityHeaderKind>, pdu: FramedPdu, ctx: StageContext, st: RdpState, what: string): Opened | undefined {
  if (kind === 'none') return { body: data, at, decrypted: false };
  const header = decodeSecurityHeader(data, at, kind === 'basic' && u16(data, 0) & SEC.ENCRYPT ? encryptedKind(st) : kind);
  const body = data.subarray(header.bodyOffset);
  const bodyAt = at + header.bodyOffset;
  if (!(header.flags & SEC.ENCRYPT)) return { body, at: bodyAt, header, decrypted: false };
  const cipher = st.decrypt?.[pdu.dir as Dir];
  if (!cipher) {
    // an active session's encrypted bulk is counted in runs, not reported PDU by PDU
    if (ctx.stage === 'active') {
      ctx.opaque(pdu);
      return undefined;
    }
    const likely = placeInSequence(ctx, pdu, st, what);
    ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.encrypted, { what, flags: header.flags, flagNames: header.flagNames, length: body.length, ...(likely ? { likely } : {}) }));
    if (likely === DEMAND_ACTIVE_BY_PLACE) advanceTo(ctx, 'capabilities', pdu);
    else if (likely === CONFIRM_ACTIVE_BY_PLACE) advanceTo(ctx, 'finalization', pdu);
    return undefined;
  }
  const r = cipher.decrypt(body, header.signature!, { salted: (header.flags & SEC.SECURE_CHECKSUM) !== 0, ...(header.fips ? { padLength: header.fips.padlen } : {}) });
  if (!r.ok) {
    throw new DecodeError({ code: 'INVALID_FIELD', layer: 'rdp', pdu: what, field: 'dataSignature', offset: at + 4, reason: `decryption failed: ${r.reason}` });
  }
  return { body: r.data, at: bodyAt, header, decrypted: true };
}

const DEMAND_ACTIVE_BY_PLACE = 'the Demand Active, by its place in the sequence';
const CONFIRM_ACTIVE_BY_PLACE = 'the Confirm Active, by its place in the sequence';

/**
 * Without keys, the connection sequence ([MS-RDPBCGR] 1.3.1.1) still says what an encrypted share PDU
 * must be: the server's first after licensing is the Demand Active, the client's first after that the
 * Confirm Active.
 */
function placeInSequence(ctx: StageContext, pdu: FramedPdu, st: RdpState, what: string): string | undefined {
  if (what !== RDP_PDU.sharePdu) return undefined;
  // after licensing (or during it, encrypted: the server moving on to a share PDU ends it)
  if (pdu.dir === 's2c' && (st.licensingDone || ctx.stage === 'licensing') && before(ctx, 'capabilities')) return DEMAND_ACTIVE_BY_PLACE;
  if (pdu.dir === 'c2s' && ctx.stage === 'capabilities') return CONFIRM_ACTIVE_BY_PLACE;
  return undefined;
}

function encryptedKind(st: RdpState): 'fips' | 'non-fips' {
  return st.serverData?.security?.encryptionMethod === ENCRYPTION_METHOD.FIPS ? 'fips' : 'non-fips';
}

function shareSummary(body: Uint8Array, at: number, pdu: FramedPdu, ctx: StageContext, decrypted: boolean): void {
  let pos = 0;
  while (pos < body.length) {
    const sp = decodeSharePdu(body.subarray(pos), at + pos);
    const bytes = body.subarray(pos, pos + sp.length);
    const bytesAt = at + pos;
    pos += sp.length;
    if (sp.kind === 'flow') {
      ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.sharePdu, { kind: 'flow', flow: sp.flow, decrypted }));
      continue;
    }
    const type = sp.control.type;
    if (type === PDUTYPE.DEMANDACTIVEPDU) {
      const da = decodeDemandActive(bytes, bytesAt);
      ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.demandActive, {
        shareId: da.shareId, sourceDescriptor: da.sourceDescriptor, sessionId: da.sessionId,
        capabilities: da.capabilitySets.map((c) => c.name),
        general: findCapability(da.capabilitySets, 'general'), bitmap: findCapability(da.capabilitySets, 'bitmap'), decrypted,
      }));
      advanceTo(ctx, 'capabilities', pdu);
    } else if (type === PDUTYPE.CONFIRMACTIVEPDU) {
      ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.confirmActive, { length: sp.length, decrypted }));
      advanceTo(ctx, 'finalization', pdu);
    } else if (type === PDUTYPE.DEACTIVATEALLPDU) {
      ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.deactivateAll, { decrypted }));
    } else if (type === PDUTYPE.DATAPDU && sp.data) {
      const h = sp.data.header;
      if (h.pduType2 === PDUTYPE2.SET_ERROR_INFO_PDU) {
        const errorInfo = decodeSetErrorInfoBody(sp.data.body, bytesAt + sp.data.bodyOffset);
        ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.setErrorInfo, { errorInfo, error: describeErrorInfo(errorInfo), decrypted }));
      } else {
        ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.dataPdu, { pduType2: h.pduType2, pduType2Name: h.pduType2Name, compressed: h.compressed, decrypted }));
        if (h.pduType2 === PDUTYPE2.FONTMAP && pdu.dir === 's2c') advanceTo(ctx, 'active', pdu);
      }
    } else {
      ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.sharePdu, { type, typeName: sp.control.typeName, decrypted }));
    }
  }
}

export function handleSendData(pdu: FramedPdu, sd: SendData, ctx: StageContext, st: RdpState): void {
  const channel = st.channels.get(sd.channelId);
  const data = sd.data;
  const at = sd.dataOffset;
  const c2s = pdu.dir === 'c2s';
  const enhanced = (ctx.state.selectedProtocol ?? 0) !== 0;
  const sec = st.serverData?.security;
  // no object spread: this runs for every Send Data PDU
  const context = (p: SecuredPdu) => {
    const c: SecurityContext = { enhanced, pdu: p, direction: c2s ? 'client-to-server' : 'server-to-client' };
    if (sec) {
      c.encryptionLevel = sec.encryptionLevel;
      c.encryptionMethod = sec.encryptionMethod;
    }
    return securityHeaderKind(c);
  };
  const flags = u16(data, 0);

  if (channel === 'message') {
    ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.messageChannel, { channelId: sd.channelId, flags, flagNames: securityFlagNames(flags), length: data.length }));
    return;
  }
  if (channel !== undefined && channel !== 'I/O' && channel !== 'user') {
    // static virtual channel data shares the RC4 stream: decrypt to keep it in step, report only its size
    const o = open(data, at, context('other'), pdu, ctx, st, RDP_PDU.channelData);
    if (o) ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.channelData, { channel, channelId: sd.channelId, length: o.body.length, decrypted: o.decrypted }));
    return;
  }
  if (c2s && !enhanced && flags & SEC.EXCHANGE_PKT) {
    const se = decodeSecurityExchange(data, at);
    ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.securityExchange, { flags: se.flags, flagNames: se.flagNames, encryptedRandomLength: se.encryptedRandom.length, paddingLength: se.paddingLength }));
    advanceTo(ctx, 'security-exchange', pdu);
    return;
  }
  if (c2s && flags & SEC.INFO_PKT && before(ctx, 'licensing')) {
    advanceTo(ctx, 'client-info', pdu);
    const o = open(data, at, context('client-info'), pdu, ctx, st, RDP_PDU.clientInfo);
    // never the password: decodeInfoPacket returns only its length
    if (o) ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.clientInfo, { info: decodeInfoPacket(o.body, o.at), decrypted: o.decrypted }));
    return;
  }
  if (!st.licensingDone && looksLikeLicensing(data, flags) && (!c2s || ctx.stage === 'licensing')) {
    if (!c2s) advanceTo(ctx, 'licensing', pdu);
    const o = open(data, at, context('licensing'), pdu, ctx, st, RDP_PDU.licensing);
    if (!o) return;
    const lic = decodeLicensingPdu(o.body, o.at);
    const outcome = licensingOutcome(lic);
    if (outcome.outcome === 'valid-client' || outcome.outcome === 'license-issued') st.licensingDone = true;
    // the server's plaintext licensing PDU goes along for the probe's licensing client (no secrets in it)
    ctx.emit(rdpPduEvent(ctx, pdu, RDP_PDU.licensing, { msgType: lic.preamble.bMsgType, kind: lic.kind, outcome, decrypted: o.decrypted, ...(c2s ? {} : { plaintext: o.body.slice(), plaintextOffset: o.at }) }));
    return;
  }
  const o = open(data, at, context('other'), pdu, ctx, st, RDP_PDU.sharePdu);
  if (o) shareSummary(o.body, o.at, pdu, ctx, o.decrypted);
}
