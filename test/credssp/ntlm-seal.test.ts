// NTLM session security (MS-NLMP 3.4): SIGNKEY/SEALKEY and SEAL against the 4.2.4.4 GSS_WrapEx
// example, the unseal side's checks (tampering, SeqNum, continuous RC4), the 56/40-bit sealing keys,
// and RC4 handle continuity (RFC 6229 is in ntlmv2.test.ts).
import { createHash, createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { NtlmSealing, sessionKeys, SIGNATURE_SIZE } from '../../src/credssp/ntlm-seal.js';
import { NTLM_FLAG } from '../../src/credssp/ntlm-flags.js';
import { Rc4, rc4 } from '../../src/credssp/rc4.js';
import * as V from './vectors.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const utf16 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf16le'));
const md5 = (...parts: Uint8Array[]): string => {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest('hex');
};
const magic = (s: string): Uint8Array => new Uint8Array(Buffer.from(`session key to ${s} key magic constant\0`, 'latin1'));

const exported = fromHex(V.NLMP.randomSessionKey);
const keys = sessionKeys(exported, V.NLMP_SEAL.flags);
const plaintext = utf16(V.NLMP_SEAL.plaintext);
const sealer = (): NtlmSealing => new NtlmSealing(keys.c2s);
const unsealer = (): NtlmSealing => new NtlmSealing(keys.c2s);
/** the unseal result's failure reason (the test fails if it unsealed) */
const reason = (r: ReturnType<NtlmSealing['unseal']>): string => {
  expect(r.ok).toBe(false);
  return r.ok ? '' : r.reason;
};

describe('MS-NLMP 4.2.4.4 GSS_WrapEx (NTLMv2, extended session security, key exchange)', () => {
  it('client-to-server sealing and signing keys (3.4.5.2, 3.4.5.3)', () => {
    expect(hex(keys.c2s.sealingKey)).toBe(V.NLMP_SEAL.c2sSealingKey);
    expect(hex(keys.c2s.signingKey)).toBe(V.NLMP_SEAL.c2sSigningKey);
  });

  it('server-to-client keys use the server magic constants', () => {
    expect(hex(keys.s2c.signingKey)).toBe(md5(exported, magic('server-to-client signing')));
    expect(hex(keys.s2c.sealingKey)).toBe(md5(exported, magic('server-to-client sealing')));
    expect(hex(keys.s2c.sealingKey)).not.toBe(V.NLMP_SEAL.c2sSealingKey);
  });

  it('seal("Plaintext") is the spec signature || sealed data, byte for byte', () => {
    const token = sealer().seal(plaintext);
    expect(hex(token.subarray(0, SIGNATURE_SIZE))).toBe(V.NLMP_SEAL.signature);
    expect(hex(token.subarray(SIGNATURE_SIZE))).toBe(V.NLMP_SEAL.sealedData);
  });

  it('sessionKeys refuses an ExportedSessionKey that is not 16 bytes', () => {
    expect(() => sessionKeys(new Uint8Array(15), V.NLMP_SEAL.flags)).toThrow(RangeError);
  });
});

describe('unseal', () => {
  const specToken = fromHex(V.NLMP_SEAL.signature + V.NLMP_SEAL.sealedData);

  it('opens the spec token with an independent instance of the same keys', () => {
    const r = unsealer().unseal(specToken);
    expect(r).toEqual({ ok: true, message: plaintext });
  });

  it.each([
    ['Version', 0, /Version/],
    ['Checksum', 4, /checksum/],
    ['Checksum (last byte)', 11, /checksum/],
    ['SeqNum', 12, /SeqNum/],
    ['sealed data (first byte)', 16, /checksum/],
    ['sealed data (last byte)', 33, /checksum/],
  ])('rejects a flipped bit in the %s', (_, at, why) => {
    const t = specToken.slice();
    t[at]! ^= 0x01;
    expect(reason(unsealer().unseal(t))).toMatch(why);
  });

  it('rejects a token shorter than the signature', () => {
    expect(reason(unsealer().unseal(specToken.subarray(0, 15)))).toMatch(/shorter/);
  });

  it('two messages in a row both unseal: the RC4 handle and SeqNum run on', () => {
    const s = sealer();
    const second = utf16('second message');
    const [t0, t1] = [s.seal(plaintext), s.seal(second)];
    expect(hex(t0)).toBe(hex(specToken));
    expect(new DataView(t1.buffer).getUint32(12, true)).toBe(1);
    // the same plaintext sealed again is not the first ciphertext: the keystream continued
    expect(hex(s.seal(plaintext).subarray(SIGNATURE_SIZE))).not.toBe(V.NLMP_SEAL.sealedData);
    const u = unsealer();
    expect(u.unseal(t0)).toEqual({ ok: true, message: plaintext });
    expect(u.unseal(t1)).toEqual({ ok: true, message: second });
  });

  it('rejects a replayed message (SeqNum 0 again)', () => {
    const u = unsealer();
    expect(u.unseal(specToken).ok).toBe(true);
    expect(reason(u.unseal(specToken))).toMatch(/SeqNum 0, expected 1/);
  });

  it('rejects messages out of order', () => {
    const s = sealer();
    s.seal(plaintext);
    const t1 = s.seal(plaintext);
    expect(reason(unsealer().unseal(t1))).toMatch(/SeqNum 1, expected 0/);
  });

  it('rejects a token sealed for the other direction', () => {
    const t = new NtlmSealing(keys.s2c).seal(plaintext);
    expect(reason(unsealer().unseal(t))).toMatch(/checksum/);
  });

  it('without key exchange the checksum is the plain HMAC_MD5(SigningKey, SeqNum || message)[0..8]', () => {
    const t = new NtlmSealing(keys.c2s, false).seal(plaintext);
    const mac = createHmac('md5', keys.c2s.signingKey).update(new Uint8Array(4)).update(plaintext).digest().subarray(0, 8);
    expect(hex(t.subarray(4, 12))).toBe(hex(mac));
    expect(hex(t.subarray(SIGNATURE_SIZE))).toBe(V.NLMP_SEAL.sealedData);
    expect(new NtlmSealing(keys.c2s, false).unseal(t)).toEqual({ ok: true, message: plaintext });
    expect(reason(new NtlmSealing(keys.c2s, true).unseal(t))).toMatch(/checksum/);
  });
});

