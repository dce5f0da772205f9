// Session key derivation of Standard RDP Security ([MS-RDPBCGR] 5.3.5) and the key update (5.3.7.1).
// Vectors: the 5.3.5.2 3DES key expansion example, and a worked 5.3.5.1 example (the client and
// server randoms below with every intermediate value) that circulates with public annotated copies
// of the specification; it is not in the current [MS-RDPBCGR] text. Everything else is checked
// against the formulas recomputed here with node:crypto.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { Rc4 } from '../../src/credssp/rc4.js';
import {
  deriveSessionKeys, expandDesKey, fipsKeyMaterial, nonFipsKeyMaterial, rc4KeyLength, saltKey,
  updateSessionKey,
} from '../../src/rdpsec/keys.js';
import { ENCRYPTION_METHOD } from '../../src/rdp/security-header.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const h = (s: string): string => s.replace(/\s/g, '');
const sha1 = (...p: Uint8Array[]): Uint8Array => { const x = createHash('sha1'); p.forEach((b) => x.update(b)); return new Uint8Array(x.digest()); };
const md5 = (...p: Uint8Array[]): Uint8Array => { const x = createHash('md5'); p.forEach((b) => x.update(b)); return new Uint8Array(x.digest()); };

const EXAMPLE = {
  clientRandom: fromHex('f1 0b 35 78 df 9e cc 37 9c 4e 65 68 f2 32 87 5e 23 97 87 b6 91 65 21 bb c6 b0 86 81 1d 78 f3 c5'),
  serverRandom: fromHex('7a fb 29 5b 7e 19 74 67 ae 88 a1 ad 80 bf 8c 6c e0 16 4b 03 82 16 10 bd a2 8c 85 5f 48 74 85 7e'),
  /** SHA1('A' + PreMasterSecret + ClientRandom + ServerRandom), inside PreMasterHash('A') */
  shaA: '14 cf 3a 70 31 ee cb bb a8 9b 7b f3 0b b1 02 c3 3a 55 67 be',
  masterSecret: `03 75 89 f4 30 6c 14 35 69 f5 66 db 28 22 a9 f8 c7 3a ab 7a 66 0f 8e 65 76 af aa 56 23 6d 9d c9
    7b bc 03 05 4a c9 5e 2a 76 4c 65 3a 13 36 14 b4`,
  sessionKeyBlob: `15 0e 4f 19 89 ae be 30 5f 08 ab 26 4a 2d 66 26 ee d7 8c 87 7f c5 bf 60 46 35 63 f4 ea 86 76 fa
    f1 4d f1 d4 34 f1 d8 ea 2c d9 4a af 9a 05 84 f3`,
  macKey: '15 0e 4f 19 89 ae be 30 5f 08 ab 26 4a 2d 66 26',
  /** ServerEncryption / ClientDecryption */
  serverEncrypt: '59 8d b3 6b 64 bd 07 75 85 8a f6 28 5f ba 94 30',
  /** ServerDecryption / ClientEncryption */
  serverDecrypt: 'cd 8c 18 db d4 34 bd 2f 9e 9a 3d b4 ee 11 af 92',
};

