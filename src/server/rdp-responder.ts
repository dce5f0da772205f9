// Sans-IO RDP server side for scenarios: the connection sequence of [MS-RDPBCGR] 1.3.1.1 from the
// MCS Connect Initial to the Demand Active (3.3.5.3.3-3.3.5.3.13), on the plaintext stream after
// the X.224 Confirm (raw TCP for Standard RDP Security, TLS plaintext otherwise, after CredSSP for
// HYBRID/HYBRID_EX). It frames TPKTs itself and says what to write back and when to close.
//
// By default ('ok') it answers the Connect Initial with a Connect Response (rt-successful; RDP 10.7
// core echoing the client's requestedProtocols; I/O channel 1003, static channels from 1004, the
// message channel next if the client asked; Standard RDP Security: a 32-byte server random and a
// proprietary certificate, or method and level NONE under TLS), the Attach User Request with user
// 1007 (or the first id after the channels), every Channel Join Request with success, takes the
// Security Exchange (Standard RDP Security with encryption: decrypts the client random, derives the
// session keys) and the Client Info (decrypted when encrypted), then sends the License Error PDU -
// Valid Client and the Demand Active, and reads and ignores the rest. RdpFailure reproduces
// failure-catalogue rows 26-34 (src/server/scenarios-rdp.ts).
//
// Security of what the server sends (2.2.8.1.1.2, securityHeaderKind): under TLS the licensing PDU
// has a basic header (SEC_LICENSE_PKT) and share PDUs none. Under Standard RDP Security the share
// PDUs (Demand Active, Set Error Info) are encrypted at CLIENT_COMPATIBLE, HIGH and FIPS and carry a
// basic header with flags 0 at LOW (only client-to-server traffic is encrypted), and none at NONE.
// The licensing PDU is encrypted (SEC_ENCRYPT | SEC_LICENSE_PKT | SEC_LICENSE_ENCRYPT_CS), as the
// 4.1.11 example shows Windows doing, when the client's Security Exchange set SEC_LICENSE_ENCRYPT_SC
// and server-to-client traffic is encrypted; otherwise it goes in the clear with a basic header.
import { DecodeError } from '../wire/errors.js';
import { concatBytes } from '../wire/writer.js';
import { findTpktSize } from '../x224/tpkt.js';
import { PROTOCOL } from '../x224/codes.js';
import {
  decodeConferenceCreateRequest, decodeConnectInitial, decodeDomainPdu, decodeX224Data, encodeAttachUserConfirm,
  encodeChannelJoinConfirm, encodeConferenceCreateResponse, encodeConnectResponse, encodeDisconnectProviderUltimatum,
  encodeSendDataIndication, encodeX224Data, MCS_USER_ID_BASE, mcsConnectKind, type ChannelJoinRequest,
} from '../mcs/index.js';
import { decodeClientData, encodeServerData, type ClientData, type ServerDataSpec } from '../gcc/index.js';
import {
  decodeClientInfoPdu, decodeInfoPacket, decodeSecurityExchange, defaultServerCapabilities, encodeDemandActive,
  encodeSetErrorInfo, encodeWithSecurityHeader, ENCRYPTION_LEVEL, ENCRYPTION_METHOD, SEC, securityHeaderKind,
  securityHeaderKindFromFlags, type SecuredPdu, type SecurityHeaderKind,
} from '../rdp/index.js';
import { encodeLicenseError, encodeLicensingPduWithHeader, encodeServerLicenseRequest, encodeValidClientLicense } from '../licensing/index.js';
import { encodeServerCertificate } from '../gcc/certificate.js';
import { decryptClientRandom, deriveSessionKeys, RdpSecurityCipher } from '../rdpsec/index.js';
import { scenarioProprietaryKey, type ProprietaryKey } from './rdp-responder-key.js';

