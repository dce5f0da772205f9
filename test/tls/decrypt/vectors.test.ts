// Published vectors for the decryption primitives: the TLS 1.2 PRF (the IETF TLS WG's P_SHA256
// vector, also what `openssl kdf TLS1-PRF` gives), RFC 8448 §3 (TLS 1.3 traffic keys and records),
// RFC 8439 §2.8.2 (ChaCha20-Poly1305, the AEAD of RFC 7905), and the key log parser.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../../src/wire/hex.js';
import { masterSecret, prf } from '../../../src/tls/decrypt/prf.js';
import { hkdfExpandLabel, nextTrafficSecret, trafficKeys } from '../../../src/tls/decrypt/key-schedule13.js';
import { aeadOpen, suiteProtection, tls13Cipher, xorNonce } from '../../../src/tls/decrypt/record-protection.js';
import { KeyLog, MAX_KEYLOG_ISSUES, MAX_KEYLOG_LINE } from '../../../src/tls/decrypt/keylog.js';
import { TLS_VERSION } from '../../../src/tls/versions.js';
import { requireTools } from '../../helpers/lab.js';

const hex = (b: Uint8Array): string => toHex(b, '');
const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

describe('TLS PRF (RFC 5246 §5)', () => {
  // secret, seed and label of the TLS working group's PRF test vector for TLS 1.2 with SHA-256
  const secret = fromHex('9b be 43 6b a9 40 f0 17 b1 76 52 84 9a 71 db 35');
  const seed = fromHex('a0 ba 9f 93 6c da 31 18 27 a6 f7 96 ff d5 19 8c');
  const expected = 'e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff70187347b66';

  it('P_SHA256: the 100-byte test vector', () => {
    expect(hex(prf(TLS_VERSION.TLS12, 'sha256', secret, 'test label', seed, 100))).toBe(expected);
  });

  const openssl = requireTools('openssl').ok ? it : it.skip;
  openssl('agrees with `openssl kdf TLS1-PRF` for SHA-256, SHA-384 and the TLS 1.0 MD5/SHA-1 PRF, odd secret lengths too', () => {
    for (const [version, hash, digest] of [[TLS_VERSION.TLS12, 'sha256', 'SHA256'], [TLS_VERSION.TLS12, 'sha384', 'SHA384'], [TLS_VERSION.TLS10, 'sha256', 'MD5-SHA1']] as const) {
      for (const s of [secret, fromHex('01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10 11'), new Uint8Array(48).fill(7)]) {
        const out = execFileSync('openssl', ['kdf', '-keylen', '77', '-kdfopt', `digest:${digest}`, '-kdfopt', `hexsecret:${hex(s)}`,
          '-kdfopt', `hexseed:${hex(ascii('key expansion'))}${hex(seed)}`, 'TLS1-PRF'], { encoding: 'utf8' });
        expect(hex(prf(version, hash, s, 'key expansion', seed, 77))).toBe(out.trim().replace(/:/g, '').toLowerCase());
      }
    }
  });

  it('master secret: 48 bytes, with the randoms or (RFC 7627) the session hash as seed', () => {
    const pm = new Uint8Array(48).fill(3);
    const a = masterSecret(TLS_VERSION.TLS12, 'sha256', pm, { clientRandom: seed, serverRandom: secret });
    expect(a).toEqual(prf(TLS_VERSION.TLS12, 'sha256', pm, 'master secret', Uint8Array.from([...seed, ...secret]), 48));
    expect(masterSecret(TLS_VERSION.TLS12, 'sha256', pm, { sessionHash: seed })).toEqual(prf(TLS_VERSION.TLS12, 'sha256', pm, 'extended master secret', seed, 48));
  });
});

