// NTLM session security with extended session security (MS-NLMP 3.4): SIGNKEY/SEALKEY (3.4.5.2,
// 3.4.5.3), SEAL (3.4.3) with the NTLMSSP_MESSAGE_SIGNATURE of 2.2.2.9.1, and its inverse. CredSSP
// carries a sealed message as signature || ciphertext ([MS-CSSP] 3.1.5, the SSPI token first).
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { NTLM_FLAG } from './ntlm-flags.js';
import { Rc4 } from './rc4.js';
import { latin1Bytes } from '../wire/text.js';

const MAGIC = {
  clientSign: 'session key to client-to-server signing key magic constant\0',
  serverSign: 'session key to server-to-client signing key magic constant\0',
  clientSeal: 'session key to client-to-server sealing key magic constant\0',
  serverSeal: 'session key to server-to-client sealing key magic constant\0',
} as const;

/** NTLMSSP_MESSAGE_SIGNATURE size: Version (4), Checksum (8), SeqNum (4). */
export const SIGNATURE_SIZE = 16;

const md5 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};

/** One direction's keys: the signing key and the key of its RC4 sealing handle. */
export interface DirectionKeys { signingKey: Uint8Array; sealingKey: Uint8Array }

/**
 * Client-to-server and server-to-client keys from the ExportedSessionKey. The sealing key uses the
 * whole key with NTLMSSP_NEGOTIATE_128, its first 7 bytes with _56, else its first 5 (3.4.5.3).
 */
export function sessionKeys(exportedSessionKey: Uint8Array, flags: number): { c2s: DirectionKeys; s2c: DirectionKeys } {
  if (exportedSessionKey.length !== 16) throw new RangeError(`ExportedSessionKey must be 16 bytes, got ${exportedSessionKey.length}`);
  const sealBase = flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_128 ? exportedSessionKey
    : exportedSessionKey.subarray(0, flags & NTLM_FLAG.NTLMSSP_NEGOTIATE_56 ? 7 : 5);
  return {
    c2s: { signingKey: md5(exportedSessionKey, latin1Bytes(MAGIC.clientSign)), sealingKey: md5(sealBase, latin1Bytes(MAGIC.clientSeal)) },
    s2c: { signingKey: md5(exportedSessionKey, latin1Bytes(MAGIC.serverSign)), sealingKey: md5(sealBase, latin1Bytes(MAGIC.serverSeal)) },
  };
}

/**
 * One direction of sealed traffic: its RC4 handle runs on across messages and SeqNum counts them.
 * The sender seals, the receiver of the same direction unseals, each with its own instance.
 */
export class NtlmSealing {
  private readonly handle: Rc4;
  private seq = 0;

  /** keyExchange: NTLMSSP_NEGOTIATE_KEY_EXCH was negotiated, so the checksum is RC4-encrypted too (3.4.4.2) */
  constructor(private readonly keys: DirectionKeys, private readonly keyExchange = true) {
    this.handle = new Rc4(keys.sealingKey);
  }

  private checksum(seq: Uint8Array, message: Uint8Array): Uint8Array {
    const mac = new Uint8Array(createHmac('md5', this.keys.signingKey).update(seq).update(message).digest()).subarray(0, 8);
    return this.keyExchange ? this.handle.update(mac) : mac;
  }

  private nextSeq(): Uint8Array {
    const s = new Uint8Array(4);
    new DataView(s.buffer).setUint32(0, this.seq, true);
    this.seq = (this.seq + 1) >>> 0;
    return s;
  }

  /** SEAL: signature (16 bytes) || RC4(message); the message is encrypted before the checksum. */
  seal(message: Uint8Array): Uint8Array {
    const seq = this.nextSeq();
    const sealed = this.handle.update(message);
    const out = new Uint8Array(SIGNATURE_SIZE + sealed.length);
    out.set([1, 0, 0, 0]);
    out.set(this.checksum(seq, message), 4);
    out.set(seq, 12);
    out.set(sealed, SIGNATURE_SIZE);
    return out;
  }

  /**
   * The inverse of seal() for the next message of this direction: the plaintext, or why the token
   * does not verify (too short, wrong Version or SeqNum, checksum mismatch).
   */
  unseal(token: Uint8Array): { ok: true; message: Uint8Array } | { ok: false; reason: string } {
    if (token.length < SIGNATURE_SIZE) return { ok: false, reason: `${token.length} bytes, shorter than the ${SIGNATURE_SIZE}-byte signature` };
    const view = new DataView(token.buffer, token.byteOffset, token.byteLength);
    const version = view.getUint32(0, true);
    const expectSeq = this.seq;
    const seq = this.nextSeq();
    const message = this.handle.update(token.subarray(SIGNATURE_SIZE));
    const checksum = this.checksum(seq, message);
    if (version !== 1) return { ok: false, reason: `signature Version ${version}, expected 1` };
    const got = view.getUint32(12, true);
    if (got !== expectSeq) return { ok: false, reason: `SeqNum ${got}, expected ${expectSeq}` };
    if (!timingSafeEqual(checksum, token.subarray(4, 12))) return { ok: false, reason: 'the checksum does not verify: not sealed with this session\'s key' };
    return { ok: true, message };
  }
}
