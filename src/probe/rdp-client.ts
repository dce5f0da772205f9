// Sans-IO client side of the connection sequence after X.224, TLS or CredSSP ([MS-RDPBCGR] 1.3.1.1):
// MCS Connect Initial with GCC client data, Erect Domain, Attach User, Channel Joins, the Security
// Exchange and session keys under Standard RDP Security (5.3), the Client Info, licensing, up to the
// Demand Active; then a clean disconnect (MCS Disconnect Provider Ultimatum). Driven by tracker events;
// randomness comes from the caller.
import {
  encodeAttachUserRequest, encodeChannelJoinRequest, encodeConferenceCreateRequest, encodeConnectInitial,
  encodeDisconnectProviderUltimatum, encodeErectDomainRequest, encodeSendDataRequest, encodeX224Data, type DomainPdu,
} from '../mcs/index.js';
import { encodeClientData, type ServerData } from '../gcc/index.js';
import { DEFAULT_INFO_FLAGS, encodeInfoPacket, encodeSecurityExchange, encodeWithSecurityHeader, ENCRYPTION_LEVEL, ENCRYPTION_METHOD, INFO, SEC } from '../rdp/index.js';
import { deriveSessionKeys, encryptClientRandom, ENCRYPTED_RANDOM_PADDING, RdpSecurityCipher, rsaPublicKeyFromDer, type RsaPublicKey } from '../rdpsec/index.js';
import { RDP_PDU } from '../analyze/stages/rdp-common.js';
import { encodeLicensingPduWithHeader, LicensingClient } from '../licensing/index.js';
import type { ConnectResponseValue, LicensingValue } from '../analyze/rdp-facts.js';
import type { TrackerEvent } from '../analyze/events.js';
import { PROTOCOL } from '../x224/codes.js';

/** MCS reason the client gives when it leaves ([MS-RDPBCGR] 2.2.2.3: rn-user-requested). */
const RN_USER_REQUESTED = 3;
const CLIENT_RANDOM_SIZE = 32;

export type RdpClientStep =
  | { send: Uint8Array }
  /** the client random of the Security Exchange, for the tracker to decrypt what follows */
  | { clientRandom: Uint8Array }
  | { done: string };

export interface RdpClientOptions {
  selectedProtocol: number;
  /** user name for the Client Info (no password is ever sent there) */
  user?: string;
  domain?: string;
  clientName?: string;
  /** *_ENCRYPTION_FLAG bits offered under Standard RDP Security; default 0x1b as Windows */
  encryptionMethods?: number;
  /** leave right after the MCS Connect Response (what --enumerate-rdp-security needs) */
  stopAfterConnect?: boolean;
  random: (n: number) => Uint8Array;
}

export class RdpClient {
  private server: ServerData | undefined;
  private userId: number | undefined;
  private joins: number[] = [];
  private ioChannel = 0;
  private cipher: RdpSecurityCipher | undefined;
  private over = false;
  private lic: LicensingClient | undefined;

  constructor(private readonly o: RdpClientOptions) {}

  private get enhanced(): boolean { return this.o.selectedProtocol !== PROTOCOL.RDP; }

  /** The MCS Connect Initial. */
  start(): RdpClientStep[] {
    const clientData = encodeClientData({
      selectedProtocol: this.o.selectedProtocol, clientName: this.o.clientName ?? 'rdpscope',
      ...(this.o.encryptionMethods !== undefined ? { encryptionMethods: this.o.encryptionMethods } : {}),
    });
    return [{ send: encodeX224Data(encodeConnectInitial(encodeConferenceCreateRequest(clientData))) }];
  }

  /** The next steps after the tracker reported e. */
  receive(e: TrackerEvent): RdpClientStep[] {
    if (this.over || e.type !== 'pdu' || e.dir !== 's2c') return [];
    switch (e.name) {
      case RDP_PDU.connectResponse: return this.connected(e.value as ConnectResponseValue);
      case 'MCS Attach User Confirm': return this.attached(e.value as DomainPdu);
      case 'MCS Channel Join Confirm': return this.joined(e.value as DomainPdu);
      case RDP_PDU.licensing: return this.licensing(e.value as LicensingValue);
      case RDP_PDU.demandActive: return this.leave('Demand Active received: the connection sequence works up to the capabilities exchange');
      default: return [];
    }
  }

  private connected(v: ConnectResponseValue): RdpClientStep[] {
    if (v.result !== 0 || !v.serverData) return this.stop(`the server rejected the MCS connection (${v.resultName})`);
    if (this.o.stopAfterConnect) return this.leave('MCS Connect Response received');
    this.server = v.serverData;
    this.ioChannel = v.serverData.network?.mcsChannelId ?? 1003;
    return [{ send: encodeX224Data(encodeErectDomainRequest()) }, { send: encodeX224Data(encodeAttachUserRequest()) }];
  }

