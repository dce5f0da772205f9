// The client side of the licensing exchange ([MS-RDPELE] 1.3.3, 2.2.2; [MS-RDPBCGR] 2.2.1.12), sans-IO:
// licensing PDUs from the server in (plaintext, after the security header), the client's answer or
// an outcome out. A client without a stored licence follows the New License flow (1.3.3.1):
//   Server License Request  -> Client New License Request (the premaster secret RSA-encrypted with
//                              the ServerCertificate's key; the licensing keys of 5.1.2 kept)
//   Server Platform Challenge -> Client Platform Challenge Response (the challenge decrypted and its
//                              MAC checked: a mismatch is reported, not fatal, since xrdp and some
//                              other servers send junk there)
//   Server New License / Upgrade License -> 'license-issued' (the licence is not stored)
//   Licensing Error Message: STATUS_VALID_CLIENT -> 'valid-client' (xrdp answers the New License
//                              Request so); any other code -> 'error'
// Anything else, or a step out of order, -> 'unsupported'. Malformed input is a DecodeError (layer rdp).
import { expectEnd, rdpReader } from '../rdp/common.js';
import { EXTENDED_ERROR_MSG_SUPPORTED, PREAMBLE_VERSION_2_0, PREAMBLE_VERSION_3_0 } from './codes.js';
import {
  encodeClientHardwareId, encodeNewLicenseRequest, encodePlatformChallengeResponseData, HARDWARE_DATA_SIZE,
  sealPlatformChallengeResponse, WINDOWS_PLATFORM_ID,
} from './client-messages.js';
import {
  deriveLicensingKeys, encryptPremasterSecret, licensingMac, licensingRc4, licensingServerKey, LICENSING_RANDOM_SIZE,
  PREMASTER_SECRET_SIZE, type LicensingKeys, type LicensingRsaKey,
} from './keys.js';
import { SERVER_RANDOM_SIZE, type ServerLicenseRequest } from './license-request.js';
import { decodeLicensingPdu, LICENSING_PDU_NAME, licensingOutcome, type LicensingPdu } from './licensing-pdu.js';
import { MAC_DATA_SIZE } from './platform-challenge.js';
import { LICENSE_PREAMBLE_SIZE, readBlob, readPreamble, type LicensePreamble } from './preamble.js';

export type LicensingDone = 'valid-client' | 'license-issued' | 'error' | 'unsupported';

export type LicensingClientResult =
  /** a licensing PDU (preamble + message, no security header) to send */
  | { send: Uint8Array }
  | { done: LicensingDone; detail: string };

export interface LicensingClientOptions {
  /** n cryptographically random bytes (ClientRandom, the premaster secret, the hardware ID) */
  random: (n: number) => Uint8Array;
  /** ClientUserName and ClientMachineName: ANSI (Latin-1) */
  userName: string;
  machineName: string;
  /**
   * The serverCertificate of the Server Security Data: its key is used when the License Request
   * carries no certificate (a server may leave it out when RDP encryption is in effect; FreeRDP
   * falls back the same way).
   */
  serverCertificate?: Uint8Array;
  /** PlatformId of the request and the hardware ID; WINDOWS_PLATFORM_ID by default */
  platformId?: number;
  /** Data1..Data4 of CLIENT_HARDWARE_ID (16 bytes); random, fixed for this client, by default */
  hardwareData?: Uint8Array;
}

type Stage = 'start' | 'requested' | 'responded' | 'over';

const AFTER: Record<Stage, string> = {
  start: 'before the client sent anything',
  requested: "in answer to the client's New License Request",
  responded: "in answer to the client's Platform Challenge Response",
  over: '',
};

/** An encrypted blob and the MACData after it ([MS-RDPELE] 2.2.2.4, 2.2.2.6, 2.2.2.7). */
interface Sealed {
  encrypted: Uint8Array;
  mac: Uint8Array;
}

/** Re-reads a PDU decodeLicensingPdu accepted for what it does not expose: the ciphertext and MAC. */
function readSealed(pdu: Uint8Array, base: number, connectFlags: boolean, field: string): Sealed {
  const r = rdpReader(pdu, base, LICENSING_PDU_NAME);
  readPreamble(r);
  if (connectFlags) r.u32le('ConnectFlags');
  const encrypted = readBlob(r, field).data;
  const mac = r.bytes(MAC_DATA_SIZE, 'MACData').slice();
  expectEnd(r, 'MACData');
  return { encrypted, mac };
}

