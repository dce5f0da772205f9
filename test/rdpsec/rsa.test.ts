// RSA of Standard RDP Security ([MS-RDPBCGR] 5.3.4.1): the client random encrypted raw and
// little-endian, checked against node:crypto's RSA_NO_PADDING (big-endian, hence the reversals),
// its inverse, and the public key of SPKI, PKCS#1 and X.509 DER checked against node's JWK export.
// Shape: the [MS-RDPBCGR] 4.1.9 Security Exchange PDU carries 72 bytes for the 512-bit key of 4.1.4.
import { constants, createPrivateKey, createPublicKey, generateKeyPairSync, privateDecrypt, publicEncrypt, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { decodeError } from '../helpers/decode-error.js';
import { makeCertificate } from '../../src/server/pki.js';
import {
  decryptClientRandom, encryptClientRandom, encryptedClientRandomSize, rsaKeyProblem, rsaPublicKeyFromDer,
  type RsaPublicKey,
} from '../../src/rdpsec/rsa.js';
import { fromBigEndian, fromLittleEndian } from '../../src/rdpsec/bigint.js';

const b64u = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s ?? '', 'base64url'));
const random32 = (seed: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, i) => (seed * 31 + i * 17 + 5) & 0xff);

interface Pair { publicKey: KeyObject; privateKey: KeyObject; key: RsaPublicKey; d: Uint8Array; bytes: number }

function pair(bits: number): Pair {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  const jwk = privateKey.export({ format: 'jwk' });
  const modulus = b64u(jwk.n);
  return { publicKey, privateKey, key: { modulus, exponent: Number(fromBigEndian(b64u(jwk.e))) }, d: b64u(jwk.d), bytes: modulus.length };
}

const PAIRS = [512, 1024, 2048].map(pair);

/** [MS-RDPBCGR] 4.1.4: the proprietary certificate's 512-bit public key (modulus little-endian on the wire). */
const KEY_4_1_4: RsaPublicKey = {
  modulus: fromHex(`cb 81 fe ba 6d 61 c3 55 05 d5 5f 2e 87 f8 71 94 d6 f1 a5 cb f1 5f 0c 3d f8 70 02 96 c4 fb 9b c8
    3c 2d 55 ae e8 ff 32 75 ea 68 79 e5 a2 01 fd 31 a0 b1 1f 55 a6 1f c1 f6 d1 83 88 63 26 56 12 bc`).reverse(),
  exponent: 0x10001,
};
/** [MS-RDPBCGR] 4.1.9: TS_SECURITY_PACKET length 0x48 and encryptedClientRandom (for KEY_4_1_4). */
const ENCRYPTED_4_1_9 = fromHex(`91 ac 0c 8f 64 8c 39 f4 e7 ff 0a 3b 79 11 5c 13 51 2a cb 72 8f 9d b7 42 2e f7 08 4c 8e ae 55 99
  62 d2 81 81 e4 66 c8 05 ea d4 73 06 3f c8 5f af 2a fd fc f1 64 b3 3f 0a 15 1d db 2c 10 9d 30 11 00 00 00 00 00 00 00 00`);

