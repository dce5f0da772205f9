// TLS codecs against real bytes: RFC 8448, the bundled RDP captures (field values cross-checked with
// tshark 4.0 `-d tcp.port==P,tls`), OpenSSL 3 recordings (test/vectors/tls.ts) and the local
// `openssl ciphers` table.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { describeCode } from '../../src/codes/table.js';
import { isGrease, parseVersion, TLS_VERSION, versionName } from '../../src/tls/versions.js';
import {
  CIPHER_SUITES, cipherSuite, cipherSuiteByName, cipherSuiteName, suitesFor,
} from '../../src/tls/cipher-suites.js';
import { EXTENSION_TYPE, extensionName, groupName, NAMED_GROUP, SIGNATURE_SCHEME, signatureSchemeName } from '../../src/tls/groups.js';
import {
  CONTENT_TYPE, decodeTlsRecord, encodeTlsRecord, findTlsRecordSize, MAX_RECORD_FRAGMENT,
} from '../../src/tls/record.js';
import { HANDSHAKE_TYPE, HS } from '../../src/tls/handshake.js';
import { ALERT_DESCRIPTION, decodeAlert, encodeAlert } from '../../src/tls/alert.js';
import { decodeCertificateMessage } from '../../src/tls/certificate.js';
import { decodeServerKeyExchange } from '../../src/tls/server-key-exchange.js';
import { decodeServerHello, HELLO_RETRY_REQUEST_RANDOM } from '../../src/tls/server-hello.js';
import { encodeExtensions, u16Bytes, vector } from '../../src/tls/extensions.js';
import { concatBytes } from '../../src/wire/writer.js';
import { describeWithTools } from '../helpers/lab.js';
import * as V from '../vectors/tls.js';
import { decodeError, message, messages, records } from './helpers.js';

describe('versions', () => {
  it('names every version, GREASE and unknown values', () => {
    expect([0x0300, 0x0301, 0x0302, 0x0303, 0x0304].map(versionName)).toEqual(['SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3']);
    expect(versionName(0x7a7a)).toBe('GREASE (0x7a7a)');
    expect(versionName(0x7f1c)).toBe('unknown (0x7f1c)');
    expect(versionName(0x0200)).toBe('unknown (0x0200)');
  });

  it('recognises exactly the 16 RFC 8701 GREASE values', () => {
    const grease = [];
    for (let v = 0; v <= 0xffff; v++) if (isGrease(v)) grease.push(v);
    expect(grease).toEqual([0x0a0a, 0x1a1a, 0x2a2a, 0x3a3a, 0x4a4a, 0x5a5a, 0x6a6a, 0x7a7a, 0x8a8a, 0x9a9a, 0xaaaa, 0xbaba, 0xcaca, 0xdada, 0xeaea, 0xfafa]);
  });

  it('parses the spellings of people, OpenSSL and sslscan', () => {
    const cases: [string, number | undefined][] = [
      ['1.2', 0x0303], ['tls1.2', 0x0303], ['TLSv1.2', 0x0303], ['TLS 1.2', 0x0303], ['tls1_2', 0x0303], ['tls12', 0x0303],
      ['1.3', 0x0304], ['TLSv1.3', 0x0304], ['tls1', 0x0301], ['TLSv1', 0x0301], ['1.0', 0x0301], ['tls1.1', 0x0302],
      ['ssl3', 0x0300], ['SSLv3', 0x0300], ['SSL 3.0', 0x0300], ['3.0', 0x0300], ['3.3', 0x0303], ['0x0303', 0x0303],
      ['1.4', undefined], ['2', undefined], ['12', undefined], ['ssl2', undefined], ['tls', undefined], ['', undefined],
    ];
    for (const [s, v] of cases) expect([s, parseVersion(s)]).toEqual([s, v]);
  });
});

