// The scenario server's RDP side (src/server/rdp-responder.ts): a client built from the project's
// own encoders drives the RdpResponder sans-IO through the connection sequence ([MS-RDPBCGR] 1.3.1.1)
// and decodes every answer with the project's decoders, Standard RDP Security included (client
// random RSA-encrypted to the key of the server's proprietary certificate, client-role RC4/3DES
// ciphers). Every RDP scenario is played from its script for an SSL and an RDP-only client, and
// live tests prove the I/O wiring: raw TCP (Standard RDP Security), TLS (SSL) and TLS after CredSSP.
import net from 'node:net';
import tls from 'node:tls';
import { once } from 'node:events';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { RdpResponder, type RdpAction, type RdpBehaviour } from '../../src/server/rdp-responder.js';
import { scenarioProprietaryKey } from '../../src/server/rdp-responder-key.js';
import { RDP_SCENARIOS } from '../../src/server/scenarios-rdp.js';
import { HOSTILE_SCENARIOS } from '../../src/server/scenarios-hostile.js';
import { findScenario, SCENARIOS } from '../../src/server/scenarios.js';
import { ScriptRun, type Effect, type Step } from '../../src/server/script.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { CredsspResponder, SCENARIO_ACCOUNT, type CredsspAction } from '../../src/server/credssp-responder.js';
import { scenarioCertificate } from '../../src/server/tls-certs.js';
import { PROTOCOL } from '../../src/x224/codes.js';
import { findTpktSize } from '../../src/x224/tpkt.js';
import { decodeConnectionConfirm } from '../../src/x224/connection-confirm.js';
import {
  decodeConferenceCreateResponse, decodeConnectResponse, decodeDomainPdu, decodeX224Data, encodeAttachUserRequest,
  encodeChannelJoinRequest, encodeConferenceCreateRequest, encodeConnectInitial, encodeErectDomainRequest,
  encodeSendDataRequest, encodeX224Data, mcsConnectKind, type ConnectResponse,
} from '../../src/mcs/index.js';
import {
  decodeServerData, encodeClientDataBlocks, modernClientData, type ChannelDef, type ServerData,
} from '../../src/gcc/index.js';
import {
  decodeDemandActive, decodeSecurityHeader, decodeSetErrorInfo, decodeSharePdu, encodeClientInfoPdu, encodeInfoPacket,
  encodeSecurityExchange, encodeShareControlPdu, encodeWithSecurityHeader, ENCRYPTION_LEVEL as LEVEL,
  ENCRYPTION_METHOD as METHOD, PDUTYPE, PDUTYPE2, SEC, type DemandActive, type SecurityHeader,
} from '../../src/rdp/index.js';
import { decodeLicensingPdu, encodeValidClientLicense, type LicensingPdu } from '../../src/licensing/index.js';
import {
  deriveSessionKeys, encryptClientRandom, RdpSecurityCipher, verifyProprietarySignature,
} from '../../src/rdpsec/index.js';
import { proprietarySignedData } from '../../src/gcc/certificate.js';
import { CredsspClient, type CredsspClientStep } from '../../src/credssp/credssp-client.js';
import { decodeTsRequest, findTsRequestSize } from '../../src/credssp/ts-request.js';
import { decodeNtlm, type NtlmChallenge } from '../../src/credssp/ntlm.js';
import { subjectPublicKey } from '../../src/tls/x509.js';
import { connectionRequest } from './drive.js';

const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));
const u16 = (b: Uint8Array, at: number): number => (b[at] ?? 0) | ((b[at + 1] ?? 0) << 8);
const TLS_REQUEST = PROTOCOL.SSL | PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX;
const IO = 1003;

interface ClientOptions {
  selectedProtocol: number;
  encryptionMethods?: number;
  channels?: ChannelDef[];
  messageChannel?: boolean;
  /** SEC_LICENSE_ENCRYPT_SC in the Security Exchange; default true, as mstsc */
  licenseEncrypt?: boolean;
  /** salted MACs (SEC_SECURE_CHECKSUM) on the client's encrypted PDUs */
  salted?: boolean;
}

/**
 * The client side, sans-IO: builds each PDU with the codecs, decodes what the server sends with the
 * decoders, and records it as one line per server PDU ('connect-response rt-successful', 'join 1003
 * rt-successful', 'license STATUS_VALID_CLIENT ST_NO_TRANSITION', 'demand-active', 'close fin', ...).
 */
class Client {
  readonly events: string[] = [];
  connectResponse: ConnectResponse | undefined;
  server: ServerData | undefined;
  userId: number | undefined;
  cipher: RdpSecurityCipher | undefined;
  license: { header?: SecurityHeader; pdu: LicensingPdu; plain: Uint8Array } | undefined;
  demandActive: { header?: SecurityHeader; pdu: DemandActive } | undefined;
  errorInfoHeader: SecurityHeader | undefined;
  closed: 'fin' | 'rst' | undefined;

  constructor(readonly o: ClientOptions) {}

  get standard(): boolean {
    return this.o.selectedProtocol === PROTOCOL.RDP;
  }

  get security(): { method: number; level: number } {
    const s = this.server?.security;
    return { method: s?.encryptionMethod ?? 0, level: s?.encryptionLevel ?? 0 };
  }

  get encrypting(): boolean {
    const { method, level } = this.security;
    return this.standard && method !== 0 && level !== 0;
  }

  // ---- what the client sends ----

  connectInitial(): Uint8Array {
    const data = modernClientData({
      selectedProtocol: this.o.selectedProtocol, desktopWidth: 1280, desktopHeight: 800,
      ...(this.o.encryptionMethods === undefined ? {} : { encryptionMethods: this.o.encryptionMethods }),
      ...(this.o.channels ? { channels: this.o.channels } : {}), ...(this.o.messageChannel ? { messageChannel: true } : {}),
    });
    return encodeX224Data(encodeConnectInitial(encodeConferenceCreateRequest(encodeClientDataBlocks(data))));
  }

  erectAndAttach(): Uint8Array {
    return concat(encodeX224Data(encodeErectDomainRequest()), encodeX224Data(encodeAttachUserRequest()));
  }