describe('5.3.5.1 non-FIPS key generation: worked example', () => {
  const m = nonFipsKeyMaterial(EXAMPLE.clientRandom, EXAMPLE.serverRandom);

  it('PreMasterSecret = First192Bits(ClientRandom) + First192Bits(ServerRandom)', () => {
    expect(hex(m.preMasterSecret)).toBe(hex(EXAMPLE.clientRandom.subarray(0, 24)) + hex(EXAMPLE.serverRandom.subarray(0, 24)));
    expect(hex(sha1(Uint8Array.of(0x41), m.preMasterSecret, EXAMPLE.clientRandom, EXAMPLE.serverRandom))).toBe(h(EXAMPLE.shaA));
  });

  it('MasterSecret, SessionKeyBlob, MACKey128 and the initial 128-bit keys', () => {
    expect(hex(m.masterSecret)).toBe(h(EXAMPLE.masterSecret));
    expect(hex(m.sessionKeyBlob)).toBe(h(EXAMPLE.sessionKeyBlob));
    expect(hex(m.macKey128)).toBe(h(EXAMPLE.macKey));
    expect(hex(m.serverEncryptKey128)).toBe(h(EXAMPLE.serverEncrypt));
    expect(hex(m.serverDecryptKey128)).toBe(h(EXAMPLE.serverDecrypt));
  });

  it('128-bit session keys, client and server roles mirrored', () => {
    const base = { clientRandom: EXAMPLE.clientRandom, serverRandom: EXAMPLE.serverRandom, encryptionMethod: ENCRYPTION_METHOD.BIT_128 };
    const client = deriveSessionKeys(base);
    const server = deriveSessionKeys({ ...base, role: 'server' });
    expect(client.role).toBe('client');
    expect(client.keyLength).toBe(16);
    expect(hex(client.macKey)).toBe(h(EXAMPLE.macKey));
    expect(hex(client.encryptKey)).toBe(h(EXAMPLE.serverDecrypt));
    expect(hex(client.decryptKey)).toBe(h(EXAMPLE.serverEncrypt));
    expect(hex(server.encryptKey)).toBe(h(EXAMPLE.serverEncrypt));
    expect(hex(server.decryptKey)).toBe(h(EXAMPLE.serverDecrypt));
    expect(hex(server.macKey)).toBe(hex(client.macKey));
  });

  it('40-bit keys: 0xD1269E + Last40Bits(First64Bits(K128))', () => {
    const k = deriveSessionKeys({ clientRandom: EXAMPLE.clientRandom, serverRandom: EXAMPLE.serverRandom, encryptionMethod: ENCRYPTION_METHOD.BIT_40 });
    expect(k.keyLength).toBe(8);
    expect(hex(k.macKey)).toBe('d1269e' + h(EXAMPLE.macKey).slice(6, 16));
    expect(hex(k.encryptKey)).toBe('d1269e' + h(EXAMPLE.serverDecrypt).slice(6, 16));
    expect(hex(k.decryptKey)).toBe('d1269e' + h(EXAMPLE.serverEncrypt).slice(6, 16));
  });

  it('56-bit keys: 0xD1 + Last56Bits(First64Bits(K128))', () => {
    const k = deriveSessionKeys({ clientRandom: EXAMPLE.clientRandom, serverRandom: EXAMPLE.serverRandom, encryptionMethod: ENCRYPTION_METHOD.BIT_56, role: 'server' });
    expect(k.keyLength).toBe(8);
    expect(hex(k.macKey)).toBe('d1' + h(EXAMPLE.macKey).slice(2, 16));
    expect(hex(k.encryptKey)).toBe('d1' + h(EXAMPLE.serverEncrypt).slice(2, 16));
    expect(hex(k.decryptKey)).toBe('d1' + h(EXAMPLE.serverDecrypt).slice(2, 16));
  });

  it('the formulas recomputed for other randoms', () => {
    const cr = Uint8Array.from({ length: 32 }, (_, i) => i * 7 + 1);
    const sr = Uint8Array.from({ length: 32 }, (_, i) => 255 - i * 3);
    const salted = (s: Uint8Array, i: Uint8Array): Uint8Array => md5(s, sha1(i, s, cr, sr));
    const three = (s: Uint8Array, c: number): Uint8Array =>
      Uint8Array.from([...salted(s, Uint8Array.of(c)), ...salted(s, Uint8Array.of(c + 1, c + 1)), ...salted(s, Uint8Array.of(c + 2, c + 2, c + 2))]);
    const master = three(Uint8Array.from([...cr.subarray(0, 24), ...sr.subarray(0, 24)]), 0x41);
    const blob = three(master, 0x58);
    const m = nonFipsKeyMaterial(cr, sr);
    expect(hex(m.sessionKeyBlob)).toBe(hex(blob));
    expect(hex(m.serverEncryptKey128)).toBe(hex(md5(blob.subarray(16, 32), cr, sr)));
    expect(hex(m.serverDecryptKey128)).toBe(hex(md5(blob.subarray(32, 48), cr, sr)));
  });
});

describe('5.3.5.2 FIPS key generation', () => {
  it('the 168-to-192-bit expansion example: D1 5E C4 7E DA .. -> 51 3D 10 76 26 ..', () => {
    const key = new Uint8Array(21);
    key.set([0xd1, 0x5e, 0xc4, 0x7e, 0xda]);
    expect(toHex(expandDesKey(key).subarray(0, 5))).toBe('51 3d 10 76 26');
  });

  it('every expanded byte has odd parity and carries 7 bits of the key, in order', () => {
    const key = Uint8Array.from({ length: 21 }, (_, i) => (i * 73 + 19) & 0xff);
    const out = expandDesKey(key);
    expect(out.length).toBe(24);
    const bits: number[] = [];
    for (const b of out) {
      let ones = 0;
      for (let k = 0; k < 8; k++) ones += (b >> k) & 1;
      expect(ones % 2).toBe(1);
      // after the final reversal a group's 7 bits sit in bits 0..6 (its first bit at bit 0); bit 7 is the inserted zero
      expect(b & 0x80).toBe(0);
      for (let k = 0; k < 7; k++) bits.push((b >> k) & 1);
    }
    // the key's bits, each byte reversed (the first step), read in order
    const expected: number[] = [];
    for (const b of key) for (let k = 0; k < 8; k++) expected.push((b >> k) & 1);
    // the parity bit (bit 0, as in the spec's example 0x11 -> 0x10) overwrote each group's first bit: compare the others
    for (let j = 0; j < 24; j++) for (let k = 1; k < 7; k++) expect(bits[7 * j + k]).toBe(expected[7 * j + k]);
    expect(() => expandDesKey(new Uint8Array(20))).toThrow(RangeError);
  });

  it('keys from SHA-1 of the randoms\' halves, HMACKey = SHA(ClientDecryptKeyT + ClientEncryptKeyT), roles mirrored', () => {
    const cr = Uint8Array.from({ length: 32 }, (_, i) => i);
    const sr = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
    const encT = sha1(cr.subarray(16), sr.subarray(16));
    const decT = sha1(cr.subarray(0, 16), sr.subarray(0, 16));
    const m = fipsKeyMaterial(cr, sr);
    expect(hex(m.clientEncryptKeyT)).toBe(hex(encT));
    expect(hex(m.clientDecryptKeyT)).toBe(hex(decT));
    expect(hex(m.clientEncryptKey)).toBe(hex(expandDesKey(Uint8Array.from([...encT, encT[0]!]))));
    expect(hex(m.hmacKey)).toBe(hex(sha1(decT, encT)));
    const client = deriveSessionKeys({ clientRandom: cr, serverRandom: sr, encryptionMethod: ENCRYPTION_METHOD.FIPS });
    const server = deriveSessionKeys({ clientRandom: cr, serverRandom: sr, encryptionMethod: ENCRYPTION_METHOD.FIPS, role: 'server' });
    expect(client.keyLength).toBe(24);
    expect(hex(client.encryptKey)).toBe(hex(m.clientEncryptKey));
    expect(hex(client.decryptKey)).toBe(hex(m.clientDecryptKey));
    expect(hex(server.encryptKey)).toBe(hex(m.clientDecryptKey));
    expect(hex(server.decryptKey)).toBe(hex(m.clientEncryptKey));
    expect(hex(server.macKey)).toBe(hex(client.macKey));
  });
});

