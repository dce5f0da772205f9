// Session keys of Standard RDP Security ([MS-RDPBCGR] 5.3.5) from the client and server randoms:
// non-FIPS (5.3.5.1: SaltedHash/PreMasterHash/MasterHash/FinalHash, then the 40- and 56-bit
// salting), FIPS (5.3.5.2: SHA-1 keys expanded to 3DES keys, and the HMAC key), and the non-FIPS
// key update every 4,096 packets (5.3.7.1). Client-to-server traffic uses the client's encryption
// key (the server's decryption key); server-to-client the server's encryption key.
import { createHash } from 'node:crypto';
import { Rc4 } from '../credssp/rc4.js';
import { CLIENT_RANDOM_SIZE } from './rsa.js';
import { ENCRYPTION_METHOD } from '../rdp/security-header.js';

/** A method that derives keys (ENCRYPTION_METHOD_NONE does not). */
export type EncryptionMethod = 0x01 | 0x02 | 0x08 | 0x10;
export type RcEncryptionMethod = 0x01 | 0x02 | 0x08;
export type Role = 'client' | 'server';

/** One side's session keys. */
export interface SessionKeys {
  encryptionMethod: EncryptionMethod;
  role: Role;
  /** MACKeyN (5.3.5.1: 8 bytes for 40/56-bit, 16 for 128-bit) or the FIPS HMACKey (5.3.5.2: 20 bytes) */
  macKey: Uint8Array;
  /** initial key of what this side sends: client-to-server for the client, server-to-client for the server */
  encryptKey: Uint8Array;
  /** initial key of what this side receives */
  decryptKey: Uint8Array;
  /** bytes of encryptKey and decryptKey: 8 (40/56-bit RC4), 16 (128-bit RC4) or 24 (3DES) */
  keyLength: number;
}

/** Intermediate values of 5.3.5.1 (128-bit, before any salting). */
export interface NonFipsKeyMaterial {
  preMasterSecret: Uint8Array;
  masterSecret: Uint8Array;
  sessionKeyBlob: Uint8Array;
  macKey128: Uint8Array;
  /** InitialServerEncryptKey128 = InitialClientDecryptKey128 */
  serverEncryptKey128: Uint8Array;
  /** InitialServerDecryptKey128 = InitialClientEncryptKey128 */
  serverDecryptKey128: Uint8Array;
}

const sha1 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const md5 = (...parts: Uint8Array[]): Uint8Array => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const repeat = (byte: number, count: number): Uint8Array => new Uint8Array(count).fill(byte);

/** Pad1 and Pad2 of 5.3.6.1 and 5.3.7.1: 0x36 x 40 and 0x5C x 48. */
export const PAD1 = repeat(0x36, 40);
export const PAD2 = repeat(0x5c, 48);

function checkRandoms(clientRandom: Uint8Array, serverRandom: Uint8Array): void {
  if (clientRandom.length !== CLIENT_RANDOM_SIZE) throw new RangeError(`client random of ${clientRandom.length} bytes, expected ${CLIENT_RANDOM_SIZE}`);
  if (serverRandom.length !== CLIENT_RANDOM_SIZE) throw new RangeError(`server random of ${serverRandom.length} bytes, expected ${CLIENT_RANDOM_SIZE}`);
}

