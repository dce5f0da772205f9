// RSA key transport (RFC 5246 §7.4.7.1): the ClientKeyExchange carries the 48-byte pre-master secret
// encrypted with RSAES-PKCS1-v1_5 to the server's certificate key. node:crypto no longer unpads
// PKCS#1 v1.5 in privateDecrypt (CVE-2023-46809), so the raw RSA result is unpadded here
// (RFC 8017 §7.2.2 step 3: EM = 0x00 || 0x02 || PS (8+ non-zero octets) || 0x00 || M).
import { constants, privateDecrypt, type KeyObject } from 'node:crypto';
import { ByteReader } from '../../wire/reader.js';
import { readVector } from '../extensions.js';
import { TLS_VERSION } from '../versions.js';

const PRE_MASTER_LENGTH = 48;
const MIN_PADDING = 8;

/** The encrypted pre-master secret of a ClientKeyExchange body (TLS 1.0+: opaque<0..2^16-1>; SSL 3.0: the bare bytes). */
export function encryptedPreMaster(body: Uint8Array, version: number): Uint8Array {
  if (version < TLS_VERSION.TLS10) return body;
  const r = new ByteReader(body, 'tls', 'ClientKeyExchange');
  return readVector(r, 2, 'EncryptedPreMasterSecret', 1).rest('EncryptedPreMasterSecret');
}

function unpad(em: Uint8Array): Uint8Array | undefined {
  if (em[0] !== 0 || em[1] !== 2) return undefined;
  const sep = em.indexOf(0, 2);
  if (sep < 2 + MIN_PADDING || em.length - sep - 1 !== PRE_MASTER_LENGTH) return undefined;
  return em.slice(sep + 1);
}

/** The pre-master secret, with the first of `keys` that decrypts it to a well-formed block; undefined if none does. */
export function decryptPreMaster(encrypted: Uint8Array, keys: readonly KeyObject[]): Uint8Array | undefined {
  for (const key of keys) {
    if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) !== encrypted.length * 8) continue;
    let em: Uint8Array;
    try {
      em = new Uint8Array(privateDecrypt({ key, padding: constants.RSA_NO_PADDING }, encrypted));
    } catch {
      continue; // the ciphertext is not below this key's modulus
    }
    const pm = unpad(em);
    if (pm) return pm;
  }
  return undefined;
}