describe('code tables', () => {
  it('names the groups, signature schemes and extensions of the brief', () => {
    expect([23, 24, 25, 29, 30, 26, 256, 260, 0x11ec, 0x11eb].map(groupName)).toEqual([
      'secp256r1', 'secp384r1', 'secp521r1', 'x25519', 'x448', 'brainpoolP256r1', 'ffdhe2048', 'ffdhe8192', 'X25519MLKEM768', 'SecP256r1MLKEM768',
    ]);
    expect(groupName(0x2a2a)).toBe('GREASE (0x2a2a)');
    expect(groupName(0x1234)).toBe('unknown (0x1234)');
    expect([0x0401, 0x0403, 0x0804, 0x0807, 0x0809, 0x0201, 0x0203].map(signatureSchemeName)).toEqual([
      'rsa_pkcs1_sha256', 'ecdsa_secp256r1_sha256', 'rsa_pss_rsae_sha256', 'ed25519', 'rsa_pss_pss_sha256', 'rsa_pkcs1_sha1', 'ecdsa_sha1',
    ]);
    expect(signatureSchemeName(0x0a0a)).toBe('GREASE (0x0a0a)');
    expect([0, 10, 11, 13, 16, 43, 51, 0xff01].map(extensionName)).toEqual([
      'server_name', 'supported_groups', 'ec_point_formats', 'signature_algorithms', 'application_layer_protocol_negotiation',
      'supported_versions', 'key_share', 'renegotiation_info',
    ]);
    for (const t of [NAMED_GROUP, SIGNATURE_SCHEME, EXTENSION_TYPE]) for (const e of t.entries.values()) expect(e.meaning.length).toBeGreaterThan(5);
  });

  it('names every handshake type the brief lists, and HS agrees', () => {
    const names = ['client_hello', 'server_hello', 'new_session_ticket', 'end_of_early_data', 'encrypted_extensions', 'certificate',
      'server_key_exchange', 'certificate_request', 'server_hello_done', 'certificate_verify', 'client_key_exchange', 'finished',
      'certificate_status', 'key_update', 'message_hash', 'hello_request'];
    const known = [...HANDSHAKE_TYPE.entries.values()].map((e) => e.name);
    for (const n of names) expect(known).toContain(n);
    expect(describeCode(HANDSHAKE_TYPE, HS.serverKeyExchange).name).toBe('server_key_exchange');
    expect(describeCode(HANDSHAKE_TYPE, HS.finished).name).toBe('finished');
    expect(describeCode(HANDSHAKE_TYPE, HS.encryptedExtensions).name).toBe('encrypted_extensions');
  });

  it('describes every alert of the brief with a meaning', () => {
    const expected: Record<number, string> = {
      0: 'close_notify', 10: 'unexpected_message', 20: 'bad_record_mac', 40: 'handshake_failure', 42: 'bad_certificate',
      45: 'certificate_expired', 48: 'unknown_ca', 50: 'decode_error', 70: 'protocol_version', 71: 'insufficient_security',
      80: 'internal_error', 86: 'inappropriate_fallback', 90: 'user_canceled', 100: 'no_renegotiation', 109: 'missing_extension',
      110: 'unsupported_extension', 112: 'unrecognized_name', 116: 'certificate_required', 120: 'no_application_protocol',
    };
    for (const [v, name] of Object.entries(expected)) expect(describeCode(ALERT_DESCRIPTION, Number(v)).name).toBe(name);
    for (const e of ALERT_DESCRIPTION.entries.values()) expect(e.meaning.length).toBeGreaterThan(10);
    expect(ALERT_DESCRIPTION.entries.size).toBeGreaterThanOrEqual(35);
  });
});