/** MCS ids of the scenario server ([MS-RDPBCGR] 4.1.4-4.1.7: what Windows uses). */
export const SERVER_CHANNEL_ID = MCS_USER_ID_BASE + 1;
export const IO_CHANNEL_ID = 1003;
export const FIRST_STATIC_CHANNEL_ID = 1004;
export const DEFAULT_USER_ID = 1007;
/** TS_UD_SC_CORE version: RDP 10.7 */
export const SERVER_RDP_VERSION = 0x0008000c;
/** RNS_UD_SC_DYNAMIC_DST_SUPPORTED (no RNS_UD_SC_SKIP_CHANNELJOIN_SUPPORTED: clients join every channel) */
export const SERVER_EARLY_CAPABILITIES = 0x02;
/** shareId of the Demand Active: 0x10000 + the server channel id, as Windows sends (4.1.12) */
export const SHARE_ID = 0x000103ea;
/** GCC ConferenceCreateResponse result userRejected, with a failing Connect Response */
const GCC_USER_REJECTED = 1;
/** a reassembled MCS PDU larger than this stops the responder (a Connect Initial fits 64 KiB) */
const MAX_MCS_PDU = 1 << 20;

/** Where a scripted failure acts; each is one behaviour of failure-catalogue rows 26-34. */
export type RdpFailure =
  /**
   * FIN instead of the next answer: after the Connect Initial (row 26), on the second Channel Join
   * Request (the first is answered; row 29), after the last Channel Join Confirm (row 29), or after
   * the Security Exchange (row 30)
   */
  | { close: 'after-connect-initial' | 'during-channel-joins' | 'after-channel-joins' | 'after-security-exchange' }
  /**
   * a TCP reset (RST) instead of the next answer: after the Connect Initial, after the Erect Domain and
   * Attach User Requests, after the Security Exchange, after the Client Info, or during licensing (a
   * License Request answers the Client Info; the client's reply to it gets the RST)
   */
  | { reset: 'after-connect-initial' | 'after-attach-user' | 'after-security-exchange' | 'after-client-info' | 'during-licensing' }
  /** read the PDU and never answer (row 34) */
  | { silent: 'after-connect-initial' | 'after-client-info' }
  /** an MCS Disconnect Provider Ultimatum with this T.125 reason instead of the answer, then FIN (rows 26 and 33) */
  | { disconnect: 'after-connect-initial' | 'after-client-info'; reason: number }
  /** the Connect Response carries this T.125 result (GCC result userRejected), then FIN (row 27) */
  | { connectResult: number }
  /** the Attach User Confirm carries this result and no user id; then reads and ignores (row 29) */
  | { attachResult: number }
  /** the Channel Join Confirm of that channel carries this result and no channel id; then reads and ignores (row 29) */
  | { joinResult: number; channel: 'user' | 'io' }
  /** a License Error PDU with this code and transition instead of STATUS_VALID_CLIENT, then FIN (row 31) */
  | { licenseError: number; stateTransition: number }
  /**
   * a Set Error Info PDU with this errorInfo, then FIN: instead of licensing after the Client Info,
   * or right after the Demand Active (rows 31, 32)
   */
  | { errorInfo: number; after: 'client-info' | 'demand-active' };

export interface RdpBehaviour {
  /**
   * Standard RDP Security (PROTOCOL_RDP only; TLS-based protocols always get NONE/NONE). Default
   * level CLIENT_COMPATIBLE (FIPS for method FIPS) and the method the level calls for: FIPS at level
   * FIPS, 128-bit at HIGH, otherwise 128-bit if the client offers it, else FIPS, 56-bit, 40-bit;
   * NONE/NONE when the client offers none. A method given here is used whatever the client offered.
   */
  encryption?: { method?: number; level?: number };
  /** the scripted failure; none completes the sequence to the Demand Active */
  failure?: RdpFailure;
}

/** What the I/O layer does, in order: write bytes (inside TLS when there is TLS), or end the TCP connection. */
export type RdpAction = { write: Uint8Array } | { close: 'fin' | 'rst' };

export interface RdpResponderOptions {
  /** the selectedProtocol of the Confirm (PROTOCOL_RDP: Standard RDP Security on the raw stream) */
  selectedProtocol: number;
  /** requestedProtocols of the client's RDP_NEG_REQ, echoed in the Server Core Data; undefined for a legacy request */
  requestedProtocols: number | undefined;
  behaviour?: RdpBehaviour;
  /** the server random */
  random: (n: number) => Uint8Array;
  /** default: scenarioProprietaryKey() */
  key?: ProprietaryKey;
}