  /** The user channel, the I/O channel, the static channels, the message channel (2.2.1.8). */
  channelsToJoin(): number[] {
    const n = this.server?.network;
    const msg = this.server?.messageChannel?.mcsChannelId;
    return [this.userId!, n?.mcsChannelId ?? IO, ...(n?.channelIds ?? []), ...(msg === undefined ? [] : [msg])];
  }

  join(channelId: number): Uint8Array {
    return encodeX224Data(encodeChannelJoinRequest(this.userId!, channelId));
  }

  private sendData(data: Uint8Array): Uint8Array {
    return encodeX224Data(encodeSendDataRequest({ initiator: this.userId!, channelId: IO, data }));
  }

  /** 5.3.4.1: the client random RSA-encrypted to the certificate's key; the session keys follow (5.3.5). */
  securityExchange(): Uint8Array {
    const cert = this.server?.security?.certificate;
    if (cert?.kind !== 'proprietary') throw new Error('no proprietary certificate');
    const clientRandom = random(32);
    const encrypted = encryptClientRandom(clientRandom, { modulus: cert.publicKey.modulus, exponent: cert.publicKey.exponent });
    const keys = deriveSessionKeys({ clientRandom, serverRandom: this.server!.security!.serverRandom!, encryptionMethod: this.security.method, role: 'client' });
    this.cipher = new RdpSecurityCipher(keys);
    const flags = this.o.licenseEncrypt === false ? SEC.EXCHANGE_PKT : SEC.EXCHANGE_PKT | SEC.LICENSE_ENCRYPT;
    return this.sendData(encodeSecurityExchange({ encryptedRandom: encrypted.subarray(0, encrypted.length - 8), flags }));
  }

  /** Encrypted under Standard RDP Security with encryption (3.2.5.3.11), else a basic header. */
  clientInfo(): Uint8Array {
    const spec = { domain: 'RDPSCOPE', user: 'alice' };
    if (!this.encrypting) return this.sendData(encodeClientInfoPdu(spec));
    const salted = this.o.salted ?? false;
    const r = this.cipher!.encrypt(encodeInfoPacket(spec), { salted });
    const fips = this.security.method === METHOD.FIPS;
    return this.sendData(encodeWithSecurityHeader({
      kind: fips ? 'fips' : 'non-fips', flags: SEC.INFO_PKT | SEC.ENCRYPT | (salted ? SEC.SECURE_CHECKSUM : 0),
      signature: r.signature, ...(fips ? { fips: { padlen: r.padLength } } : {}),
    }, r.data));
  }

  /** Stand-ins for what follows the Demand Active: a (bogus) Confirm Active and fast-path input bytes. */
  afterDemandActive(): Uint8Array {
    return concat(this.sendData(encodeShareControlPdu({ type: PDUTYPE.CONFIRMACTIVEPDU, pduSource: this.userId! }, new Uint8Array(20))), Uint8Array.of(0x44, 0x05, 0x00, 0x01, 0x02));
  }

  // ---- what the server sends ----

  take(actions: readonly RdpAction[]): void {
    for (const a of actions) {
      if ('close' in a) {
        this.closed = a.close;
        this.events.push(`close ${a.close}`);
        continue;
      }
      let rest = a.write;
      while (rest.length > 0) {
        const size = findTpktSize(rest);
        if (size === undefined || size > rest.length) throw new Error('the server wrote a partial TPKT');
        this.frame(rest.subarray(0, size));
        rest = rest.subarray(size);
      }
    }
  }

  private frame(frame: Uint8Array): void {
    const { payload } = decodeX224Data(frame);
    if (mcsConnectKind(payload) === 'connect-response') {
      const cr = decodeConnectResponse(payload);
      const gcc = decodeConferenceCreateResponse(cr.userData, cr.userDataOffset);
      this.connectResponse = cr;
      this.server = decodeServerData(gcc.userData, gcc.userDataOffset);
      this.events.push(`connect-response ${cr.resultName}`);
      return;
    }
    const d = decodeDomainPdu(payload);
    switch (d.type) {
      case 'attachUserConfirm':
        this.userId = d.initiator;
        this.events.push(`attach ${d.resultName}${d.initiator === undefined ? '' : ` ${d.initiator}`}`);
        break;
      case 'channelJoinConfirm':
        expect(d.initiator).toBe(this.userId);
        expect(d.channelId).toBe(d.result === 0 ? d.requested : undefined);
        this.events.push(`join ${d.requested} ${d.resultName}`);
        break;
      case 'disconnectProviderUltimatum':
        this.events.push(`dpu ${d.reasonName}`);
        break;
      case 'sendDataIndication':
        expect([d.initiator, d.channelId]).toEqual([1002, IO]);
        this.indication(d.data);
        break;
      default:
        this.events.push(`other ${d.type}`);
    }
  }

  /** The server's Send Data Indication user data: security header (if any), then licensing or share PDU. */
  private indication(data: Uint8Array): void {
    const flags = u16(data, 0);
    if (this.encrypting) {
      if (flags & SEC.ENCRYPT) {
        const h = decodeSecurityHeader(data, 0, this.security.method === METHOD.FIPS ? 'fips' : 'non-fips');
        const opened = this.cipher!.decrypt(data.subarray(h.bodyOffset), h.signature!, h.fips ? { padLength: h.fips.padlen } : {});
        if (!opened.ok) throw new Error(opened.reason);
        return flags & SEC.LICENSE_PKT ? this.licensing(opened.data, h) : this.share(opened.data, h);
      }
      const h = decodeSecurityHeader(data, 0, 'basic');
      return flags & SEC.LICENSE_PKT ? this.licensing(data.subarray(4), h) : this.share(data.subarray(4), h);
    }
    // TLS or Standard RDP Security without encryption: licensing with a basic header, share PDUs bare
    // (a basic header's flagsHi is 0, a Share Control Header's pduType never is)
    if (flags & SEC.LICENSE_PKT && u16(data, 2) === 0) return this.licensing(data.subarray(4), decodeSecurityHeader(data, 0, 'basic'));
    return this.share(data);
  }

