// ClientHello: decoding real hellos (RFC 8448, Windows, nmap, FreeRDP, OpenSSL; values cross-checked
// with tshark), building hellos for SSL 3.0..TLS 1.3, and a real OpenSSL server answering ours.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { buildClientHello, decodeClientHello, type ClientHelloSpec } from '../../src/tls/client-hello.js';
import { decodeServerHello } from '../../src/tls/server-hello.js';
import { decodeCertificateMessage } from '../../src/tls/certificate.js';
import { decodeServerKeyExchange } from '../../src/tls/server-key-exchange.js';
import { decodeAlert } from '../../src/tls/alert.js';
import { HandshakeReassembler, HS, type HandshakeMessage } from '../../src/tls/handshake.js';
import { decodeTlsRecord, findTlsRecordSize } from '../../src/tls/record.js';
import { encodeExtensions, u16Bytes, vector } from '../../src/tls/extensions.js';
import { concatBytes } from '../../src/wire/writer.js';
import { describeWithTools } from '../helpers/lab.js';
import * as V from '../vectors/tls.js';
import { decodeError, message } from './helpers.js';

const ch = (side: { offset: number; hex: string }, nth = 0) => {
  const m = message(side, HS.clientHello, nth);
  return decodeClientHello(m.body, m.offset + 4);
};
const extTypes = (h: { extensions: { type: number }[] }) => h.extensions.map((e) => e.type);