/**
 * connect-initial: waiting for it; domain: attach, joins, Security Exchange, Client Info;
 * active: the Demand Active was sent, the rest is read and ignored; ended: closed, failed as
 * scripted, silent, or stopped on client bytes it could not take (see `problem`).
 */
export type RdpPhase = 'connect-initial' | 'domain' | 'active' | 'ended';

const empty = new Uint8Array(0);

/**
 * Consecutive writes as one: PDUs sent together (licensing, Demand Active, Set Error Info) leave in
 * one TCP write or TLS record, so a client that stops reading at the Demand Active still sees what came with it.
 */
function coalesce(actions: RdpAction[]): RdpAction[] {
  const out: RdpAction[] = [];
  for (const a of actions) {
    const last = out.at(-1);
    if ('write' in a && last && 'write' in last) out[out.length - 1] = { write: concatBytes([last.write, a.write]) };
    else out.push(a);
  }
  return out;
}

const indication = (data: Uint8Array): Uint8Array =>
  encodeX224Data(encodeSendDataIndication({ initiator: SERVER_CHANNEL_ID, channelId: IO_CHANNEL_ID, data }));

export class RdpResponder {
  private pending: Uint8Array = empty;
  private mcsPdu: Uint8Array = empty;
  private stage: RdpPhase = 'connect-initial';
  /** what the next Send Data Request on the I/O channel must be */
  private expect: 'security-exchange' | 'client-info' | 'licensing' | 'nothing' = 'nothing';
  private readonly failure: RdpFailure | undefined;
  private readonly key: ProprietaryKey;
  private readonly enhanced: boolean;
  private method: number = ENCRYPTION_METHOD.NONE;
  private level: number = ENCRYPTION_LEVEL.NONE;
  private serverRandom: Uint8Array = empty;
  private cipher: RdpSecurityCipher | undefined;
  private licenseEncrypted = false;
  private client: ClientData | undefined;
  private userId = DEFAULT_USER_ID;
  private channels: number[] = [];
  private messageChannel: number | undefined;
  private readonly joined = new Set<number>();
  /** why the responder stopped answering, when client bytes did not decode or verify */
  problem: string | undefined;

  constructor(private readonly o: RdpResponderOptions) {
    this.failure = o.behaviour?.failure;
    this.key = o.key ?? scenarioProprietaryKey();
    this.enhanced = o.selectedProtocol !== PROTOCOL.RDP;
  }

  get phase(): RdpPhase {
    return this.stage;
  }

  /** Standard RDP Security method and level in the Connect Response (NONE/NONE before it, and under TLS). */
  get security(): { method: number; level: number } {
    return { method: this.method, level: this.level };
  }

  /** Client plaintext in; what to do about it out (nothing while a TPKT or an MCS PDU is incomplete). */
  receive(bytes: Uint8Array): RdpAction[] {
    if (this.ignoring()) return [];
    this.pending = concatBytes([this.pending, bytes]);
    const out: RdpAction[] = [];
    try {
      while (!this.ignoring()) {
        const size = findTpktSize(this.pending);
        if (size === undefined || this.pending.length < size) break;
        const frame = this.pending.subarray(0, size);
        this.pending = this.pending.subarray(size); // a view: no copy per frame (concat copies the rest once)
        const data = decodeX224Data(frame);
        this.mcsPdu = concatBytes([this.mcsPdu, data.payload]);
        if (this.mcsPdu.length > MAX_MCS_PDU) throw new RangeError(`an MCS PDU of more than ${MAX_MCS_PDU} bytes`);
        if (!data.eot) continue;
        const pdu = this.mcsPdu;
        this.mcsPdu = empty;
        out.push(...this.answer(pdu));
      }
    } catch (e) {
      // a scenario server never fails on client bytes: it stops answering and reads the rest
      this.stop(e instanceof DecodeError ? e.message : `${e instanceof Error ? e.message : String(e)} (not a decode error)`);
    }
    if (this.ignoring()) this.pending = empty;
    return coalesce(out);
  }

  private ignoring(): boolean {
    return this.stage === 'active' || this.stage === 'ended';
  }

  private stop(problem?: string): RdpAction[] {
    this.stage = 'ended';
    if (problem !== undefined) this.problem = problem;
    return [];
  }