  private licensing(plain: Uint8Array, header: SecurityHeader): void {
    const pdu = decodeLicensingPdu(plain);
    this.license = { header, pdu, plain };
    this.events.push(pdu.kind === 'error' ? `license ${pdu.error.errorCode.name} ${pdu.error.stateTransition.name}` : `license ${pdu.kind}`);
  }

  private share(plain: Uint8Array, header?: SecurityHeader): void {
    const pdu = decodeSharePdu(plain);
    if (pdu.kind === 'control' && pdu.control.type === PDUTYPE.DEMANDACTIVEPDU) {
      this.demandActive = { pdu: decodeDemandActive(plain), ...(header ? { header } : {}) };
      this.events.push('demand-active');
    } else if (pdu.kind === 'control' && pdu.data?.header.pduType2 === PDUTYPE2.SET_ERROR_INFO_PDU) {
      this.errorInfoHeader = header;
      this.events.push(`errinfo 0x${decodeSetErrorInfo(plain).errorInfo.toString(16)}`);
    } else {
      this.events.push('share other');
    }
  }
}

/**
 * Plays the whole client side against the responder, one step at a time, until the server closes,
 * stops answering ('silent': nothing came back; 'ignoring': it answered, then reads and ignores) or
 * the connection is active ('active': what follows the Demand Active is ignored).
 */
function play(r: RdpResponder, c: Client, feed: (bytes: Uint8Array) => RdpAction[] = (b) => r.receive(b)): string[] {
  const step = (bytes: Uint8Array): boolean => {
    const before = c.events.length;
    c.take(feed(bytes));
    if (c.closed) return false;
    if (r.phase === 'ended') {
      c.events.push(c.events.length === before ? 'silent' : 'ignoring');
      return false;
    }
    return true;
  };
  const run = (): void => {
    if (!step(c.connectInitial())) return;
    if (!step(c.erectAndAttach())) return;
    for (const ch of c.channelsToJoin()) if (!step(c.join(ch))) return;
    if (c.encrypting && !step(c.securityExchange())) return;
    if (!step(c.clientInfo())) return;
    if (r.phase === 'active' && step(c.afterDemandActive())) c.events.push('active');
  };
  run();
  expect(r.problem).toBeUndefined();
  return c.events;
}

const responder = (selectedProtocol: number, behaviour: RdpBehaviour = {}, requestedProtocols: number | undefined = selectedProtocol === PROTOCOL.RDP ? 0 : TLS_REQUEST) =>
  new RdpResponder({ selectedProtocol, requestedProtocols, behaviour, random });

const MCS_OK = ['connect-response rt-successful', 'attach rt-successful 1007', 'join 1007 rt-successful', 'join 1003 rt-successful'];
const LICENSED = ['license STATUS_VALID_CLIENT ST_NO_TRANSITION', 'demand-active'];
const OK = [...MCS_OK, ...LICENSED, 'active'];

