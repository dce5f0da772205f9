// Standard RDP Security per packet ([MS-RDPBCGR] 5.3.6, 5.3.7): a client and a server built from the
// same randoms decrypt each other for every method; the first packets are checked against the
// formulas recomputed with node:crypto (MAC, salted MAC, HMAC, 3DES-CBC as 'des-ede3-cbc') and our
// RFC 6229-checked RC4; 5,000 packets each way cross the 4,096-packet key update; tampering, salting
// and sequence mistakes fail the MAC.
import { createCipheriv, createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { toHex } from '../../src/wire/hex.js';
import { Rc4 } from '../../src/credssp/rc4.js';
import { deriveSessionKeys, updateSessionKey, type EncryptionMethod, type SessionKeys } from '../../src/rdpsec/keys.js';
import { ENCRYPTION_METHOD } from '../../src/rdp/security-header.js';
import { FIPS_IV, fipsMac, KEY_UPDATE_INTERVAL, nonFipsMac, RdpSecurityCipher, type DecryptResult } from '../../src/rdpsec/cipher.js';

const clientRandom = Uint8Array.from({ length: 32 }, (_, i) => (i * 29 + 3) & 0xff);
const serverRandom = Uint8Array.from({ length: 32 }, (_, i) => (i * 53 + 101) & 0xff);
const METHODS: [string, EncryptionMethod][] = [
  ['40-bit', ENCRYPTION_METHOD.BIT_40], ['56-bit', ENCRYPTION_METHOD.BIT_56], ['128-bit', ENCRYPTION_METHOD.BIT_128], ['FIPS', ENCRYPTION_METHOD.FIPS],
];
const RC4_METHODS = METHODS.filter(([, m]) => m !== ENCRYPTION_METHOD.FIPS);

const keysFor = (method: EncryptionMethod, role: 'client' | 'server'): SessionKeys =>
  deriveSessionKeys({ clientRandom, serverRandom, encryptionMethod: method, role });
const endpoints = (method: EncryptionMethod): { client: RdpSecurityCipher; server: RdpSecurityCipher } => ({
  client: new RdpSecurityCipher(keysFor(method, 'client')),
  server: new RdpSecurityCipher(keysFor(method, 'server')),
});
const payload = (n: number, seed: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed * 13) & 0xff);
const u32 = (v: number): Uint8Array => Uint8Array.of(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24);
const ok = (r: DecryptResult): Uint8Array => {
  if (!r.ok) throw new Error(r.reason);
  return r.data;
};
const reason = (r: DecryptResult): string => {
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.reason;
};

/** 5.3.6.1 / 5.3.6.1.1 recomputed. */
function mac(macKey: Uint8Array, data: Uint8Array, count?: number): string {
  const sha = createHash('sha1').update(macKey).update(new Uint8Array(40).fill(0x36)).update(u32(data.length)).update(data);
  if (count !== undefined) sha.update(u32(count));
  return createHash('md5').update(macKey).update(new Uint8Array(48).fill(0x5c)).update(sha.digest()).digest('hex').slice(0, 16);
}

describe('round trips, both directions, every method', () => {
  for (const [name, method] of METHODS) {
    it(`${name}: client to server and server to client, salted and not, lengths 0..1000`, () => {
      const { client, server } = endpoints(method);
      const lengths = [0, 1, 7, 8, 9, 16, 33, 1000];
      for (const [i, n] of lengths.entries()) {
        const salted = i % 2 === 1;
        const up = payload(n, i);
        const c = client.encrypt(up, { salted });
        expect(c.signature.length).toBe(8);
        expect(toHex(ok(server.decrypt(c.data, c.signature, { salted, padLength: c.padLength })))).toBe(toHex(up));
        const down = payload(n + 3, i + 100);
        const s = server.encrypt(down, { salted });
        expect(toHex(ok(client.decrypt(s.data, s.signature, { salted, padLength: s.padLength })))).toBe(toHex(down));
        if (method === ENCRYPTION_METHOD.FIPS) {
          expect(c.data.length % 8).toBe(0);
          expect(c.padLength).toBe((8 - (n % 8)) % 8);
        } else {
          expect(c.padLength).toBe(0);
          expect(c.data.length).toBe(n);
        }
      }
      expect([client.encryptCount, client.decryptCount, server.encryptCount, server.decryptCount]).toEqual([8, 8, 8, 8]);
    });
  }

  it('the two directions use different keys: a client cannot decrypt its own output', () => {
    const { client } = endpoints(ENCRYPTION_METHOD.BIT_128);
    const e = client.encrypt(payload(20, 1));
    expect(reason(client.decrypt(e.data, e.signature))).toMatch(/does not verify/);
  });
});

