// The scenario server's side of NTLMv2 (MS-NLMP 3.2.5.1.2): checks an AUTHENTICATE against its one
// account and derives the session keys (3.4.5), so it can answer pubKeyAuth ([MS-CSSP] 3.1.5).
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { NtlmAuthenticate } from '../credssp/ntlm.js';
import { NTLM_FLAG } from '../credssp/ntlm-flags.js';
import { ntowfv2 } from '../credssp/ntlmv2.js';
import { rc4 } from '../credssp/rc4.js';
import { sessionKeys } from '../credssp/ntlm-seal.js';

/** The account's domain is not checked: the client's DomainName goes into NTOWFv2 as sent. */
export interface Account { user: string; password: string }

export type AuthenticateCheck =
  | { ok: true; keys: ReturnType<typeof sessionKeys>; keyExchange: boolean }
  | { ok: false; reason: 'unknown-user' | 'wrong-password' | 'not-ntlmv2' };

/** NTLMv2 only: the NTProofStr must be HMAC_MD5(NTOWFv2, ServerChallenge || temp). */
export function checkAuthenticate(auth: NtlmAuthenticate, serverChallenge: Uint8Array, account: Account): AuthenticateCheck {
  if (!auth.ntlmv2) return { ok: false, reason: 'not-ntlmv2' };
  if (auth.user.toUpperCase() !== account.user.toUpperCase()) return { ok: false, reason: 'unknown-user' };
  const key = ntowfv2(account.password, auth.user, auth.domain);
  const temp = auth.ntResponse.subarray(16);
  const proof = new Uint8Array(createHmac('md5', key).update(serverChallenge).update(temp).digest());
  if (!timingSafeEqual(proof, auth.ntlmv2.ntProofStr)) return { ok: false, reason: 'wrong-password' };
  const sessionBaseKey = new Uint8Array(createHmac('md5', key).update(proof).digest());
  const keyExchange = (auth.flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_KEY_EXCH) !== 0 && auth.encryptedRandomSessionKey.length === 16;
  const exported = keyExchange ? rc4(sessionBaseKey, auth.encryptedRandomSessionKey) : sessionBaseKey;
  return { ok: true, keys: sessionKeys(exported, auth.flags), keyExchange };
}