describe('decodeClientHello on real hellos', () => {
  it('RFC 8448 §3', () => {
    const h = decodeClientHello(fromHex(V.RFC8448_CLIENT_HELLO).subarray(4), 4);
    expect(h).toMatchObject({
      legacyVersion: 0x0303, cipherSuites: [0x1301, 0x1303, 0x1302], compressionMethods: [0], serverName: 'server',
      supportedVersions: [0x0304], supportedGroups: [29, 23, 24, 25, 256, 257, 258, 259, 260], keyShareGroups: [29], maxVersion: 0x0304,
      signatureAlgorithms: [0x0403, 0x0503, 0x0603, 0x0203, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0402, 0x0502, 0x0602, 0x0202],
    });
    expect(toHex(h.random, '')).toBe('cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7');
    expect(h.sessionId.length).toBe(0);
    expect(h.extensions.map((e) => e.name)).toEqual(['server_name', 'renegotiation_info', 'supported_groups', 'session_ticket', 'key_share',
      'supported_versions', 'signature_algorithms', 'psk_key_exchange_modes', 'record_size_limit']);
    expect(h.extensions[0]!.offset).toBe(4 + 2 + 32 + 1 + 2 + 6 + 2 + 2);
  });

  it('Windows 7 mstsc, TLS 1.0 (rdp-to-ssl.pcap)', () => {
    expect(ch(V.WIN7_TLS10.client)).toMatchObject({
      legacyVersion: 0x0301, maxVersion: 0x0301, serverName: '192.168.1.150', supportedGroups: [23, 24],
      cipherSuites: [0x002f, 0x0035, 0x0005, 0x000a, 0xc013, 0xc014, 0xc009, 0xc00a, 0x0032, 0x0038, 0x0013, 0x0004],
    });
    expect(extTypes(ch(V.WIN7_TLS10.client))).toEqual([0, 5, 10, 11]);
    expect(ch(V.WIN7_TLS10.client).signatureAlgorithms).toBeUndefined();
  });

  it('Windows, TLS 1.2 (rdp-no-cookie-mstshash.pcap)', () => {
    const h = ch(V.WIN_TLS12.client);
    expect(h).toMatchObject({
      legacyVersion: 0x0303, maxVersion: 0x0303, supportedGroups: [29, 23, 24],
      cipherSuites: [0xc02c, 0xc02b, 0xc030, 0xc02f, 0x009f, 0x009e, 0xc024, 0xc023, 0xc028, 0xc027, 0xc00a, 0xc009, 0xc014, 0xc013, 0x009d, 0x009c, 0x003d, 0x003c, 0x0035, 0x002f, 0x000a],
      signatureAlgorithms: [0x0401, 0x0501, 0x0201, 0x0403, 0x0503, 0x0203, 0x0202, 0x0601, 0x0603],
    });
    expect(h.serverName).toBeUndefined();
    expect(extTypes(h)).toEqual([10, 11, 13, 35, 23, 0xff01]);
  });

  it('nmap rdp-enum-encryption and FreeRDP, offering TLS 1.0..1.3', () => {
    const nmap = ch(V.NMAP_XRDP_TLS13.client);
    expect(extTypes(nmap)).toEqual([11, 10, 35, 22, 23, 13, 43, 45, 51, 21]);
    expect(nmap).toMatchObject({ supportedVersions: [0x0304, 0x0303, 0x0302, 0x0301], keyShareGroups: [29], maxVersion: 0x0304, legacyVersion: 0x0303 });
    expect(nmap.cipherSuites.length).toBe(78);
    expect(nmap.cipherSuites.slice(0, 4)).toEqual([0x1302, 0x1303, 0x1301, 0x0033]);
    expect(nmap.sessionId.length).toBe(32);
    const freerdp = ch(V.FREERDP_SHADOW_TLS13.client);
    expect(freerdp).toMatchObject({ serverName: '127.0.0.1', maxVersion: 0x0304, supportedGroups: [29, 23, 30, 25, 24, 256, 257, 258, 259, 260] });
    expect(extTypes(freerdp)).toEqual([0, 11, 10, 35, 22, 23, 13, 43, 45, 51]);
  });

  it('OpenSSL: a TLS 1.2-only hello, and the second hello after a HelloRetryRequest', () => {
    expect(ch(V.OPENSSL_TLS12_ECDHE.client)).toMatchObject({ cipherSuites: [0xc02b, 0x00ff], serverName: 'rdp.example.test', maxVersion: 0x0303 });
    expect(ch(V.OPENSSL_TLS13_HRR.client, 0).keyShareGroups).toEqual([29]);
    expect(ch(V.OPENSSL_TLS13_HRR.client, 1).keyShareGroups).toEqual([23]);
  });

  it('skips GREASE when computing maxVersion and names GREASE extensions', () => {
    const body = concatBytes([u16Bytes([0x0303]), new Uint8Array(32), vector(1, new Uint8Array(0)), vector(2, u16Bytes([0x2a2a, 0x1301])), vector(1, Uint8Array.of(0)),
      encodeExtensions([{ type: 0x1a1a, data: new Uint8Array(0) }, { type: 43, data: vector(1, u16Bytes([0x7a7a, 0x0304, 0x0303])) }])]);
    const h = decodeClientHello(body);
    expect(h.maxVersion).toBe(0x0304);
    expect(h.extensions[0]!.name).toBe('GREASE (0x1a1a)');
    // only a GREASE version in supported_versions: legacy_version is the best there is
    const head = body.subarray(0, 2 + 32 + 1 + 6 + 2);
    expect(decodeClientHello(concatBytes([head, encodeExtensions([{ type: 43, data: vector(1, u16Bytes([0x7a7a])) }])])).maxVersion).toBe(0x0303);
  });

  it('reads ALPN and the first host_name of server_name', () => {
    const ascii = (t: string) => new TextEncoder().encode(t);
    const sni = vector(2, concatBytes([Uint8Array.of(7), vector(2, ascii('other')), Uint8Array.of(0), vector(2, ascii('rdp.example.test'))]));
    const alpn = vector(2, concatBytes([vector(1, ascii('h2')), vector(1, ascii('http/1.1'))]));
    const fixed = concatBytes([u16Bytes([0x0303]), new Uint8Array(32), vector(1, new Uint8Array(0)), vector(2, u16Bytes([0xc02f])), vector(1, Uint8Array.of(0))]);
    expect(decodeClientHello(concatBytes([fixed, encodeExtensions([{ type: 0, data: sni }, { type: 16, data: alpn }])]))).toMatchObject({ serverName: 'rdp.example.test', alpn: ['h2', 'http/1.1'] });
    const zeroAlpn = concatBytes([fixed, encodeExtensions([{ type: 16, data: vector(2, Uint8Array.of(0, 0)) }])]);
    expect(decodeError(() => decodeClientHello(zeroAlpn, 100))).toMatchObject({ field: 'protocol_name length', offset: 100 + fixed.length + 2 + 4 + 2 });
  });

  it('reports malformed fields with their absolute offsets', () => {
    const good = fromHex(V.RFC8448_CLIENT_HELLO).subarray(4);
    const edit = (at: number, v: number) => { const b = good.slice(); b[at] = v; return b; };
    expect(decodeError(() => decodeClientHello(edit(34, 33), 1000))).toMatchObject({ code: 'INVALID_FIELD', layer: 'tls', pdu: 'ClientHello', field: 'legacy_session_id length', offset: 1034 });
    expect(decodeError(() => decodeClientHello(edit(36, 5), 1000))).toMatchObject({ field: 'cipher_suites length', offset: 1035 });
    // extensions length one short: the last byte is left over
    expect(decodeError(() => decodeClientHello(edit(46, 0x90), 1000))).toMatchObject({ field: 'trailing data', offset: 1000 + good.length - 1 });
    // server_name_list length 0x0a instead of 0x09
    expect(decodeError(() => decodeClientHello(edit(52, 0x0a), 1000))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'server_name_list' });
    // renegotiation_info (ff01) renamed to server_name: a second server_name extension
    expect(decodeError(() => decodeClientHello(edit(62, 0x00).map((b, i) => (i === 63 ? 0 : b)), 1000))).toMatchObject({ field: 'extension type', offset: 1062 });
    expect(decodeError(() => decodeClientHello(good.subarray(0, 20), 1000))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'random', offset: 1002 });
  });
});