/** 5.3.5.1 up to the 128-bit keys. RangeError unless both randoms are 32 bytes. */
export function nonFipsKeyMaterial(clientRandom: Uint8Array, serverRandom: Uint8Array): NonFipsKeyMaterial {
  checkRandoms(clientRandom, serverRandom);
  // SaltedHash(S, I) = MD5(S + SHA(I + S + ClientRandom + ServerRandom))
  const saltedHash = (s: Uint8Array, i: Uint8Array): Uint8Array => md5(s, sha1(i, s, clientRandom, serverRandom));
  const hashes = (s: Uint8Array, letter: number): Uint8Array => {
    const out = new Uint8Array(48);
    for (let k = 0; k < 3; k++) out.set(saltedHash(s, repeat(letter + k, k + 1)), 16 * k);
    return out;
  };
  // PreMasterSecret = First192Bits(ClientRandom) + First192Bits(ServerRandom)
  const preMasterSecret = new Uint8Array(48);
  preMasterSecret.set(clientRandom.subarray(0, 24));
  preMasterSecret.set(serverRandom.subarray(0, 24), 24);
  // MasterSecret = PreMasterHash(0x41) + PreMasterHash(0x4242) + PreMasterHash(0x434343)
  const masterSecret = hashes(preMasterSecret, 0x41);
  // SessionKeyBlob = MasterHash(0x58) + MasterHash(0x5959) + MasterHash(0x5A5A5A)
  const sessionKeyBlob = hashes(masterSecret, 0x58);
  // FinalHash(K) = MD5(K + ClientRandom + ServerRandom)
  const finalHash = (k: Uint8Array): Uint8Array => md5(k, clientRandom, serverRandom);
  return {
    preMasterSecret,
    masterSecret,
    sessionKeyBlob,
    macKey128: sessionKeyBlob.slice(0, 16),
    serverEncryptKey128: finalHash(sessionKeyBlob.subarray(16, 32)),
    serverDecryptKey128: finalHash(sessionKeyBlob.subarray(32, 48)),
  };
}

/** Salt of the 40- and 56-bit keys (5.3.5.1): it replaces the first bytes of an 8-byte key. */
const SALT: Record<RcEncryptionMethod, Uint8Array> = { 0x01: Uint8Array.of(0xd1, 0x26, 0x9e), 0x08: Uint8Array.of(0xd1), 0x02: new Uint8Array(0) };

/** RC4 key length of a non-FIPS method (Table 1 of 5.3.5.1): 8 bytes for 40/56-bit, 16 for 128-bit. */
export function rc4KeyLength(method: RcEncryptionMethod): number {
  return method === ENCRYPTION_METHOD.BIT_128 ? 16 : 8;
}

/**
 * The key of a non-FIPS method from a 128-bit (or at least 8-byte) one: 128-bit keys unchanged;
 * 40-bit 0xD1269E + Last40Bits(First64Bits(K)); 56-bit 0xD1 + Last56Bits(First64Bits(K)).
 */
export function saltKey(key: Uint8Array, method: RcEncryptionMethod): Uint8Array {
  const length = rc4KeyLength(method);
  if (key.length < length) throw new RangeError(`key of ${key.length} bytes, need ${length}`);
  const out = key.slice(0, length);
  out.set(SALT[method]);
  return out;
}

/**
 * 5.3.5.2: a 168-bit (21-byte) key to a 192-bit 3DES key: reverse the bits of every byte, insert a
 * zero bit after every seventh bit, reverse every byte again, then set each byte's least
 * significant bit for odd parity.
 */
export function expandDesKey(key21: Uint8Array): Uint8Array {
  if (key21.length !== 21) throw new RangeError(`3DES key expansion takes 21 bytes, got ${key21.length}`);
  const reverse = (b: number): number => {
    let r = 0;
    for (let i = 0; i < 8; i++) r |= ((b >> i) & 1) << (7 - i);
    return r;
  };
  const bit = (i: number): number => (reverse(key21[i >> 3]!) >> (7 - (i & 7))) & 1;
  const out = new Uint8Array(24);
  for (let j = 0; j < 24; j++) {
    let v = 0;
    for (let k = 0; k < 7; k++) v |= bit(7 * j + k) << (7 - k);
    v = reverse(v);
    let ones = 0;
    for (let k = 1; k < 8; k++) ones += (v >> k) & 1;
    out[j] = (v & 0xfe) | (ones % 2 === 0 ? 1 : 0);
  }
  return out;
}

/** Intermediate values of 5.3.5.2. */
export interface FipsKeyMaterial {
  /** ClientEncryptKeyT = ServerDecryptKeyT = SHA(Last128Bits(ClientRandom) + Last128Bits(ServerRandom)) */
  clientEncryptKeyT: Uint8Array;
  /** ClientDecryptKeyT = ServerEncryptKeyT = SHA(First128Bits(ClientRandom) + First128Bits(ServerRandom)) */
  clientDecryptKeyT: Uint8Array;
  /** 3DES keys: KeyT + First8Bits(KeyT), expanded to 24 bytes */
  clientEncryptKey: Uint8Array;
  clientDecryptKey: Uint8Array;
  /** HMACKey = SHA(ClientDecryptKeyT + ClientEncryptKeyT) */
  hmacKey: Uint8Array;
}

