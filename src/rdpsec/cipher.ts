// Encryption and MACs of Standard RDP Security ([MS-RDPBCGR] 5.3.6) for one endpoint: what it sends
// is encrypted with its encryptKey, what it receives decrypted with its decryptKey, each direction
// with its own keystream and counters.
//   Non-FIPS (5.3.6.1): MACSignature = First64Bits(MD5(MACKeyN + Pad2 + SHA(MACKeyN + Pad1 +
//   DataLength + Data))) over the plaintext, the salted MAC (5.3.6.1.1) appending the encryption
//   count; the data RC4-encrypted with a keystream that runs on across packets; every 4,096 packets
//   a direction's key is updated (5.3.7.1) and its RC4 table re-initialised.
//   FIPS (5.3.6.2): the data zero-padded to a multiple of 8 (the pad length goes in the FIPS security
//   header, 2.2.8.1.1.2.3) and encrypted with 3DES-CBC; the IV 12 34 56 78 90 AB CD EF starts each
//   direction and the CBC chain runs on across packets; MACSignature = First64Bits(HMAC-SHA1(HMACKey,
//   Data + EncryptionCount)) over the unpadded plaintext; no key updates (5.3.7.2).
// The encryption count of a packet is the number of packets this direction processed before it,
// little-endian 32-bit (5.3.6.1.1: after 42 packets the next one's count is 42).
import { createCipheriv, createDecipheriv, createHash, createHmac, timingSafeEqual, type Cipher, type Decipher } from 'node:crypto';
import { Rc4 } from '../credssp/rc4.js';
import { PAD1, PAD2, updateSessionKey, type RcEncryptionMethod, type SessionKeys } from './keys.js';
import { ENCRYPTION_METHOD } from '../rdp/security-header.js';

/** Bytes of the MAC signature (dataSignature). */
export const MAC_SIZE = 8;
/** Packets per key between non-FIPS key updates (5.3.7.1). */
export const KEY_UPDATE_INTERVAL = 4096;
/** The 3DES-CBC initialization vector of 5.3.6.2. */
export const FIPS_IV = Uint8Array.of(0x12, 0x34, 0x56, 0x78, 0x90, 0xab, 0xcd, 0xef);
const DES_BLOCK = 8;

const u32le = (v: number): Uint8Array => {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  return b;
};

/** 5.3.6.1 (count undefined) or 5.3.6.1.1 (salted with count): the 8-byte MAC of plaintext data. */
export function nonFipsMac(macKey: Uint8Array, data: Uint8Array, count?: number): Uint8Array {
  const sha = createHash('sha1').update(macKey).update(PAD1).update(u32le(data.length)).update(data);
  if (count !== undefined) sha.update(u32le(count));
  const md5 = createHash('md5').update(macKey).update(PAD2).update(sha.digest()).digest();
  return new Uint8Array(md5.subarray(0, MAC_SIZE));
}

/** 5.3.6.2: First64Bits(HMAC-SHA1(HMACKey, Data + EncryptionCount)). */
export function fipsMac(hmacKey: Uint8Array, data: Uint8Array, count: number): Uint8Array {
  const h = createHmac('sha1', hmacKey).update(data).update(u32le(count)).digest();
  return new Uint8Array(h.subarray(0, MAC_SIZE));
}

/** What encrypt() returns: the dataSignature, the ciphertext, and (FIPS) the padlen of the header. */
export interface EncryptResult {
  signature: Uint8Array;
  data: Uint8Array;
  /** zero bytes appended before 3DES encryption (FIPS); 0 for RC4 */
  padLength: number;
}

export type DecryptResult = { ok: true; data: Uint8Array } | { ok: false; reason: string };

export interface MacOptions {
  /** salted MAC (5.3.6.1.1, SEC_SECURE_CHECKSUM); ignored for FIPS, whose MAC always has the count */
  salted?: boolean;
}

export interface DecryptOptions extends MacOptions {
  /** FIPS: padlen of the FIPS security header (default 0); ignored for RC4 */
  padLength?: number;
}

/** One direction of RC4 traffic: its initial and current keys, RC4 table and counters. */
class Rc4Direction {
  private current: Uint8Array;
  private rc4: Rc4;
  private sinceUpdate = 0;
  count = 0;

  constructor(private readonly initial: Uint8Array, private readonly method: RcEncryptionMethod) {
    this.current = initial;
    this.rc4 = new Rc4(initial);
  }

  /** RC4 of the next packet (after the update due every 4,096 packets); counts it. */
  next(data: Uint8Array): Uint8Array {
    if (this.sinceUpdate === KEY_UPDATE_INTERVAL) {
      this.current = updateSessionKey(this.initial, this.current, this.method);
      this.rc4 = new Rc4(this.current);
      this.sinceUpdate = 0;
    }
    this.sinceUpdate++;
    this.count = (this.count + 1) >>> 0;
    return this.rc4.update(data);
  }

  /** The key in use now (the initial key until the first update). */
  get key(): Uint8Array {
    return this.current.slice();
  }
}

/** One direction of FIPS traffic: a 3DES-CBC context whose chain runs on, and its counter. */
class DesDirection {
  private readonly des: Cipher | Decipher;
  count = 0;