describe('TLS 1.3 keys and records (RFC 8446 §7.1, §7.3, §5.2; vectors: RFC 8448 §3)', () => {
  const serverHs = fromHex('b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38');
  const clientHs = fromHex('b3eddb126e067f35a780b3abf45e2d8f3b1a950738f52e9600746a0e27a55a21');
  const clientAp = fromHex('9e40646ce79a7f9dc05af8889bce6552875afa0b06df0087f792ebb7c17504a5');

  it('traffic key and IV from the handshake and application traffic secrets', () => {
    expect([serverHs, clientHs, clientAp].map((s) => trafficKeys('sha256', s, 16)).map(({ key, iv }) => [hex(key), hex(iv)])).toEqual([
      ['3fce516009c21727d0f2e4e86ee403bc', '5d313eb2671276ee13000b30'],
      ['dbfaa693d1762c5b666af5d950258d01', '5bd3c71b836e0b76bb73265f'],
      ['17422dda596ed5d9acd890e3c63f5051', '5b78923dee08579033e523d9'],
    ]);
  });

  it('the client Finished (handshake keys) and its application data and close_notify (application keys) decrypt', () => {
    const hs = trafficKeys('sha256', clientHs, 16);
    const fin = fromHex('75ec4dc238cce60b298044a71e219c56cc77b0517fe9b93c7a4bfc44d87f38f80338ac98fc46deb384bd1caeacab6867d726c40546');
    const opened = tls13Cipher('aes-128-gcm', hs.key, hs.iv).open(23, 0x0303, fin);
    expect(opened).toEqual({ type: 22, plaintext: fromHex('14000020a8ec436d677634ae525ac1fcebe11a039ec17694fac6e98527b642f2edd5ce61') });

    const ap = trafficKeys('sha256', clientAp, 16);
    const c = tls13Cipher('aes-128-gcm', ap.key, ap.iv);
    const data = fromHex('a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4');
    expect(c.open(23, 0x0303, data)).toEqual({ type: 23, plaintext: Uint8Array.from({ length: 50 }, (_, i) => i) });
    // the second record (sequence 1): close_notify
    expect(c.open(23, 0x0303, fromHex('c9872760655666b74d7ff1153efd6db6d0b0e3'))).toEqual({ type: 21, plaintext: Uint8Array.of(1, 0) });
  });

  it('a record out of order, altered, or with a wrong header fails with a message, never an exception', () => {
    const ap = trafficKeys('sha256', clientAp, 16);
    const data = fromHex('a23f7054b62c94d0affafe8228ba55cbefacea42f914aa66bcab3f2b9819a8a5b46b395bd54a9a20441e2b62974e1f5a6292a2977014bd1e3deae63aeebb21694915e4');
    const c = tls13Cipher('aes-128-gcm', ap.key, ap.iv);
    expect(c.open(23, 0x0301, data)).toBe('encrypted record 1 does not decrypt: authentication tag mismatch');
    const flipped = data.slice();
    flipped[10]! ^= 1;
    expect(c.open(23, 0x0303, flipped)).toBe('encrypted record 1 does not decrypt: authentication tag mismatch');
    for (let n = 0; n < 20; n++) expect(typeof c.open(23, 0x0303, data.subarray(0, n))).toBe('string');
  });

  it('HKDF-Expand-Label encodes "tls13 " + label, and KeyUpdate\'s "traffic upd" is Expand-Label with the hash length', () => {
    expect(nextTrafficSecret('sha256', clientAp)).toEqual(hkdfExpandLabel('sha256', clientAp, 'traffic upd', new Uint8Array(0), 32));
    expect(nextTrafficSecret('sha384', new Uint8Array(48).fill(1))).toHaveLength(48);
    expect(() => hkdfExpandLabel('sha256', clientAp, 'key', new Uint8Array(0), 255 * 32 + 1)).toThrow(RangeError);
  });
});