  /** The scripted RST, if the failure puts one at this point. */
  private resetAt(point: Extract<RdpFailure, { reset: unknown }>['reset']): RdpAction[] | undefined {
    const f = this.failure;
    if (!f || !('reset' in f) || f.reset !== point) return undefined;
    this.stage = 'ended';
    return [{ close: 'rst' }];
  }

  private end(...writes: Uint8Array[]): RdpAction[] {
    this.stage = 'ended';
    return [...writes.map((write) => ({ write })), { close: 'fin' }];
  }

  private answer(pdu: Uint8Array): RdpAction[] {
    if (this.stage === 'connect-initial') {
      const kind = mcsConnectKind(pdu);
      if (kind !== 'connect-initial') return this.stop(`expected an MCS Connect Initial, got ${kind ?? 'an unknown MCS PDU'}`);
      return this.connectInitial(pdu);
    }
    const d = decodeDomainPdu(pdu);
    switch (d.type) {
      case 'attachUserRequest': return this.attachUser();
      case 'channelJoinRequest': return this.join(d);
      case 'sendDataRequest': return d.channelId === IO_CHANNEL_ID ? this.ioData(d.data) : [];
      case 'disconnectProviderUltimatum': return this.stop();
      default: return []; // Erect Domain Request and the rest: nothing to answer
    }
  }

  // ---- MCS Connect ----

  private connectInitial(pdu: Uint8Array): RdpAction[] {
    const ci = decodeConnectInitial(pdu);
    const gcc = decodeConferenceCreateRequest(ci.userData, ci.userDataOffset);
    this.client = decodeClientData(gcc.userData, gcc.userDataOffset);
    const f = this.failure;
    if (f && 'close' in f && f.close === 'after-connect-initial') return this.end();
    const reset = this.resetAt('after-connect-initial');
    if (reset) return reset;
    if (f && 'silent' in f && f.silent === 'after-connect-initial') return this.stop();
    if (f && 'disconnect' in f && f.disconnect === 'after-connect-initial') return this.end(this.ultimatum(f.reason));
    this.chooseSecurity();
    const statics = this.client.network?.channels.length ?? 0;
    this.channels = Array.from({ length: statics }, (_, i) => FIRST_STATIC_CHANNEL_ID + i);
    let next = FIRST_STATIC_CHANNEL_ID + statics;
    const messageChannel = this.client.messageChannel ? next++ : undefined;
    this.messageChannel = messageChannel;
    this.userId = Math.max(DEFAULT_USER_ID, next);
    const data: ServerDataSpec = {
      core: this.o.requestedProtocols === undefined ? { version: SERVER_RDP_VERSION }
        : { version: SERVER_RDP_VERSION, clientRequestedProtocols: this.o.requestedProtocols, earlyCapabilityFlags: SERVER_EARLY_CAPABILITIES },
      network: { mcsChannelId: IO_CHANNEL_ID, channelIds: this.channels },
      security: this.encrypting()
        ? { encryptionMethod: this.method, encryptionLevel: this.level, serverRandom: this.serverRandom, certificate: this.key.certificate }
        : { encryptionMethod: this.method, encryptionLevel: this.level },
      ...(messageChannel === undefined ? {} : { messageChannel: { mcsChannelId: messageChannel } }),
    };
    const result = f && 'connectResult' in f ? f.connectResult : 0;
    const userData = encodeConferenceCreateResponse(encodeServerData(data), result === 0 ? {} : { result: GCC_USER_REJECTED });
    const response = encodeX224Data(encodeConnectResponse({ result, calledConnectId: 0, userData }));
    if (result !== 0) return this.end(response);
    this.stage = 'domain';
    this.expect = this.encrypting() ? 'security-exchange' : 'client-info';
    return [{ write: response }];
  }

  private chooseSecurity(): void {
    if (this.enhanced) return; // TLS protects everything: method and level NONE
    const e = this.o.behaviour?.encryption ?? {};
    const M = ENCRYPTION_METHOD;
    const L = ENCRYPTION_LEVEL;
    const offered = (this.client?.security?.encryptionMethods ?? 0) | (this.client?.security?.extEncryptionMethods ?? 0);
    let method = e.method;
    if (method === undefined) {
      if (e.level === L.FIPS) method = M.FIPS;
      else if (e.level === L.HIGH) method = M.BIT_128;
      else if (e.level === L.NONE) method = M.NONE;
      else method = [M.BIT_128, M.FIPS, M.BIT_56, M.BIT_40].find((m) => offered & m) ?? M.NONE;
    }
    const level = e.level ?? (method === M.NONE ? L.NONE : method === M.FIPS ? L.FIPS : L.CLIENT_COMPATIBLE);
    this.method = method;
    this.level = level;
    if (this.encrypting()) this.serverRandom = this.o.random(32);
  }

