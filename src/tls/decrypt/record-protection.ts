// Record decryption: TLS 1.3 AEAD (RFC 8446 §5.2-§5.4), TLS 1.2 AES-GCM (RFC 5288 §3, RFC 5246
// §6.2.3.3), ChaCha20-Poly1305 (RFC 7905 §2, RFC 8439 §2.8) and CBC with HMAC (RFC 5246 §6.2.3.2,
// TLS 1.0 chained IVs RFC 2246 §6.2.3.2), MAC-then-encrypt or encrypt-then-MAC (RFC 7366 §3).
// Every length is checked before it is used; a failure is returned as text, never thrown.
import { createDecipheriv, createHmac, timingSafeEqual, type CipherGCMTypes } from 'node:crypto';
import { cipherSuite } from '../cipher-suites.js';
import { TLS_VERSION } from '../versions.js';
import type { PrfHash } from './prf.js';

const TAG_LENGTH = 16;
/** RFC 5288 §3: GCM nonce = 4-byte implicit salt (key block) | 8-byte explicit nonce (record). */
const GCM_SALT_LENGTH = 4;
const GCM_EXPLICIT_NONCE_LENGTH = 8;
const CHACHA_IV_LENGTH = 12;

type AeadName = 'aes-128-gcm' | 'aes-256-gcm' | 'chacha20-poly1305';

export type Protection =
  | { kind: 'aead'; cipher: AeadName; keyLength: number; fixedIvLength: number }
  | { kind: 'cbc'; cipher: 'aes-128-cbc' | 'aes-256-cbc'; keyLength: number; blockSize: number; mac: 'sha1' | 'sha256' | 'sha384'; macLength: number };

export interface SuiteProtection {
  protection: Protection;
  /** TLS 1.2 PRF hash (RFC 5246 §5), TLS 1.3 HKDF hash (RFC 8446 §B.4) */
  hash: PrfHash;
  tls13: boolean;
  /** RSA key transport (RFC 5246 §7.4.7.1): a server's private key can decrypt the pre-master secret */
  rsaKeyExchange: boolean;
}

const AEADS: Record<string, { cipher: AeadName; keyLength: number }> = {
  AES_128_GCM: { cipher: 'aes-128-gcm', keyLength: 16 },
  AES_256_GCM: { cipher: 'aes-256-gcm', keyLength: 32 },
  CHACHA20_POLY1305: { cipher: 'chacha20-poly1305', keyLength: 32 },
};
const CBCS = {
  AES_128_CBC: { cipher: 'aes-128-cbc', keyLength: 16, blockSize: 16 },
  AES_256_CBC: { cipher: 'aes-256-cbc', keyLength: 32, blockSize: 16 },
} as const;
const MACS = { SHA1: { mac: 'sha1', macLength: 20 }, SHA256: { mac: 'sha256', macLength: 32 }, SHA384: { mac: 'sha384', macLength: 48 } } as const;

/** How a cipher suite protects records, or why this version cannot decrypt it. */
export function suiteProtection(id: number): SuiteProtection | string {
  const s = cipherSuite(id);
  if (!s) return `cipher suite 0x${id.toString(16).padStart(4, '0')} is unknown`;
  const hash: PrfHash = s.name.endsWith('_SHA384') ? 'sha384' : 'sha256';
  const base = { hash, tls13: s.tls13, rsaKeyExchange: s.kx === 'RSA' };
  const aead = AEADS[s.enc];
  if (aead) return { ...base, protection: { kind: 'aead', ...aead, fixedIvLength: s.tls13 || aead.cipher === 'chacha20-poly1305' ? CHACHA_IV_LENGTH : GCM_SALT_LENGTH } };
  const cbc = CBCS[s.enc as keyof typeof CBCS];
  const mac = MACS[s.mac as keyof typeof MACS];
  if (cbc && mac) return { ...base, protection: { kind: 'cbc', ...cbc, ...mac } };
  return `${s.name} is not decrypted by this version (AES-GCM, ChaCha20-Poly1305 and AES-CBC with HMAC are)`;
}

export interface Opened {
  /** the content type: the record's, or in TLS 1.3 the inner one (RFC 8446 §5.2) */
  type: number;
  plaintext: Uint8Array;
}

/** One direction's record protection; records must be opened in order (the sequence number counts them). */
export interface RecordCipher {
  open(type: number, version: number, fragment: Uint8Array): Opened | string;
}

/** 64-bit big-endian sequence number (RFC 5246 §6.1). */
function seqBytes(seq: number): Uint8Array {
  const b = new Uint8Array(8);
  const dv = new DataView(b.buffer);
  dv.setUint32(0, Math.floor(seq / 0x100000000));
  dv.setUint32(4, seq >>> 0);
  return b;
}

/** RFC 8446 §5.3 / RFC 7905 §2: the per-record nonce is the IV xor the sequence number, left-padded. */
export function xorNonce(iv: Uint8Array, seq: number): Uint8Array {
  const nonce = iv.slice();
  const s = seqBytes(seq);
  for (let i = 0; i < 8; i++) nonce[nonce.length - 8 + i]! ^= s[i]!;
  return nonce;
}

/** AEAD decryption; undefined when the tag does not verify. */
export function aeadOpen(cipher: AeadName, key: Uint8Array, nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  if (sealed.length < TAG_LENGTH) return undefined;
  // node types ChaCha20-Poly1305 like GCM: same tag and AAD calls
  const d = createDecipheriv(cipher as CipherGCMTypes, key, nonce, { authTagLength: TAG_LENGTH });
  d.setAAD(aad);
  d.setAuthTag(sealed.subarray(sealed.length - TAG_LENGTH));
  const body = d.update(sealed.subarray(0, sealed.length - TAG_LENGTH));
  try {
    return new Uint8Array(Buffer.concat([body, d.final()]));
  } catch {
    return undefined;
  }
}