describe('first packets against the formulas (5.3.6.1, 5.3.6.1.1, 5.3.6.2)', () => {
  for (const [name, method] of RC4_METHODS) {
    it(`${name}: MAC over the plaintext, RC4 continuous across packets`, () => {
      const keys = keysFor(method, 'client');
      const c = new RdpSecurityCipher(keys);
      const p1 = payload(50, 1);
      const p2 = payload(30, 2);
      const e1 = c.encrypt(p1);
      const e2 = c.encrypt(p2, { salted: true });
      expect(toHex(e1.signature, '')).toBe(mac(keys.macKey, p1));
      expect(toHex(e2.signature, '')).toBe(mac(keys.macKey, p2, 1));
      expect(toHex(nonFipsMac(keys.macKey, p2, 1), '')).toBe(mac(keys.macKey, p2, 1));
      const stream = new Rc4(keys.encryptKey);
      expect(toHex(e1.data)).toBe(toHex(stream.update(p1)));
      expect(toHex(e2.data)).toBe(toHex(stream.update(p2)));
    });
  }

  it('FIPS: HMAC-SHA1 of data + count, 3DES-CBC (des-ede3-cbc, IV 12 34 .. EF) chained across packets', () => {
    const keys = keysFor(ENCRYPTION_METHOD.FIPS, 'server');
    const c = new RdpSecurityCipher(keys);
    const p1 = payload(13, 1);
    const p2 = payload(16, 2);
    const e1 = c.encrypt(p1);
    const e2 = c.encrypt(p2);
    const hmac = (d: Uint8Array, n: number): string => createHmac('sha1', keys.macKey).update(d).update(u32(n)).digest('hex').slice(0, 16);
    expect(toHex(e1.signature, '')).toBe(hmac(p1, 0));
    expect(toHex(e2.signature, '')).toBe(hmac(p2, 1));
    expect(toHex(fipsMac(keys.macKey, p2, 1), '')).toBe(hmac(p2, 1));
    expect([e1.padLength, e2.padLength]).toEqual([3, 0]);
    expect(toHex(FIPS_IV)).toBe('12 34 56 78 90 ab cd ef');
    const des = createCipheriv('des-ede3-cbc', keys.encryptKey, FIPS_IV).setAutoPadding(false);
    const whole = Buffer.concat([des.update(Uint8Array.from([...p1, 0, 0, 0, ...p2])), des.final()]);
    expect(toHex(Uint8Array.from([...e1.data, ...e2.data]))).toBe(toHex(whole));
  });

  it('salted and unsalted MACs differ, and so do salted MACs of the same data at other counts', () => {
    const keys = keysFor(ENCRYPTION_METHOD.BIT_128, 'client');
    const d = payload(40, 9);
    const plain = nonFipsMac(keys.macKey, d);
    const salted0 = nonFipsMac(keys.macKey, d, 0);
    const salted1 = nonFipsMac(keys.macKey, d, 1);
    expect(new Set([toHex(plain), toHex(salted0), toHex(salted1)]).size).toBe(3);
  });
});

describe('MAC failures', () => {
  for (const [name, method] of METHODS) {
    it(`${name}: one changed byte of data or signature fails; the stream stays in step`, () => {
      const { client, server } = endpoints(method);
      const d = payload(24, 5);
      const e = client.encrypt(d, { salted: true });
      const bad = e.data.slice();
      bad[5]! ^= 0x01;
      expect(reason(server.decrypt(bad, e.signature, { salted: true, padLength: e.padLength }))).toMatch(/does not verify/);
      const e2 = client.encrypt(d, { salted: true });
      const sig = e2.signature.slice();
      sig[7]! ^= 0x80;
      expect(reason(server.decrypt(e2.data, sig, { salted: true, padLength: e2.padLength }))).toMatch(/does not verify/);
      // both failures consumed their packet, as the sender's did: the next packet verifies
      const e3 = client.encrypt(d, { salted: true });
      expect(toHex(ok(server.decrypt(e3.data, e3.signature, { salted: true, padLength: e3.padLength })))).toBe(toHex(d));
    });
  }

  it('a salted packet checked as unsalted fails, and the other way round', () => {
    const { client, server } = endpoints(ENCRYPTION_METHOD.BIT_56);
    const e = client.encrypt(payload(10, 1), { salted: true });
    expect(reason(server.decrypt(e.data, e.signature))).toMatch(/salted \(SEC_SECURE_CHECKSUM\)/);
    const e2 = client.encrypt(payload(10, 2));
    expect(reason(server.decrypt(e2.data, e2.signature, { salted: true }))).toMatch(/not salted/);
  });

  it('FIPS: a packet decrypted out of sequence fails (the count is in the HMAC)', () => {
    const { client, server } = endpoints(ENCRYPTION_METHOD.FIPS);
    const a = client.encrypt(payload(16, 1));
    const b = client.encrypt(payload(16, 2));
    expect(reason(server.decrypt(b.data, b.signature))).toMatch(/FIPS HMAC of packet 0/);
    expect(server.decrypt(a.data, a.signature).ok).toBe(false);
  });

  it('FIPS: partial blocks are refused untouched; a bad padlen fails', () => {
    const { client, server } = endpoints(ENCRYPTION_METHOD.FIPS);
    const e = client.encrypt(payload(5, 1));
    expect(e.padLength).toBe(3);
    expect(reason(server.decrypt(e.data.subarray(0, 7), e.signature, { padLength: 3 }))).toMatch(/multiple of the 8-byte/);
    expect(server.decryptCount).toBe(0);
    expect(toHex(ok(server.decrypt(e.data, e.signature, { padLength: 3 })))).toBe(toHex(payload(5, 1)));
    const e2 = client.encrypt(payload(8, 2));
    expect(reason(server.decrypt(e2.data, e2.signature, { padLength: 8 }))).toMatch(/padlen 8/);
  });

  it('a signature that is not 8 bytes fails', () => {
    const { client, server } = endpoints(ENCRYPTION_METHOD.BIT_128);
    const e = client.encrypt(payload(4, 1));
    expect(reason(server.decrypt(e.data, e.signature.subarray(0, 7)))).toMatch(/7 bytes/);
  });
});