describe('ChaCha20-Poly1305 (RFC 8439 §2.8.2) and the TLS nonce (RFC 7905 §2, RFC 8446 §5.3)', () => {
  const key = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
  const aad = fromHex('50515253c0c1c2c3c4c5c6c7');
  const sealed = fromHex('d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116'
    + '1ae10b594f09e26a7e902ecbd0600691');
  const text = "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.";

  it('the RFC 8439 AEAD vector opens with the nonce built as IV xor sequence number', () => {
    // 07000000 40414243 44454647 = IV 07000000 40414243 00000000 xor sequence number 0x44454647
    const nonce = xorNonce(fromHex('070000004041424300000000'), 0x44454647);
    expect(hex(nonce)).toBe('070000004041424344454647');
    expect(Buffer.from(aeadOpen('chacha20-poly1305', key, nonce, aad, sealed)!).toString('latin1')).toBe(text);
    expect(aeadOpen('chacha20-poly1305', key, nonce, aad.subarray(1), sealed)).toBeUndefined();
    expect(aeadOpen('chacha20-poly1305', key, nonce, aad, sealed.subarray(0, 15))).toBeUndefined();
  });

  it('suites: AEAD and AES-CBC with HMAC are decrypted, others named', () => {
    expect(suiteProtection(0x1303)).toMatchObject({ tls13: true, hash: 'sha256', protection: { kind: 'aead', cipher: 'chacha20-poly1305', fixedIvLength: 12 } });
    expect(suiteProtection(0xcca8)).toMatchObject({ tls13: false, protection: { kind: 'aead', cipher: 'chacha20-poly1305', keyLength: 32, fixedIvLength: 12 } });
    expect(suiteProtection(0xc030)).toMatchObject({ hash: 'sha384', protection: { kind: 'aead', cipher: 'aes-256-gcm', fixedIvLength: 4 } });
    expect(suiteProtection(0x003c)).toMatchObject({ rsaKeyExchange: true, protection: { kind: 'cbc', cipher: 'aes-128-cbc', mac: 'sha256', macLength: 32 } });
    expect(suiteProtection(0x000a)).toBe('TLS_RSA_WITH_3DES_EDE_CBC_SHA is not decrypted by this version (AES-GCM, ChaCha20-Poly1305 and AES-CBC with HMAC are)');
    expect(suiteProtection(0x1304)).toMatch(/^TLS_AES_128_CCM_SHA256 is not decrypted/);
    expect(suiteProtection(0xfefe)).toBe('cipher suite 0xfefe is unknown');
  });
});

describe('KeyLog (NSS key log format)', () => {
  const random = 'aa'.repeat(32);
  it('keeps the five labels used, skips comments, blank lines and other labels; CRLF and spacing tolerated', () => {
    const k = new KeyLog();
    const issues = k.add([
      '# comment', '', `CLIENT_RANDOM ${random} ${'11'.repeat(48)}\r`, `EXPORTER_SECRET ${random} ${'22'.repeat(32)}`,
      `SERVER_HANDSHAKE_TRAFFIC_SECRET  ${random.toUpperCase()} ${'33'.repeat(48)}`, `CLIENT_TRAFFIC_SECRET_0 ${random} ${'44'.repeat(32)}`,
    ].join('\n'));
    expect(issues).toEqual([]);
    expect(k.size).toBe(1);
    expect(Object.keys(k.lookup(fromHex(random))!).sort()).toEqual(['CLIENT_RANDOM', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_HANDSHAKE_TRAFFIC_SECRET']);
    expect(k.lookup(new Uint8Array(32))).toBeUndefined();
  });

  it('bad lines are reported by number with the reason, and skipped', () => {
    const k = new KeyLog();
    expect(k.add([
      `CLIENT_RANDOM ${random}`, `CLIENT_RANDOM ${random.slice(2)} ${'11'.repeat(48)}`, `CLIENT_RANDOM ${random} ${'11'.repeat(32)}`,
      `SERVER_TRAFFIC_SECRET_0 ${random} ${'1'.repeat(63)}`, `client_random ${random} ${'11'.repeat(48)}`, `CLIENT_RANDOM ${random} ${'zz'.repeat(48)}`,
      'x'.repeat(MAX_KEYLOG_LINE + 1),
    ].join('\n'))).toEqual([
      { line: 1, reason: 'expected "LABEL CLIENT_RANDOM SECRET", found 2 fields' },
      { line: 2, reason: 'the client random must be 32 bytes in hex' },
      { line: 3, reason: 'a CLIENT_RANDOM secret of 32 bytes (expected 48)' },
      { line: 4, reason: 'the SERVER_TRAFFIC_SECRET_0 secret is not hex' },
      { line: 5, reason: '"client_random" is not a key log label' },
      { line: 6, reason: 'the CLIENT_RANDOM secret is not hex' },
      { line: 7, reason: `longer than ${MAX_KEYLOG_LINE} characters: not a key log line` },
    ]);
    expect(k.size).toBe(0);
  });

  it(`lists at most ${MAX_KEYLOG_ISSUES} problems, then counts; a huge single line is never split into fields`, () => {
    const k = new KeyLog();
    const issues = k.add(Array.from({ length: 50 }, () => 'garbage').join('\n'));
    expect(issues).toHaveLength(MAX_KEYLOG_ISSUES + 1);
    expect(issues.at(-1)).toEqual({ reason: `${50 - MAX_KEYLOG_ISSUES} more bad lines not listed` });
    expect(k.add('A'.repeat(50_000_000))).toEqual([{ line: 1, reason: `longer than ${MAX_KEYLOG_LINE} characters: not a key log line` }]);
  });
});
