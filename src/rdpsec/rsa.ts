// RSA of Standard RDP Security: the client random encrypted with the server's public key
// ([MS-RDPBCGR] 5.3.4.1) and its inverse for a scenario server, and the RSA public key of an X.509
// server certificate (Server Security Data with dwVersion CERT_CHAIN_VERSION_2, 2.2.1.4.3.1).
// The RSA is raw (c = r^e mod n, no PKCS#1 padding) over little-endian integers; the encrypted
// random is the modulus length plus 8 zero bytes ((bitlen / 8) + 8, the keylen of 2.2.1.4.3.1.1.1).
import { expectEnd, oid, readTlv, TAG } from '../credssp/der.js';
import { DecodeError } from '../wire/errors.js';
import { ByteReader } from '../wire/reader.js';
import { bitLength, fromBigEndian, fromLittleEndian, modPow, toLittleEndian } from './bigint.js';

/** Size of the client random and of the server random (5.3.4). */
export const CLIENT_RANDOM_SIZE = 32;
/** Modulus sizes accepted for server keys: the proprietary certificate uses 512 bits (5.3.3.1). */
export const MIN_MODULUS_BITS = 512;
export const MAX_MODULUS_BITS = 4096;
/** Zero bytes that follow the encrypted client random (5.3.4.1). */
export const ENCRYPTED_RANDOM_PADDING = 8;

/** An RSA public key: modulus big-endian (leading zero bytes allowed), public exponent. */
export interface RsaPublicKey {
  modulus: Uint8Array;
  exponent: number | bigint;
}

/** An RSA private key for raw decryption: modulus and private exponent d (big-endian bytes or a bigint). */
export interface RsaPrivateKey {
  modulus: Uint8Array;
  d: Uint8Array | bigint;
}

const PKCS1_ARC = '1.2.840.113549.1.1.';
const PDU = 'server certificate public key';

interface Checked { n: bigint; bytes: number }

function modulusProblem(modulus: Uint8Array): string | Checked {
  const n = fromBigEndian(modulus);
  const bits = bitLength(n);
  if (bits < MIN_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
    return `modulus of ${bits} bits (accepted: ${MIN_MODULUS_BITS}..${MAX_MODULUS_BITS})`;
  }
  if ((n & 1n) === 0n) return 'even modulus';
  return { n, bytes: Math.ceil(bits / 8) };
}

function exponentValue(e: number | bigint): bigint | undefined {
  if (typeof e === 'bigint') return e;
  return Number.isSafeInteger(e) ? BigInt(e) : undefined;
}

/**
 * Why `key` is unfit for 5.3.4.1 (modulus outside 512..4096 bits or even, exponent not in
 * 3..n-1), or undefined when it is fit. Decoders of untrusted certificates call this to report.
 */
export function rsaKeyProblem(key: RsaPublicKey): string | undefined {
  const m = modulusProblem(key.modulus);
  if (typeof m === 'string') return m;
  const e = exponentValue(key.exponent);
  if (e === undefined || e < 3n || e >= m.n) return `public exponent ${String(key.exponent)} is not in 3..n-1`;
  return undefined;
}

function checkedModulus(modulus: Uint8Array): Checked {
  const m = modulusProblem(modulus);
  if (typeof m === 'string') throw new RangeError(m);
  return m;
}

/** Bytes of the encrypted client random for this modulus: its byte length plus 8 (5.3.4.1). */
export function encryptedClientRandomSize(modulus: Uint8Array): number {
  return checkedModulus(modulus).bytes + ENCRYPTED_RANDOM_PADDING;
}

/**
 * [MS-RDPBCGR] 5.3.4.1: the 32-byte client random as a little-endian integer r, c = r^e mod n,
 * c little-endian in the modulus length, then 8 zero bytes; the encryptedClientRandom of the
 * Security Exchange PDU (2.2.1.10.1). RangeError for a random that is not 32 bytes or a key that
 * rsaKeyProblem() refuses (validate keys from the wire first).
 */
