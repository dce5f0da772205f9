// The TLS pseudorandom function and what TLS ≤ 1.2 derives with it: RFC 5246 §5 (TLS 1.2: P_hash
// with SHA-256 or the suite's PRF hash), RFC 2246 §5 / RFC 4346 §5 (TLS 1.0/1.1: P_MD5 xor P_SHA1 over
// the two halves of the secret), the master secret (RFC 5246 §8.1, extended: RFC 7627 §4) and the key
// block (RFC 5246 §6.3).
import { createHash, createHmac } from 'node:crypto';
import { latin1Bytes } from '../../wire/text.js';
import { concatBytes } from '../../wire/writer.js';
import { TLS_VERSION } from '../versions.js';

export type PrfHash = 'sha256' | 'sha384';

/** RFC 5246 §5: P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ..., A(i) = HMAC(secret, A(i-1)). */
function pHash(hash: string, secret: Uint8Array, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed;
  for (let off = 0; off < length;) {
    a = new Uint8Array(createHmac(hash, secret).update(a).digest());
    const block = createHmac(hash, secret).update(a).update(seed).digest();
    out.set(block.subarray(0, Math.min(block.length, length - off)), off);
    off += block.length;
  }
  return out;
}

/** PRF(secret, label, seed) for the negotiated version; `hash` is the TLS 1.2 PRF hash. */
export function prf(version: number, hash: PrfHash, secret: Uint8Array, label: string, seed: Uint8Array, length: number): Uint8Array {
  const labelSeed = concatBytes([latin1Bytes(label), seed]);
  if (version >= TLS_VERSION.TLS12) return pHash(hash, secret, labelSeed, length);
  // RFC 2246 §5: S1 and S2 are the halves of the secret, sharing the middle byte when its length is odd
  const half = Math.ceil(secret.length / 2);
  const md5 = pHash('md5', secret.subarray(0, half), labelSeed, length);
  const sha1 = pHash('sha1', secret.subarray(secret.length - half), labelSeed, length);
  return md5.map((b, i) => b ^ sha1[i]!);
}

/** The session hash of RFC 7627 §3: the PRF hash (TLS 1.2) or MD5 || SHA-1 (TLS 1.0/1.1) of the handshake messages. */
export function sessionHash(version: number, hash: PrfHash, transcript: Uint8Array): Uint8Array {
  if (version >= TLS_VERSION.TLS12) return new Uint8Array(createHash(hash).update(transcript).digest());
  return concatBytes([createHash('md5').update(transcript).digest(), createHash('sha1').update(transcript).digest()]);
}

/**
 * RFC 5246 §8.1: master_secret = PRF(pre_master_secret, "master secret", client_random + server_random)[0..47];
 * with extended master secret (RFC 7627 §4) the seed is the session hash instead.
 */
export function masterSecret(
  version: number, hash: PrfHash, preMaster: Uint8Array,
  seed: { clientRandom: Uint8Array; serverRandom: Uint8Array } | { sessionHash: Uint8Array },
): Uint8Array {
  return 'sessionHash' in seed
    ? prf(version, hash, preMaster, 'extended master secret', seed.sessionHash, 48)
    : prf(version, hash, preMaster, 'master secret', concatBytes([seed.clientRandom, seed.serverRandom]), 48);
}

/** RFC 5246 §6.3: key_block = PRF(master_secret, "key expansion", server_random + client_random). */
export function keyBlock(version: number, hash: PrfHash, master: Uint8Array, clientRandom: Uint8Array, serverRandom: Uint8Array, length: number): Uint8Array {
  return prf(version, hash, master, 'key expansion', concatBytes([serverRandom, clientRandom]), length);
}