describe('cipher suites', () => {
  it('has unique ids and names and classifies the legacy suites scanners test', () => {
    expect(new Set(CIPHER_SUITES.map((s) => s.id)).size).toBe(CIPHER_SUITES.length);
    expect(new Set(CIPHER_SUITES.map((s) => s.name)).size).toBe(CIPHER_SUITES.length);
    expect(cipherSuite(0x000a)).toMatchObject({ name: 'TLS_RSA_WITH_3DES_EDE_CBC_SHA', openssl: 'DES-CBC3-SHA', kx: 'RSA', enc: '3DES_EDE_CBC', bits: 112, mac: 'SHA1', minVersion: 0x0300 });
    expect(cipherSuite(0x000a)!.weak).toMatch(/Sweet32/);
    expect(cipherSuite(0x0005)!.weak).toMatch(/RC4/);
    expect(cipherSuite(0x0003)).toMatchObject({ openssl: 'EXP-RC4-MD5', bits: 40, mac: 'MD5' });
    expect(cipherSuite(0x0003)!.weak).toMatch(/EXPORT/);
    expect(cipherSuite(0x0064)).toMatchObject({ openssl: 'EXP1024-RC4-SHA', bits: 56 });
    expect(cipherSuite(0x0018)!.weak).toMatch(/anonymous/);
    expect(cipherSuite(0x0000)).toMatchObject({ kx: 'NULL', auth: 'NULL', enc: 'NULL', bits: 0, mac: 'NULL' });
    expect(cipherSuite(0x0026)).toMatchObject({ kx: 'KRB5', openssl: 'EXP-KRB5-DES-CBC-SHA', enc: 'DES_CBC_40', bits: 40 });
    expect(cipherSuite(0x0026)!.weak).toMatch(/EXPORT/);
    expect(cipherSuite(0x0062)).toMatchObject({ kx: 'RSA', enc: 'DES_CBC', bits: 56 });
    expect(cipherSuite(0x0009)!.weak).toMatch(/single DES/);
    expect(cipherSuite(0x0007)!.weak).toMatch(/IDEA: 64-bit block/);
    expect(cipherSuite(0xc018)).toMatchObject({ kx: 'ECDHE', auth: 'anon', minVersion: 0x0301 });
    expect(cipherSuite(0x0001)!.weak).toMatch(/NULL/);
    expect(cipherSuite(0x0096)).toMatchObject({ openssl: 'SEED-SHA', enc: 'SEED_CBC'});
    expect(cipherSuite(0x002f)).toMatchObject({ kx: 'RSA', auth: 'RSA', enc: 'AES_128_CBC', bits: 128, mac: 'SHA1', minVersion: 0x0300});
    expect(cipherSuite(0xc013)).toMatchObject({ kx: 'ECDHE', auth: 'RSA', minVersion: 0x0301 });
    for (const id of [0x0096, 0x002f, 0xc013, 0xc030, 0x1301]) expect(cipherSuite(id)!.weak).toBeUndefined();
    expect(cipherSuite(0xc030)).toMatchObject({ kx: 'ECDHE', auth: 'RSA', enc: 'AES_256_GCM', bits: 256, mac: 'AEAD', minVersion: 0x0303 });
    expect(cipherSuite(0xcca8)).toMatchObject({ enc: 'CHACHA20_POLY1305', bits: 256, mac: 'AEAD', minVersion: 0x0303 });
    expect(cipherSuite(0xc0aa)).toMatchObject({ kx: 'DHE_PSK', enc: 'AES_128_CCM_8', mac: 'AEAD' });
    expect(cipherSuite(0x00b6)).toMatchObject({ kx: 'RSA_PSK', auth: 'RSA', mac: 'SHA256', minVersion: 0x0301 });
    expect(cipherSuite(0x1301)).toMatchObject({ kx: 'TLS13', auth: 'any', enc: 'AES_128_GCM', tls13: true, minVersion: 0x0304, openssl: 'TLS_AES_128_GCM_SHA256' });
    expect(cipherSuite(0x00ff)).toMatchObject({ name: 'TLS_EMPTY_RENEGOTIATION_INFO_SCSV', scsv: true });
    expect(cipherSuite(0x5600)).toMatchObject({ name: 'TLS_FALLBACK_SCSV', scsv: true });
  });

  it('names GREASE and unknown suites and finds suites by IANA, OpenSSL and legacy names', () => {
    expect(cipherSuiteName(0xc02f)).toBe('TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256');
    expect(cipherSuiteName(0x3a3a)).toBe('GREASE (0x3a3a)');
    expect(cipherSuiteName(0x1337)).toBe('unknown (0x1337)');
    expect(cipherSuiteByName('ecdhe-rsa-aes128-gcm-sha256')?.id).toBe(0xc02f);
    expect(cipherSuiteByName('tls_ecdhe_rsa_with_aes_128_gcm_sha256')?.id).toBe(0xc02f);
    expect(cipherSuiteByName('EDH-RSA-DES-CBC3-SHA')?.id).toBe(0x0016);
    expect(cipherSuiteByName('EXP-EDH-DSS-DES-CBC-SHA')?.id).toBe(0x0011);
    expect(cipherSuiteByName('SSL_RSA_WITH_RC4_128_MD5')?.id).toBe(0x0004);
    expect(cipherSuiteByName('TLS_AES_256_GCM_SHA384')?.id).toBe(0x1302);
    expect(cipherSuiteByName('NO-SUCH-CIPHER')).toBeUndefined();
  });

  it('lists the suites negotiable at each version', () => {
    expect(suitesFor(0x0304)).toEqual([0x1301, 0x1302, 0x1303, 0x1304, 0x1305]);
    const t12 = suitesFor(0x0303);
    const t11 = suitesFor(0x0302);
    const ssl3 = suitesFor(0x0300);
    for (const id of [0xc02f, 0x002f, 0x009c, 0x000a, 0x0005]) expect(t12).toContain(id);
    for (const id of [0x1301, 0x00ff, 0x5600]) expect(t12).not.toContain(id);
    for (const id of [0xc013, 0x000a, 0x002f, 0x00b6]) expect(t11).toContain(id);
    for (const id of [0xc02f, 0x003c, 0x009c, 0xcca8, 0x1301]) expect(t11).not.toContain(id);
    for (const id of [0x002f, 0x000a, 0x0004, 0x0003]) expect(ssl3).toContain(id);
    for (const id of [0xc013, 0xc014, 0x00b6]) expect(ssl3).not.toContain(id);
    expect(suitesFor(0x0301)).toEqual(t11);
  });
});