const RANDOM = Uint8Array.from({ length: 32 }, (_, i) => i);

function unwrap(record: Uint8Array): { version: number; body: Uint8Array } {
  expect(findTlsRecordSize(record)).toBe(record.length);
  const r = decodeTlsRecord(record);
  expect(r.type).toBe(22);
  const [m, ...more] = new HandshakeReassembler().push(r.fragment, 5);
  expect(more).toEqual([]);
  expect(m).toMatchObject({ type: 1, name: 'client_hello', offset: 5, length: r.length - 4 });
  return { version: r.version, body: m!.body };
}

describe('buildClientHello', () => {
  const ecdhe = [0xc02f, 0xc013, 0x002f];

  it('SSL 3.0: record version 3.0, no extensions, the renegotiation SCSV', () => {
    const { version, body } = unwrap(buildClientHello({ version: 0x0300, cipherSuites: [0x000a, 0x0005], random: RANDOM, serverName: 'host.example' }));
    const h = decodeClientHello(body, 9);
    expect(version).toBe(0x0300);
    expect(h).toMatchObject({ legacyVersion: 0x0300, maxVersion: 0x0300, cipherSuites: [0x000a, 0x0005, 0x00ff], compressionMethods: [0], extensions: [] });
    expect(toHex(h.random)).toBe(toHex(RANDOM));
    expect(body.length).toBe(2 + 32 + 1 + 2 + 6 + 2);
  });

  it('TLS 1.0 and 1.1: SNI, ECC extensions only with ECC suites, renegotiation_info, no signature_algorithms', () => {
    for (const v of [0x0301, 0x0302]) {
      const { version, body } = unwrap(buildClientHello({ version: v, cipherSuites: ecdhe, random: RANDOM, serverName: 'rdp.example.test' }));
      const h = decodeClientHello(body);
      expect([version, h.legacyVersion, h.maxVersion]).toEqual([0x0301, v, v]);
      expect(extTypes(h)).toEqual([0, 10, 11, 0xff01]);
      expect(h).toMatchObject({ serverName: 'rdp.example.test', supportedGroups: [29, 23, 24, 25], cipherSuites: ecdhe });
      expect(toHex(h.extensions[2]!.data)).toBe('01 00');
      expect(toHex(h.extensions[3]!.data)).toBe('00');
    }
    const plain = decodeClientHello(unwrap(buildClientHello({ version: 0x0301, cipherSuites: [0x002f, 0x000a], random: RANDOM })).body);
    expect(extTypes(plain)).toEqual([0xff01]);
  });

  it('TLS 1.2: signature_algorithms with the SHA-1 fallbacks; the caller SCSV replaces renegotiation_info', () => {
    const h = decodeClientHello(unwrap(buildClientHello({ version: 0x0303, minVersion: 0x0301, cipherSuites: ecdhe, random: RANDOM })).body);
    expect(extTypes(h)).toEqual([10, 11, 13, 0xff01]);
    expect(h.signatureAlgorithms).toEqual([0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0201, 0x0203]);
    expect(h.legacyVersion).toBe(0x0303);
    const scsv = decodeClientHello(unwrap(buildClientHello({ version: 0x0303, cipherSuites: [0x009c, 0x00ff], random: RANDOM, signatureAlgorithms: [0x0401] })).body);
    expect(extTypes(scsv)).toEqual([13]);
    expect(scsv.signatureAlgorithms).toEqual([0x0401]);
    const ffdhe = decodeClientHello(unwrap(buildClientHello({ version: 0x0303, cipherSuites: [0x009e], groups: [256], random: RANDOM })).body);
    expect(extTypes(ffdhe)).toEqual([10, 13, 0xff01]);
    expect(ffdhe.supportedGroups).toEqual([256]);
  });

  it('TLS 1.3: supported_versions, key_share, psk_key_exchange_modes; legacy_version 1.2', () => {
    const key = new Uint8Array(32).fill(7);
    const { version, body } = unwrap(buildClientHello({ version: 0x0304, cipherSuites: [0x1301, 0x1302], random: RANDOM, serverName: 'localhost', keyShares: [{ group: 29, key }] }));
    const h = decodeClientHello(body);
    expect(version).toBe(0x0301);
    expect(h).toMatchObject({ legacyVersion: 0x0303, maxVersion: 0x0304, supportedVersions: [0x0304], keyShareGroups: [29], serverName: 'localhost', supportedGroups: [29, 23, 24, 25] });
    expect(extTypes(h)).toEqual([0, 10, 13, 43, 51, 45]);
    expect(h.signatureAlgorithms).not.toContain(0x0201);
    expect(toHex(h.extensions.find((e) => e.type === 51)!.data)).toBe(`00 24 00 1d 00 20 ${toHex(key)}`);
    expect(toHex(h.extensions.find((e) => e.type === 45)!.data)).toBe('01 01');
  });

  it('TLS 1.3 down to 1.0: every version listed, ECC and renegotiation extensions kept', () => {
    const h = decodeClientHello(unwrap(buildClientHello({ version: 0x0304, minVersion: 0x0301, cipherSuites: [0x1301, 0xc02f, 0x002f], random: RANDOM, groups: [23], keyShares: [{ group: 29, key: new Uint8Array(32) }] })).body);
    expect(h.supportedVersions).toEqual([0x0304, 0x0303, 0x0302, 0x0301]);
    expect(h.supportedGroups).toEqual([29, 23]);
    expect(extTypes(h)).toEqual([10, 11, 13, 0xff01, 43, 51, 45]);
    expect(h.signatureAlgorithms).toContain(0x0201);
  });

  it('leaves IP literals out of SNI (RFC 6066 §3) and rejects impossible specs', () => {
    for (const serverName of ['10.0.0.1', '::1', 'fe80::1']) {
      expect(decodeClientHello(unwrap(buildClientHello({ version: 0x0303, cipherSuites: [0x009c], random: RANDOM, serverName })).body).serverName).toBeUndefined();
    }
    const bad: Partial<ClientHelloSpec>[] = [{ version: 0x0305 }, { version: 0x0200 }, { minVersion: 0x0304 }, { random: new Uint8Array(31) }, { cipherSuites: [] }];
    for (const b of bad) expect(() => buildClientHello({ version: 0x0303, cipherSuites: [0x009c], random: RANDOM, ...b })).toThrow(RangeError);
  });
});

