// Licensing keys of [MS-RDPELE] 5.1: the server's RSA public key from the License Request's
// ServerCertificate (5.1.1.1: a proprietary certificate, or the leaf, last, certificate of an X.509
// chain), the premaster secret RSA-encrypted with it (5.1.1.1, the raw little-endian RSA of
// [MS-RDPBCGR] 5.3.4.1: the modulus length, then 8 zero bytes), the keys derived from the premaster
// secret and both randoms (5.1.2), RC4 of licensing data (5.1.3, 5.1.4: a fresh RC4 of the licensing
// encryption key for every encrypted field), and the 16-byte MAC (5.1.5).
//   SaltedHash(S, I)  = MD5(S + SHA-1(I + S + ClientRandom + ServerRandom))
//   MasterSecret      = SaltedHash(PremasterSecret, 'A') + ('BB') + ('CCC')
//   SaltedHash2(S, I) = MD5(S + SHA-1(I + S + ServerRandom + ClientRandom))   (randoms swapped)
//   SessionKeyBlob    = SaltedHash2(MasterSecret, 'A') + ('BB') + ('CCC')
//   MAC-salt-key      = First128Bits(SessionKeyBlob)
//   LicensingEncryptionKey = MD5(Second128Bits(SessionKeyBlob) + ClientRandom + ServerRandom)
//   MACData = MD5(MAC-salt-key + Pad2 + SHA-1(MAC-salt-key + Pad1 + u32le(length) + data))
import { createHash } from 'node:crypto';
import { readTlv, TAG } from '../credssp/der.js';
import { rc4 } from '../credssp/rc4.js';
import { decodeServerCertificate } from '../gcc/certificate.js';
import { bitLength, fromBigEndian, fromLittleEndian, modPow, toLittleEndian } from '../rdpsec/bigint.js';
import { PAD1, PAD2 } from '../rdpsec/keys.js';
import { ENCRYPTED_RANDOM_PADDING, MAX_MODULUS_BITS, rsaPublicKeyFromDer } from '../rdpsec/rsa.js';
import { DecodeError } from '../wire/errors.js';
import { ByteReader } from '../wire/reader.js';
import { latin1Bytes } from '../wire/text.js';

/** ClientRandom and ServerRandom (5.1.1). */
export const LICENSING_RANDOM_SIZE = 32;
/** The premaster secret (5.1.1). */
export const PREMASTER_SECRET_SIZE = 48;
/** MAC-salt-key and LicensingEncryptionKey (5.1.2). */
export const LICENSING_KEY_SIZE = 16;
/**
 * Smallest modulus for the premaster secret: above 384 bits, so that any 48-byte secret is below it.
 * (Not rsaKeyProblem's 512: xrdp's built-in licensing key has bitlen 512 but a 511-bit value.)
 */
export const MIN_LICENSING_MODULUS_BITS = 8 * PREMASTER_SECRET_SIZE + 1;

/** 5.1.2, with the intermediate values. */
export interface LicensingKeys {
  masterSecret: Uint8Array;
  sessionKeyBlob: Uint8Array;
  macSaltKey: Uint8Array;
  licensingEncryptionKey: Uint8Array;
}

/** An RSA public key: modulus big-endian, in the byte length the certificate gives it. */
export interface LicensingRsaKey {
  modulus: Uint8Array;
  exponent: number | bigint;
}

const hash = (alg: 'md5' | 'sha1', ...parts: Uint8Array[]): Uint8Array => {
  const h = createHash(alg);
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
};
const u32le = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
const SALTS = ['A', 'BB', 'CCC'].map((s) => latin1Bytes(s));

function checkSize(b: Uint8Array, size: number, what: string): void {
  if (b.length !== size) throw new RangeError(`${what} of ${b.length} bytes, expected ${size}`);
}

/** 5.1.2. RangeError unless the premaster secret is 48 bytes and both randoms 32. */
export function deriveLicensingKeys(o: { premasterSecret: Uint8Array; clientRandom: Uint8Array; serverRandom: Uint8Array }): LicensingKeys {
  const { premasterSecret, clientRandom, serverRandom } = o;
  checkSize(premasterSecret, PREMASTER_SECRET_SIZE, 'premaster secret');
  checkSize(clientRandom, LICENSING_RANDOM_SIZE, 'client random');
  checkSize(serverRandom, LICENSING_RANDOM_SIZE, 'server random');
  const hashes = (s: Uint8Array, first: Uint8Array, second: Uint8Array): Uint8Array => {
    const out = new Uint8Array(48);
    SALTS.forEach((i, k) => out.set(hash('md5', s, hash('sha1', i, s, first, second)), 16 * k));
    return out;
  };
  const masterSecret = hashes(premasterSecret, clientRandom, serverRandom);
  const sessionKeyBlob = hashes(masterSecret, serverRandom, clientRandom);
  return {
    masterSecret,
    sessionKeyBlob,
    macSaltKey: sessionKeyBlob.slice(0, LICENSING_KEY_SIZE),
    licensingEncryptionKey: hash('md5', sessionKeyBlob.subarray(16, 32), clientRandom, serverRandom),
  };
}

/** 5.1.5: the 16-byte MACData of plaintext licensing data. */
export function licensingMac(macSaltKey: Uint8Array, data: Uint8Array): Uint8Array {
  return hash('md5', macSaltKey, PAD2, hash('sha1', macSaltKey, PAD1, u32le(data.length), data));
}