describeWithTools(['openssl'], 'cipher suites against the local OpenSSL', () => {
  it('agrees with `openssl ciphers -V -stdname` on id, IANA name, OpenSSL name, version, key exchange, bits and MAC', () => {
    const out = execFileSync('openssl', ['ciphers', '-V', '-stdname', 'ALL:COMPLEMENTOFALL:@SECLEVEL=0'], { encoding: 'utf8' });
    const lines = out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(100);
    const VERSION: Record<string, number> = { SSLv3: 0x0300, TLSv1: 0x0301, 'TLSv1.2': 0x0303, 'TLSv1.3': 0x0304 };
    const KX: Record<string, string> = { ECDHE: 'ECDH', ECDH: 'ECDH', DHE: 'DH', DH: 'DH', RSA: 'RSA', PSK: 'PSK', DHE_PSK: 'DHEPSK', ECDHE_PSK: 'ECDHEPSK', RSA_PSK: 'RSAPSK', SRP: 'SRP', TLS13: 'any' };
    for (const line of lines) {
      const m = /0x(..),0x(..) - (\S+)\s+- (\S+)\s+(\S+)\s+Kx=(\S+)\s+Au=(\S+)\s+Enc=(\S+?)(?:\((\d+)\))?\s+Mac=(\S+)/.exec(line);
      expect(m, line).not.toBeNull();
      const [, hi, lo, iana, ossl, ver, kx, au, , bits, mac] = m!;
      const s = cipherSuite(parseInt(hi! + lo!, 16));
      expect(s, line).toBeDefined();
      expect([s!.name, s!.openssl, s!.minVersion], line).toEqual([iana, ossl, VERSION[ver!]]);
      expect([KX[s!.kx], s!.auth === 'anon' ? 'None' : s!.auth, s!.bits, s!.mac], line).toEqual([kx, au, Number(bits ?? 0), mac]);
      expect(cipherSuiteByName(ossl!)?.id).toBe(s!.id);
    }
  });
});