  private attached(d: DomainPdu): RdpClientStep[] {
    if (d.type !== 'attachUserConfirm') return [];
    if (d.result !== 0 || d.initiator === undefined) return this.stop(`the server refused the MCS Attach User (${d.resultName})`);
    this.userId = d.initiator;
    const s = this.server;
    this.joins = [d.initiator, this.ioChannel, ...(s?.network?.channelIds.filter((id) => id !== 0) ?? []), ...(s?.messageChannel ? [s.messageChannel.mcsChannelId] : [])];
    return this.nextJoin();
  }

  private nextJoin(): RdpClientStep[] {
    const next = this.joins.shift();
    if (next !== undefined) return [{ send: encodeX224Data(encodeChannelJoinRequest(this.userId!, next)) }];
    return [...this.securityExchange(), ...this.clientInfo()];
  }

  private joined(d: DomainPdu): RdpClientStep[] {
    if (d.type !== 'channelJoinConfirm') return [];
    if (d.result !== 0) return this.stop(`the server refused to join channel ${d.requested} (${d.resultName})`);
    return this.nextJoin();
  }

  private sendData(data: Uint8Array): Uint8Array {
    return encodeX224Data(encodeSendDataRequest({ initiator: this.userId!, channelId: this.ioChannel, data }));
  }

  /** Standard RDP Security with encryption: the client random, RSA-encrypted with the server's key (5.3.4). */
  private securityExchange(): RdpClientStep[] {
    const sec = this.server?.security;
    if (this.enhanced || !sec || sec.encryptionMethod === ENCRYPTION_METHOD.NONE || sec.encryptionLevel === ENCRYPTION_LEVEL.NONE || !sec.serverRandom) return [];
    const key = serverKey(this.server!);
    if (!key) return this.stop('the server sent no usable RSA key for the Security Exchange');
    const clientRandom = this.o.random(CLIENT_RANDOM_SIZE);
    const encrypted = encryptClientRandom(clientRandom, key);
    this.cipher = new RdpSecurityCipher(deriveSessionKeys({ clientRandom, serverRandom: sec.serverRandom, encryptionMethod: sec.encryptionMethod, role: 'client' }));
    const pdu = encodeSecurityExchange({ encryptedRandom: encrypted.subarray(0, encrypted.length - ENCRYPTED_RANDOM_PADDING) });
    return [{ send: this.sendData(pdu) }, { clientRandom }];
  }

  /** The Client Info: a user name, never a password (the logon, if any, came through CredSSP). */
  private clientInfo(): RdpClientStep[] {
    // INFO_MAXIMIZESHELL as every Windows client sets it: xrdp refuses a Client Info without it
    const info = encodeInfoPacket({ user: this.o.user ?? '', flags: DEFAULT_INFO_FLAGS | INFO.MAXIMIZESHELL, ...(this.o.domain ? { domain: this.o.domain } : {}) });
    if (!this.cipher) return [{ send: this.sendData(encodeWithSecurityHeader({ flags: SEC.INFO_PKT }, info)) }];
    const fips = this.server?.security?.encryptionMethod === ENCRYPTION_METHOD.FIPS;
    const r = this.cipher.encrypt(info);
    const header = fips
      ? { kind: 'fips' as const, flags: SEC.INFO_PKT | SEC.ENCRYPT, signature: r.signature, fips: { padlen: r.padLength } }
      : { kind: 'non-fips' as const, flags: SEC.INFO_PKT | SEC.ENCRYPT, signature: r.signature };
    return [{ send: this.sendData(encodeWithSecurityHeader(header, r.data)) }];
  }

  /**
   * Licensing ([MS-RDPELE] 1.3.3): the LicensingClient answers a License Request and a Platform
   * Challenge; a valid-client error alert or an issued licence ends it, and the Demand Active follows.
   */
  private licensing(v: LicensingValue): RdpClientStep[] {
    if (!v.plaintext || this.lic?.finished) return [];
    this.lic ??= new LicensingClient({ random: this.o.random, userName: this.o.user || 'rdpscope', machineName: this.o.clientName ?? 'rdpscope' });
    const r = this.lic.receive(v.plaintext, v.plaintextOffset ?? 0);
    if ('send' in r) return [{ send: this.sendData(encodeLicensingPduWithHeader(r.send)) }];
    if (r.done === 'unsupported') return this.leave(`licensing cannot go on: ${r.detail}`);
    return []; // valid client or licence issued: the Demand Active follows; an error: the server ends it
  }

  /** A clean disconnect: MCS Disconnect Provider Ultimatum (rn-user-requested), then the driver closes. */
  private leave(reason: string): RdpClientStep[] {
    this.over = true;
    return [{ send: encodeX224Data(encodeDisconnectProviderUltimatum(RN_USER_REQUESTED)) }, { done: reason }];
  }

  private stop(reason: string): RdpClientStep[] {
    this.over = true;
    return [{ done: reason }];
  }
}

/** The RSA key of the Server Security Data: a proprietary certificate, or the last X.509 certificate of the chain. */
function serverKey(s: ServerData): RsaPublicKey | undefined {
  const c = s.security?.certificate;
  if (!c) return undefined;
  if (c.kind === 'proprietary') return { modulus: c.publicKey.modulus, exponent: c.publicKey.exponent };
  const last = c.chain.at(-1);
  return last ? rsaPublicKeyFromDer(last) : undefined;
}