/** 5.3.5.2. RangeError unless both randoms are 32 bytes. */
export function fipsKeyMaterial(clientRandom: Uint8Array, serverRandom: Uint8Array): FipsKeyMaterial {
  checkRandoms(clientRandom, serverRandom);
  const clientEncryptKeyT = sha1(clientRandom.subarray(16), serverRandom.subarray(16));
  const clientDecryptKeyT = sha1(clientRandom.subarray(0, 16), serverRandom.subarray(0, 16));
  const widen = (t: Uint8Array): Uint8Array => {
    const k = new Uint8Array(21);
    k.set(t);
    k[20] = t[0]!;
    return expandDesKey(k);
  };
  return {
    clientEncryptKeyT,
    clientDecryptKeyT,
    clientEncryptKey: widen(clientEncryptKeyT),
    clientDecryptKey: widen(clientDecryptKeyT),
    hmacKey: sha1(clientDecryptKeyT, clientEncryptKeyT),
  };
}

function checkMethod(method: number): asserts method is EncryptionMethod {
  if (method !== 0x01 && method !== 0x02 && method !== 0x08 && method !== 0x10) {
    throw new RangeError(`encryption method 0x${method.toString(16)} derives no keys (expected 40-bit 0x01, 128-bit 0x02, 56-bit 0x08 or FIPS 0x10)`);
  }
}

/**
 * This side's initial session keys (5.3.5). Both randoms must be 32 bytes and the method one of
 * 40-bit, 56-bit, 128-bit or FIPS (RangeError otherwise). role defaults to 'client'; the server's
 * encryptKey is the client's decryptKey and the other way round.
 */
export function deriveSessionKeys(opts: {
  clientRandom: Uint8Array;
  serverRandom: Uint8Array;
  encryptionMethod: number;
  role?: Role;
}): SessionKeys {
  const { clientRandom, serverRandom, encryptionMethod } = opts;
  const role = opts.role ?? 'client';
  checkMethod(encryptionMethod);
  let macKey: Uint8Array;
  let clientEncrypt: Uint8Array;
  let clientDecrypt: Uint8Array;
  if (encryptionMethod === ENCRYPTION_METHOD.FIPS) {
    const m = fipsKeyMaterial(clientRandom, serverRandom);
    macKey = m.hmacKey;
    clientEncrypt = m.clientEncryptKey;
    clientDecrypt = m.clientDecryptKey;
  } else {
    const m = nonFipsKeyMaterial(clientRandom, serverRandom);
    macKey = saltKey(m.macKey128, encryptionMethod);
    clientEncrypt = saltKey(m.serverDecryptKey128, encryptionMethod);
    clientDecrypt = saltKey(m.serverEncryptKey128, encryptionMethod);
  }
  return {
    encryptionMethod,
    role,
    macKey,
    encryptKey: role === 'client' ? clientEncrypt : clientDecrypt,
    decryptKey: role === 'client' ? clientDecrypt : clientEncrypt,
    keyLength: clientEncrypt.length,
  };
}

/**
 * 5.3.7.1: the next key of one direction from its initial and current keys (8 bytes for 40/56-bit,
 * 16 for 128-bit). SHAComponent = SHA(Initial + Pad1 + Current); TempKey128 = MD5(Initial + Pad2 +
 * SHAComponent); the new key is TempKey (its first 64 bits for 40/56-bit) RC4-encrypted under
 * itself, re-salted for 40/56-bit.
 */
export function updateSessionKey(initialKey: Uint8Array, currentKey: Uint8Array, method: RcEncryptionMethod): Uint8Array {
  const length = rc4KeyLength(method);
  if (initialKey.length !== length || currentKey.length !== length) {
    throw new RangeError(`key update for method 0x${method.toString(16)} takes ${length}-byte keys`);
  }
  const temp = md5(initialKey, PAD2, sha1(initialKey, PAD1, currentKey)).subarray(0, length);
  const next = new Rc4(temp).update(temp);
  return method === ENCRYPTION_METHOD.BIT_128 ? next : saltKey(next, method);
}