describe('TLS record', () => {
  const alert = fromHex(V.OPENSSL_ALERT_PROTOCOL_VERSION.server.hex);

  it('sizes a record from its header and waits for 5 bytes', () => {
    expect(findTlsRecordSize(new Uint8Array(0))).toBeUndefined();
    expect(findTlsRecordSize(alert.subarray(0, 1))).toBeUndefined();
    expect(findTlsRecordSize(alert.subarray(0, 4))).toBeUndefined();
    expect(findTlsRecordSize(alert)).toBe(7);
    expect(findTlsRecordSize(fromHex(V.WIN7_TLS10.server.hex))).toBe(5 + 0x356);
    expect(findTlsRecordSize(fromHex('17 03 03 00 00'))).toBe(5);
    expect(findTlsRecordSize(fromHex(`17 03 03 ${(MAX_RECORD_FRAGMENT >> 8).toString(16)} 00`))).toBe(5 + MAX_RECORD_FRAGMENT);
  });

  it('rejects headers that cannot be TLS at the offending byte', () => {
    expect(decodeError(() => findTlsRecordSize(fromHex('03 00 00 13'), 100)).toJSON()).toMatchObject({ code: 'UNEXPECTED_TYPE', layer: 'tls', pdu: 'TLS record', field: 'content type', offset: 100 });
    expect(decodeError(() => findTlsRecordSize(fromHex('80 2e 01 03 01'), 7))).toMatchObject({ code: 'UNEXPECTED_TYPE', offset: 7 });
    expect(decodeError(() => findTlsRecordSize(fromHex('16 02'), 7))).toMatchObject({ code: 'UNSUPPORTED_VERSION', field: 'version', offset: 8 });
    expect(decodeError(() => findTlsRecordSize(fromHex('17 03 03 48 01'), 10))).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'length', offset: 13 });
    expect(decodeError(() => findTlsRecordSize(fromHex('16 03 01 00 00'), 10))).toMatchObject({ code: 'INVALID_FIELD', field: 'length', offset: 13 });
    expect(decodeError(() => findTlsRecordSize(fromHex('15 03 03 00 00')))).toMatchObject({ code: 'INVALID_FIELD' });
  });

  it('decodes and re-encodes a real record', () => {
    const r = decodeTlsRecord(alert, 40);
    expect(r).toMatchObject({ type: CONTENT_TYPE.alert, typeName: 'alert', version: 0x0303, length: 2 });
    expect(toHex(r.fragment)).toBe('02 46');
    expect(toHex(encodeTlsRecord(r.type, r.version, r.fragment))).toBe(toHex(alert));
    const recs = records(V.WIN_TLS12.server.hex, V.WIN_TLS12.server.offset);
    expect(recs.map((x) => [x.typeName, x.version, x.length, x.offset])).toEqual([['handshake', 0x0303, 867, 19]]);
  });

  it('rejects a record with missing or extra bytes', () => {
    expect(decodeError(() => decodeTlsRecord(alert.subarray(0, 6), 40))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'fragment', offset: 45 });
    expect(decodeError(() => decodeTlsRecord(concatBytes([alert, Uint8Array.of(0)]), 40))).toMatchObject({ code: 'INVALID_FIELD', field: 'trailing data', offset: 47 });
    expect(() => encodeTlsRecord(23, 0x0303, new Uint8Array(16385))).toThrow(RangeError);
  });
});

describe('Alert', () => {
  it('decodes the fatal protocol_version alert OpenSSL sends to a TLS 1.3-only client', () => {
    const rec = decodeTlsRecord(fromHex(V.OPENSSL_ALERT_PROTOCOL_VERSION.server.hex));
    const a = decodeAlert(rec.fragment, 5);
    expect(a).toMatchObject({ level: 2, levelName: 'fatal', description: 70, name: 'protocol_version' });
    expect(a.meaning).toMatch(/version/);
    expect(toHex(encodeAlert(2, 70))).toBe(toHex(fromHex(V.OPENSSL_ALERT_PROTOCOL_VERSION.server.hex)));
    expect(toHex(encodeAlert(1, 0, 0x0301))).toBe('15 03 01 00 02 01 00');
  });

  it('names unknown levels and descriptions, and rejects wrong lengths', () => {
    expect(decodeAlert(Uint8Array.of(3, 200))).toMatchObject({ levelName: 'unknown (0x03)', name: 'unknown (0xC8)' });
    expect(decodeAlert(Uint8Array.of(1, 0))).toMatchObject({ levelName: 'warning', name: 'close_notify' });
    expect(decodeError(() => decodeAlert(Uint8Array.of(2), 30))).toMatchObject({ code: 'NOT_ENOUGH_BYTES', layer: 'tls', pdu: 'Alert', field: 'description', offset: 31 });
    expect(decodeError(() => decodeAlert(new Uint8Array(26), 30))).toMatchObject({ code: 'INVALID_FIELD', field: 'length', offset: 30 });
  });
});