describe('5.3.7.1 key update', () => {
  const initial128 = fromHex(EXAMPLE.serverEncrypt);
  const pad1 = new Uint8Array(40).fill(0x36);
  const pad2 = new Uint8Array(48).fill(0x5c);

  it('128-bit: RC4(TempKey128) under itself, TempKey128 = MD5(Initial + Pad2 + SHA(Initial + Pad1 + Current))', () => {
    const temp = md5(initial128, pad2, sha1(initial128, pad1, initial128));
    const first = updateSessionKey(initial128, initial128, ENCRYPTION_METHOD.BIT_128);
    expect(hex(first)).toBe(hex(new Rc4(temp).update(temp)));
    // the second update hashes the initial key with the current (first updated) key
    const temp2 = md5(initial128, pad2, sha1(initial128, pad1, first));
    expect(hex(updateSessionKey(initial128, first, ENCRYPTION_METHOD.BIT_128))).toBe(hex(new Rc4(temp2).update(temp2)));
  });

  it('40- and 56-bit: First64Bits(TempKey128) RC4-encrypted under itself, then re-salted', () => {
    for (const [method, salt] of [[ENCRYPTION_METHOD.BIT_40, 'd1269e'], [ENCRYPTION_METHOD.BIT_56, 'd1']] as const) {
      const initial = saltKey(initial128, method);
      const temp64 = md5(initial, pad2, sha1(initial, pad1, initial)).subarray(0, 8);
      const preSalt = new Rc4(temp64).update(temp64);
      const next = updateSessionKey(initial, initial, method);
      expect(next.length).toBe(8);
      expect(hex(next)).toBe(salt + hex(preSalt).slice(salt.length));
    }
  });

  it('refuses keys of the wrong length', () => {
    expect(() => updateSessionKey(new Uint8Array(8), new Uint8Array(8), ENCRYPTION_METHOD.BIT_128)).toThrow(RangeError);
    expect(() => updateSessionKey(new Uint8Array(16), new Uint8Array(16), ENCRYPTION_METHOD.BIT_40)).toThrow(RangeError);
  });
});

describe('bounds', () => {
  const r32 = new Uint8Array(32);
  it('randoms must be 32 bytes, the method one that derives keys', () => {
    expect(() => deriveSessionKeys({ clientRandom: new Uint8Array(31), serverRandom: r32, encryptionMethod: 2 })).toThrow(/client random of 31/);
    expect(() => deriveSessionKeys({ clientRandom: r32, serverRandom: new Uint8Array(33), encryptionMethod: 2 })).toThrow(/server random of 33/);
    expect(() => deriveSessionKeys({ clientRandom: r32, serverRandom: r32, encryptionMethod: ENCRYPTION_METHOD.NONE })).toThrow(RangeError);
    expect(() => deriveSessionKeys({ clientRandom: r32, serverRandom: r32, encryptionMethod: 0x04 })).toThrow(/0x4/);
    expect(() => fipsKeyMaterial(r32, new Uint8Array(0))).toThrow(RangeError);
  });

  it('RC4 key lengths (Table 1): 8, 8, 16', () => {
    expect(rc4KeyLength(ENCRYPTION_METHOD.BIT_40)).toBe(8);
    expect(rc4KeyLength(ENCRYPTION_METHOD.BIT_56)).toBe(8);
    expect(rc4KeyLength(ENCRYPTION_METHOD.BIT_128)).toBe(16);
    expect(() => saltKey(new Uint8Array(4), ENCRYPTION_METHOD.BIT_40)).toThrow(RangeError);
  });
});
