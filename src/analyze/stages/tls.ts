// TLS stage: the record layer on the wire lane from the ClientHello on ([MS-RDPBCGR] 5.4.5.1 TLS
// over the X.224 connection; RFC 5246 §6-7, RFC 8446 §4-6). Handshake messages in the clear are
// decoded; encrypted ones are counted with their sizes. It stays the wire lane's transport after
// the handshake, while later stages read the inner lane (plaintext).
import { hexPreview, toHex } from '../../wire/hex.js';
import { DecodeError, type DecodeErrorInfo } from '../../wire/errors.js';
import { PROTOCOL } from '../../x224/codes.js';
import { CONTENT_TYPE, decodeTlsRecord, findTlsRecordSize, type TlsRecord } from '../../tls/record.js';
import { HS, type HandshakeMessage } from '../../tls/handshake.js';
import { decodeClientHello } from '../../tls/client-hello.js';
import { decodeServerHello } from '../../tls/server-hello.js';
import { decodeCertificateMessage } from '../../tls/certificate.js';
import { decodeServerKeyExchange } from '../../tls/server-key-exchange.js';
import { decodeAlert } from '../../tls/alert.js';
import { TLS_VERSION } from '../../tls/versions.js';
import { parseCertificate, type CertInfo } from '../../tls/x509.js';
import type { PduEvent } from '../events.js';
import type { FramedPdu, StageContext, StageHandler } from '../stage-handler.js';
import type { StageName } from '../stages.js';
import { newTlsState, type TlsState } from './tls-state.js';
import { DEFAULT_LIMITS } from '../../limits.js';

export const TLS_PDU = {
  clientHello: 'TLS ClientHello',
  serverHello: 'TLS ServerHello',
  helloRetry: 'TLS HelloRetryRequest',
  certificate: 'TLS Certificate',
  serverKeyExchange: 'TLS ServerKeyExchange',
  handshake: 'TLS handshake message',
  changeCipherSpec: 'TLS ChangeCipherSpec',
  alert: 'TLS Alert',
  encryptedAlert: 'TLS encrypted alert',
  encryptedHandshake: 'TLS encrypted handshake',
  encryptedRecord: 'TLS encrypted record',
  heartbeat: 'TLS heartbeat',
} as const;

/** A TLS 1.3 record of this size (2-byte alert + inner type + 16-byte AEAD tag) is an alert. */
const TLS13_ALERT_RECORD_LENGTH = 2 + 1 + 16;
/**
 * Post-handshake records reported individually per direction; later ones are only counted. The
 * connection's own value is state.limits (limit reported-records); these are the defaults.
 */
const REPORTED_RECORDS = DEFAULT_LIMITS['reported-records'];
/**
 * Records one side may send before the handshake completes (limit handshake-records). A real
 * handshake takes a few (a 64 KiB chain in 512-byte fragments, RFC 6066 §4, takes 128); a server
 * that keeps sending records that never finish it (one-byte fragments, RFC 5246 §6.2.1 allows
 * them) is stopped here.
 */
export const MAX_HANDSHAKE_RECORDS = DEFAULT_LIMITS['handshake-records'];

export interface CertificateEntry {
  der: Uint8Array;
  offset: number;
  info?: CertInfo;
  error?: DecodeErrorInfo;
}

export interface EncryptedRecord {
  contentType: number;
  length: number;
  /** what the record probably is, from its type, size and position */
  likely?: string;
}

/** Stage after TLS: CredSSP for HYBRID/HYBRID_EX ([MS-RDPBCGR] 5.4.5.2), else MCS Connect. */
function stageAfterTls(selected: number | undefined): StageName {
  return selected !== undefined && (selected & (PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX)) !== 0 ? 'credssp' : 'mcs-connect';
}

// events are built without object spreads: this runs for every record
function pduEvent(ctx: StageContext, pdu: FramedPdu, name: string, value: unknown, offset = pdu.offset, length = pdu.bytes.length, head?: string, origin?: { at: number; packet?: number }): PduEvent {
  const ev: PduEvent = {
    type: 'pdu', stage: ctx.stage, dir: pdu.dir, lane: pdu.lane, name, offset, length, value,
    head: head ?? hexPreview(pdu.bytes, 24), at: origin ? origin.at : pdu.at,
  };
  const packet = origin?.packet ?? pdu.packet;
  if (packet !== undefined) ev.packet = packet;
  return ev;
}