describe('ServerHello', () => {
  const sh = (side: { offset: number; hex: string }, nth = 0) => {
    const m = message(side, HS.serverHello, nth);
    return decodeServerHello(m.body, m.offset + 4);
  };

  it('decodes the RFC 8448 ServerHello', () => {
    const b = fromHex(V.RFC8448_SERVER_HELLO).subarray(4);
    const h = decodeServerHello(b, 4);
    expect(h).toMatchObject({ legacyVersion: 0x0303, version: 0x0304, cipherSuite: 0x1301, compressionMethod: 0, helloRetryRequest: false, keyShareGroup: 29 });
    expect(toHex(h.random, '')).toBe('a6af06a4121860dc5e6e60249cd34c95930c8ac5cb1434dac155772ed3e26928');
    expect(h.sessionId.length).toBe(0);
    expect(h.extensions.map((e) => [e.name, e.offset])).toEqual([['key_share', 4 + 40], ['supported_versions', 4 + 40 + 40]]);
    expect(h.downgrade).toBeUndefined();
  });

  it('decodes the ServerHellos of the RDP captures', () => {
    expect(sh(V.WIN7_TLS10.server)).toMatchObject({ version: 0x0301, cipherSuite: 0x002f, extensions: [], helloRetryRequest: false });
    expect(toHex(sh(V.WIN7_TLS10.server).sessionId, '')).toBe('bc330000feec8017719c03aaf0ab2544484d8ccfa3a8a343239161d750f089ca');
    const w12 = sh(V.WIN_TLS12.server);
    expect([w12.version, w12.cipherSuite, w12.extensions.map((e) => e.type)]).toEqual([0x0303, 0x009d, [23, 0xff01]]);
    for (const t of [V.NMAP_XRDP_TLS13, V.FREERDP_SHADOW_TLS13]) {
      const h = sh(t.server);
      expect([h.legacyVersion, h.version, h.cipherSuite, h.keyShareGroup, h.extensions.map((e) => e.type)]).toEqual([0x0303, 0x0304, 0x1302, 29, [43, 51]]);
    }
  });

  it('reports the RFC 8446 §4.1.3 downgrade sentinels only for TLS 1.2 and below', () => {
    expect(sh(V.OPENSSL_TLS12_ECDHE.server)).toMatchObject({ version: 0x0303, cipherSuite: 0xc02b, downgrade: 'tls12' });
    expect(sh(V.OPENSSL_TLS11_ECDHE.server)).toMatchObject({ version: 0x0302, cipherSuite: 0xc014, downgrade: 'tls11-or-below' });
    expect(sh(V.OPENSSL_TLS12_DHE.server).downgrade).toBeUndefined();
    const m = message(V.OPENSSL_TLS12_ECDHE.server, HS.serverHello);
    const asTls13 = concatBytes([m.body, new Uint8Array(0)]);
    asTls13.set([0x03, 0x04], 0);
    expect(decodeServerHello(asTls13).downgrade).toBeUndefined();
  });

  it('recognises a real HelloRetryRequest and the ServerHello after it', () => {
    const hrr = sh(V.OPENSSL_TLS13_HRR.server, 0);
    expect(hrr).toMatchObject({ helloRetryRequest: true, version: 0x0304, keyShareGroup: 23, cipherSuite: 0x1302 });
    expect(toHex(hrr.random)).toBe(toHex(HELLO_RETRY_REQUEST_RANDOM));
    expect(sh(V.OPENSSL_TLS13_HRR.server, 1)).toMatchObject({ helloRetryRequest: false, version: 0x0304, keyShareGroup: 23 });
  });

  it('reads the selected ALPN protocol and rejects malformed extensions at their offset', () => {
    const fixed = concatBytes([u16Bytes([0x0303]), new Uint8Array(32), vector(1, new Uint8Array(0)), u16Bytes([0xc02f]), Uint8Array.of(0)]);
    const alpn = (names: string[]) => vector(2, concatBytes(names.map((n) => vector(1, new TextEncoder().encode(n)))));
    expect(decodeServerHello(concatBytes([fixed, encodeExtensions([{ type: 16, data: alpn(['h2']) }])])).alpn).toBe('h2');
    const two = concatBytes([fixed, encodeExtensions([{ type: 16, data: alpn(['h2', 'http/1.1']) }])]);
    expect(decodeError(() => decodeServerHello(two, 1000))).toMatchObject({ layer: 'tls', pdu: 'ServerHello', field: 'trailing data', offset: 1000 + 38 + 2 + 4 + 2 + 3 });
    const badVersion = concatBytes([fixed, encodeExtensions([{ type: 43, data: Uint8Array.of(3, 4, 0) }])]);
    expect(decodeError(() => decodeServerHello(badVersion, 0))).toMatchObject({ field: 'trailing data', offset: 38 + 2 + 4 + 2 });
    const dup = concatBytes([fixed, encodeExtensions([{ type: 23, data: new Uint8Array(0) }, { type: 23, data: new Uint8Array(0) }])]);
    expect(decodeError(() => decodeServerHello(dup, 0))).toMatchObject({ code: 'INVALID_FIELD', field: 'extension type', offset: 38 + 2 + 4 });
    const longSid = concatBytes([u16Bytes([0x0303]), new Uint8Array(32), Uint8Array.of(33), new Uint8Array(33), u16Bytes([0xc02f]), Uint8Array.of(0)]);
    expect(decodeError(() => decodeServerHello(longSid, 0))).toMatchObject({ field: 'legacy_session_id_echo length', offset: 34 });
  });
});