describe('encryptClientRandom (5.3.4.1)', () => {
  it('equals raw RSA (RSA_NO_PADDING) of the byte-reversed random, reversed, then 8 zero bytes', () => {
    for (const [i, p] of PAIRS.entries()) {
      const r = random32(i);
      const out = encryptClientRandom(r, p.key);
      expect(out.length).toBe(p.bytes + 8);
      expect(encryptedClientRandomSize(p.key.modulus)).toBe(p.bytes + 8);
      const be = new Uint8Array(p.bytes);
      be.set(r.slice().reverse(), p.bytes - 32);
      const viaNode = new Uint8Array(publicEncrypt({ key: p.publicKey, padding: constants.RSA_NO_PADDING }, be)).reverse();
      expect(toHex(out.subarray(0, p.bytes))).toBe(toHex(viaNode));
      expect(toHex(out.subarray(p.bytes))).toBe('00 00 00 00 00 00 00 00');
    }
  });

  it('for the 512-bit key of 4.1.4: 72 bytes, the length of 4.1.9\'s encryptedClientRandom', () => {
    const out = encryptClientRandom(random32(9), KEY_4_1_4);
    expect(out.length).toBe(0x48);
    expect(ENCRYPTED_4_1_9.length).toBe(0x48);
    expect(fromLittleEndian(ENCRYPTED_4_1_9.subarray(0, 64)) < fromBigEndian(KEY_4_1_4.modulus)).toBe(true);
  });

  it('accepts a bigint exponent and a modulus with a leading zero byte', () => {
    const p = PAIRS[1]!;
    const r = random32(3);
    const padded = Uint8Array.from([0, ...p.key.modulus]);
    expect(toHex(encryptClientRandom(r, { modulus: padded, exponent: 65537n }))).toBe(toHex(encryptClientRandom(r, p.key)));
  });

  it('RangeError for a random that is not 32 bytes or a key outside the bounds', () => {
    const p = PAIRS[0]!;
    expect(() => encryptClientRandom(new Uint8Array(31), p.key)).toThrow(/31 bytes/);
    expect(() => encryptClientRandom(random32(1), { modulus: new Uint8Array(63).fill(0xff), exponent: 3 })).toThrow(/504 bits/);
    expect(() => encryptClientRandom(random32(1), { modulus: new Uint8Array(513).fill(0xff), exponent: 3 })).toThrow(/4104 bits/);
    expect(() => encryptClientRandom(random32(1), { modulus: p.key.modulus, exponent: 1 })).toThrow(/exponent/);
    expect(rsaKeyProblem({ modulus: Uint8Array.from([...p.key.modulus.subarray(0, 63), 0x02]), exponent: 3 })).toBe('even modulus');
    expect(rsaKeyProblem(p.key)).toBeUndefined();
  });
});

