// RC4 keystream cipher: RC4K(K, D) of MS-NLMP §6 (EncryptedRandomSessionKey, 3.1.5.1.2) and the
// continuous RC4 handles of NTLM sealing (3.4.3, 3.4.4.2); checked against RFC 6229's test vectors.
// node:crypto offers RC4 only via OpenSSL's legacy provider.

/** An RC4 handle: the keystream continues across update() calls (MS-NLMP RC4Init/RC4). */
export class Rc4 {
  private readonly s = Uint8Array.from({ length: 256 }, (_, i) => i);
  private i = 0;
  private j = 0;

  /** key: 1..256 bytes */
  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError(`RC4 key of ${key.length} bytes`);
    const s = this.s;
    for (let i = 0, j = 0; i < 256; i++) {
      j = (j + s[i]! + key[i % key.length]!) & 0xff;
      [s[i], s[j]] = [s[j]!, s[i]!];
    }
  }

  /** Encrypts (or decrypts: the same operation) data with the next bytes of the keystream. */
  update(data: Uint8Array): Uint8Array {
    const s = this.s;
    const out = new Uint8Array(data.length);
    let { i, j } = this;
    for (let k = 0; k < data.length; k++) {
      i = (i + 1) & 0xff;
      j = (j + s[i]!) & 0xff;
      [s[i], s[j]] = [s[j]!, s[i]!];
      out[k] = data[k]! ^ s[(s[i]! + s[j]!) & 0xff]!;
    }
    this.i = i;
    this.j = j;
    return out;
  }
}

/** RC4 of data under a fresh key (1..256 bytes); encryption and decryption are the same operation. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new Rc4(key).update(data);
}
