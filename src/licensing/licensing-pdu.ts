// Licensing PDU ([MS-RDPELE] 2.2.2, [MS-RDPBCGR] 2.2.1.12): securityHeader (flags with SEC_LICENSE_PKT)
// | LICENSE_PREAMBLE | licensing message. The server opens the Licensing phase after the Client Info PDU
// with either a License Error PDU - Valid Client (no licence needed; the usual case, and always under
// Enhanced RDP Security without RD licensing) or a Server License Request (the licensing exchange
// follows). decodeLicensingPdu takes the bytes after the security header (decrypted if SEC_ENCRYPT);
// decodeLicensingPduWithHeader takes the whole MCS user data when it is not encrypted.
import type { CodeDescription } from '../codes/table.js';
import { rdpReader } from '../rdp/common.js';
import {
  decodeSecurityHeader, SEC, SECURITY_HEADER_SIZE, writeSecurityHeader, type SecurityHeader, type SecurityHeaderKind,
} from '../rdp/security-header.js';
import { ByteWriter } from '../wire/writer.js';
import { LICENSE_ERROR, LICENSE_MSG, ST } from './codes.js';
import { readLicenseErrorMessage, type LicenseErrorMessage } from './error-message.js';
import { readServerLicenseRequest, type ServerLicenseRequest } from './license-request.js';
import { readServerNewLicense, type ServerNewLicense } from './new-license.js';
import { readServerPlatformChallenge, type ServerPlatformChallenge } from './platform-challenge.js';
import { readPreamble, type LicensePreamble } from './preamble.js';

export const LICENSING_PDU_NAME = 'Licensing PDU';

export type LicensingPdu =
  | { kind: 'error'; preamble: LicensePreamble; error: LicenseErrorMessage }
  | { kind: 'license-request'; preamble: LicensePreamble; request: ServerLicenseRequest }
  | { kind: 'platform-challenge'; preamble: LicensePreamble; challenge: ServerPlatformChallenge }
  | { kind: 'new-license' | 'upgrade-license'; preamble: LicensePreamble; license: ServerNewLicense }
  /** LICENSE_INFO, NEW_LICENSE_REQUEST, PLATFORM_CHALLENGE_RESPONSE and unknown types: preamble and size only */
  | { kind: 'other'; preamble: LicensePreamble; bodyLength: number };

/** Decodes preamble + licensing message (plaintext, after the security header). */
export function decodeLicensingPdu(bytes: Uint8Array, base = 0): LicensingPdu {
  const r = rdpReader(bytes, base, LICENSING_PDU_NAME);
  const preamble = readPreamble(r);
  switch (preamble.bMsgType) {
    case LICENSE_MSG.ERROR_ALERT:
      return { kind: 'error', preamble, error: readLicenseErrorMessage(r) };
    case LICENSE_MSG.LICENSE_REQUEST:
      return { kind: 'license-request', preamble, request: readServerLicenseRequest(r) };
    case LICENSE_MSG.PLATFORM_CHALLENGE:
      return { kind: 'platform-challenge', preamble, challenge: readServerPlatformChallenge(r) };
    case LICENSE_MSG.NEW_LICENSE:
      return { kind: 'new-license', preamble, license: readServerNewLicense(r) };
    case LICENSE_MSG.UPGRADE_LICENSE:
      return { kind: 'upgrade-license', preamble, license: readServerNewLicense(r) };
    default:
      return { kind: 'other', preamble, bodyLength: r.remaining };
  }
}

export interface LicensingPduWithHeader {
  header: SecurityHeader;
  /** SEC_ENCRYPT: the licensing data is ciphertext; decrypt it (src/rdpsec) and call decodeLicensingPdu */
  encrypted: boolean;
  pdu?: LicensingPdu;
}

/**
 * The MCS user data of a licensing PDU: security header (basic unless SEC_ENCRYPT, see
 * securityHeaderKind) and, when sent in the clear, the licensing PDU.
 */
export function decodeLicensingPduWithHeader(bytes: Uint8Array, base = 0, kind: SecurityHeaderKind = 'basic'): LicensingPduWithHeader {
  const header = decodeSecurityHeader(bytes, base, kind);
  if (!(header.flags & SEC.LICENSE_PKT)) {
    throw rdpReader(bytes, base, LICENSING_PDU_NAME)
      .error('UNEXPECTED_TYPE', 'flags', `security flags 0x${header.flags.toString(16)} lack SEC_LICENSE_PKT (0x0080)`, base);
  }
  const encrypted = (header.flags & SEC.ENCRYPT) !== 0;
  if (encrypted) return { header, encrypted };
  return { header, encrypted, pdu: decodeLicensingPdu(bytes.subarray(header.bodyOffset), base + header.bodyOffset) };
}