describe('decryptClientRandom', () => {
  it('inverts encryptClientRandom, and node\'s raw private decryption agrees', () => {
    for (const [i, p] of PAIRS.entries()) {
      const r = random32(40 + i);
      const enc = encryptClientRandom(r, p.key);
      expect(toHex(decryptClientRandom(enc, { modulus: p.key.modulus, d: p.d }))).toBe(toHex(r));
      expect(toHex(decryptClientRandom(enc.subarray(0, p.bytes), { modulus: p.key.modulus, d: fromBigEndian(p.d) }))).toBe(toHex(r));
      const viaNode = privateDecrypt({ key: p.privateKey, padding: constants.RSA_NO_PADDING }, enc.slice(0, p.bytes).reverse());
      expect(toHex(new Uint8Array(viaNode).reverse().subarray(0, 32))).toBe(toHex(r));
    }
  });

  it('DecodeErrors (layer rdp) for a wrong length, non-zero padding, a value above n, another key', () => {
    const [a, b] = [PAIRS[1]!, PAIRS[2]!];
    const priv = { modulus: a.key.modulus, d: a.d };
    const enc = encryptClientRandom(random32(7), a.key);
    let e = decodeError(() => decryptClientRandom(enc.subarray(0, 100), priv, 1000));
    expect([e.layer, e.code, e.field, e.offset]).toEqual(['rdp', 'NOT_ENOUGH_BYTES', 'encryptedClientRandom', 1000]);
    e = decodeError(() => decryptClientRandom(Uint8Array.from([...enc, 0]), priv));
    expect(e.code).toBe('INVALID_FIELD');
    const badPad = enc.slice();
    badPad[a.bytes + 3] = 1;
    e = decodeError(() => decryptClientRandom(badPad, priv, 10));
    expect([e.reason, e.offset]).toEqual(['the 8 bytes after the encrypted value are not zero', 10 + a.bytes + 3]);
    e = decodeError(() => decryptClientRandom(new Uint8Array(a.bytes).fill(0xff), priv));
    expect(e.reason).toMatch(/not below the modulus/);
    const other = encryptClientRandom(random32(7), b.key);
    e = decodeError(() => decryptClientRandom(other, { modulus: b.key.modulus, d: a.d.subarray(1) }));
    expect(e.reason).toMatch(/not encrypted with this server's public key/);
    expect(() => decryptClientRandom(enc, { modulus: a.key.modulus, d: 0n })).toThrow(RangeError);
  });
});

describe('rsaPublicKeyFromDer', () => {
  const p = PAIRS[2]!;
  const jwkOf = (k: KeyObject): { modulus: string; exponent: number } => {
    const j = k.export({ format: 'jwk' });
    return { modulus: toHex(b64u(j.n)), exponent: Number(fromBigEndian(b64u(j.e))) };
  };
  const plain = (k: RsaPublicKey): { modulus: string; exponent: number } => ({ modulus: toHex(k.modulus), exponent: Number(k.exponent) });
  const spki = new Uint8Array(p.publicKey.export({ format: 'der', type: 'spki' }));
  const pkcs1 = new Uint8Array(p.publicKey.export({ format: 'der', type: 'pkcs1' }));

  it('SPKI and PKCS#1 RSAPublicKey, as node reads them', () => {
    expect(plain(rsaPublicKeyFromDer(spki))).toEqual(jwkOf(p.publicKey));
    expect(plain(rsaPublicKeyFromDer(pkcs1))).toEqual(jwkOf(p.publicKey));
    expect(rsaPublicKeyFromDer(spki).modulus[0]).not.toBe(0);
  });

  it('a whole X.509 certificate (the dwVersion 2 chain\'s leaf)', () => {
    const cert = makeCertificate({ cn: 'rdpsec', notBefore: new Date(2020, 0, 1), notAfter: new Date(2040, 0, 1), keyBits: 1024, keyId: 'rdpsec' });
    const fromNode = createPublicKey(createPrivateKey(cert.keyPem));
    const key = rsaPublicKeyFromDer(cert.der);
    expect(plain(key)).toEqual(jwkOf(fromNode));
    expect(encryptClientRandom(random32(2), key).length).toBe(128 + 8);
  });

  it('the md5WithRSAEncryption label of Terminal Services certificates, which node refuses', () => {
    const oid = fromHex('06 09 2a 86 48 86 f7 0d 01 01 01');
    const at = Buffer.from(spki).indexOf(Buffer.from(oid));
    expect(at).toBeGreaterThan(0);
    const relabelled = spki.slice();
    relabelled[at + oid.length - 1] = 0x04;
    expect(() => createPublicKey({ key: Buffer.from(relabelled), format: 'der', type: 'spki' })).toThrow();
    expect(plain(rsaPublicKeyFromDer(relabelled))).toEqual(jwkOf(p.publicKey));
  });

  it('DecodeErrors for non-RSA keys, small moduli, malformed DER', () => {
    const ec = new Uint8Array(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'der', type: 'spki' }));
    let e = decodeError(() => rsaPublicKeyFromDer(ec, 500));
    expect([e.layer, e.code, e.field]).toEqual(['rdp', 'UNSUPPORTED_VALUE', 'algorithm OID']);
    expect(e.offset).toBeGreaterThanOrEqual(500);
    // RSAPublicKey { INTEGER 0x00c5 (a 8-bit modulus), INTEGER 3 }
    e = decodeError(() => rsaPublicKeyFromDer(fromHex('30 07 02 02 00 c5 02 01 03')));
    expect([e.code, e.reason]).toEqual(['LIMIT_EXCEEDED', 'modulus of 8 bits (accepted: 512..4096)']);
    e = decodeError(() => rsaPublicKeyFromDer(pkcs1.subarray(0, pkcs1.length - 1)));
    expect(e.code).toBe('NOT_ENOUGH_BYTES');
    e = decodeError(() => rsaPublicKeyFromDer(Uint8Array.from([...pkcs1, 0])));
    expect(e.code).toBe('INVALID_FIELD');
    e = decodeError(() => rsaPublicKeyFromDer(fromHex('30 06 02 01 80 02 01 03')));
    expect(e.reason).toBe('negative INTEGER');
    e = decodeError(() => rsaPublicKeyFromDer(new Uint8Array(0)));
    expect(e.code).toBe('UNEXPECTED_TYPE');
    e = decodeError(() => rsaPublicKeyFromDer(fromHex('04 00')));
    expect(e.code).toBe('UNEXPECTED_TYPE');
  });
});