export function encryptClientRandom(clientRandom: Uint8Array, key: RsaPublicKey): Uint8Array {
  if (clientRandom.length !== CLIENT_RANDOM_SIZE) throw new RangeError(`client random of ${clientRandom.length} bytes, expected ${CLIENT_RANDOM_SIZE}`);
  const problem = rsaKeyProblem(key);
  if (problem) throw new RangeError(problem);
  const { n, bytes } = checkedModulus(key.modulus);
  const c = modPow(fromLittleEndian(clientRandom), exponentValue(key.exponent)!, n);
  const out = new Uint8Array(bytes + ENCRYPTED_RANDOM_PADDING);
  out.set(toLittleEndian(c, bytes));
  return out;
}

/**
 * The inverse of encryptClientRandom for a server holding the private key: the 32-byte client
 * random. `encrypted` is the encryptedClientRandom field (the modulus length, optionally followed
 * by the 8 zero bytes); untrusted, so problems are DecodeErrors (layer rdp, offsets from `base`).
 * RangeError for a private key whose modulus is outside 512..4096 bits.
 */
export function decryptClientRandom(encrypted: Uint8Array, privateKey: RsaPrivateKey, base = 0): Uint8Array {
  const { n, bytes } = checkedModulus(privateKey.modulus);
  const d = typeof privateKey.d === 'bigint' ? privateKey.d : fromBigEndian(privateKey.d);
  if (d <= 0n || d >= n) throw new RangeError('private exponent is not in 1..n-1');
  const err = (code: 'INVALID_FIELD' | 'NOT_ENOUGH_BYTES', reason: string, at = 0): DecodeError =>
    new DecodeError({ code, layer: 'rdp', pdu: 'Security Exchange PDU', field: 'encryptedClientRandom', offset: base + at, reason });
  if (encrypted.length !== bytes && encrypted.length !== bytes + ENCRYPTED_RANDOM_PADDING) {
    throw err(encrypted.length < bytes ? 'NOT_ENOUGH_BYTES' : 'INVALID_FIELD',
      `${encrypted.length} bytes for a ${bytes}-byte modulus (expected ${bytes + ENCRYPTED_RANDOM_PADDING}: the modulus length and 8 zero bytes)`);
  }
  const padding = encrypted.subarray(bytes);
  const nonZero = padding.findIndex((b) => b !== 0);
  if (nonZero >= 0) throw err('INVALID_FIELD', 'the 8 bytes after the encrypted value are not zero', bytes + nonZero);
  const c = fromLittleEndian(encrypted.subarray(0, bytes));
  if (c >= n) throw err('INVALID_FIELD', 'the encrypted value is not below the modulus');
  const plain = toLittleEndian(modPow(c, d, n), bytes);
  if (plain.subarray(CLIENT_RANDOM_SIZE).some((b) => b !== 0)) {
    throw err('INVALID_FIELD', 'decrypts to more than 32 bytes: not encrypted with this server\'s public key');
  }
  return plain.slice(0, CLIENT_RANDOM_SIZE);
}

/** DER INTEGER contents as an unsigned big-endian magnitude (negative values refused). */
function unsignedInteger(r: ByteReader, field: string): Uint8Array {
  const t = readTlv(r, field, TAG.integer);
  const v = t.body.rest(field);
  if (v.length === 0) throw t.body.error('INVALID_FIELD', field, 'empty INTEGER', t.at);
  if (v[0]! >= 0x80) throw t.body.error('INVALID_FIELD', field, 'negative INTEGER', t.at);
  let i = 0;
  while (i < v.length - 1 && v[i] === 0) i++;
  return v.slice(i);
}

/** RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 A.1.1). */
function rsaPublicKey(r: ByteReader): RsaPublicKey {
  const seq = readTlv(r, 'RSAPublicKey', TAG.sequence);
  const modulus = unsignedInteger(seq.body, 'modulus');
  const eAt = seq.body.absolute;
  const eBytes = unsignedInteger(seq.body, 'publicExponent');
  expectEnd(seq.body, 'RSAPublicKey');
  if (eBytes.length > 8) throw seq.body.error('LIMIT_EXCEEDED', 'publicExponent', `${eBytes.length}-byte exponent`, eAt);
  const e = fromBigEndian(eBytes);
  const key: RsaPublicKey = { modulus, exponent: e <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(e) : e };
  const problem = rsaKeyProblem(key);
  if (problem) throw seq.body.error(problem.startsWith('modulus') ? 'LIMIT_EXCEEDED' : 'INVALID_FIELD', 'RSAPublicKey', problem, seq.at);
  return key;
}

/**
 * SubjectPublicKeyInfo (RFC 5280 4.1.2.7) holding an RSA key. Any PKCS#1 algorithm OID
 * (1.2.840.113549.1.1.x) is accepted: Terminal Services license-server certificates are known to
 * label the key md5WithRSAEncryption (…1.4) instead of rsaEncryption (…1.1).
 */
function subjectPublicKeyInfo(r: ByteReader): RsaPublicKey {
  const spki = readTlv(r, 'subjectPublicKeyInfo', TAG.sequence).body;
  const alg = readTlv(spki, 'algorithm', TAG.sequence).body;
  const algOid = readTlv(alg, 'algorithm OID', TAG.oid);
  const dotted = oid(algOid, 'algorithm OID');
  if (!dotted.startsWith(PKCS1_ARC)) throw alg.error('UNSUPPORTED_VALUE', 'algorithm OID', `${dotted} is not an RSA (PKCS #1) key`, algOid.at);
  const bits = readTlv(spki, 'subjectPublicKey', TAG.bitString).body;
  const unused = bits.u8('subjectPublicKey unused bits');
  if (unused !== 0) throw bits.error('INVALID_FIELD', 'subjectPublicKey', `${unused} unused bits`, bits.absolute - 1);
  const key = rsaPublicKey(bits);
  expectEnd(bits, 'subjectPublicKey');
  expectEnd(spki, 'subjectPublicKeyInfo');
  return key;
}

/**
 * The RSA public key of a DER SubjectPublicKeyInfo, a PKCS#1 RSAPublicKey or a whole X.509
 * Certificate (its tbsCertificate's subjectPublicKeyInfo): modulus big-endian without leading zero
 * bytes, exponent a number (a bigint above 2^53). Untrusted input: DecodeError (layer rdp, offsets
 * from `base`) for malformed DER, a non-RSA key, or a key that rsaKeyProblem() refuses.
 */
export function rsaPublicKeyFromDer(der: Uint8Array, base = 0): RsaPublicKey {
  const r = new ByteReader(der, 'rdp', PDU, base);
  const first = r.peekU8();
  if (first !== TAG.sequence) throw r.error('UNEXPECTED_TYPE', 'outer SEQUENCE', first === undefined ? 'no bytes' : `tag 0x${first.toString(16).padStart(2, '0')}`);
  const probe = readTlv(new ByteReader(der, 'rdp', PDU, base), 'outer SEQUENCE', TAG.sequence).body;
  let key: RsaPublicKey;
  if (probe.peekU8() === TAG.integer) {
    key = rsaPublicKey(r);
  } else {
    const inner = readTlv(probe, 'first element', TAG.sequence).body;
    if (inner.peekU8() === TAG.oid) {
      key = subjectPublicKeyInfo(r);
    } else {
      // Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
      const tbs = readTlv(readTlv(r, 'Certificate', TAG.sequence).body, 'tbsCertificate', TAG.sequence).body;
      if (tbs.peekU8() === 0xa0) readTlv(tbs, 'version');
      for (const field of ['serialNumber', 'signature', 'issuer', 'validity', 'subject']) readTlv(tbs, field);
      key = subjectPublicKeyInfo(tbs);
    }
  }
  expectEnd(r, 'outer SEQUENCE');
  return key;
}
