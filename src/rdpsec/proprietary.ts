// The Terminal Services signing key ([MS-RDPBCGR] 5.3.3.1.1) and the signature of a Proprietary
// Certificate (PROPRIETARYSERVERCERTIFICATE, 2.2.1.4.3.1.1) made with it: signing (5.3.3.1.2) for a
// scenario server, validation (5.3.3.1.3) for clients and analysis.
//
// The signed data is the first six fields of the certificate, little-endian as on the wire:
// dwVersion, dwSigAlgId, dwKeyAlgId, wPublicKeyBlobType, wPublicKeyBlobLen and the PublicKeyBlob
// (RSA_PUBLIC_KEY), i.e. the certificate's first 16 + wPublicKeyBlobLen bytes. Its MD5 hash fills
// the first 16 bytes of a 63-byte block 00 FF .. FF 01 (bytes 17..63), which is signed as a
// little-endian integer: s = m^d mod n. The SignatureBlob is s little-endian in 64 bytes plus 8
// zero bytes (wSignatureBlobLen 0x48).
import { createHash } from 'node:crypto';
import { fromHex } from '../wire/hex.js';
import { fromLittleEndian, modPow, toLittleEndian } from './bigint.js';

const MODULUS_LE = `3d 3a 5e bd 72 43 3e c9 4d bb c1 1e 4a ba 5f cb 3e 88 20 87 ef f5 c1 e2 d7 b7 6b 9a f2 52 45 95
  ce 63 65 6b 58 3a fe ef 7c e7 bf fe 3d f6 5c 7d 6c 5e 06 09 1a f5 61 bb 20 93 09 5f 05 6d ea 87`;
const PRIVATE_EXPONENT_LE = `87 a7 19 32 da 11 87 55 58 00 16 16 25 65 68 f8 24 3e e6 fa e9 67 49 94 cf 92 cc 33 99 e8 08 60
  17 9a 12 9f 24 dd b1 24 99 c7 3a b8 0a 7b 0d dd 35 07 79 17 0b 51 9b b3 c7 10 01 13 e7 3f f3 5f`;
/** 4-byte public exponent 5b 7b 88 c0 (little-endian) */
const PUBLIC_EXPONENT = 0xc0887b5b;

const n = fromLittleEndian(fromHex(MODULUS_LE));
const d = fromLittleEndian(fromHex(PRIVATE_EXPONENT_LE));
const e = BigInt(PUBLIC_EXPONENT);

/**
 * The 512-bit Terminal Services signing key of 5.3.3.1.1 (published there little-endian; big-endian
 * here, the RsaPublicKey convention). Each read returns fresh arrays.
 */
export const TS_SIGNING_KEY: { readonly modulus: Uint8Array; readonly exponent: number; readonly privateExponent: Uint8Array } = Object.freeze({
  get modulus(): Uint8Array { return fromHex(MODULUS_LE).reverse(); },
  exponent: PUBLIC_EXPONENT,
  get privateExponent(): Uint8Array { return fromHex(PRIVATE_EXPONENT_LE).reverse(); },
});

/** Bytes of the signature value (the modulus size) and of the SignatureBlob (value + 8 zero bytes). */
export const PROPRIETARY_SIGNATURE_VALUE_SIZE = 64;
export const PROPRIETARY_SIGNATURE_SIZE = 72;
/** The block signed: MD5 (16 bytes), 0x00, 0xFF x 45, 0x01 (5.3.3.1.2): the modulus size minus 1. */
const BLOCK_SIZE = 63;
const HASH_SIZE = 16;

/** The 63-byte block of 5.3.3.1.2 for this signed data. */
export function proprietarySignatureBlock(signedData: Uint8Array): Uint8Array {
  const block = new Uint8Array(BLOCK_SIZE).fill(0xff);
  block.set(createHash('md5').update(signedData).digest());
  block[HASH_SIZE] = 0x00;
  block[BLOCK_SIZE - 1] = 0x01;
  return block;
}

/** 5.3.3.1.2 with the published private exponent: the 72-byte SignatureBlob over signedData. */
export function signProprietary(signedData: Uint8Array): Uint8Array {
  const s = modPow(fromLittleEndian(proprietarySignatureBlock(signedData)), d, n);
  const out = new Uint8Array(PROPRIETARY_SIGNATURE_SIZE);
  out.set(toLittleEndian(s, PROPRIETARY_SIGNATURE_VALUE_SIZE));
  return out;
}

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

/**
 * 5.3.3.1.3: decrypts the SignatureBlob (64 bytes, or 72 whose last 8 are zero) with the public
 * key and compares it with the block for signedData: the MD5 hash, then 0x00, 0xFF x 45, 0x01.
 * The reason names what differs (length, hash, padding).
 */
export function checkProprietarySignature(signedData: Uint8Array, signature: Uint8Array): SignatureCheck {
  // a capture repeats a server's certificate in every connection: the RSA operation is done once per content
  const key = `${hex(signedData)}/${hex(signature)}`;
  const hit = checked.get(key);
  if (hit) return hit;
  const result = checkUncached(signedData, signature);
  if (checked.size >= CHECKED_MAX) checked.delete(checked.keys().next().value!);
  checked.set(key, result);
  return result;
}

const CHECKED_MAX = 256;
const hex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
const checked = new Map<string, SignatureCheck>();

function checkUncached(signedData: Uint8Array, signature: Uint8Array): SignatureCheck {
  if (signature.length !== PROPRIETARY_SIGNATURE_VALUE_SIZE && signature.length !== PROPRIETARY_SIGNATURE_SIZE) {
    return { ok: false, reason: `SignatureBlob of ${signature.length} bytes (expected ${PROPRIETARY_SIGNATURE_SIZE}: 64 and 8 zero bytes)` };
  }
  if (signature.subarray(PROPRIETARY_SIGNATURE_VALUE_SIZE).some((b) => b !== 0)) {
    return { ok: false, reason: 'the 8 bytes after the 64-byte signature are not zero' };
  }
  const s = fromLittleEndian(signature.subarray(0, PROPRIETARY_SIGNATURE_VALUE_SIZE));
  if (s >= n) return { ok: false, reason: 'the signature is not below the Terminal Services modulus' };
  const m = toLittleEndian(modPow(s, e, n), PROPRIETARY_SIGNATURE_VALUE_SIZE);
  const expected = proprietarySignatureBlock(signedData);
  const padOk = m[PROPRIETARY_SIGNATURE_VALUE_SIZE - 1] === 0
    && m.subarray(HASH_SIZE, BLOCK_SIZE).every((b, i) => b === expected[HASH_SIZE + i]);
  const hashOk = m.subarray(0, HASH_SIZE).every((b, i) => b === expected[i]);
  if (!padOk) return { ok: false, reason: 'the signature does not decrypt to the 5.3.3.1.3 block (00 FF .. FF 01): not signed with the Terminal Services key' };
  if (!hashOk) return { ok: false, reason: 'the signed MD5 hash differs from the hash of the certificate\'s first six fields' };
  return { ok: true };
}

/** 5.3.3.1.3: signature is the Terminal Services signature of signedData. */
export function verifyProprietarySignature(signedData: Uint8Array, signature: Uint8Array): boolean {
  return checkProprietarySignature(signedData, signature).ok;
}