/** 5.1.3 and 5.1.4: RC4 under the licensing encryption key, from the start of its keystream. */
export function licensingRc4(licensingEncryptionKey: Uint8Array, data: Uint8Array): Uint8Array {
  return rc4(licensingEncryptionKey, data);
}

/** Why `key` cannot carry the premaster secret (even modulus, size, exponent), or undefined. */
export function licensingKeyProblem(key: LicensingRsaKey): string | undefined {
  const n = fromBigEndian(key.modulus);
  const bits = bitLength(n);
  if (bits < MIN_LICENSING_MODULUS_BITS || bits > MAX_MODULUS_BITS) {
    return `modulus of ${bits} bits (accepted: ${MIN_LICENSING_MODULUS_BITS}..${MAX_MODULUS_BITS})`;
  }
  if ((n & 1n) === 0n) return 'even modulus';
  const e = typeof key.exponent === 'bigint' ? key.exponent : Number.isSafeInteger(key.exponent) ? BigInt(key.exponent) : -1n;
  if (e < 3n || e >= n) return `public exponent ${String(key.exponent)} is not in 3..n-1`;
  return undefined;
}

/**
 * 5.1.1.1: the 48-byte premaster secret as a little-endian integer m, c = m^e mod n little-endian in
 * the modulus length, then 8 zero bytes: the EncryptedPreMasterSecret blob data. RangeError for a
 * secret that is not 48 bytes or a key licensingKeyProblem() refuses (check keys from the wire first).
 */
export function encryptPremasterSecret(premasterSecret: Uint8Array, key: LicensingRsaKey): Uint8Array {
  checkSize(premasterSecret, PREMASTER_SECRET_SIZE, 'premaster secret');
  const problem = licensingKeyProblem(key);
  if (problem) throw new RangeError(problem);
  const n = fromBigEndian(key.modulus);
  const c = modPow(fromLittleEndian(premasterSecret), BigInt(key.exponent), n);
  const out = new Uint8Array(key.modulus.length + ENCRYPTED_RANDOM_PADDING);
  out.set(toLittleEndian(c, key.modulus.length));
  return out;
}

const PDU = 'Server License Request';

/** A DecodeError of a nested decoder, restated in layer rdp under the enclosing PDU and field. */
function restated(e: unknown, pdu: string, field: string): unknown {
  if (!(e instanceof DecodeError)) return e;
  return new DecodeError({ code: e.code, layer: 'rdp', pdu, field: `${field}.${e.field}`, offset: e.offset, reason: e.reason });
}

/**
 * The RSA key of an X.509 certificate's subjectPublicKeyInfo, whatever its algorithm OID: license
 * server certificates label RSA keys 1.3.14.3.2.15 (OIW shaWithRSASignature) or md5WithRSAEncryption.
 */
function x509Key(der: Uint8Array, base: number): LicensingRsaKey {
  const r = new ByteReader(der, 'rdp', PDU, base);
  const tbs = readTlv(readTlv(r, 'Certificate', TAG.sequence).body, 'tbsCertificate', TAG.sequence).body;
  if (tbs.peekU8() === 0xa0) readTlv(tbs, 'version');
  for (const field of ['serialNumber', 'signature', 'issuer', 'validity', 'subject']) readTlv(tbs, field);
  const spki = readTlv(tbs, 'subjectPublicKeyInfo', TAG.sequence).body;
  readTlv(spki, 'algorithm', TAG.sequence);
  const bits = readTlv(spki, 'subjectPublicKey', TAG.bitString).body;
  const unusedAt = bits.absolute;
  const unused = bits.u8('subjectPublicKey unused bits');
  if (unused !== 0) throw bits.error('INVALID_FIELD', 'subjectPublicKey', `${unused} unused bits`, unusedAt);
  const at = bits.absolute;
  return rsaPublicKeyFromDer(bits.rest('subjectPublicKey'), at);
}

/**
 * The server's public key for the premaster secret from a SERVER_CERTIFICATE ([MS-RDPBCGR]
 * 2.2.1.4.3.1) at absolute offset `base`: the proprietary certificate's key, or the last X.509
 * certificate's. Untrusted: DecodeError (layer rdp, naming `pdu` and `field`) for a malformed
 * certificate or an unusable key.
 */
export function licensingServerKey(certificate: Uint8Array, base = 0, pdu = PDU, field = 'ServerCertificate'): LicensingRsaKey {
  let key: LicensingRsaKey;
  try {
    const c = decodeServerCertificate(certificate, base);
    if (c.kind === 'proprietary') {
      key = { modulus: c.publicKey.modulus, exponent: c.publicKey.exponent };
    } else {
      // dwVersion, NumCertBlobs, then { cbCert, abCert } per certificate
      let at = base + 8;
      for (const der of c.chain.slice(0, -1)) at += 4 + der.length;
      key = x509Key(c.chain.at(-1)!, at + 4);
    }
  } catch (e) {
    throw restated(e, pdu, field);
  }
  const problem = licensingKeyProblem(key);
  if (problem) {
    throw new DecodeError({
      code: problem.startsWith('modulus') ? 'LIMIT_EXCEEDED' : 'INVALID_FIELD', layer: 'rdp', pdu, field: `${field}.publicKey`,
      offset: base, reason: `${problem}: unusable for the premaster secret (5.1.1.1)`,
    });
  }
  return key;
}
