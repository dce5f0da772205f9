// What the stages after X.224 learn and hand on: the client and server data from the MCS Connect
// exchange, the channels, the Standard RDP Security parameters and, when the driver supplied the
// client random (live probe), the ciphers that decrypt Standard RDP Security traffic.
import type { ClientData, ServerData } from '../../gcc/index.js';
import type { RdpSecurityCipher } from '../../rdpsec/cipher.js';

export interface RdpState {
  clientData?: ClientData;
  serverData?: ServerData;
  /** channel id → name: the I/O channel, the message channel, the static channels, the user channel ('user') */
  channels: Map<number, string>;
  /** decrypting ciphers per direction, derived from a client random the driver supplied */
  decrypt?: { c2s: RdpSecurityCipher; s2c: RdpSecurityCipher };
  /** the client random arrived before the server random: keys are derived once both are known */
  pendingClientRandom?: Uint8Array;
  /** the licensing phase ended (valid client, new or upgraded licence) */
  licensingDone: boolean;
}

export function rdpState(): RdpState {
  return { channels: new Map(), licensingDone: false };
}
