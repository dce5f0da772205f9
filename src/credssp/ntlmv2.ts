// NTLMv2 (MS-NLMP 3.3.2 NTOWFv2 and responses, 3.1.5.1.2 session keys, 3.4.4 MIC per 3.1.5.1.2) and
// the AUTHENTICATE_MESSAGE encoder (MS-NLMP 2.2.1.3). Pure: HMAC-MD5 from node:crypto, MD4 our own
// (EncryptedRandomSessionKey = RC4K(KeyExchangeKey, ExportedSessionKey) is rc4() in rc4.ts).
import { createHmac } from 'node:crypto';
import { md4 } from './md4.js';
import { NTLM_FLAG, versionBytes, type NtlmVersion } from './ntlm-flags.js';
import { MIC_OFFSET, NTLM_SIGNATURE } from './ntlm-fields.js';
import { latin1Bytes, utf16leBytes } from '../wire/text.js';
import { ByteWriter, concatBytes } from '../wire/writer.js';

function hmacMd5(key: Uint8Array, ...data: Uint8Array[]): Uint8Array {
  const h = createHmac('md5', key);
  for (const d of data) h.update(d);
  return new Uint8Array(h.digest());
}

/** NTOWFv2 = HMAC_MD5(MD4(UNICODE(password)), UNICODE(Uppercase(user) + domain)); also LMOWFv2. */
export function ntowfv2(password: string, user: string, domain: string): Uint8Array {
  return hmacMd5(md4(utf16leBytes(password)), utf16leBytes(user.toUpperCase() + domain));
}

function need(name: string, b: Uint8Array, n: number): void {
  if (b.length !== n) throw new RangeError(`${name} must be ${n} bytes, got ${b.length}`);
}

/**
 * NtChallengeResponse = NTProofStr || temp, LmChallengeResponse = LMv2 response, and SessionBaseKey,
 * for ResponseKeyNT = ResponseKeyLM = NTOWFv2(...). targetInfo is the AV pair list the client sends
 * (the server's, plus any pairs the client adds), ending with MsvAvEOL. timestamp is a FILETIME.
 * (MS-NLMP 3.1.5.1.2: when the server sent MsvAvTimestamp the client sends Z(24) as LmChallengeResponse.)
 */
export function ntlmv2Response(args: {
  responseKeyNT: Uint8Array; serverChallenge: Uint8Array; clientChallenge: Uint8Array; timestamp: bigint; targetInfo: Uint8Array;
}): { ntChallengeResponse: Uint8Array; lmChallengeResponse: Uint8Array; sessionBaseKey: Uint8Array } {
  const { responseKeyNT: key, serverChallenge, clientChallenge, timestamp, targetInfo } = args;
  need('responseKeyNT', key, 16);
  need('serverChallenge', serverChallenge, 8);
  need('clientChallenge', clientChallenge, 8);
  if (timestamp < 0n || timestamp >= 1n << 64n) throw new RangeError(`timestamp ${timestamp} is not a FILETIME`);
  const temp = new ByteWriter(28 + targetInfo.length + 4)
    .u8(1).u8(1).bytes(new Uint8Array(6))
    .u32le(Number(timestamp & 0xffffffffn)).u32le(Number(timestamp >> 32n))
    .bytes(clientChallenge).bytes(new Uint8Array(4)).bytes(targetInfo).bytes(new Uint8Array(4))
    .finish();
  const ntProofStr = hmacMd5(key, serverChallenge, temp);
  return {
    ntChallengeResponse: concatBytes([ntProofStr, temp]),
    lmChallengeResponse: concatBytes([hmacMd5(key, serverChallenge, clientChallenge), clientChallenge]),
    sessionBaseKey: hmacMd5(key, ntProofStr),
  };
}

/** MIC = HMAC_MD5(ExportedSessionKey, NEGOTIATE || CHALLENGE || AUTHENTICATE with its MIC zeroed). */
export function computeMic(exportedSessionKey: Uint8Array, negotiate: Uint8Array, challenge: Uint8Array, authenticate: Uint8Array): Uint8Array {
  need('exportedSessionKey', exportedSessionKey, 16);
  return hmacMd5(exportedSessionKey, negotiate, challenge, authenticate);
}

/**
 * AUTHENTICATE_MESSAGE with the payload in the order Windows and FreeRDP use (domain, user,
 * workstation, LM response, NT response, session key). Strings are UTF-16LE when flags has
 * NTLMSSP_NEGOTIATE_UNICODE, else Latin-1 (RangeError above U+00FF). withMic reserves a zeroed MIC
 * at MIC_OFFSET (the Version field is then written, zeroed when version is absent): compute it with
 * computeMic over this message and copy it in.
 */
export function encodeNtlmAuthenticate(args: {
  flags: number; domain: string; user: string; workstation: string; lmResponse: Uint8Array; ntResponse: Uint8Array;
  encryptedRandomSessionKey: Uint8Array; version?: NtlmVersion; withMic: boolean;
}): Uint8Array {
  const unicode = (args.flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_UNICODE) !== 0;
  const str = (s: string): Uint8Array => {
    if (unicode) return utf16leBytes(s);
    if (/[^\u0000-\u00ff]/.test(s)) throw new RangeError(`"${s}" is not Latin-1 (set NTLMSSP_NEGOTIATE_UNICODE)`);
    return latin1Bytes(s);
  };
  const payload = [str(args.domain), str(args.user), str(args.workstation), args.lmResponse, args.ntResponse, args.encryptedRandomSessionKey];
  const header = args.withMic ? MIC_OFFSET + 16 : 64 + (args.version ? 8 : 0);
  const size = header + payload.reduce((n, p) => n + p.length, 0);
  if (payload.some((p) => p.length > 0xffff)) throw new RangeError('an AUTHENTICATE field exceeds 65535 bytes');
  const offsets: number[] = [];
  payload.reduce((at, p) => (offsets.push(at), at + p.length), header);
  const w = new ByteWriter(size).bytes(NTLM_SIGNATURE).u32le(3);
  for (const i of [3, 4, 0, 1, 2, 5]) w.u16le(payload[i]!.length).u16le(payload[i]!.length).u32le(offsets[i]!);
  w.u32le(args.flags >>> 0);
  if (args.version || args.withMic) w.bytes(args.version ? versionBytes(args.version) : new Uint8Array(8));
  if (args.withMic) w.bytes(new Uint8Array(16));
  for (const p of payload) w.bytes(p);
  return w.finish();
}