/** Basic security header (SEC_LICENSE_PKT) + licensing PDU: what a server sends in the clear. */
export function encodeLicensingPduWithHeader(pdu: Uint8Array, securityFlags: number = SEC.LICENSE_PKT): Uint8Array {
  const w = new ByteWriter(SECURITY_HEADER_SIZE.basic + pdu.length);
  writeSecurityHeader(w, { flags: securityFlags | SEC.LICENSE_PKT });
  w.bytes(pdu);
  return w.finish();
}

/** What a client shows (mstsc and FreeRDP, in rdpscope's words) when licensing ends with an error code. */
const CLIENT_SHOWS: Readonly<Record<number, string>> = {
  [LICENSE_ERROR.ERR_NO_LICENSE_SERVER]: 'a licensing error: no Remote Desktop license server is available to provide a licence',
  [LICENSE_ERROR.ERR_INVALID_CLIENT]: 'a licensing error: the server could not issue or accept a client access licence',
  [LICENSE_ERROR.ERR_INVALID_SCOPE]: 'a licensing error: the licence scope is not valid for this server',
  [LICENSE_ERROR.ERR_INVALID_PRODUCTID]: 'a licensing error: the stored licence is for another product',
  [LICENSE_ERROR.ERR_INVALID_MAC]: 'a licensing protocol error (a message failed its integrity check)',
  [LICENSE_ERROR.ERR_INVALID_MESSAGE_LEN]: 'a licensing protocol error (a malformed licensing message)',
  [LICENSE_ERROR.ERR_INVALID_SERVER_CERTIFICATE]: "a licensing protocol error (the server's licensing certificate was rejected)",
  [LICENSE_ERROR.ERR_NO_LICENSE]: 'nothing by itself: the client tells the server it has no licence',
};

export type LicensingOutcome =
  | { outcome: 'valid-client'; summary: string; /** dwStateTransition was ST_NO_TRANSITION as 2.2.1.12.1 requires */ transitionOk: boolean }
  | { outcome: 'license-request'; summary: string; scopes: string[]; companyName: string; productId: string }
  | { outcome: 'platform-challenge' | 'license-issued'; summary: string }
  | {
    outcome: 'error';
    code: CodeDescription;
    transition: CodeDescription;
    /** the connection cannot continue (ST_TOTAL_ABORT) */
    fatal: boolean;
    clientShows: string;
    summary: string;
  }
  | { outcome: 'client-message'; summary: string };

/**
 * Reads a licensing PDU as a step of the Licensing phase: 'valid-client' (no licence needed: the
 * Capabilities Exchange follows), 'license-request' (the server wants the licensing exchange),
 * 'platform-challenge' / 'license-issued' (steps of that exchange), 'error' (with the code and
 * transition names, whether it ends the connection, and what a client shows), or 'client-message'.
 */
export function licensingOutcome(pdu: LicensingPdu): LicensingOutcome {
  switch (pdu.kind) {
    case 'error': {
      const e = pdu.error;
      if (e.dwErrorCode === LICENSE_ERROR.STATUS_VALID_CLIENT) {
        const transitionOk = e.dwStateTransition === ST.NO_TRANSITION;
        return {
          outcome: 'valid-client', transitionOk,
          summary: `STATUS_VALID_CLIENT: the server issues no licence and licensing is over${transitionOk ? '' : ` (but dwStateTransition is ${e.stateTransition.name}, not ST_NO_TRANSITION)`}`,
        };
      }
      const { errorCode: code, stateTransition: transition } = e;
      const fatal = e.dwStateTransition === ST.TOTAL_ABORT;
      const clientShows = CLIENT_SHOWS[e.dwErrorCode] ?? 'a licensing error with an unknown code';
      return {
        outcome: 'error', code, transition, fatal, clientShows,
        summary: `licensing error ${code.name} (${code.hex}) with ${transition.name}: ${code.meaning}`,
      };
    }
    case 'license-request':
      return {
        outcome: 'license-request', scopes: pdu.request.scopes, companyName: pdu.request.productInfo.companyName,
        productId: pdu.request.productInfo.productId,
        summary: `the server asks for a client access licence (product ${pdu.request.productInfo.productId || '?'}, scope ${pdu.request.scopes.join(', ') || 'none'})`,
      };
    case 'platform-challenge':
      return { outcome: 'platform-challenge', summary: 'the server challenges the client platform (licensing exchange in progress)' };
    case 'new-license':
    case 'upgrade-license':
      return { outcome: 'license-issued', summary: `the server issues a ${pdu.kind === 'new-license' ? 'new' : 'upgraded'} licence; licensing is over` };
    default:
      return { outcome: 'client-message', summary: `${pdu.preamble.msgType.name}: a client licensing message` };
  }
}
