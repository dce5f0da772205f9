// The connection decryptor against real OpenSSL sessions (node:tls over an in-memory pipe): every
// supported suite and version, split at every byte, with missing, wrong and partial keys, and with
// the server's RSA key instead of a key log.
import { constants, createCipheriv, createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Dir, TrackerInput } from '../../../src/analyze/input.js';
import { nextTrafficSecret, trafficKeys } from '../../../src/tls/decrypt/key-schedule13.js';
import { fromHex } from '../../../src/wire/hex.js';
import { RFC8448_CLIENT_HELLO, RFC8448_SERVER_HELLO } from '../../vectors/tls.js';
import { ConnectionDecryptor, type DecryptionKeys, type DecryptIssue } from '../../../src/tls/decrypt/connection-decryptor.js';
import { KeyLog } from '../../../src/tls/decrypt/keylog.js';
import { recordSession, type Recorded } from './helpers.js';

const MESSAGES = { c2s: ['first client message', 'x'.repeat(20_000), 'last'], s2c: ['server answer one', 'two', 'y'.repeat(17_000)] };

function keysOf(r: Recorded, serverKey = false): DecryptionKeys {
  const keyLog = new KeyLog();
  if (!serverKey) expect(keyLog.add(r.keylog)).toEqual([]);
  return { keyLog, serverKeys: serverKey ? [createPrivateKey(r.cert.keyPem)] : [] };
}

/** Runs the decryptor over the recorded writes, each cut into pieces of `chunk` bytes. */
function decrypt(r: Recorded, keys: DecryptionKeys, chunk = Infinity) {
  const d = new ConnectionDecryptor(keys);
  const inputs: TrackerInput[] = [];
  const issues: DecryptIssue[] = [];
  let packet = 0;
  for (const w of r.wire) {
    for (let i = 0; i < w.bytes.length; i += Math.min(chunk, w.bytes.length)) {
      const out = d.push({ kind: 'data', dir: w.dir, lane: 'wire', bytes: w.bytes.subarray(i, i + chunk), at: 1000 + packet, packet: ++packet });
      inputs.push(...out.inputs);
      issues.push(...out.issues);
    }
  }
  const inner = (dir: 'c2s' | 's2c') => Buffer.concat(inputs.flatMap((x) => (x.kind === 'data' && x.dir === dir ? [x.bytes] : [])));
  return { inputs, issues, inner };
}