/** Certificates parsed per message (limit cert-chain); real chains have 1-4, more is hostile or broken. */
export const MAX_CHAIN = DEFAULT_LIMITS['cert-chain'];

function certificates(msg: HandshakeMessage, tls13: boolean, max: number): CertificateEntry[] {
  return decodeCertificateMessage(msg.body, msg.offset + 4, tls13).certificates.map((c, i) => {
    if (i >= max) {
      return { ...c, error: { code: 'LIMIT_EXCEEDED', layer: 'tls', pdu: 'TLS Certificate', field: 'certificate_list', offset: c.offset, reason: `not parsed: only the first ${max} certificates of a chain are analysed` } };
    }
    try {
      return { ...c, info: parseCertificate(c.der) };
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      return { ...c, error: e.toJSON() };
    }
  });
}

/** Records kept to place messages; a message spanning more handshake records than this is placed at the oldest. */
const MAX_ORIGINS = 64;

/** The message's own first bytes (header + body) for evidence, and the packet carrying its first byte. */
function messageEvent(ctx: StageContext, pdu: FramedPdu, st: TlsState, msg: HandshakeMessage, name: string, value: unknown): PduEvent {
  const origins = st[pdu.dir].origins;
  let i = origins.length - 1;
  while (i > 0 && origins[i]!.offset > msg.offset) i--;
  const origin = origins[Math.max(i, 0)];
  const total = msg.length + 4;
  const first = new Uint8Array(Math.min(total, 24));
  first.set([msg.type, (msg.length >>> 16) & 0xff, (msg.length >>> 8) & 0xff, msg.length & 0xff].slice(0, first.length));
  if (first.length > 4) first.set(msg.body.subarray(0, first.length - 4), 4);
  return pduEvent(ctx, pdu, name, value, msg.offset, total, total > first.length ? `${toHex(first)} … (${total} bytes)` : toHex(first), origin);
}

function handshakeMessage(ctx: StageContext, pdu: FramedPdu, st: TlsState, msg: HandshakeMessage): void {
  const at = (name: string, value: unknown): void => ctx.emit(messageEvent(ctx, pdu, st, msg, name, value));
  switch (msg.type) {
    case HS.clientHello:
      at(TLS_PDU.clientHello, decodeClientHello(msg.body, msg.offset + 4));
      return;
    case HS.serverHello: {
      const sh = decodeServerHello(msg.body, msg.offset + 4);
      if (sh.helloRetryRequest) {
        st.tls13 = true; // only TLS 1.3 has HelloRetryRequest; its ChangeCipherSpec records are dummies
        at(TLS_PDU.helloRetry, sh);
        return;
      }
      st.version = sh.version;
      st.cipherSuite = sh.cipherSuite;
      if (sh.version >= TLS_VERSION.TLS13) {
        // TLS 1.3: everything the server sends after its ServerHello is encrypted (RFC 8446 §2)
        st.tls13 = true;
        st.s2c.encrypted = true;
      }
      at(TLS_PDU.serverHello, sh);
      return;
    }
    case HS.certificate:
      at(TLS_PDU.certificate, { certificates: certificates(msg, false, ctx.state.limits?.['cert-chain'] ?? MAX_CHAIN) });
      return;
    case HS.serverKeyExchange:
      at(TLS_PDU.serverKeyExchange, decodeServerKeyExchange(msg.body, msg.offset + 4, st.cipherSuite ?? 0));
      return;
    default:
      at(TLS_PDU.handshake, { type: msg.type, name: msg.name, length: msg.length });
  }
}

/** The handshake is over: TLS ≤ 1.2 once both sides sent Finished, TLS 1.3 at the client's Finished. */
function finish(ctx: StageContext, pdu: FramedPdu, st: TlsState): void {
  if (st.complete) return;
  if (st.tls13 ? !st.c2s.finished : !(st.c2s.finished && st.s2c.finished)) return;
  st.complete = true;
  ctx.advance(stageAfterTls(ctx.state.selectedProtocol), pdu);
}