describe('Certificate', () => {
  it('decodes the RFC 8448 TLS 1.3 Certificate', () => {
    const body = fromHex(V.RFC8448_CERTIFICATE).subarray(4);
    const { certificates } = decodeCertificateMessage(body, 500, true);
    expect(certificates.map((c) => [c.der.length, c.offset])).toEqual([[432, 500 + 1 + 3 + 3]]);
    expect(toHex(certificates[0]!.der.subarray(0, 4))).toBe('30 82 01 ac');
    expect(() => decodeCertificateMessage(body, 500, false)).toThrow(/certificate_list|trailing/);
  });

  it('decodes the chains of the RDP captures and OpenSSL at their absolute stream offsets', () => {
    const chain = (side: { offset: number; hex: string }) => {
      const m = message(side, HS.certificate);
      return decodeCertificateMessage(m.body, m.offset + 4).certificates;
    };
    // tshark: tls.handshake.certificate_length 766 (Windows 2008 R2) and 768 (rdp-no-cookie-mstshash)
    expect(chain(V.WIN7_TLS10.server).map((c) => [c.der.length, c.offset])).toEqual([[766, 108]]);
    expect(chain(V.WIN_TLS12.server).map((c) => [c.der.length, c.offset])).toEqual([[768, 119]]);
    for (const t of [V.WIN7_TLS10, V.WIN_TLS12, V.OPENSSL_TLS12_ECDHE, V.OPENSSL_TLS12_DHE]) {
      for (const c of chain(t.server)) {
        expect(c.der[0]).toBe(0x30);
        expect(((c.der[2]! << 8) | c.der[3]!) + 4).toBe(c.der.length);
        const stream = fromHex(t.server.hex);
        expect(toHex(stream.subarray(c.offset - t.server.offset, c.offset - t.server.offset + 8))).toBe(toHex(c.der.subarray(0, 8)));
      }
    }
  });

  it('accepts an empty list and rejects an empty certificate', () => {
    expect(decodeCertificateMessage(fromHex('00 00 00')).certificates).toEqual([]);
    expect(decodeError(() => decodeCertificateMessage(fromHex('00 00 03 00 00 00'), 10))).toMatchObject({ code: 'INVALID_FIELD', pdu: 'Certificate', field: 'ASN.1Cert length', offset: 13 });
  });
});