  /** Standard RDP Security with encryption in effect: a Security Exchange follows and PDUs are encrypted. */
  private encrypting(): boolean {
    return !this.enhanced && this.method !== ENCRYPTION_METHOD.NONE && this.level !== ENCRYPTION_LEVEL.NONE;
  }

  // ---- Channel Connection ----

  private attachUser(): RdpAction[] {
    const reset = this.resetAt('after-attach-user');
    if (reset) return reset;
    const f = this.failure;
    if (f && 'attachResult' in f) {
      this.stage = 'ended';
      return [{ write: encodeX224Data(encodeAttachUserConfirm(f.attachResult)) }];
    }
    return [{ write: encodeX224Data(encodeAttachUserConfirm(0, this.userId)) }];
  }

  private join(d: ChannelJoinRequest): RdpAction[] {
    const f = this.failure;
    if (f && 'close' in f && f.close === 'during-channel-joins' && this.joined.size > 0) return this.end();
    const confirm = (result: number, channelId?: number): Uint8Array => encodeX224Data(encodeChannelJoinConfirm({
      result, initiator: d.initiator, requested: d.channelId, ...(channelId === undefined ? {} : { channelId }),
    }));
    if (f && 'joinResult' in f && d.channelId === (f.channel === 'io' ? IO_CHANNEL_ID : this.userId)) {
      this.stage = 'ended';
      return [{ write: confirm(f.joinResult) }];
    }
    this.joined.add(d.channelId);
    const reply = confirm(0, d.channelId);
    if (f && 'close' in f && f.close === 'after-channel-joins' && this.allJoined()) return this.end(reply);
    return [{ write: reply }];
  }

  /** The user channel, the I/O channel, the static channels and the message channel (2.2.1.8). */
  private allJoined(): boolean {
    const want = [this.userId, IO_CHANNEL_ID, ...this.channels];
    if (this.messageChannel !== undefined) want.push(this.messageChannel);
    return want.every((id) => this.joined.has(id));
  }

  // ---- Security Exchange, Client Info, Licensing, Demand Active ----

  private ioData(data: Uint8Array): RdpAction[] {
    if (this.expect === 'security-exchange') return this.securityExchange(data);
    if (this.expect === 'client-info') return this.clientInfo(data);
    if (this.expect === 'licensing') return this.resetAt('during-licensing') ?? [];
    return [];
  }

  private securityExchange(data: Uint8Array): RdpAction[] {
    const x = decodeSecurityExchange(data);
    const clientRandom = decryptClientRandom(x.encryptedClientRandom, this.key.privateKey);
    const keys = deriveSessionKeys({ clientRandom, serverRandom: this.serverRandom, encryptionMethod: this.method, role: 'server' });
    this.cipher = new RdpSecurityCipher(keys);
    // SEC_LICENSE_ENCRYPT_SC: the client takes encrypted licensing PDUs (at LOW the server encrypts nothing)
    this.licenseEncrypted = (x.flags & SEC.LICENSE_ENCRYPT) !== 0 && this.level !== ENCRYPTION_LEVEL.LOW;
    this.expect = 'client-info';
    const f = this.failure;
    if (f && 'close' in f && f.close === 'after-security-exchange') return this.end();
    return this.resetAt('after-security-exchange') ?? [];
  }