describe('weaker sealing keys (3.4.5.3)', () => {
  const f56 = (V.NLMP_SEAL.flags & ~NTLM_FLAG.NTLMSSP_NEGOTIATE_128) >>> 0;
  const f40 = (f56 & ~NTLM_FLAG.NTLMSSP_NEGOTIATE_56) >>> 0;
  const k56 = sessionKeys(exported, f56);
  const k40 = sessionKeys(exported, f40);
  // a key whose bytes differ from byte 5 on, so truncation to 7 and to 5 bytes is visible
  const distinct = Uint8Array.from({ length: 16 }, (_, i) => i + 1);

  it('56-bit: MD5 of the first 7 bytes; 40-bit: of the first 5; both differ from 128-bit', () => {
    expect(hex(k56.c2s.sealingKey)).toBe(md5(exported.subarray(0, 7), magic('client-to-server sealing')));
    expect(hex(k40.c2s.sealingKey)).toBe(md5(exported.subarray(0, 5), magic('client-to-server sealing')));
    expect(hex(k56.s2c.sealingKey)).toBe(md5(exported.subarray(0, 7), magic('server-to-client sealing')));
    expect(new Set([V.NLMP_SEAL.c2sSealingKey, hex(k56.c2s.sealingKey), hex(k40.c2s.sealingKey)]).size).toBe(3);
  });

  it('only the first 7 (56-bit) or 5 (40-bit) bytes of the key matter', () => {
    const changed = distinct.slice();
    changed[7] = 0xee;
    expect(hex(sessionKeys(changed, f56).c2s.sealingKey)).toBe(hex(sessionKeys(distinct, f56).c2s.sealingKey));
    expect(hex(sessionKeys(changed, V.NLMP_SEAL.flags).c2s.sealingKey)).not.toBe(hex(sessionKeys(distinct, V.NLMP_SEAL.flags).c2s.sealingKey));
    changed[5] = 0xee;
    expect(hex(sessionKeys(changed, f40).c2s.sealingKey)).toBe(hex(sessionKeys(distinct, f40).c2s.sealingKey));
    expect(hex(sessionKeys(changed, f56).c2s.sealingKey)).not.toBe(hex(sessionKeys(distinct, f56).c2s.sealingKey));
  });

  it('signing keys always use the whole key', () => {
    expect(hex(k56.c2s.signingKey)).toBe(V.NLMP_SEAL.c2sSigningKey);
    expect(hex(k40.c2s.signingKey)).toBe(V.NLMP_SEAL.c2sSigningKey);
  });
});

describe('Rc4 handle', () => {
  it('update(a) then update(b) is rc4(key, a || b)', () => {
    const key = fromHex(V.NLMP_SEAL.c2sSealingKey);
    const a = Uint8Array.from({ length: 37 }, (_, i) => i * 7);
    const b = Uint8Array.from({ length: 300 }, (_, i) => 255 - (i & 0xff));
    const h = new Rc4(key);
    const joined = new Uint8Array([...h.update(a), ...h.update(new Uint8Array(0)), ...h.update(b)]);
    expect(hex(joined)).toBe(hex(rc4(key, new Uint8Array([...a, ...b]))));
  });

  it('refuses keys longer than 256 bytes', () => {
    expect(() => new Rc4(new Uint8Array(257))).toThrow(RangeError);
    expect(() => new Rc4(new Uint8Array(256))).not.toThrow();
  });
});
