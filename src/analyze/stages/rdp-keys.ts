// Standard RDP Security decryption inside the tracker ([MS-RDPBCGR] 5.3.5, 5.3.6): the driver may
// hand over the client random it generated (the live probe) or one a user supplies; with the server
// random from the Server Security Data the tracker derives both directions' keys. Keys never leave
// the connection state: events only say that decryption is on.
import { deriveSessionKeys, RdpSecurityCipher } from '../../rdpsec/index.js';
import type { RdpState } from './rdp-state.js';
import { ENCRYPTION_METHOD } from '../../rdp/security-header.js';

/** Derives the decrypting ciphers once both randoms are known; true when decryption is on. */
export function installKeys(st: RdpState): boolean {
  const sec = st.serverData?.security;
  const clientRandom = st.pendingClientRandom;
  if (!clientRandom || !sec?.serverRandom || sec.encryptionMethod === ENCRYPTION_METHOD.NONE) return false;
  const base = { clientRandom, serverRandom: sec.serverRandom, encryptionMethod: sec.encryptionMethod };
  // the server's decrypt key is the client's encrypt key: a server-role cipher reads c2s traffic
  st.decrypt = { c2s: new RdpSecurityCipher(deriveSessionKeys({ ...base, role: 'server' })), s2c: new RdpSecurityCipher(deriveSessionKeys({ ...base, role: 'client' })) };
  delete st.pendingClientRandom;
  return true;
}
