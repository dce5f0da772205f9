// TLS 1.3 keys from a traffic secret (the key log gives the secrets; RFC 8446 §7.1 derives them):
// HKDF-Expand (RFC 5869 §2.3), HKDF-Expand-Label (RFC 8446 §7.1), the traffic key and IV (§7.3) and
// the next application traffic secret after a KeyUpdate (§7.2).
import { createHmac } from 'node:crypto';
import { latin1Bytes } from '../../wire/text.js';
import { concatBytes } from '../../wire/writer.js';
import type { PrfHash } from './prf.js';

const HASH_LENGTH: Record<PrfHash, number> = { sha256: 32, sha384: 48 };
/** Every TLS 1.3 AEAD has a 12-byte nonce (RFC 8446 §5.3: iv_length = max(8, N_MIN) = 12). */
const TLS13_IV_LENGTH = 12;

/** RFC 5869 §2.3: T(i) = HMAC(PRK, T(i-1) | info | i), output the first `length` bytes. */
function hkdfExpand(hash: PrfHash, prk: Uint8Array, info: Uint8Array, length: number): Uint8Array {
  if (length > 255 * HASH_LENGTH[hash]) throw new RangeError(`HKDF-Expand of ${length} bytes`);
  const out = new Uint8Array(length);
  let t: Uint8Array = new Uint8Array(0);
  for (let i = 1, off = 0; off < length; i++) {
    t = new Uint8Array(createHmac(hash, prk).update(t).update(info).update(Uint8Array.of(i)).digest());
    out.set(t.subarray(0, Math.min(t.length, length - off)), off);
    off += t.length;
  }
  return out;
}

/** RFC 8446 §7.1: HkdfLabel = uint16 length | opaque label<7..255> = "tls13 " + Label | opaque context<0..255>. */
export function hkdfExpandLabel(hash: PrfHash, secret: Uint8Array, label: string, context: Uint8Array, length: number): Uint8Array {
  const full = latin1Bytes(`tls13 ${label}`);
  const info = concatBytes([Uint8Array.of(length >>> 8, length & 0xff, full.length), full, Uint8Array.of(context.length), context]);
  return hkdfExpand(hash, secret, info, length);
}

/** RFC 8446 §7.3: write key = HKDF-Expand-Label(Secret, "key", "", key_length), IV likewise with "iv". */
export function trafficKeys(hash: PrfHash, secret: Uint8Array, keyLength: number): { key: Uint8Array; iv: Uint8Array } {
  const none = new Uint8Array(0);
  return { key: hkdfExpandLabel(hash, secret, 'key', none, keyLength), iv: hkdfExpandLabel(hash, secret, 'iv', none, TLS13_IV_LENGTH) };
}

/** RFC 8446 §7.2: application_traffic_secret_N+1 = HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length). */
export function nextTrafficSecret(hash: PrfHash, secret: Uint8Array): Uint8Array {
  return hkdfExpandLabel(hash, secret, 'traffic upd', new Uint8Array(0), HASH_LENGTH[hash]);
}
