// NTLM NEGOTIATE, CHALLENGE and AUTHENTICATE messages (MS-NLMP 2.2.1.1-2.2.1.3) with the
// NTLMv2_RESPONSE inside AUTHENTICATE (MS-NLMP 2.2.2.7-2.2.2.8).
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { NTLM_FLAG, readVersion, versionBytes, type NtlmVersion } from './ntlm-flags.js';
import {
  AV_FLAG_MIC_PRESENT, decodeAvPairs, fieldReader, MIC_OFFSET, NTLM_SIGNATURE, payloadStart, readFieldRef, text,
  type AvPairs, type FieldRef,
} from './ntlm-fields.js';
import { latin1 } from '../wire/text.js';

export { NTLM_FLAG, NTLM_FLAGS, ntlmFlagNames, type NtlmVersion } from './ntlm-flags.js';
export { AV_ID, filetimeToMs, MIC_OFFSET, type AvPairs } from './ntlm-fields.js';

export const NTLM_NAME = ['NTLM message', 'NTLM NEGOTIATE_MESSAGE', 'NTLM CHALLENGE_MESSAGE', 'NTLM AUTHENTICATE_MESSAGE'] as const;

export interface NtlmNegotiate { type: 1; flags: number; domain?: string; workstation?: string; version?: NtlmVersion }
export interface NtlmChallenge {
  type: 2; flags: number; targetName?: string; serverChallenge: Uint8Array;
  targetInfo?: AvPairs; targetInfoBytes?: Uint8Array; version?: NtlmVersion;
}
/** NTLMv2_CLIENT_CHALLENGE fields of an NTLMv2 NtChallengeResponse. */
export interface Ntlmv2Blob { ntProofStr: Uint8Array; timestamp: bigint; clientChallenge: Uint8Array; avPairs: AvPairs }
export interface NtlmAuthenticate {
  type: 3; flags: number; lmResponse: Uint8Array; ntResponse: Uint8Array; domain: string; user: string;
  workstation: string; encryptedRandomSessionKey: Uint8Array; version?: NtlmVersion;
  /** present when the NTLMv2 AV pairs announce it (MsvAvFlags 0x2) and the header has room */
  mic?: Uint8Array;
  /** when ntResponse is longer than an NTLMv1 response (24 bytes) */
  ntlmv2?: Ntlmv2Blob;
}

/** Fixed header sizes before the optional Version (8 bytes) and, in AUTHENTICATE, the MIC (16). */
const HEADER = { 1: 32, 2: 48, 3: 64 } as const;

/**
 * Version when the flag is set and the payload leaves room for it after the fixed header (early
 * Windows put the payload right after the fixed header); with no payload it must be there.
 */
function version(r: ByteReader, flags: number, start: number, header: number): NtlmVersion | undefined {
  if (!(flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_VERSION) || start < header + 8) return undefined;
  return readVersion(r);
}

function decodeNegotiate(msg: Uint8Array, r: ByteReader, base: number): NtlmNegotiate {
  const pdu = NTLM_NAME[1];
  const flags = r.u32le('NegotiateFlags');
  const refs = [readFieldRef(r, 'DomainNameFields'), readFieldRef(r, 'WorkstationFields')];
  const start = payloadStart(refs);
  const out: NtlmNegotiate = { type: 1, flags };
  const v = version(r, flags, start, HEADER[1]);
  if (v) out.version = v;
  const end = HEADER[1] + (v ? 8 : 0);
  const [domain, workstation] = refs.map((f) => fieldReader(msg, base, f, end, pdu));
  if (refs[0]!.len > 0) out.domain = latin1(domain!.rest('DomainName'));
  if (refs[1]!.len > 0) out.workstation = latin1(workstation!.rest('Workstation'));
  return out;
}