describe('RdpResponder: the sequence to the Demand Active', () => {
  it('over TLS (SSL): Connect Response, user 1007, joins, License Error STATUS_VALID_CLIENT in the clear, Demand Active without a security header', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.SSL });
    expect(play(responder(PROTOCOL.SSL), c)).toEqual(OK);
    expect(c.connectResponse).toMatchObject({ result: 0, calledConnectId: 0 });
    expect(c.server).toMatchObject({
      core: { version: 0x0008000c, versionName: 'RDP 10.7', clientRequestedProtocols: TLS_REQUEST, earlyCapabilityFlags: 0x2 },
      network: { mcsChannelId: 1003, channelIds: [] },
      security: { encryptionMethod: 0, encryptionLevel: 0 },
    });
    expect(c.server?.security?.serverRandom).toBeUndefined();
    expect(c.server?.messageChannel).toBeUndefined();
    // the licensing PDU as 2.2.1.12.1 / 4.1.11 has it, with a basic SEC_LICENSE_PKT header
    expect(c.license?.header).toMatchObject({ kind: 'basic', flags: SEC.LICENSE_PKT });
    expect([...c.license!.plain]).toEqual([...encodeValidClientLicense()]);
    const da = c.demandActive!;
    expect(da.header).toBeUndefined();
    expect(da.pdu).toMatchObject({ shareId: 0x000103ea, sourceDescriptor: 'RDP', control: { pduSource: 1002 } });
    expect(da.pdu.capabilitySets.map((s) => s.name)).toContain('CAPSTYPE_BITMAP');
    const bitmap = da.pdu.capabilitySets.find((s) => s.summary?.kind === 'bitmap')?.summary;
    expect(bitmap).toMatchObject({ desktopWidth: 1280, desktopHeight: 800 });
  });

  it('after CredSSP (HYBRID_EX) exactly as over SSL', () => {
    expect(play(responder(PROTOCOL.HYBRID_EX), new Client({ selectedProtocol: PROTOCOL.HYBRID_EX }))).toEqual(OK);
  });

  it('Standard RDP Security: 128-bit RC4 at CLIENT_COMPATIBLE, a TS-signed 512-bit certificate, the client random decrypted, encrypted licensing and Demand Active', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    expect(play(responder(PROTOCOL.RDP), c)).toEqual(OK);
    const sec = c.server!.security!;
    expect(sec).toMatchObject({ encryptionMethod: METHOD.BIT_128, encryptionLevel: LEVEL.CLIENT_COMPATIBLE, encryptionMethodName: 'ENCRYPTION_METHOD_128BIT' });
    expect(sec.serverRandom).toHaveLength(32);
    const cert = sec.certificate!;
    expect(cert.kind).toBe('proprietary');
    if (cert.kind !== 'proprietary') return;
    expect(cert.publicKey.bits).toBe(512);
    expect(cert.temporary).toBe(false);
    expect(verifyProprietarySignature(cert.signedData, cert.signature)).toBe(true);
    expect([...cert.signedData]).toEqual([...proprietarySignedData(scenarioProprietaryKey().certificate.publicKey)]);
    expect(c.server?.core?.clientRequestedProtocols).toBe(0);
    // 4.1.11: the client set SEC_LICENSE_ENCRYPT_SC, so the licensing PDU is encrypted
    expect(c.license?.header).toMatchObject({ kind: 'non-fips', flags: SEC.ENCRYPT | SEC.LICENSE_PKT | SEC.LICENSE_ENCRYPT });
    expect([...c.license!.plain]).toEqual([...encodeValidClientLicense()]);
    expect(c.demandActive?.header).toMatchObject({ kind: 'non-fips', flags: SEC.ENCRYPT });
    expect(c.demandActive?.pdu.shareId).toBe(0x000103ea);
    // both sides counted the same packets: the license and the Demand Active
    expect(c.cipher!.decryptCount).toBe(2);
  });

  it('Standard RDP Security: the licensing PDU in the clear when the client did not set SEC_LICENSE_ENCRYPT_SC; salted client MACs are taken', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP, licenseEncrypt: false, salted: true });
    expect(play(responder(PROTOCOL.RDP), c)).toEqual(OK);
    expect(c.license?.header).toMatchObject({ kind: 'basic', flags: SEC.LICENSE_PKT });
    expect(c.demandActive?.header).toMatchObject({ kind: 'non-fips', flags: SEC.ENCRYPT });
  });

  it('Standard RDP Security picks the best method the client offers: 128-bit, else FIPS (at level FIPS), 56-bit, 40-bit; none offered: NONE/NONE', () => {
    const cases: [number, number, number][] = [
      [0x1b, METHOD.BIT_128, LEVEL.CLIENT_COMPATIBLE], [0x02, METHOD.BIT_128, LEVEL.CLIENT_COMPATIBLE],
      [0x19, METHOD.FIPS, LEVEL.FIPS], [0x09, METHOD.BIT_56, LEVEL.CLIENT_COMPATIBLE], [0x01, METHOD.BIT_40, LEVEL.CLIENT_COMPATIBLE],
      [0x00, METHOD.NONE, LEVEL.NONE],
    ];
    for (const [offered, method, level] of cases) {
      const c = new Client({ selectedProtocol: PROTOCOL.RDP, encryptionMethods: offered });
      expect(play(responder(PROTOCOL.RDP), c), `offered 0x${offered.toString(16)}`).toEqual(OK);
      expect(c.security).toEqual({ method, level });
    }
  });

  it('the level is configurable; HIGH takes 128-bit, FIPS takes FIPS', () => {
    for (const [level, method] of [[LEVEL.HIGH, METHOD.BIT_128], [LEVEL.FIPS, METHOD.FIPS], [LEVEL.LOW, METHOD.BIT_128]] as const) {
      const c = new Client({ selectedProtocol: PROTOCOL.RDP });
      expect(play(responder(PROTOCOL.RDP, { encryption: { level } }), c)).toEqual(OK);
      expect(c.security).toEqual({ method, level });
    }
  });

  it('FIPS: 3DES with FIPS security headers both ways', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    expect(play(responder(PROTOCOL.RDP, { encryption: { method: METHOD.FIPS, level: LEVEL.FIPS } }), c)).toEqual(OK);
    expect(c.license?.header).toMatchObject({ kind: 'fips', flags: SEC.ENCRYPT | SEC.LICENSE_PKT | SEC.LICENSE_ENCRYPT, fips: { length: 16, version: 1 } });
    expect(c.demandActive?.header).toMatchObject({ kind: 'fips', flags: SEC.ENCRYPT });
  });

  it('level LOW: the client encrypts, the server does not (basic headers: licensing SEC_LICENSE_PKT, Demand Active flags 0)', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    expect(play(responder(PROTOCOL.RDP, { encryption: { method: METHOD.BIT_40, level: LEVEL.LOW } }), c)).toEqual(OK);
    expect(c.license?.header).toMatchObject({ kind: 'basic', flags: SEC.LICENSE_PKT });
    expect(c.demandActive?.header).toMatchObject({ kind: 'basic', flags: 0 });
    expect(c.cipher!.encryptCount).toBe(1); // the Client Info
  });

  it('NONE/NONE: the 8-byte Server Security Data, no Security Exchange, Client Info in the clear, Demand Active bare', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    expect(play(responder(PROTOCOL.RDP, { encryption: { method: METHOD.NONE, level: LEVEL.NONE } }), c)).toEqual(OK);
    expect(c.server?.security).toEqual({ encryptionMethod: 0, encryptionLevel: 0, encryptionMethodName: 'ENCRYPTION_METHOD_NONE', encryptionLevelName: 'ENCRYPTION_LEVEL_NONE' });
    expect(c.cipher).toBeUndefined();
    expect(c.demandActive?.header).toBeUndefined();
  });

  it('channels: static ids from 1004, the message channel next, the user id after them; all are joined', () => {
    const channels = ['rdpdr', 'cliprdr', 'rdpsnd', 'drdynvc'].map((name) => ({ name, options: 0x80800000 }));
    for (const selectedProtocol of [PROTOCOL.SSL, PROTOCOL.RDP]) {
      const c = new Client({ selectedProtocol, channels, messageChannel: true });
      const events = play(responder(selectedProtocol), c);
      expect(c.server?.network).toEqual({ mcsChannelId: 1003, channelIds: [1004, 1005, 1006, 1007] });
      expect(c.server?.messageChannel).toEqual({ mcsChannelId: 1008 });
      expect(events).toEqual([
        'connect-response rt-successful', 'attach rt-successful 1009',
        ...[1009, 1003, 1004, 1005, 1006, 1007, 1008].map((id) => `join ${id} rt-successful`), ...LICENSED, 'active',
      ]);
    }
  });

  it('a legacy request (no RDP_NEG_REQ): Server Core Data without clientRequestedProtocols', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    expect(play(new RdpResponder({ selectedProtocol: PROTOCOL.RDP, requestedProtocols: undefined, random }), c)).toEqual(OK);
    expect(c.server?.core).toEqual({ version: 0x0008000c, versionName: 'RDP 10.7', flagNames: [] });
  });

  it('frames TPKTs itself: one byte at a time, or everything in one read, gives the same answers', () => {
    for (const selectedProtocol of [PROTOCOL.SSL, PROTOCOL.RDP]) {
      const r = responder(selectedProtocol);
      const bytewise = (b: Uint8Array): RdpAction[] => [...b].flatMap((x) => r.receive(Uint8Array.of(x)));
      expect(play(r, new Client({ selectedProtocol }), bytewise)).toEqual(OK);
    }
    // under TLS nothing the client sends depends on the server's answers: the whole sequence at once
    const c = new Client({ selectedProtocol: PROTOCOL.SSL });
    c.userId = 1007;
    const all = concat(c.connectInitial(), c.erectAndAttach(), c.join(1007), c.join(IO), c.clientInfo());
    c.take(responder(PROTOCOL.SSL).receive(all));
    expect(c.events).toEqual([...MCS_OK, ...LICENSED]);
  });

  it('an MCS PDU split over several X.224 Data TPDUs (EOT clear) is reassembled', () => {
    const c = new Client({ selectedProtocol: PROTOCOL.SSL });
    const ci = decodeX224Data(c.connectInitial()).payload;
    const first = encodeX224Data(ci.subarray(0, 100));
    first[6] = 0x00; // X.224 DT: EOT clear
    const r = responder(PROTOCOL.SSL);
    expect(r.receive(first)).toEqual([]);
    c.take(r.receive(encodeX224Data(ci.subarray(100))));
    expect(c.events).toEqual(['connect-response rt-successful']);
  });

  it('stops answering, without throwing, on bytes that are not what it expects', () => {
    const bad: Uint8Array[] = [
      new TextEncoder().encode('GET / HTTP/1.1\r\n\r\n'),
      encodeX224Data(encodeAttachUserRequest()), // not a Connect Initial
      Uint8Array.of(3, 0, 0, 11, 6, 0x80, 0, 0, 0, 0, 0), // an X.224 Disconnect Request
      encodeX224Data(Uint8Array.of(0x7f, 0x65, 0x82, 0xff, 0xff)),
    ];
    for (const bytes of bad) {
      const r = responder(PROTOCOL.SSL);
      expect(r.receive(bytes)).toEqual([]);
      expect(r.phase).toBe('ended');
      expect(r.problem).toBeTruthy();
      expect(r.receive(new Client({ selectedProtocol: PROTOCOL.SSL }).connectInitial())).toEqual([]);
    }
    // a Client Info whose MAC does not verify
    const r = responder(PROTOCOL.RDP);
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    c.take(r.receive(c.connectInitial()));
    c.take(r.receive(c.erectAndAttach()));
    for (const ch of c.channelsToJoin()) c.take(r.receive(c.join(ch)));
    r.receive(c.securityExchange());
    const info = c.clientInfo();
    info[info.length - 1]! ^= 1;
    expect(r.receive(info)).toEqual([]);
    expect(r.problem).toMatch(/MAC of packet 0 does not verify/);
  });

  it('never throws on random client bytes', () => {
    let seed = 11;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    const good = new Client({ selectedProtocol: PROTOCOL.RDP }).connectInitial();
    for (let i = 0; i < 2000; i++) {
      const r = responder(i % 2 ? PROTOCOL.RDP : PROTOCOL.SSL);
      const bytes = i % 3 === 0 ? good.map((b) => (rnd() < 4 ? rnd() : b)) : Uint8Array.from({ length: 7 + (rnd() % 80) }, rnd);
      if (i % 3 === 1) bytes.set([3, 0, 0, bytes.length, 2, 0xf0, 0x80]);
      expect(() => r.receive(bytes)).not.toThrow();
    }
  });
});