/** Absolute offset of the ServerCertificate blob data in a License Request decodeLicensingPdu accepted. */
function certificateOffset(pdu: Uint8Array, base: number): number {
  const r = rdpReader(pdu, base, LICENSING_PDU_NAME);
  r.skip(LICENSE_PREAMBLE_SIZE + SERVER_RANDOM_SIZE + 4, 'ServerRandom');
  r.skip(r.u32le('cbCompanyName'), 'pbCompanyName');
  r.skip(r.u32le('cbProductId'), 'pbProductId');
  readBlob(r, 'KeyExchangeList');
  return readBlob(r, 'ServerCertificate').offset + 4;
}

const equal = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((x, i) => x === b[i]);

export class LicensingClient {
  private stage: Stage = 'start';
  private keys: LicensingKeys | undefined;
  private flags = PREAMBLE_VERSION_3_0 | EXTENDED_ERROR_MSG_SUPPORTED;
  private hardwareData: Uint8Array | undefined;
  private notes: string[] = [];

  constructor(private readonly o: LicensingClientOptions) {
    if (o.hardwareData && o.hardwareData.length !== HARDWARE_DATA_SIZE) {
      throw new RangeError(`hardwareData must be ${HARDWARE_DATA_SIZE} bytes`);
    }
    this.hardwareData = o.hardwareData?.slice();
  }

  /** The licensing keys (5.1.2) once a License Request was answered. */
  get licensingKeys(): LicensingKeys | undefined {
    return this.keys;
  }

  /** Whether an outcome was returned (receive() may not be called again). */
  get finished(): boolean {
    return this.stage === 'over';
  }

  /**
   * The server's licensing PDU (plaintext, after the security header: preamble + message; `base` is
   * the absolute offset of its first byte, for errors) in; the licensing PDU to send back (no
   * security header) or a final outcome out. DecodeError (layer rdp) for malformed input; RangeError
   * when called after an outcome.
   */
  receive(pdu: Uint8Array, base = 0): LicensingClientResult {
    if (this.stage === 'over') throw new RangeError('the licensing exchange is over');
    const decoded = decodeLicensingPdu(pdu, base);
    switch (decoded.kind) {
      case 'license-request': return this.licenseRequest(pdu, base, decoded.preamble, decoded.request);
      case 'platform-challenge': return this.platformChallenge(pdu, base);
      case 'new-license':
      case 'upgrade-license': return this.license(pdu, base, decoded.kind);
      case 'error': return this.error(decoded);
      default: {
        const t = decoded.preamble.msgType;
        return this.finish('unsupported', `the server sent ${t.name} (${t.hex}) ${AFTER[this.stage]}: not a server licensing message`);
      }
    }
  }

  private random(n: number): Uint8Array {
    const b = this.o.random(n);
    if (b.length !== n) throw new RangeError(`random(${n}) returned ${b.length} bytes`);
    return b;
  }

  private finish(done: LicensingDone, detail: string): LicensingClientResult {
    this.stage = 'over';
    return { done, detail: [detail, ...this.notes].join('; ') };
  }