  private clientInfo(data: Uint8Array): RdpAction[] {
    const flags = (data[0] ?? 0) | ((data[1] ?? 0) << 8);
    const pdu = decodeClientInfoPdu(data, 0, securityHeaderKindFromFlags(flags, this.method));
    if (pdu.encrypted) {
      if (!this.cipher) return this.stop('an encrypted Client Info PDU without Standard RDP Security session keys');
      const h = pdu.header;
      const opened = this.cipher.decrypt(data.subarray(h.bodyOffset), h.signature ?? empty, {
        salted: (h.flags & SEC.SECURE_CHECKSUM) !== 0, ...(h.fips ? { padLength: h.fips.padlen } : {}),
      });
      if (!opened.ok) return this.stop(`Client Info PDU: ${opened.reason}`);
      decodeInfoPacket(opened.data, h.bodyOffset);
    } else if (this.encrypting()) {
      return this.stop('the Client Info PDU is not encrypted under Standard RDP Security with encryption (3.2.5.3.11)');
    }
    this.expect = 'nothing';
    const f = this.failure;
    const reset = this.resetAt('after-client-info');
    if (reset) return reset;
    if (f && 'reset' in f && f.reset === 'during-licensing') {
      // a License Request ([MS-RDPELE] 2.2.2.1) with this connection's proprietary certificate: the client must answer
      this.expect = 'licensing';
      return [{ write: this.licensing(encodeServerLicenseRequest({ serverRandom: this.o.random(32), certificate: encodeServerCertificate(this.key.certificate) })) }];
    }
    if (f && 'silent' in f && f.silent === 'after-client-info') return this.stop();
    if (f && 'disconnect' in f && f.disconnect === 'after-client-info') return this.end(this.ultimatum(f.reason));
    if (f && 'licenseError' in f) return this.end(this.licensing(encodeLicenseError({ errorCode: f.licenseError, stateTransition: f.stateTransition })));
    if (f && 'errorInfo' in f && f.after === 'client-info') return this.end(this.setErrorInfo(f.errorInfo));
    const license = this.licensing(encodeValidClientLicense());
    const desktop = { desktopWidth: this.client?.core?.desktopWidth ?? 1024, desktopHeight: this.client?.core?.desktopHeight ?? 768 };
    const demand = this.share(encodeDemandActive({
      shareId: SHARE_ID, pduSource: SERVER_CHANNEL_ID, capabilitySets: defaultServerCapabilities({ ...desktop, serverChannelId: SERVER_CHANNEL_ID }),
    }));
    if (f && 'errorInfo' in f) return this.end(license, demand, this.setErrorInfo(f.errorInfo));
    this.stage = 'active';
    return [{ write: license }, { write: demand }];
  }

  private ultimatum(reason: number): Uint8Array {
    return encodeX224Data(encodeDisconnectProviderUltimatum(reason));
  }

  private setErrorInfo(errorInfo: number): Uint8Array {
    return this.share(encodeSetErrorInfo({ errorInfo, shareId: SHARE_ID }));
  }

  /** A licensing PDU (preamble + message) in its Send Data Indication. */
  private licensing(pdu: Uint8Array): Uint8Array {
    if (this.encrypting() && this.licenseEncrypted) return indication(this.encrypt(pdu, SEC.LICENSE_PKT | SEC.LICENSE_ENCRYPT));
    return indication(encodeLicensingPduWithHeader(pdu));
  }

  /** A share control PDU (Demand Active, a Data PDU) in its Send Data Indication. */
  private share(pdu: Uint8Array): Uint8Array {
    const kind = this.headerKind('other');
    if (kind === 'none') return indication(pdu);
    if (kind === 'basic') return indication(encodeWithSecurityHeader({ flags: 0 }, pdu));
    return indication(this.encrypt(pdu, 0));
  }

  private headerKind(pdu: SecuredPdu): SecurityHeaderKind | 'none' {
    return securityHeaderKind({ enhanced: this.enhanced, encryptionLevel: this.level, encryptionMethod: this.method, pdu, direction: 'server-to-client' });
  }

  /** Security header with SEC_ENCRYPT and the MAC, then the ciphertext (5.3.6). */
  private encrypt(body: Uint8Array, flags: number): Uint8Array {
    if (!this.cipher) throw new Error('scenario bug: encrypting before the Security Exchange');
    const r = this.cipher.encrypt(body);
    const fips = this.method === ENCRYPTION_METHOD.FIPS;
    return encodeWithSecurityHeader({
      kind: fips ? 'fips' : 'non-fips', flags: flags | SEC.ENCRYPT, signature: r.signature, ...(fips ? { fips: { padlen: r.padLength } } : {}),
    }, r.data);
  }
}