// ---- a real server answering our hellos

interface Flight { messages: HandshakeMessage[]; alert?: { level: number; description: number } }

/** Sends hello and collects the server's plaintext handshake messages until stop() says so, the first alert, or 5 s. */
function exchange(port: number, hello: Uint8Array, stop: (ms: HandshakeMessage[]) => boolean): Promise<Flight> {
  return new Promise((resolve, reject) => {
    const sock = connect(port, '127.0.0.1');
    const reasm = new HandshakeReassembler();
    const flight: Flight = { messages: [] };
    let buf: Uint8Array = new Uint8Array(0);
    let at = 0;
    const done = (err?: Error) => { clearTimeout(timer); sock.destroy(); if (err) reject(err); else resolve(flight); };
    const timer = setTimeout(() => done(new Error(`no complete answer within 5 s (${flight.messages.map((m) => m.name).join(', ')})`)), 5000);
    sock.on('connect', () => sock.write(hello));
    sock.on('error', (e) => done(e));
    sock.on('close', () => done());
    sock.on('data', (d) => {
      try {
        buf = concatBytes([buf, d]);
        for (;;) {
          const size = findTlsRecordSize(buf, at);
          if (size === undefined || size > buf.length) return;
          const rec = decodeTlsRecord(buf.subarray(0, size), at);
          if (rec.type === 21) { flight.alert = decodeAlert(rec.fragment, at + 5); return done(); }
          if (rec.type !== 22) return done();
          flight.messages.push(...reasm.push(rec.fragment, at + 5));
          buf = buf.slice(size);
          at += size;
          if (stop(flight.messages)) return done();
        }
      } catch (e) {
        done(e as Error);
      }
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function x25519Share(): Uint8Array {
  const { publicKey } = generateKeyPairSync('x25519');
  return new Uint8Array(publicKey.export({ format: 'der', type: 'spki' })).subarray(-32);
}

describeWithTools(['openssl'], 'buildClientHello against openssl s_server', () => {
  let dir = '';
  let server: ChildProcess | undefined;
  let port = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-tls-'));
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost',
      '-days', '1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore', timeout: 20_000 });
    port = await freePort();
    const srv = spawn('openssl', ['s_server', '-accept', String(port), '-cert', join(dir, 'cert.pem'), '-key', join(dir, 'key.pem'),
      '-cipher', 'ALL:@SECLEVEL=0', '-min_protocol', 'TLSv1', '-www'], { stdio: ['pipe', 'pipe', 'ignore'] });
    server = srv;
    await new Promise<void>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('openssl s_server did not start within 10 s')), 10_000);
      srv.stdout!.on('data', (d: Buffer) => { if (d.toString().includes('ACCEPT')) { clearTimeout(t); resolve(); } });
      srv.on('exit', (code) => { clearTimeout(t); reject(new Error(`openssl s_server exited with ${code}`)); });
    });
  });

  afterAll(() => {
    if (server?.pid !== undefined && server.exitCode === null) process.kill(server.pid, 'SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const helloDone = (ms: HandshakeMessage[]) => ms.some((m) => m.type === HS.serverHelloDone);
  const firstHello = (ms: HandshakeMessage[]) => ms.some((m) => m.type === HS.serverHello);

  it('TLS 1.2: ServerHello, Certificate, ServerKeyExchange (x25519), ServerHelloDone', async () => {
    const hello = buildClientHello({ version: 0x0303, minVersion: 0x0301, cipherSuites: [0xc02b, 0xc02f, 0xc013, 0x009c, 0x002f], random: randomBytes(32), serverName: 'localhost' });
    const f = await exchange(port, hello, helloDone);
    expect(f.alert).toBeUndefined();
    expect(f.messages.map((m) => m.name)).toEqual(['server_hello', 'certificate', 'server_key_exchange', 'server_hello_done']);
    const [shm, cert, ske] = f.messages as [HandshakeMessage, HandshakeMessage, HandshakeMessage];
    const sh = decodeServerHello(shm.body, shm.offset + 4);
    expect(sh).toMatchObject({ version: 0x0303, cipherSuite: 0xc02b, helloRetryRequest: false, downgrade: 'tls12' });
    expect(shm.offset).toBe(5);
    expect(decodeCertificateMessage(cert.body, cert.offset + 4).certificates).toHaveLength(1);
    expect(decodeServerKeyExchange(ske.body, ske.offset + 4, sh.cipherSuite, sh.version)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519', signatureScheme: 0x0403 });
  });

  it('TLS 1.0: the server accepts an extension-light hello at TLS 1.0', async () => {
    const f = await exchange(port, buildClientHello({ version: 0x0301, cipherSuites: [0xc009, 0xc00a], random: randomBytes(32) }), helloDone);
    const shm = f.messages[0]!;
    expect(decodeServerHello(shm.body, shm.offset + 4)).toMatchObject({ version: 0x0301, cipherSuite: 0xc009, downgrade: 'tls11-or-below' });
    const ske = f.messages.find((m) => m.type === HS.serverKeyExchange)!;
    expect(decodeServerKeyExchange(ske.body, ske.offset + 4, 0xc009)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519' });
  });

  it('TLS 1.3 with an x25519 share: a ServerHello selecting TLS 1.3', async () => {
    const hello = buildClientHello({ version: 0x0304, cipherSuites: [0x1301, 0x1302, 0x1303], random: randomBytes(32), serverName: 'localhost', keyShares: [{ group: 29, key: x25519Share() }] });
    const f = await exchange(port, hello, firstHello);
    expect(f.alert).toBeUndefined();
    const shm = f.messages[0]!;
    const sh = decodeServerHello(shm.body, shm.offset + 4);
    expect(sh).toMatchObject({ version: 0x0304, legacyVersion: 0x0303, helloRetryRequest: false, keyShareGroup: 29 });
    expect([0x1301, 0x1302, 0x1303]).toContain(sh.cipherSuite);
  });

  it('TLS 1.3 without a share: a HelloRetryRequest naming the group', async () => {
    const f = await exchange(port, buildClientHello({ version: 0x0304, cipherSuites: [0x1301], random: randomBytes(32), groups: [23] }), firstHello);
    const shm = f.messages[0]!;
    expect(decodeServerHello(shm.body, shm.offset + 4)).toMatchObject({ helloRetryRequest: true, version: 0x0304, keyShareGroup: 23, cipherSuite: 0x1301 });
  });

  it('a suite the server cannot use: a handshake_failure alert', async () => {
    const f = await exchange(port, buildClientHello({ version: 0x0303, cipherSuites: [0x009c], random: randomBytes(32) }), firstHello);
    expect(f.messages).toEqual([]);
    expect(f.alert).toMatchObject({ level: 2, description: 40, name: 'handshake_failure' });
  });
});