  constructor(key: Uint8Array, encrypt: boolean) {
    this.des = encrypt ? createCipheriv('des-ede3-cbc', key, FIPS_IV) : createDecipheriv('des-ede3-cbc', key, FIPS_IV);
    this.des.setAutoPadding(false);
  }

  /** 3DES-CBC of whole blocks; counts the packet. */
  next(data: Uint8Array): Uint8Array {
    this.count = (this.count + 1) >>> 0;
    return new Uint8Array(this.des.update(data));
  }
}

/**
 * Standard RDP Security for one endpoint, from its SessionKeys (deriveSessionKeys with its role):
 * a client's and a server's instance built from the same randoms decrypt each other's output.
 */
export class RdpSecurityCipher {
  readonly encryptionMethod: SessionKeys['encryptionMethod'];
  private readonly macKey: Uint8Array;
  private readonly out: Rc4Direction | DesDirection;
  private readonly in: Rc4Direction | DesDirection;

  constructor(keys: SessionKeys) {
    this.encryptionMethod = keys.encryptionMethod;
    this.macKey = keys.macKey.slice();
    const m = keys.encryptionMethod;
    if (m === ENCRYPTION_METHOD.FIPS) {
      if (keys.encryptKey.length !== 24 || keys.decryptKey.length !== 24 || keys.macKey.length !== 20) {
        throw new RangeError('FIPS keys: 24-byte 3DES keys and a 20-byte HMAC key');
      }
      this.out = new DesDirection(keys.encryptKey, true);
      this.in = new DesDirection(keys.decryptKey, false);
    } else {
      const length = m === ENCRYPTION_METHOD.BIT_128 ? 16 : 8;
      if (keys.encryptKey.length !== length || keys.decryptKey.length !== length || keys.macKey.length !== length) {
        throw new RangeError(`method 0x${m.toString(16)} keys: ${length}-byte MAC, encryption and decryption keys`);
      }
      this.out = new Rc4Direction(keys.encryptKey.slice(), m);
      this.in = new Rc4Direction(keys.decryptKey.slice(), m);
    }
  }

  private get fips(): boolean {
    return this.encryptionMethod === ENCRYPTION_METHOD.FIPS;
  }

  /** Packets encrypted so far (the encryption count of the next one). */
  get encryptCount(): number {
    return this.out.count;
  }

  /** Packets decrypted so far, verified or not (the decryption count of the next one). */
  get decryptCount(): number {
    return this.in.count;
  }

  /** Current RC4 keys (after any 5.3.7.1 updates); undefined for FIPS. */
  get currentKeys(): { encrypt: Uint8Array; decrypt: Uint8Array } | undefined {
    return this.out instanceof Rc4Direction && this.in instanceof Rc4Direction ? { encrypt: this.out.key, decrypt: this.in.key } : undefined;
  }

  private mac(data: Uint8Array, count: number, salted: boolean): Uint8Array {
    if (this.fips) return fipsMac(this.macKey, data, count);
    return nonFipsMac(this.macKey, data, salted ? count : undefined);
  }

  /** Signs and encrypts the next packet this side sends. */
  encrypt(data: Uint8Array, opts: MacOptions = {}): EncryptResult {
    const count = this.out.count;
    const signature = this.mac(data, count, opts.salted ?? false);
    if (this.out instanceof Rc4Direction) return { signature, data: this.out.next(data), padLength: 0 };
    const padLength = (DES_BLOCK - (data.length % DES_BLOCK)) % DES_BLOCK;
    const padded = new Uint8Array(data.length + padLength);
    padded.set(data);
    return { signature, data: this.out.next(padded), padLength };
  }

  /**
   * Decrypts and verifies the next packet this side receives. The keystream, CBC chain and count
   * advance whether or not the MAC verifies (the sender's did), except for FIPS data that is not a
   * whole number of blocks, which cannot have been encrypted and is refused untouched.
   */
  decrypt(data: Uint8Array, signature: Uint8Array, opts: DecryptOptions = {}): DecryptResult {
    const count = this.in.count;
    let plain: Uint8Array;
    if (this.in instanceof Rc4Direction) {
      plain = this.in.next(data);
    } else {
      if (data.length % DES_BLOCK !== 0) return { ok: false, reason: `${data.length} bytes of FIPS data: not a multiple of the 8-byte 3DES block` };
      const decrypted = this.in.next(data);
      const pad = opts.padLength ?? 0;
      if (!Number.isInteger(pad) || pad < 0 || pad >= DES_BLOCK || pad > decrypted.length) {
        return { ok: false, reason: `FIPS padlen ${pad} for ${data.length} bytes (0..7 expected)` };
      }
      plain = decrypted.subarray(0, decrypted.length - pad);
    }
    if (signature.length !== MAC_SIZE) return { ok: false, reason: `dataSignature of ${signature.length} bytes, expected ${MAC_SIZE}` };
    const salted = !this.fips && (opts.salted ?? false);
    if (!timingSafeEqual(this.mac(plain, count, salted), signature)) {
      return { ok: false, reason: `the ${this.fips ? 'FIPS HMAC' : salted ? 'salted MAC' : 'MAC'} of packet ${count} does not verify: tampered, wrong keys, or ${this.fips ? 'out of sequence' : salted ? 'out of sequence or not salted' : 'salted (SEC_SECURE_CHECKSUM)'}` };
    }
    return { ok: true, data: plain.slice() };
  }
}