// ---- every scenario with an `rdp` step, from its script ----

/** The RdpResponder the server would start for this scenario and request, and what the Confirm selected. */
function fromScript(steps: readonly Step[], requestedProtocols: number | undefined): { r: RdpResponder; selected: number; effect: Effect } {
  const run = new ScriptRun(steps);
  const cr = requestedProtocols === undefined ? legacyRequest() : connectionRequest(requestedProtocols);
  const effects = [...run.start(), ...run.receive(cr)];
  const written = concat(...effects.flatMap((e) => ('write' in e ? [e.write] : [])));
  const n = decodeConnectionConfirm(written).negotiation;
  const selected = n?.type === 'response' ? n.selectedProtocol : PROTOCOL.RDP;
  const effect = effects.at(-1)!;
  let behaviour: RdpBehaviour;
  if ('startRdp' in effect) behaviour = effect.startRdp;
  else if ('startTls' in effect && effect.rdp) behaviour = effect.rdp;
  else throw new Error(`no RDP side: ${JSON.stringify(Object.keys(effect))}`);
  const r = new RdpResponder({ selectedProtocol: selected, requestedProtocols, behaviour, random });
  return { r, selected, effect };
}

function legacyRequest(): Uint8Array {
  // TPKT + CR TPDU without cookie or RDP_NEG_REQ
  return Uint8Array.of(3, 0, 0, 11, 6, 0xe0, 0, 0, 0, 0, 0);
}

const lic = (name: string) => [...MCS_OK, `license ${name} ST_TOTAL_ABORT`, 'close fin'];
const errinfo = (hex: string) => [...MCS_OK, `errinfo ${hex}`, 'close fin'];

