// The client's NTLMv2 answer to a CHALLENGE (MS-NLMP 3.1.5.1.2): AUTHENTICATE_MESSAGE with a MIC
// (3.1.5.1.2, 2.2.2.1 MsvAvFlags), and the session keys that seal what follows (3.4.5). Pure: the
// random values and the fallback time come in as arguments.
import { NTLM_FLAG, type NtlmVersion } from './ntlm-flags.js';
import { AV_FLAG_MIC_PRESENT, MIC_OFFSET } from './ntlm-fields.js';
import type { NtlmChallenge } from './ntlm.js';
import { computeMic, encodeNtlmAuthenticate, ntlmv2Response, ntowfv2 } from './ntlmv2.js';
import { rc4 } from './rc4.js';
import { sessionKeys } from './ntlm-seal.js';
import { ByteWriter } from '../wire/writer.js';

export interface NtlmCredentials { user: string; domain: string; password: string }

export interface NtlmAuthenticateArgs {
  credentials: NtlmCredentials;
  workstation: string;
  /** the NEGOTIATE_MESSAGE as sent and the CHALLENGE_MESSAGE as received (both go into the MIC) */
  negotiate: Uint8Array;
  negotiateFlags: number;
  challengeBytes: Uint8Array;
  challenge: NtlmChallenge;
  /** 8 random bytes */
  clientChallenge: Uint8Array;
  /** 16 random bytes: the ExportedSessionKey when key exchange is negotiated */
  randomSessionKey: Uint8Array;
  /** FILETIME to use when the server sent no MsvAvTimestamp */
  now: bigint;
  version?: NtlmVersion;
}

export interface NtlmAuthenticateResult {
  message: Uint8Array;
  /** flags both sides agreed on (the AUTHENTICATE's NegotiateFlags) */
  flags: number;
  keys: ReturnType<typeof sessionKeys>;
}

const AV_EOL = 0;
const AV_FLAGS = 6;

/** The client's target info: the server's pairs with MsvAvFlags "MIC present" set, then MsvAvEOL. */
function clientTargetInfo(challenge: NtlmChallenge): Uint8Array {
  const pairs = (challenge.targetInfo?.raw ?? []).map((p) => ({ id: p.id, value: p.value }));
  const flags = pairs.find((p) => p.id === AV_FLAGS);
  const value = (f: number): Uint8Array => new ByteWriter(4).u32le(f >>> 0).finish();
  if (flags) flags.value = value(new DataView(flags.value.buffer, flags.value.byteOffset, 4).getUint32(0, true) | AV_FLAG_MIC_PRESENT);
  else pairs.push({ id: AV_FLAGS, value: value(AV_FLAG_MIC_PRESENT) });
  const w = new ByteWriter(pairs.reduce((n, p) => n + 4 + p.value.length, 4));
  for (const p of pairs) w.u16le(p.id).u16le(p.value.length).bytes(p.value);
  return w.u16le(AV_EOL).u16le(0).finish();
}

export function ntlmAuthenticate(a: NtlmAuthenticateArgs): NtlmAuthenticateResult {
  const c = a.challenge;
  // the AUTHENTICATE carries the flags both offered; Unicode, NTLM and ESS are what this client speaks
  const flags = (a.negotiateFlags & c.flags) >>> 0;
  const required = NTLM_FLAG.NTLMSSP_NEGOTIATE_UNICODE | NTLM_FLAG.NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY;
  if ((flags & required) !== required) throw new RangeError('the server refused Unicode or extended session security: NTLMv2 with sealing needs both');
  const serverTime = c.targetInfo?.timestamp;
  const targetInfo = clientTargetInfo(c);
  const key = ntowfv2(a.credentials.password, a.credentials.user, a.credentials.domain);
  const r = ntlmv2Response({
    responseKeyNT: key, serverChallenge: c.serverChallenge, clientChallenge: a.clientChallenge,
    timestamp: serverTime ?? a.now, targetInfo,
  });
  // KeyExchangeKey = SessionBaseKey for NTLMv2 (3.4.5.1)
  const keyExchange = (flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0;
  const exported = keyExchange ? a.randomSessionKey : r.sessionBaseKey;
  const message = encodeNtlmAuthenticate({
    flags, domain: a.credentials.domain, user: a.credentials.user, workstation: a.workstation,
    // with a server timestamp the LM response is Z(24) (3.1.5.1.2)
    lmResponse: serverTime !== undefined ? new Uint8Array(24) : r.lmChallengeResponse,
    ntResponse: r.ntChallengeResponse,
    encryptedRandomSessionKey: keyExchange ? rc4(r.sessionBaseKey, exported) : new Uint8Array(0),
    ...(a.version ? { version: a.version } : {}),
    withMic: true,
  });
  message.set(computeMic(exported, a.negotiate, a.challengeBytes, message), MIC_OFFSET);
  return { message, flags, keys: sessionKeys(exported, flags) };
}