function decodeChallenge(msg: Uint8Array, r: ByteReader, base: number): NtlmChallenge {
  const pdu = NTLM_NAME[2];
  const nameRef = readFieldRef(r, 'TargetNameFields');
  const flags = r.u32le('NegotiateFlags');
  const serverChallenge = r.bytes(8, 'ServerChallenge').slice();
  const out: NtlmChallenge = { type: 2, flags, serverChallenge };
  if (r.remaining === 0) return out; // the 32-byte form of early NTLM servers
  r.skip(8, 'Reserved');
  const infoRef = readFieldRef(r, 'TargetInfoFields');
  const refs = [nameRef, infoRef];
  const v = version(r, flags, payloadStart(refs), HEADER[2]);
  if (v) out.version = v;
  const end = HEADER[2] + (v ? 8 : 0);
  const unicode = (flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  if (nameRef.len > 0) out.targetName = text(fieldReader(msg, base, nameRef, end, pdu), unicode, 'TargetName');
  if (infoRef.len > 0) {
    const info = fieldReader(msg, base, infoRef, end, pdu);
    out.targetInfoBytes = info.peekRest().slice();
    out.targetInfo = decodeAvPairs(info);
  }
  return out;
}

/** NTLMv2_RESPONSE: NTProofStr, then NTLMv2_CLIENT_CHALLENGE (RespType 1, HiRespType 1). */
function ntlmv2Blob(r: ByteReader): Ntlmv2Blob {
  const ntProofStr = r.bytes(16, 'NTProofStr').slice();
  const typeAt = r.absolute;
  const respType = r.u8('RespType');
  const hiRespType = r.u8('HiRespType');
  if (respType !== 1 || hiRespType !== 1) {
    throw r.error('UNSUPPORTED_VERSION', 'RespType', `NTLMv2 response type ${respType}.${hiRespType}, only 1.1 is defined`, typeAt);
  }
  r.skip(6, 'Reserved1/Reserved2');
  const timestamp = BigInt(r.u32le('TimeStamp')) + (BigInt(r.u32le('TimeStamp')) << 32n);
  const clientChallenge = r.bytes(8, 'ChallengeFromClient').slice();
  r.skip(4, 'Reserved3');
  return { ntProofStr, timestamp, clientChallenge, avPairs: decodeAvPairs(r) };
}

const FIELD_NAMES = ['LmChallengeResponseFields', 'NtChallengeResponseFields', 'DomainNameFields', 'UserNameFields', 'WorkstationFields', 'EncryptedRandomSessionKeyFields'];

function decodeAuthenticate(msg: Uint8Array, r: ByteReader, base: number): NtlmAuthenticate {
  const pdu = NTLM_NAME[3];
  const refs: FieldRef[] = FIELD_NAMES.map((n) => readFieldRef(r, n));
  const flags = r.u32le('NegotiateFlags');
  const start = payloadStart(refs);
  const v = version(r, flags, start, HEADER[3]);
  const ntRef = refs[1]!;
  // the NT response says whether there is a MIC; the header's end depends on that, so read it first
  const nt = fieldReader(msg, base, ntRef, HEADER[3], pdu);
  const ntlmv2 = ntRef.len > 24 ? ntlmv2Blob(new ByteReader(nt.peekRest(), 'credssp', pdu, nt.absolute)) : undefined;
  const hasMic = ((ntlmv2?.avPairs.flags ?? 0) & AV_FLAG_MIC_PRESENT) !== 0 && start >= MIC_OFFSET + 16;
  const end = hasMic ? MIC_OFFSET + 16 : HEADER[3] + (v ? 8 : 0);
  const [lm, , domain, user, workstation, key] = refs.map((f) => fieldReader(msg, base, f, end, pdu));
  const unicode = (flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const out: NtlmAuthenticate = {
    type: 3, flags,
    lmResponse: lm!.rest('LmChallengeResponse').slice(),
    ntResponse: nt.rest('NtChallengeResponse').slice(),
    domain: text(domain!, unicode, 'DomainName'),
    user: text(user!, unicode, 'UserName'),
    workstation: text(workstation!, unicode, 'Workstation'),
    encryptedRandomSessionKey: key!.rest('EncryptedRandomSessionKey').slice(),
  };
  if (v) out.version = v;
  if (hasMic) out.mic = msg.slice(MIC_OFFSET, MIC_OFFSET + 16);
  if (ntlmv2) out.ntlmv2 = ntlmv2;
  return out;
}

/** Decodes one NTLM message (the whole token); base is the absolute offset of bytes[0]. */
export function decodeNtlm(bytes: Uint8Array, base = 0): NtlmNegotiate | NtlmChallenge | NtlmAuthenticate {
  const r = new ByteReader(bytes, 'credssp', NTLM_NAME[0], base);
  const sigAt = r.absolute;
  const sig = r.bytes(8, 'Signature');
  if (!sig.every((b, i) => b === NTLM_SIGNATURE[i])) throw r.error('UNEXPECTED_TYPE', 'Signature', 'not "NTLMSSP\\0"', sigAt);
  const typeAt = r.absolute;
  const type = r.u32le('MessageType');
  if (type !== 1 && type !== 2 && type !== 3) throw r.error('UNEXPECTED_TYPE', 'MessageType', `${type}, expected 1, 2 or 3`, typeAt);
  const m = new ByteReader(bytes, 'credssp', NTLM_NAME[type], base);
  m.skip(12, 'header');
  if (type === 1) return decodeNegotiate(bytes, m, base);
  return type === 2 ? decodeChallenge(bytes, m, base) : decodeAuthenticate(bytes, m, base);
}

/**
 * NEGOTIATE_MESSAGE without domain or workstation (both fields zero, as FreeRDP and nmap send it);
 * with version, the 8-byte Version follows (the caller sets NTLMSSP_NEGOTIATE_VERSION in flags).
 */
export function encodeNtlmNegotiate(flags: number, version?: NtlmVersion): Uint8Array {
  const w = new ByteWriter(HEADER[1] + (version ? 8 : 0)).bytes(NTLM_SIGNATURE).u32le(1).u32le(flags >>> 0).bytes(new Uint8Array(16));
  if (version) w.bytes(versionBytes(version));
  return w.finish();
}