/** What each scenario does, as the client sees it, whatever the protocol family. */
const EXPECT: Record<string, string[]> = {
  ok: OK,
  'slow-confirm': OK,
  'legacy-confirm': OK,
  'mcs-close-after-connect-initial': ['close fin'],
  'mcs-dpu-after-connect-initial': ['dpu rn-user-requested', 'close fin'],
  'mcs-silent-after-connect-initial': ['silent'],
  'mcs-result-user-rejected': ['connect-response rt-user-rejected', 'close fin'],
  'mcs-result-too-many-users': ['connect-response rt-too-many-users', 'close fin'],
  'mcs-result-parameters-unacceptable': ['connect-response rt-parameters-unacceptable', 'close fin'],
  'mcs-weak-40bit-low': OK,
  'mcs-weak-56bit': OK,
  'mcs-no-encryption': OK,
  'mcs-fips': OK,
  'channel-attach-too-many-users': ['connect-response rt-successful', 'attach rt-too-many-users', 'ignoring'],
  'channel-join-io-no-such-channel': [...MCS_OK.slice(0, 3), 'join 1003 rt-no-such-channel', 'ignoring'],
  'channel-close-during-joins': [...MCS_OK.slice(0, 3), 'close fin'],
  'channel-close-after-joins': [...MCS_OK, 'close fin'],
  'secx-close-after-security-exchange': [...MCS_OK, 'close fin'],
  'license-error-no-license-server': lic('ERR_NO_LICENSE_SERVER'),
  'license-error-invalid-client': lic('ERR_INVALID_CLIENT'),
  'license-error-invalid-scope': lic('ERR_INVALID_SCOPE'),
  'license-error-invalid-productid': lic('ERR_INVALID_PRODUCTID'),
  'license-error-invalid-mac': lic('ERR_INVALID_MAC'),
  'license-error-invalid-message-len': lic('ERR_INVALID_MESSAGE_LEN'),
  'license-silent-after-client-info': [...MCS_OK, 'silent'],
  'errinfo-0x7-after-client-info': errinfo('0x7'),
  'errinfo-0x5-after-client-info': errinfo('0x5'),
  'errinfo-0x9-after-client-info': errinfo('0x9'),
  'errinfo-0x3-after-demand-active': [...MCS_OK, ...LICENSED, 'errinfo 0x3', 'close fin'],
  ...Object.fromEntries(Array.from({ length: 11 }, (_, i) => {
    const hex = `0x${(0x100 + i).toString(16)}`;
    return [`errinfo-${hex}-after-client-info`, errinfo(hex)];
  })),
  'dpu-after-client-info': [...MCS_OK, 'dpu rn-provider-initiated', 'close fin'],
};

/** Standard RDP Security of the scenarios that set it (the rest: 128-bit at CLIENT_COMPATIBLE). */
const SECURITY: Record<string, { method: number; level: number }> = {
  'mcs-weak-40bit-low': { method: METHOD.BIT_40, level: LEVEL.LOW },
  'mcs-weak-56bit': { method: METHOD.BIT_56, level: LEVEL.CLIENT_COMPATIBLE },
  'mcs-no-encryption': { method: METHOD.NONE, level: LEVEL.NONE },
  'mcs-fips': { method: METHOD.FIPS, level: LEVEL.FIPS },
};
/** Rows 28 and 30 select PROTOCOL_RDP whatever was requested. */
const RDP_ONLY = new Set([...Object.keys(SECURITY), 'secx-close-after-security-exchange']);