describe('5.3.7 key updates: 5,000 packets each way', () => {
  for (const [name, method] of METHODS) {
    it(`${name}`, () => {
      const { client, server } = endpoints(method);
      for (let i = 0; i < 5000; i++) {
        const salted = i % 3 === 0;
        const up = payload(1 + (i % 37), i);
        const c = client.encrypt(up, { salted });
        const s = server.encrypt(up, { salted });
        // RC4 keys are due for an update before packet 4,097, not 4,096
        if (i === KEY_UPDATE_INTERVAL - 1 || i === KEY_UPDATE_INTERVAL) {
          const initial = keysFor(method, 'client').encryptKey;
          const expected = i === KEY_UPDATE_INTERVAL && method !== ENCRYPTION_METHOD.FIPS
            ? updateSessionKey(initial, initial, method as 0x01 | 0x02 | 0x08)
            : initial;
          if (method !== ENCRYPTION_METHOD.FIPS) {
            expect(toHex(client.currentKeys!.encrypt)).toBe(toHex(expected));
            if (i === KEY_UPDATE_INTERVAL) expect(toHex(c.data)).toBe(toHex(new Rc4(expected).update(up)));
          } else {
            expect(client.currentKeys).toBeUndefined();
          }
        }
        const a = server.decrypt(c.data, c.signature, { salted, padLength: c.padLength });
        const b = client.decrypt(s.data, s.signature, { salted, padLength: s.padLength });
        if (!a.ok || !b.ok) throw new Error(`packet ${i}: ${a.ok ? '' : a.reason} ${b.ok ? '' : b.reason}`);
        if (a.data.length !== up.length || b.data.length !== up.length || a.data.some((x, k) => x !== up[k])) throw new Error(`packet ${i} differs`);
      }
      expect([client.encryptCount, server.decryptCount, server.encryptCount, client.decryptCount]).toEqual([5000, 5000, 5000, 5000]);
      if (method !== ENCRYPTION_METHOD.FIPS) {
        expect(toHex(server.currentKeys!.decrypt)).toBe(toHex(client.currentKeys!.encrypt));
        expect(toHex(client.currentKeys!.decrypt)).toBe(toHex(server.currentKeys!.encrypt));
      }
    });
  }

  it('an endpoint that skipped the update would not decrypt packet 4,097', () => {
    const keys = keysFor(ENCRYPTION_METHOD.BIT_128, 'client');
    const c = new RdpSecurityCipher(keys);
    const stale = new Rc4(keys.encryptKey);
    let last: Uint8Array = new Uint8Array(0);
    const d = payload(16, 1);
    for (let i = 0; i <= KEY_UPDATE_INTERVAL; i++) {
      last = c.encrypt(d).data;
      const s = stale.update(d);
      if (i < KEY_UPDATE_INTERVAL) expect(toHex(last)).toBe(toHex(s));
      else expect(toHex(last)).not.toBe(toHex(s));
    }
  });
});

describe('constructor', () => {
  it('refuses keys of the wrong sizes for the method', () => {
    const k = keysFor(ENCRYPTION_METHOD.BIT_128, 'client');
    expect(() => new RdpSecurityCipher({ ...k, encryptKey: k.encryptKey.subarray(0, 8) })).toThrow(RangeError);
    const f = keysFor(ENCRYPTION_METHOD.FIPS, 'client');
    expect(() => new RdpSecurityCipher({ ...f, macKey: f.macKey.subarray(0, 16) })).toThrow(RangeError);
  });
});