  /** 2.2.2.1 -> 2.2.2.2 (1.3.3.1): answer with a Client New License Request (the client holds no licence). */
  private licenseRequest(pdu: Uint8Array, base: number, preamble: LicensePreamble, request: ServerLicenseRequest): LicensingClientResult {
    const algorithms = request.keyExchangeAlgorithms;
    if (algorithms.length > 0 && !algorithms.includes('KEY_EXCHANGE_ALG_RSA')) {
      return this.finish('unsupported', `the License Request offers only ${algorithms.join(', ')}; KEY_EXCHANGE_ALG_RSA is the only key exchange defined`);
    }
    let key: LicensingRsaKey;
    if (request.serverCertificate.data.length > 0) {
      key = licensingServerKey(request.serverCertificate.data, certificateOffset(pdu, base));
    } else if (this.o.serverCertificate && this.o.serverCertificate.length > 0) {
      key = licensingServerKey(this.o.serverCertificate, 0, 'Server Security Data', 'serverCertificate');
      this.notes.push('the License Request carried no certificate: the premaster secret went to the Server Security Data key');
    } else {
      return this.finish('unsupported', 'the License Request carries no server certificate and no Server Security Data certificate is known: no key for the premaster secret');
    }
    const clientRandom = this.random(LICENSING_RANDOM_SIZE);
    const premasterSecret = this.random(PREMASTER_SECRET_SIZE);
    this.keys = deriveLicensingKeys({ premasterSecret, clientRandom, serverRandom: request.serverRandom });
    // answer in the server's protocol version (xrdp speaks 2.0), announcing extended error messages
    this.flags = (preamble.version === PREAMBLE_VERSION_2_0 ? PREAMBLE_VERSION_2_0 : PREAMBLE_VERSION_3_0) | EXTENDED_ERROR_MSG_SUPPORTED;
    this.stage = 'requested';
    return {
      send: encodeNewLicenseRequest({
        platformId: this.o.platformId ?? WINDOWS_PLATFORM_ID, clientRandom,
        encryptedPremasterSecret: encryptPremasterSecret(premasterSecret, key),
        userName: this.o.userName, machineName: this.o.machineName, flags: this.flags,
      }),
    };
  }

  /** 2.2.2.4 -> 2.2.2.5: decrypt the challenge, check its MAC, answer with a Client Platform Challenge Response. */
  private platformChallenge(pdu: Uint8Array, base: number): LicensingClientResult {
    const keys = this.keys;
    if (!keys) return this.finish('unsupported', 'the server sent a Platform Challenge before any License Request: there are no licensing keys to answer it with');
    const { encrypted, mac } = readSealed(pdu, base, true, 'EncryptedPlatformChallenge');
    const challenge = licensingRc4(keys.licensingEncryptionKey, encrypted);
    if (!equal(licensingMac(keys.macSaltKey, challenge), mac)) {
      this.notes.push('the Platform Challenge MAC did not verify (other licensing keys, or a server that sends a fixed challenge); the client answered anyway');
    }
    const platformId = this.o.platformId ?? WINDOWS_PLATFORM_ID;
    this.hardwareData ??= this.random(HARDWARE_DATA_SIZE);
    this.stage = 'responded';
    return {
      send: sealPlatformChallengeResponse({
        keys, flags: this.flags,
        responseData: encodePlatformChallengeResponseData({ challenge }),
        hardwareId: encodeClientHardwareId(platformId, this.hardwareData),
      }),
    };
  }

  /** 2.2.2.7 / 2.2.2.6: a New or Upgrade License ends licensing; its MAC is checked, the licence dropped. */
  private license(pdu: Uint8Array, base: number, kind: 'new-license' | 'upgrade-license'): LicensingClientResult {
    const { encrypted, mac } = readSealed(pdu, base, false, 'EncryptedLicenseInfo');
    let check = 'no licensing keys to check its MAC';
    if (this.keys) {
      const ok = equal(licensingMac(this.keys.macSaltKey, licensingRc4(this.keys.licensingEncryptionKey, encrypted)), mac);
      check = ok ? 'MAC verified' : 'its MAC did not verify';
    }
    const what = kind === 'new-license' ? 'a new' : 'an upgraded';
    return this.finish('license-issued', `the server issued ${what} client access licence (${encrypted.length} encrypted bytes, ${check}) ${AFTER[this.stage]}; it is not stored`);
  }

  /** 2.2.2.8 ([MS-RDPBCGR] 2.2.1.12.1.3): STATUS_VALID_CLIENT ends licensing successfully; any other code is an error. */
  private error(pdu: Extract<LicensingPdu, { kind: 'error' }>): LicensingClientResult {
    const o = licensingOutcome(pdu);
    if (o.outcome === 'valid-client') return this.finish('valid-client', `${o.summary} (${AFTER[this.stage]})`);
    if (o.outcome !== 'error') return this.finish('unsupported', o.summary);
    const ends = o.fatal ? 'the connection ends' : `${o.transition.name} does not end the connection`;
    return this.finish('error', `${o.summary} (${AFTER[this.stage]}); ${ends}; a client shows ${o.clientShows}`);
  }
}