describe('RDP scenarios', () => {
  // the hostile ones (RSTs in the MCS phase) are probed live in hostile-scenarios.test.ts
  const withRdp = SCENARIOS.filter((s) => !HOSTILE_SCENARIOS.includes(s) && s.behaviour.some((step) => 'rdp' in step));

  it('names are kebab-case with a phase prefix, rows are 26-34, and every scenario with an RDP side is expected here', () => {
    for (const s of RDP_SCENARIOS) {
      expect(s.name).toMatch(/^(mcs|channel|secx|license|errinfo|dpu)-[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(s.row === null || (s.row >= 26 && s.row <= 34), s.name).toBe(true);
      expect(findScenario(s.name)).toBe(s);
    }
    expect(withRdp.map((s) => s.name).sort()).toEqual(Object.keys(EXPECT).sort());
  });

  describe.each([
    ['a TLS client (SSL|HYBRID|HYBRID_EX)', TLS_REQUEST],
    ['an RDP-only client', PROTOCOL.RDP],
    ['a legacy client (no RDP_NEG_REQ)', undefined],
  ])('%s', (_, requested) => {
    for (const s of withRdp) {
      it(`${s.name} (row ${s.row ?? '-'})`, () => {
        const { r, selected } = fromScript(s.behaviour, requested);
        const expected = requested === TLS_REQUEST && !RDP_ONLY.has(s.name) ? (s.name === 'ok' || s.name === 'slow-confirm' ? PROTOCOL.HYBRID_EX : PROTOCOL.SSL) : PROTOCOL.RDP;
        expect(selected).toBe(s.name === 'legacy-confirm' ? PROTOCOL.RDP : expected);
        const c = new Client({ selectedProtocol: selected });
        expect(play(r, c)).toEqual(EXPECT[s.name]);
        if (c.server?.security && c.connectResponse?.result === 0) {
          const want = selected !== PROTOCOL.RDP ? { method: 0, level: 0 } : SECURITY[s.name] ?? { method: METHOD.BIT_128, level: LEVEL.CLIENT_COMPATIBLE };
          expect(c.security).toEqual(want);
        }
      });
    }
  });

  it('Set Error Info and licensing errors are encrypted like the Demand Active under Standard RDP Security', () => {
    const { r } = fromScript(findScenario('errinfo-0x7-after-client-info')!.behaviour, PROTOCOL.RDP);
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    play(r, c);
    expect(c.errorInfoHeader).toMatchObject({ kind: 'non-fips', flags: SEC.ENCRYPT });
    const l = fromScript(findScenario('license-error-invalid-client')!.behaviour, PROTOCOL.RDP);
    const lc = new Client({ selectedProtocol: PROTOCOL.RDP });
    play(l.r, lc);
    expect(lc.license?.header.flags).toBe(SEC.ENCRYPT | SEC.LICENSE_PKT | SEC.LICENSE_ENCRYPT);
  });

  it('client bytes read together with the Connection Request go to the RDP side (Standard RDP Security)', () => {
    const ci = new Client({ selectedProtocol: PROTOCOL.RDP }).connectInitial();
    const run = new ScriptRun(findScenario('ok')!.behaviour);
    const effects = run.receive(concat(connectionRequest(PROTOCOL.RDP), ci));
    expect(effects.map((e) => Object.keys(e)[0])).toEqual(['write', 'startRdp']);
    const start = effects[1] as Extract<Effect, { startRdp: unknown }>;
    expect([...start.rest]).toEqual([...ci]);
    expect(start.request?.negotiation?.requestedProtocols).toBe(PROTOCOL.RDP);
  });

  it('a `tls` step reports the protocol its Confirm selected', () => {
    const effects = new ScriptRun(findScenario('tls-expired')!.behaviour).receive(connectionRequest(PROTOCOL.SSL | PROTOCOL.HYBRID));
    expect(effects[1]).toMatchObject({ startTls: { cert: 'expired' }, selectedProtocol: PROTOCOL.HYBRID });
  });

  it('describes say which protocol they select', () => {
    for (const s of RDP_SCENARIOS) expect(s.describe).toMatch(RDP_ONLY.has(s.name) ? /^selects PROTOCOL_RDP whatever was requested/ : /^selects SSL when offered/);
  });
});

// ---- CredSSP hands over to the RDP side ----

describe('CredSSP → RdpResponder handover (sans-IO)', () => {
  const serverPublicKey = subjectPublicKey(scenarioCertificate('ok').cert.der);
  const written = (a: CredsspAction[]): Uint8Array[] => a.flatMap((x) => ('write' in x ? [x.write] : []));
  const sent = (steps: CredsspClientStep[]): Uint8Array => (steps.find((x): x is { send: Uint8Array } => 'send' in x))!.send;
  const toClient = (c: CredsspClient, bytes: Uint8Array): CredsspClientStep[] => {
    const request = decodeTsRequest(bytes);
    const ntlm = request.negoTokens?.[0] ? decodeNtlm(request.negoTokens[0]) : undefined;
    return c.receive(request, ntlm?.type === 2 ? (ntlm as NtlmChallenge) : undefined, Date.now());
  };

  for (const hybridEx of [true, false]) {
    it(`${hybridEx ? 'HYBRID_EX' : 'HYBRID'}: complete after the TSCredentials${hybridEx ? ' and the authorization result' : ''}; MCS bytes read with them are handed over`, () => {
      const credssp = new CredsspResponder({ now: () => Date.now(), random, serverPublicKey, hybridEx });
      const client = new CredsspClient({ credentials: { user: SCENARIO_ACCOUNT.user, domain: '', password: SCENARIO_ACCOUNT.password }, delegate: true, serverPublicKey, random });
      const [challenge] = written(credssp.receive(client.start()));
      const [pubKeyAuth] = written(credssp.receive(sent(toClient(client, challenge!))));
      expect(credssp.complete).toBe(false);
      const rdp = new Client({ selectedProtocol: hybridEx ? PROTOCOL.HYBRID_EX : PROTOCOL.HYBRID });
      const ci = rdp.connectInitial();
      // the TSCredentials and the first 10 bytes of the Connect Initial in one read, the rest in the next
      const actions = credssp.receive(concat(sent(toClient(client, pubKeyAuth!)), ci.subarray(0, 10)));
      expect(actions).toEqual(hybridEx ? [{ write: Uint8Array.of(0, 0, 0, 0) }] : []);
      expect(credssp.complete).toBe(true);
      expect(credssp.receive(ci.subarray(10))).toEqual([]);
      const r = responder(hybridEx ? PROTOCOL.HYBRID_EX : PROTOCOL.HYBRID);
      rdp.take(r.receive(credssp.takeRest()));
      expect(rdp.events).toEqual(['connect-response rt-successful']);
      expect(credssp.takeRest()).toHaveLength(0);
    });
  }

  it('not complete after eua-denied', () => {
    const credssp = new CredsspResponder({ now: () => Date.now(), random, serverPublicKey, hybridEx: true, behaviour: 'eua-denied' });
    const client = new CredsspClient({ credentials: { user: SCENARIO_ACCOUNT.user, domain: '', password: SCENARIO_ACCOUNT.password }, delegate: true, serverPublicKey, random });
    const [challenge] = written(credssp.receive(client.start()));
    const [pubKeyAuth] = written(credssp.receive(sent(toClient(client, challenge!))));
    expect(credssp.receive(sent(toClient(client, pubKeyAuth!)))).toEqual([{ write: Uint8Array.of(5, 0, 0, 0) }, { close: 'fin' }]);
    expect(credssp.complete).toBe(false);
  });
});

// ---- live: the I/O wiring of startScenarioServer ----

type Stream = net.Socket | tls.TLSSocket;

/** Reads whole frames (TPKTs, TSRequests, n bytes) from a socket; undefined once it ended. */
function reader(s: Stream) {
  let buf = new Uint8Array(0);
  let ended = false;
  let wake: (() => void) | undefined;
  const onData = (c: Buffer): void => {
    buf = concat(buf, c);
    wake?.();
  };
  const onEnd = (): void => {
    ended = true;
    wake?.();
  };
  s.on('data', onData);
  s.on('end', onEnd);
  s.on('close', onEnd);
  s.on('error', () => {});
  return {
    async next(size: (b: Uint8Array) => number | undefined): Promise<Uint8Array | undefined> {
      for (;;) {
        const n = buf.length > 0 ? size(buf) : undefined;
        if (n !== undefined && buf.length >= n) {
          const f = buf.slice(0, n);
          buf = buf.slice(n);
          return f;
        }
        if (ended) return undefined;
        await new Promise<void>((r) => { wake = r; });
        wake = undefined;
      }
    },
    /** stop reading (before TLS takes the socket over) */
    detach(): void {
      s.off('data', onData);
      s.off('end', onEnd);
      s.off('close', onEnd);
    },
    get ended(): boolean { return ended; },
  };
}
type Reader = ReturnType<typeof reader>;

const servers = new Map<string, ScenarioServer>();
afterAll(async () => {
  await Promise.all([...servers.values()].map((s) => s.close()));
});
async function server(name: string): Promise<ScenarioServer> {
  let s = servers.get(name);
  if (!s) {
    s = await startScenarioServer({ scenario: name, idleMs: 10_000 });
    servers.set(name, s);
  }
  return s;
}

/** TCP, the Connection Request, the Confirm; then TLS when the server selected a TLS-based protocol. */
async function open(name: string, requested: number): Promise<{ stream: Stream; read: Reader; selected: number; socket: net.Socket }> {
  const s = await server(name);
  const socket = net.connect(s.port, s.host);
  socket.on('error', () => {});
  await once(socket, 'connect');
  const raw = reader(socket);
  socket.write(connectionRequest(requested));
  const cc = await raw.next((b) => findTpktSize(b));
  const n = decodeConnectionConfirm(cc!).negotiation;
  const selected = n?.type === 'response' ? n.selectedProtocol : PROTOCOL.RDP;
  if (selected === PROTOCOL.RDP) return { stream: socket, read: raw, selected, socket };
  raw.detach();
  const secure = tls.connect({ socket, rejectUnauthorized: false });
  await once(secure, 'secureConnect');
  return { stream: secure, read: reader(secure), selected, socket };
}

/** Sends the client's PDUs and hands the server's next `frames` TPKTs (or its close) to the client. */
async function exchange(c: Client, conn: { stream: Stream; read: Reader }, bytes: Uint8Array | undefined, frames: number): Promise<void> {
  if (bytes) conn.stream.write(bytes);
  for (let i = 0; i < frames; i++) {
    const f = await conn.read.next((b) => findTpktSize(b));
    if (!f) {
      c.take([{ close: 'fin' }]);
      return;
    }
    c.take([{ write: f }]);
  }
}

/** The live client side to the Demand Active (or the server's close). */
async function liveSequence(c: Client, conn: { stream: Stream; read: Reader }, infoFrames = 2): Promise<void> {
  await exchange(c, conn, c.connectInitial(), 1);
  await exchange(c, conn, c.erectAndAttach(), 1);
  for (const ch of c.channelsToJoin()) await exchange(c, conn, c.join(ch), 1);
  if (c.encrypting) await exchange(c, conn, c.securityExchange(), 0);
  await exchange(c, conn, c.clientInfo(), infoFrames);
}

describe('live: startScenarioServer plays the RDP side', () => {
  it('Standard RDP Security (an RDP-only client of ok): raw TCP to the encrypted Demand Active, then stays open', async () => {
    const conn = await open('ok', PROTOCOL.RDP);
    expect(conn.selected).toBe(PROTOCOL.RDP);
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    await liveSequence(c, conn);
    expect(c.events).toEqual([...MCS_OK, ...LICENSED]);
    expect(c.demandActive?.header).toMatchObject({ kind: 'non-fips', flags: SEC.ENCRYPT });
    conn.stream.write(c.afterDemandActive());
    await new Promise((r) => setTimeout(r, 100));
    expect(conn.read.ended).toBe(false);
    conn.socket.destroy();
  });

  it('SSL (an SSL-only client of ok): TLS to the Demand Active', async () => {
    const conn = await open('ok', PROTOCOL.SSL);
    expect(conn.selected).toBe(PROTOCOL.SSL);
    const c = new Client({ selectedProtocol: PROTOCOL.SSL });
    await liveSequence(c, conn);
    expect(c.events).toEqual([...MCS_OK, ...LICENSED]);
    conn.socket.destroy();
  });

  it('HYBRID_EX (ok with the scenario account): CredSSP, the authorization result, then MCS sent with the TSCredentials', async () => {
    const conn = await open('ok', TLS_REQUEST);
    expect(conn.selected).toBe(PROTOCOL.HYBRID_EX);
    const serverPublicKey = subjectPublicKey(new Uint8Array((conn.stream as tls.TLSSocket).getPeerCertificate().raw));
    const credssp = new CredsspClient({ credentials: { user: SCENARIO_ACCOUNT.user, domain: '', password: SCENARIO_ACCOUNT.password }, delegate: true, serverPublicKey, random });
    const tsRequest = async (): Promise<CredsspClientStep[]> => {
      const bytes = await conn.read.next((b) => findTsRequestSize(b));
      const request = decodeTsRequest(bytes!);
      const ntlm = request.negoTokens?.[0] ? decodeNtlm(request.negoTokens[0]) : undefined;
      return credssp.receive(request, ntlm?.type === 2 ? (ntlm as NtlmChallenge) : undefined, Date.now());
    };
    conn.stream.write(credssp.start());
    const authenticate = await tsRequest();
    conn.stream.write((authenticate[0] as { send: Uint8Array }).send);
    const delegate = await tsRequest();
    expect(delegate.at(-1)).toEqual({ delegated: true });
    const c = new Client({ selectedProtocol: PROTOCOL.HYBRID_EX });
    conn.stream.write(concat((delegate.find((s) => 'send' in s) as { send: Uint8Array }).send, c.connectInitial()));
    expect([...(await conn.read.next(() => 4))!]).toEqual([0, 0, 0, 0]);
    await exchange(c, conn, undefined, 1);
    await exchange(c, conn, c.erectAndAttach(), 1);
    for (const ch of c.channelsToJoin()) await exchange(c, conn, c.join(ch), 1);
    await exchange(c, conn, c.clientInfo(), 2);
    expect(c.events).toEqual([...MCS_OK, ...LICENSED]);
    conn.socket.destroy();
  });

  it('a failure scenario over TLS: the license error, then the server closes', async () => {
    const conn = await open('license-error-no-license-server', TLS_REQUEST);
    expect(conn.selected).toBe(PROTOCOL.SSL);
    const c = new Client({ selectedProtocol: PROTOCOL.SSL });
    await liveSequence(c, conn, 2);
    expect(c.events).toEqual(lic('ERR_NO_LICENSE_SERVER'));
  });

  it('a failure scenario over raw TCP: row 30 closes after the Security Exchange', async () => {
    const conn = await open('secx-close-after-security-exchange', TLS_REQUEST);
    expect(conn.selected).toBe(PROTOCOL.RDP);
    const c = new Client({ selectedProtocol: PROTOCOL.RDP });
    await exchange(c, conn, c.connectInitial(), 1);
    await exchange(c, conn, c.erectAndAttach(), 1);
    for (const ch of c.channelsToJoin()) await exchange(c, conn, c.join(ch), 1);
    await exchange(c, conn, c.securityExchange(), 1);
    expect(c.events).toEqual([...MCS_OK, 'close fin']);
  });
});