function encrypted(ctx: StageContext, pdu: FramedPdu, st: TlsState, rec: TlsRecord): void {
  const d = st[pdu.dir];
  const value: EncryptedRecord = { contentType: rec.type, length: rec.length };
  if (!st.complete) {
    if (rec.type === CONTENT_TYPE.alert) value.likely = 'alert (encrypted)';
    else if (st.tls13 && rec.length === TLS13_ALERT_RECORD_LENGTH) value.likely = 'alert (by its size)';
    else {
      // TLS 1.3 server: EncryptedExtensions..Finished; otherwise this side's Finished
      value.likely = pdu.dir === 's2c' && st.tls13 ? 'server handshake flight' : 'Finished';
      d.finished = true;
    }
    ctx.emit(pduEvent(ctx, pdu, value.likely.startsWith('alert') ? TLS_PDU.encryptedAlert : TLS_PDU.encryptedHandshake, value));
    finish(ctx, pdu, st);
    return;
  }
  if (rec.type === CONTENT_TYPE.alert || (st.tls13 && rec.length === TLS13_ALERT_RECORD_LENGTH)) {
    value.likely = rec.type === CONTENT_TYPE.alert ? 'alert (encrypted)' : 'alert (by its size)';
    ctx.emit(pduEvent(ctx, pdu, TLS_PDU.encryptedAlert, value));
    return;
  }
  if (d.reported < (ctx.state.limits?.['reported-records'] ?? REPORTED_RECORDS)) {
    d.reported++;
    ctx.emit(pduEvent(ctx, pdu, TLS_PDU.encryptedRecord, value));
  } else ctx.opaque(pdu);
}

export const tlsStage: StageHandler = {
  stage: 'tls',
  framing: 'tls',
  transport: true,

  frame(buf, dir, base, state) {
    const tls = state.tls;
    const max = state.limits?.['handshake-records'] ?? MAX_HANDSHAKE_RECORDS;
    if (tls && !tls.complete && tls[dir].handshakeRecords >= max) {
      throw new DecodeError({
        code: 'LIMIT_EXCEEDED', layer: 'tls', pdu: 'TLS record', field: 'records before the handshake completed', offset: base,
        reason: `${max} records without completing the handshake`,
      });
    }
    return findTlsRecordSize(buf, base);
  },

  // what handle() does with a post-handshake record past the reported ones (see encrypted()): count it
  opaqueOnly(buf, dir, _stage, state) {
    const st = state.tls;
    if (!st?.complete) return false;
    const type = buf[0];
    const d = st[dir];
    if (type === CONTENT_TYPE.changeCipherSpec || type === CONTENT_TYPE.alert || !(d.encrypted || type === CONTENT_TYPE.applicationData)) return false;
    if (st.tls13 && ((buf[3]! << 8) | buf[4]!) === TLS13_ALERT_RECORD_LENGTH) return false;
    return d.reported >= (state.limits?.['reported-records'] ?? REPORTED_RECORDS);
  },

  handle(pdu: FramedPdu, ctx: StageContext) {
    const st = (ctx.state.tls ??= newTlsState(ctx.state.limits?.['handshake-message-bytes']));
    const rec = decodeTlsRecord(pdu.bytes, pdu.offset);
    const d = st[pdu.dir];
    if (!st.complete) d.handshakeRecords++;
    if (rec.type === CONTENT_TYPE.changeCipherSpec) {
      // TLS 1.3 keeps a dummy ChangeCipherSpec for middlebox compatibility (RFC 8446 D.4); it only
      // switches encryption on once a ServerHello chose TLS ≤ 1.2
      if (!st.tls13 && st.version !== undefined) d.encrypted = true;
      ctx.emit(pduEvent(ctx, pdu, TLS_PDU.changeCipherSpec, { tls13Compat: st.tls13 || st.version === undefined }));
      return;
    }
    if (d.encrypted || rec.type === CONTENT_TYPE.applicationData) {
      encrypted(ctx, pdu, st, rec);
      return;
    }
    if (rec.type === CONTENT_TYPE.alert) {
      ctx.emit(pduEvent(ctx, pdu, TLS_PDU.alert, decodeAlert(rec.fragment, pdu.offset + 5)));
      return;
    }
    if (rec.type === CONTENT_TYPE.heartbeat) {
      ctx.emit(pduEvent(ctx, pdu, TLS_PDU.heartbeat, { length: rec.length }));
      return;
    }
    const origin: TlsState['c2s']['origins'][number] = { offset: pdu.offset + 5, at: pdu.at };
    if (pdu.packet !== undefined) origin.packet = pdu.packet;
    d.origins.push(origin);
    if (d.origins.length > MAX_ORIGINS) d.origins.shift();
    for (const msg of d.hs.push(rec.fragment, pdu.offset + 5)) handshakeMessage(ctx, pdu, st, msg);
  },
};