const CASES: { name: string; opts: Parameters<typeof recordSession>[0]; cipher: string; protocol: string }[] = [
  { name: 'TLS 1.3 AES-128-GCM', opts: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' }, cipher: 'TLS_AES_128_GCM_SHA256', protocol: 'TLSv1.3' },
  { name: 'TLS 1.3 AES-256-GCM (SHA-384)', opts: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_256_GCM_SHA384' }, cipher: 'TLS_AES_256_GCM_SHA384', protocol: 'TLSv1.3' },
  { name: 'TLS 1.3 ChaCha20-Poly1305', opts: { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' }, cipher: 'TLS_CHACHA20_POLY1305_SHA256', protocol: 'TLSv1.3' },
  { name: 'TLS 1.2 ECDHE AES-128-GCM', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 ECDHE AES-256-GCM (SHA-384 PRF)', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 ECDHE ChaCha20-Poly1305', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' }, cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 AES-128-CBC-SHA, encrypt-then-MAC', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 AES-128-CBC-SHA, MAC-then-encrypt', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 AES-256-CBC-SHA384 (SHA-384 MAC and PRF), encrypt-then-MAC', opts: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-SHA384' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384', protocol: 'TLSv1.2' },
  { name: 'TLS 1.2 AES-128-CBC-SHA256, MAC-then-encrypt', opts: { maxVersion: 'TLSv1.2', ciphers: 'AES128-SHA256', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }, cipher: 'TLS_RSA_WITH_AES_128_CBC_SHA256', protocol: 'TLSv1.2' },
  { name: 'TLS 1.1 AES-128-CBC-SHA (explicit IV)', opts: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'ECDHE-RSA-AES128-SHA:@SECLEVEL=0' }, cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA', protocol: 'TLSv1.1' },
  { name: 'TLS 1.0 AES-256-CBC-SHA (chained IV, MD5/SHA-1 PRF), MAC-then-encrypt', opts: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'ECDHE-RSA-AES256-SHA:@SECLEVEL=0', secureOptions: constants.SSL_OP_NO_ENCRYPT_THEN_MAC }, cipher: 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA', protocol: 'TLSv1' },
];

describe('ConnectionDecryptor on real node:tls sessions', () => {
  for (const c of CASES) {
    it(`${c.name}: plaintext of both sides and one tls-session, however the stream is split`, async () => {
      const r = await recordSession(c.opts, MESSAGES);
      expect([r.protocol, r.cipher]).toEqual([c.protocol, c.cipher]);
      for (const chunk of [Infinity, 1000, 7, 1]) {
        const { inputs, issues, inner } = decrypt(r, keysOf(r), chunk);
        expect(issues).toEqual([]);
        expect(inner('c2s').toString()).toBe(r.sent.c2s.toString());
        expect(inner('s2c').toString()).toBe(r.sent.s2c.toString());
        const sessions = inputs.filter((x) => x.kind === 'tls-session');
        expect(sessions).toHaveLength(1);
        expect(sessions[0]).toMatchObject({ source: 'key-log', protocol: c.protocol, cipher: c.cipher });
        expect((sessions[0] as { chain: Uint8Array[] }).chain.map((d) => Buffer.from(d).toString('base64'))).toEqual([
          r.cert.certPem.replace(/-----[A-Z ]+-----|\s/g, ''),
        ]);
        // the session comes before any plaintext, as from the live TLS socket
        expect(inputs[0]!.kind).toBe('tls-session');
      }
    });
  }
});

/** OpenSSL 3 SSL_OP_NO_EXTENDED_MASTER_SECRET (bit 0); node exports no constant for it. */
const NO_EMS = 1;

function serverHelloHasEms(r: Recorded): boolean {
  // the server's first record holds the ServerHello; extension 23 is extended_master_secret (RFC 7627)
  const sh = Buffer.from(r.wire.find((w) => w.dir === 's2c')!.bytes);
  return sh.includes(Buffer.from([0x00, 0x17, 0x00, 0x00]));
}

describe('RSA key transport with the server key (--server-key)', () => {
  for (const [name, opts] of [
    ['AES-128-GCM with extended master secret', { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }],
    ['AES-128-GCM without extended master secret', { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256', secureOptions: NO_EMS }],
    ['AES-256-CBC-SHA, encrypt-then-MAC, extended master secret', { maxVersion: 'TLSv1.2', ciphers: 'AES256-SHA' }],
    ['TLS 1.0 AES-128-CBC-SHA, no extended master secret', { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'AES128-SHA:@SECLEVEL=0', secureOptions: NO_EMS }],
  ] as const) {
    it(`${name}: the pre-master secret from the ClientKeyExchange decrypts the session`, async () => {
      const r = await recordSession(opts, MESSAGES);
      expect(serverHelloHasEms(r)).toBe(!('secureOptions' in opts));
      const { inputs, issues, inner } = decrypt(r, keysOf(r, true), 100);
      expect(issues).toEqual([]);
      expect(inner('c2s').equals(r.sent.c2s)).toBe(true);
      expect(inner('s2c').equals(r.sent.s2c)).toBe(true);
      expect(inputs.filter((x) => x.kind === 'tls-session')).toHaveLength(1);
    });
  }

  it('another server\'s key: a clear issue, nothing decrypted', async () => {
    const r = await recordSession({ maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' }, MESSAGES);
    const other = createPrivateKey(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const { inputs, issues } = decrypt(r, { keyLog: new KeyLog(), serverKeys: [other] });
    expect(inputs).toEqual([]);
    expect(issues).toEqual([{ packet: expect.any(Number), reason: expect.stringMatching(/^the ClientKeyExchange does not decrypt with the given server key \(--server-key\)/) }]);
  });

  it('an ECDHE suite: the server key cannot help, and the issue says so', async () => {
    const r = await recordSession({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' }, MESSAGES);
    const { inputs, issues } = decrypt(r, keysOf(r, true));
    expect(inputs).toEqual([]);
    expect(issues.map((i) => i.reason)).toEqual([expect.stringContaining('has no RSA key transport: a server key cannot decrypt it')]);
  });
});

describe('missing, wrong and partial keys', () => {
  it('a key log of another connection: one issue naming the client random, no inputs', async () => {
    const r = await recordSession({ minVersion: 'TLSv1.3' }, MESSAGES);
    const other = await recordSession({ minVersion: 'TLSv1.3' }, MESSAGES);
    const { inputs, issues } = decrypt(r, keysOf(other));
    const random = Buffer.from(r.wire[0]!.bytes.subarray(11, 43)).toString('hex');
    expect(inputs).toEqual([]);
    expect(issues).toEqual([{ packet: 2, reason: `no key log entry for client random ${random}: this connection's TLS stays encrypted` }]);
  });

  for (const v of ['TLSv1.2', 'TLSv1.3'] as const) {
    it(`${v}: a wrong secret for the right client random stops decryption with an issue, once per direction`, async () => {
      const r = await recordSession({ minVersion: v, maxVersion: v }, MESSAGES);
      const bad = r.keylog.replace(/([0-9a-f]{2})(\n|$)/g, (_m, b: string, nl: string) => `${(Number.parseInt(b, 16) ^ 1).toString(16).padStart(2, '0')}${nl}`);
      const keyLog = new KeyLog();
      keyLog.add(bad);
      const { inputs, issues } = decrypt(r, { keyLog, serverKeys: [] });
      expect(inputs).toEqual([]);
      expect(issues.map((i) => i.reason).sort()).toEqual(['client', 'server'].map((who) =>
        `${who} encrypted record 1 does not decrypt: authentication tag mismatch: the keys do not fit this connection, its TLS stays encrypted from here`));
    });
  }

  it('TLS 1.3 without SERVER_TRAFFIC_SECRET_0: the handshake and the client side decrypt, the server\'s data stays encrypted', async () => {
    const r = await recordSession({ minVersion: 'TLSv1.3' }, MESSAGES);
    const keyLog = new KeyLog();
    keyLog.add(r.keylog.split('\n').filter((l) => !l.startsWith('SERVER_TRAFFIC_SECRET_0')).join('\n'));
    const { inputs, issues, inner } = decrypt(r, { keyLog, serverKeys: [] });
    expect(issues.map((i) => i.reason)).toEqual([expect.stringMatching(/^the key log has no SERVER_TRAFFIC_SECRET_0 for client random [0-9a-f]{64}: server records stay encrypted$/)]);
    expect(inputs.filter((x) => x.kind === 'tls-session')).toHaveLength(1);
    expect(inner('c2s').equals(r.sent.c2s)).toBe(true);
    expect(inner('s2c').length).toBe(0);
  });

  it('a gap stops that direction only; X.224 before TLS is skipped; Standard RDP Security is left alone', async () => {
    const r = await recordSession({ minVersion: 'TLSv1.3' }, MESSAGES);
    const d = new ConnectionDecryptor(keysOf(r));
    const cr = Uint8Array.from([0x03, 0x00, 0x00, 0x0b, 0x06, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00]);
    expect(d.push({ kind: 'data', dir: 'c2s', lane: 'wire', bytes: cr, at: 1 })).toEqual({ inputs: [], issues: [] });
    expect(d.push({ kind: 'data', dir: 's2c', lane: 'wire', bytes: cr, at: 1 })).toEqual({ inputs: [], issues: [] });
    const out: TrackerInput[] = [];
    for (const w of r.wire) {
      if (w.dir === 's2c' && out.some((x) => x.kind === 'tls-session')) d.push({ kind: 'gap', dir: 's2c', bytes: 10, at: 2 });
      out.push(...d.push({ kind: 'data', dir: w.dir, lane: 'wire', bytes: w.bytes, at: 2 }).inputs);
    }
    expect(Buffer.concat(out.flatMap((x) => (x.kind === 'data' && x.dir === 'c2s' ? [x.bytes] : []))).equals(r.sent.c2s)).toBe(true);
    expect(out.some((x) => x.kind === 'data' && x.dir === 's2c')).toBe(false);

    const rdp = new ConnectionDecryptor(keysOf(r));
    // MCS Connect Initial after a Confirm selecting RDP, then a fast-path PDU: no TLS, nothing out
    for (const bytes of [cr, Uint8Array.from([0x03, 0x00, 0x00, 0x08, 0x02, 0xf0, 0x80, 0x7f]), Uint8Array.from([0x44, 0x05, 0x00, 0x00, 0x00])]) {
      expect(rdp.push({ kind: 'data', dir: 'c2s', lane: 'wire', bytes, at: 3 })).toEqual({ inputs: [], issues: [] });
    }
  });
});

describe('TLS 1.3 KeyUpdate (RFC 8446 §4.6.3, §7.2)', () => {
  /** A TLS 1.3 record sealed with node:crypto AES-128-GCM directly (RFC 8446 §5.2), independent of the decryptor. */
  function seal(secret: Uint8Array, seq: number, type: number, content: Uint8Array): Uint8Array {
    const { key, iv } = trafficKeys('sha256', secret, 16);
    const inner = Buffer.concat([content, Buffer.of(type)]);
    const header = Buffer.of(23, 3, 3, (inner.length + 16) >> 8, (inner.length + 16) & 0xff);
    const nonce = Buffer.from(iv);
    nonce.writeUInt32BE((nonce.readUInt32BE(8) ^ seq) >>> 0, 8);
    const c = createCipheriv('aes-128-gcm', key, nonce).setAAD(header);
    return Buffer.concat([header, c.update(inner), c.final(), c.getAuthTag()]);
  }
  const record = (type: number, body: Uint8Array) => Buffer.concat([Buffer.of(type, 3, 3, body.length >> 8, body.length & 0xff), body]);

  it('the sender\'s records after its KeyUpdate open with the next application traffic secret', () => {
    const random = fromHex(RFC8448_CLIENT_HELLO).subarray(6, 38);
    const [chs, shs, c0, s0] = [1, 2, 3, 4].map((n) => new Uint8Array(32).fill(n));
    const keyLog = new KeyLog();
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    expect(keyLog.add([['CLIENT_HANDSHAKE_TRAFFIC_SECRET', chs], ['SERVER_HANDSHAKE_TRAFFIC_SECRET', shs], ['CLIENT_TRAFFIC_SECRET_0', c0], ['SERVER_TRAFFIC_SECRET_0', s0]]
      .map(([l, s]) => `${l} ${hex(random)} ${hex(s as Uint8Array)}`).join('\n'))).toEqual([]);
    const d = new ConnectionDecryptor({ keyLog, serverKeys: [] });
    const finished = Buffer.concat([Buffer.of(20, 0, 0, 32), Buffer.alloc(32, 9)]);
    const keyUpdate = Buffer.of(24, 0, 0, 1, 0);
    const flow: [Dir, Uint8Array][] = [
      ['c2s', record(22, fromHex(RFC8448_CLIENT_HELLO))],
      ['s2c', record(22, fromHex(RFC8448_SERVER_HELLO))],
      ['s2c', seal(shs!, 0, 22, finished)],
      ['c2s', seal(chs!, 0, 22, finished)],
      ['s2c', seal(s0!, 0, 23, Buffer.from('before '))],
      ['s2c', seal(s0!, 1, 22, keyUpdate)],
      ['s2c', seal(nextTrafficSecret('sha256', s0!), 0, 23, Buffer.from('after'))],
      ['c2s', seal(c0!, 0, 23, Buffer.from('client'))],
    ];
    const out = flow.flatMap(([dir, bytes]) => {
      const r = d.push({ kind: 'data', dir, lane: 'wire', bytes, at: 1 });
      expect(r.issues).toEqual([]);
      return r.inputs;
    });
    expect(out.map((x) => (x.kind === 'data' ? `${x.dir}: ${Buffer.from(x.bytes).toString()}` : x.kind))).toEqual(['tls-session', 's2c: before ', 's2c: after', 'c2s: client']);
  });
});