describe('ServerKeyExchange', () => {
  const ske = (t: V.Transcript, version?: number) => {
    const suite = decodeServerHello(message(t.server, HS.serverHello).body).cipherSuite;
    const m = message(t.server, HS.serverKeyExchange);
    return decodeServerKeyExchange(m.body, m.offset + 4, suite, version);
  };

  it('decodes OpenSSL ECDHE (TLS 1.2 and 1.1 forms) and DHE', () => {
    expect(ske(V.OPENSSL_TLS12_ECDHE)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519', signatureScheme: 0x0403 });
    expect(ske(V.OPENSSL_TLS12_ECDHE, 0x0303)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519', signatureScheme: 0x0403 });
    expect(ske(V.OPENSSL_TLS11_ECDHE)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519' });
    expect(ske(V.OPENSSL_TLS11_ECDHE, 0x0302)).toEqual({ kind: 'ecdhe', group: 29, groupName: 'x25519' });
    expect(ske(V.OPENSSL_TLS12_DHE)).toEqual({ kind: 'dhe', primeBits: 2048, signatureScheme: 0x0804 });
    expect(() => ske(V.OPENSSL_TLS12_ECDHE, 0x0302)).toThrow(/signature|trailing/);
    expect(() => ske(V.OPENSSL_TLS11_ECDHE, 0x0303)).toThrow(/signature|trailing/);
  });

  it('returns other for suites without (EC)DHE parameters', () => {
    const body = message(V.OPENSSL_TLS12_ECDHE.server, HS.serverKeyExchange).body;
    expect(decodeServerKeyExchange(body, 0, 0x002f)).toEqual({ kind: 'other' });
    expect(decodeServerKeyExchange(body, 0, 0x1301)).toEqual({ kind: 'other' });
    expect(decodeServerKeyExchange(body, 0, 0xfefe)).toEqual({ kind: 'other' });
  });

  it('handles anonymous and PSK layouts, explicit curves and bad curve types', () => {
    const point = vector(1, new Uint8Array(32).fill(9));
    expect(decodeServerKeyExchange(concatBytes([Uint8Array.of(3, 0, 23), point]), 0, 0xc018)).toEqual({ kind: 'ecdhe', group: 23, groupName: 'secp256r1' });
    const dh = concatBytes([vector(2, Uint8Array.of(0, 0x80, 1)), vector(2, Uint8Array.of(2)), vector(2, Uint8Array.of(5))]);
    expect(decodeServerKeyExchange(concatBytes([vector(2, new TextEncoder().encode('hint')), dh]), 0, 0x00aa)).toEqual({ kind: 'dhe', primeBits: 16 });
    expect(decodeServerKeyExchange(Uint8Array.of(1, 0xaa), 0, 0xc02f)).toEqual({ kind: 'ecdhe', group: 0xff01, groupName: 'arbitrary_explicit_prime_curves' });
    expect(decodeError(() => decodeServerKeyExchange(Uint8Array.of(9, 0, 23), 50, 0xc02f))).toMatchObject({ code: 'UNSUPPORTED_VALUE', pdu: 'ServerKeyExchange', field: 'curve_type', offset: 50 });
    expect(decodeError(() => decodeServerKeyExchange(concatBytes([vector(2, Uint8Array.of(0, 0)), dh.subarray(5)]), 50, 0x0034))).toMatchObject({ code: 'INVALID_FIELD', field: 'dh_p', offset: 50 });
    expect(decodeError(() => decodeServerKeyExchange(concatBytes([Uint8Array.of(3, 0, 23), point, Uint8Array.of(0)]), 50, 0xc018))).toMatchObject({ field: 'trailing data', offset: 50 + 3 + 33 });
  });
});

describe('transcripts', () => {
  it('splits each recorded flight into the handshake messages tshark shows', () => {
    const types = (side: { offset: number; hex: string }) => messages(side).map((m) => m.name);
    expect(types(V.WIN7_TLS10.server)).toEqual(['server_hello', 'certificate', 'server_hello_done']);
    expect(types(V.OPENSSL_TLS12_DHE.server)).toEqual(['server_hello', 'certificate', 'server_key_exchange', 'server_hello_done', 'new_session_ticket']);
    expect(types(V.OPENSSL_TLS13_HRR.client)).toEqual(['client_hello', 'client_hello']);
    expect(messages(V.WIN7_TLS10.server).map((m) => m.offset)).toEqual([24, 98, 874]);
  });
});
