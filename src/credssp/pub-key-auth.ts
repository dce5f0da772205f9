// pubKeyAuth contents ([MS-CSSP] 3.1.5 steps 3 and 4): what each side seals to bind the NTLM
// session to the server's TLS key. Before version 5 the client seals the TLS SubjectPublicKey and the
// server answers with its first byte plus one; from version 5 on (the CVE-2018-0886 fix) both send a
// SHA-256 over a magic string, the client's nonce and the key. "SubjectPublicKey" is the contents of
// the certificate's subjectPublicKey BIT STRING (for RSA, the RSAPublicKey DER).
import { createHash } from 'node:crypto';

/** [MS-CSSP] 2.2.1: the first version with clientNonce and the hashed pubKeyAuth. */
export const HASHED_PUB_KEY_AUTH_VERSION = 5;
/** clientNonce size ([MS-CSSP] 2.2.1: 32 bytes). */
export const CLIENT_NONCE_SIZE = 32;

const CLIENT_MAGIC = 'CredSSP Client-To-Server Binding Hash\0';
const SERVER_MAGIC = 'CredSSP Server-To-Client Binding Hash\0';

function bindingHash(magic: string, nonce: Uint8Array, key: Uint8Array): Uint8Array {
  if (nonce.length !== CLIENT_NONCE_SIZE) throw new RangeError(`clientNonce must be ${CLIENT_NONCE_SIZE} bytes, got ${nonce.length}`);
  return new Uint8Array(createHash('sha256').update(Buffer.from(magic, 'latin1')).update(nonce).update(key).digest());
}

/** What the client seals, for the version both sides use (the lower of theirs). */
export function clientPubKeyAuth(version: number, subjectPublicKey: Uint8Array, nonce?: Uint8Array): Uint8Array {
  if (version < HASHED_PUB_KEY_AUTH_VERSION) return subjectPublicKey.slice();
  if (!nonce) throw new RangeError(`CredSSP version ${version} needs a clientNonce`);
  return bindingHash(CLIENT_MAGIC, nonce, subjectPublicKey);
}

/** What the server must seal in answer. */
export function serverPubKeyAuth(version: number, subjectPublicKey: Uint8Array, nonce?: Uint8Array): Uint8Array {
  if (version < HASHED_PUB_KEY_AUTH_VERSION) {
    const out = subjectPublicKey.slice();
    if (out.length) out[0] = (out[0]! + 1) & 0xff;
    return out;
  }
  if (!nonce) throw new RangeError(`CredSSP version ${version} needs a clientNonce`);
  return bindingHash(SERVER_MAGIC, nonce, subjectPublicKey);
}