/** RFC 5246 §6.2.3.3: additional_data = seq_num + type + version + length (of the plaintext). */
function aad12(seq: number, type: number, version: number, length: number): Uint8Array {
  const a = new Uint8Array(13);
  a.set(seqBytes(seq));
  a.set([type, version >>> 8, version & 0xff, length >>> 8, length & 0xff], 8);
  return a;
}

/** TLS 1.3 (RFC 8446 §5.2): AEAD over the record header, then the zero padding and inner content type come off. */
export function tls13Cipher(cipher: AeadName, key: Uint8Array, iv: Uint8Array): RecordCipher {
  let seq = 0;
  return {
    open(type, version, fragment) {
      const header = Uint8Array.of(type, version >>> 8, version & 0xff, fragment.length >>> 8, fragment.length & 0xff);
      const inner = aeadOpen(cipher, key, xorNonce(iv, seq), header, fragment);
      if (!inner) return `encrypted record ${seq + 1} does not decrypt: authentication tag mismatch`;
      seq++;
      let end = inner.length;
      while (end > 0 && inner[end - 1] === 0) end--;
      // §5.4: a record with no non-zero octet has no content type
      if (end === 0) return `encrypted record ${seq} decrypts to padding only, without a content type`;
      return { type: inner[end - 1]!, plaintext: inner.subarray(0, end - 1) };
    },
  };
}

/** TLS ≤ 1.2 AEAD: GCM with an explicit nonce (RFC 5288 §3) or ChaCha20-Poly1305 with the xor nonce (RFC 7905 §2). */
export function aead12Cipher(cipher: AeadName, key: Uint8Array, fixedIv: Uint8Array): RecordCipher {
  let seq = 0;
  const gcm = cipher !== 'chacha20-poly1305';
  return {
    open(type, version, fragment) {
      const explicit = gcm ? GCM_EXPLICIT_NONCE_LENGTH : 0;
      if (fragment.length < explicit + TAG_LENGTH) return `encrypted record ${seq + 1} is ${fragment.length} bytes, too short for its nonce and tag`;
      const nonce = gcm ? Buffer.concat([fixedIv, fragment.subarray(0, explicit)]) : xorNonce(fixedIv, seq);
      const sealed = fragment.subarray(explicit);
      const plain = aeadOpen(cipher, key, nonce, aad12(seq, type, version, sealed.length - TAG_LENGTH), sealed);
      if (!plain) return `encrypted record ${seq + 1} does not decrypt: authentication tag mismatch`;
      seq++;
      return { type, plaintext: plain };
    },
  };
}

/**
 * CBC with HMAC. TLS 1.1+ records start with their IV; TLS 1.0 chains the last ciphertext block
 * (`iv` from the key block first). Encrypt-then-MAC (RFC 7366 §3): the MAC covers IV + ciphertext
 * and is checked first; otherwise (RFC 5246 §6.2.3.2) it follows the content inside the padding.
 */
export function cbcCipher(p: Extract<Protection, { kind: 'cbc' }>, key: Uint8Array, macKey: Uint8Array, version: number, iv: Uint8Array, etm: boolean): RecordCipher {
  let seq = 0;
  let chained = iv;
  const explicitIv = version >= TLS_VERSION.TLS11;
  const mac = (type: number, recVersion: number, content: Uint8Array): Buffer =>
    createHmac(p.mac, macKey).update(aad12(seq, type, recVersion, content.length)).update(content).digest();
  return {
    open(type, recVersion, fragment) {
      const sealed = etm ? fragment.subarray(0, Math.max(0, fragment.length - p.macLength)) : fragment;
      const ivLength = explicitIv ? p.blockSize : 0;
      const body = sealed.subarray(ivLength);
      if (fragment.length < (etm ? p.macLength : 0) + ivLength + p.blockSize || body.length % p.blockSize !== 0) {
        return `encrypted record ${seq + 1} is ${fragment.length} bytes: not whole ${p.blockSize}-byte cipher blocks${etm ? ' and a MAC' : ''}`;
      }
      if (etm && !timingSafeEqual(mac(type, recVersion, sealed), fragment.subarray(sealed.length))) return `encrypted record ${seq + 1}: MAC mismatch (encrypt-then-MAC)`;
      const d = createDecipheriv(p.cipher, key, explicitIv ? sealed.subarray(0, ivLength) : chained).setAutoPadding(false);
      const plain = new Uint8Array(Buffer.concat([d.update(body), d.final()]));
      if (!explicitIv) chained = body.slice(body.length - p.blockSize);
      const pad = plain[plain.length - 1]!;
      const contentEnd = plain.length - pad - 1 - (etm ? 0 : p.macLength);
      if (contentEnd < 0 || plain.subarray(plain.length - pad - 1).some((b) => b !== pad)) return `encrypted record ${seq + 1}: bad CBC padding (wrong keys?)`;
      const content = plain.subarray(0, contentEnd);
      if (!etm && !timingSafeEqual(mac(type, recVersion, content), plain.subarray(contentEnd, contentEnd + p.macLength))) return `encrypted record ${seq + 1}: MAC mismatch`;
      seq++;
      return { type, plaintext: content };
    },
  };
}
