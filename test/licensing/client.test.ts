// The client side of the licensing exchange ([MS-RDPELE] 1.3.3.1, 2.2.2, 5.1): key derivation, RSA
// and RC4 against published values, xrdp's built-in License Request and Valid Client, full round
// trips against a test-side server holding the private key (proprietary and X.509 certificates), the
// ERROR_ALERT and out-of-order paths, and malformed input (DecodeError of layer rdp, nothing else).
import { createHash, generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { der, derInteger, derOid, TAG } from '../../src/credssp/der.js';
import { rc4 } from '../../src/credssp/rc4.js';
import { encodeServerCertificate } from '../../src/gcc/certificate.js';
import { fromBigEndian, fromLittleEndian, modPow, toLittleEndian } from '../../src/rdpsec/bigint.js';
import { fromHex, toHex } from '../../src/wire/hex.js';
import { ByteWriter } from '../../src/wire/writer.js';
import { encodeLicenseError, encodeServerLicenseRequest, encodeValidClientLicense, LICENSE_ERROR, ST } from '../../src/licensing/index.js';
import { LicensingClient, type LicensingClientOptions, type LicensingClientResult } from '../../src/licensing/client.js';
import {
  decodeNewLicenseRequest, decodePlatformChallengeResponse, decodePlatformChallengeResponseData, encodeNewLicenseRequest,
  WINDOWS_PLATFORM_ID,
} from '../../src/licensing/client-messages.js';
import { deriveLicensingKeys, encryptPremasterSecret, licensingKeyProblem, licensingMac, licensingServerKey } from '../../src/licensing/keys.js';
import { decodeError } from '../helpers/decode-error.js';
import { rng, robustnessSuite } from '../helpers/robustness.js';

// ---- published values ----

/**
 * FreeRDP's licensing unit test (cunit/test_license.c, Apache-2.0): a client random, server random
 * and premaster secret with the master secret, session key blob, MAC salt key and licensing
 * encryption key they give; a 512-bit little-endian modulus (exponent 65537) with the premaster secret
 * encrypted under it; and an encrypted platform challenge with its plaintext ("TEST" in UTF-16). These
 * are FreeRDP's values, not MS-RDPELE text: the section 4 examples could not be retrieved here.
 */
const FREERDP = {
  clientRandom: 'dc 73 a0 c8 69 25 6b 18 af 0b 94 7a a9 a5 20 af 8b bc 0d cc a3 95 b7 b9 eb 81 5d be 0a 10 9c d8',
  serverRandom: '16 7e f8 71 48 16 1a 4f a5 2c cd 73 63 60 a6 c3 b9 19 1b 4b 6b b2 0a b8 ec f1 8d 95 4e a8 21 c5',
  premasterSecret: [
    'cf 7a db cb fb 0e 15 23 87 1c 84 81 ba 9d 4e 15 bb d2 56 bd d8 f7 f3 16 cc 35 3b e1 93 42 78 dd',
    '92 9a e4 7a e2 99 d4 73 b1 aa 6f 55 94 3b c9 bc',
  ].join(' '),
  masterSecret: [
    'be 51 ee 63 23 90 d0 f4 3a ce 3a 37 65 c3 dd cf ed f0 c8 19 ed 77 33 4e fd 2b 7d 5a e2 ca f3 0a',
    'f1 16 e5 0c 78 59 7e d4 4b 57 ce 17 60 3a 5a b3',
  ].join(' '),
  sessionKeyBlob: [
    '07 4f a0 2e ee c4 5a 46 21 8c ae 01 45 02 26 e4 54 6b 59 10 cc 5b d1 96 d0 5c eb c2 96 9b 44 7b',
    '1c d9 66 b1 9e 24 aa 60 4f 89 d1 4e f8 b9 55 3b',
  ].join(' '),
  macSaltKey: '07 4f a0 2e ee c4 5a 46 21 8c ae 01 45 02 26 e4',
  licensingEncryptionKey: 'f3 b1 e0 3b fe b4 f2 c5 28 a9 48 cd 90 f1 93 e5',
  /** little-endian, as in an RSA_PUBLIC_KEY */
  modulusLe: [
    '23 c9 ec 0e 9f 1e 0e 1a 78 af a5 14 d4 f5 45 e4 04 6e f4 01 e9 df 45 d1 c2 ae f4 7f d3 b9 cb f3',
    '1a 23 a1 0d 4b d4 d1 4a d2 d1 c9 7c ab 24 8b b1 5a 93 ca 34 44 17 b5 e4 fe f7 9a aa 72 0d 41 95',
  ].join(' '),
  encryptedPremasterSecret: [
    '6b bc 77 9f 20 0c 98 39 c1 85 77 c8 19 87 d8 82 93 bd 21 69 5f 87 e0 d6 4e ad 5e 23 13 80 8c 63',
    '3e d6 6e 60 c9 40 e9 86 08 8c d5 aa a9 54 fe 27 4c 1f 87 57 de ca d4 c7 1e 46 9e 00 7a db 47 23',
  ].join(' '),
  encryptedChallenge: '84 0a 42 50 ad 5e c1 29 30 bd',
  challenge: '54 00 45 00 53 00 54 00 00 00',
};

/**
 * xrdp's built-in Server License Request (libxrdp/xrdp_sec.c g_lic1 without its 4-byte security
 * header, 318 bytes): PREAMBLE_VERSION_2_0 and a proprietary certificate whose 512-bit field holds a
 * 511-bit modulus.
 */
const XRDP_LICENSE_REQUEST = [
  '01 02 3e 01', //                   LICENSE_REQUEST, PREAMBLE_VERSION_2_0, wMsgSize 318
  '7b 3c 31 a6 ae e8 74 f6 b4 a5 03 90 e7 c2 c7 39 ba 53 1c 30 54 6e 90 05 d0 05 ce 44 18 91 83 81', // ServerRandom
  '00 00 04 00 2c 00 00 00', //       dwVersion 0x00040000, cbCompanyName 44
  '4d 00 69 00 63 00 72 00 6f 00 73 00 6f 00 66 00 74 00 20 00 43 00 6f 00 72 00 70 00 6f 00 72 00 61 00 74 00 69 00 6f 00 6e 00 00 00',
  '08 00 00 00 32 00 33 00 36 00 00 00', // cbProductId 8, "236"
  '0d 00 04 00 01 00 00 00', //       KeyExchangeList: KEY_EXCHANGE_ALG_RSA
  '03 00 b8 00', //                   ServerCertificate: BB_CERTIFICATE_BLOB, 184 bytes
  '01 00 00 00 01 00 00 00 01 00 00 00', // CERT_CHAIN_VERSION_1, SIGNATURE_ALG_RSA, KEY_EXCHANGE_ALG_RSA
  '06 00 5c 00 52 53 41 31 48 00 00 00 00 02 00 00 3f 00 00 00 01 00 01 00', // BB_RSA_KEY_BLOB: RSA1, keylen 72, bitlen 512, datalen 63, 65537
  '01 c7 c9 f7 8e 5a 38 e4 29 c3 00 95 2d dd 4c 3e 50 45 0b 0d 9e 2a 5d 18 63 64 c4 2c f7 8f 29 d5',
  '3f c5 35 22 34 ff ad 3a e6 e3 95 06 ae 55 82 e3 c8 c7 b4 a8 47 c8 50 71 74 29 53 89 6d 9c ed 70',
  '00 00 00 00 00 00 00 00', //       modulus padding
  '08 00 48 00', //                   BB_RSA_SIGNATURE_BLOB, 72 bytes
  'a8 f4 31 b9 ab 4b e6 b4 f4 39 89 d6 b1 da f6 1e ec b1 f0 54 3b 5e 3e 6a 71 b4 f7 75 c8 16 2f 24',
  '00 de e9 82 99 5f 33 0b a9 a6 94 af cb 11 c3 f2 db 09 42 68 29 56 58 01 56 db 59 03 69 db 7d 37',
  '00 00 00 00 00 00 00 00',
  '01 00 00 00 0e 00 0e 00 6d 69 63 72 6f 73 6f 66 74 2e 63 6f 6d 00', // 1 scope: "microsoft.com"
].join(' ');
/** xrdp's Valid Client (g_lic2 without its security header): version 2.0 and a junk wBlobType 0x1428. */
const XRDP_VALID_CLIENT = 'ff 02 10 00 07 00 00 00 02 00 00 00 28 14 00 00';

// ---- a test-side server ----

const b64u = (s: string | undefined): Uint8Array => new Uint8Array(Buffer.from(s!, 'base64url'));

interface TestKey { modulus: Uint8Array; d: bigint }

function rsaKey(bits: number): TestKey {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits, publicExponent: 65537 }).privateKey.export({ format: 'jwk' });
  return { modulus: b64u(jwk.n), d: fromBigEndian(b64u(jwk.d)) };
}

/** Raw RSA decryption of an EncryptedPreMasterSecret (5.1.1.1): little-endian, the modulus length + 8 zero bytes. */
function decryptPremaster(encrypted: Uint8Array, key: TestKey): Uint8Array {
  const k = key.modulus.length;
  expect(encrypted.length).toBe(k + 8);
  expect(toHex(encrypted.subarray(k))).toBe('00 00 00 00 00 00 00 00');
  const m = toLittleEndian(modPow(fromLittleEndian(encrypted.subarray(0, k)), key.d, fromBigEndian(key.modulus)), k);
  expect(m.subarray(48).every((b) => b === 0)).toBe(true);
  return m.slice(0, 48);
}

/** 5.1.5 written out independently of src/licensing/keys.ts. */
function mac(key: Uint8Array, data: Uint8Array): Uint8Array {
  const len = Buffer.alloc(4);
  len.writeUInt32LE(data.length);
  const inner = createHash('sha1').update(key).update(Buffer.alloc(40, 0x36)).update(len).update(data).digest();
  return new Uint8Array(createHash('md5').update(key).update(Buffer.alloc(48, 0x5c)).update(inner).digest());
}

/** A Server Platform Challenge (2.2.2.4) or New/Upgrade License (2.2.2.6, 2.2.2.7): blob + MAC. */
function sealedServerPdu(bMsgType: number, encrypted: Uint8Array, macData: Uint8Array, connectFlags = true): Uint8Array {
  const size = 4 + (connectFlags ? 4 : 0) + 4 + encrypted.length + 16;
  const w = new ByteWriter(size).u8(bMsgType).u8(0x03).u16le(size);
  if (connectFlags) w.u32le(0);
  return w.u16le(0x0009).u16le(encrypted.length).bytes(encrypted).bytes(macData).finish();
}

const proprietary = (modulus: Uint8Array): Uint8Array =>
  encodeServerCertificate({ kind: 'proprietary', temporary: false, publicKey: { exponent: 65537, modulus, bits: modulus.length * 8 }, signature: new Uint8Array(72) });

/** A minimal X.509 certificate whose key is labelled 1.3.14.3.2.15, as license server certificates label theirs. */
function x509(modulus: Uint8Array): Uint8Array {
  const n = der(TAG.integer, Uint8Array.of(0), modulus);
  const spki = der(TAG.sequence, der(TAG.sequence, derOid('1.3.14.3.2.15'), Uint8Array.of(0x05, 0x00)),
    der(TAG.bitString, Uint8Array.of(0), der(TAG.sequence, n, derInteger(65537))));
  const name = der(TAG.sequence);
  const alg = der(TAG.sequence, derOid('1.3.14.3.2.29'), Uint8Array.of(0x05, 0x00));
  const tbs = der(TAG.sequence, der(0xa0, derInteger(2)), derInteger(5), alg, name, der(TAG.sequence), name, spki);
  return der(TAG.sequence, tbs, alg, der(TAG.bitString, Uint8Array.of(0), new Uint8Array(16)));
}

const KEY512 = rsaKey(512);
const KEY2048 = rsaKey(2048);
const SERVER_RANDOM = Uint8Array.from({ length: 32 }, (_, i) => 0x80 + i);
const PROPRIETARY_REQUEST = encodeServerLicenseRequest({ serverRandom: SERVER_RANDOM, certificate: proprietary(KEY512.modulus) });
const X509_REQUEST = encodeServerLicenseRequest({
  serverRandom: SERVER_RANDOM,
  certificate: encodeServerCertificate({ kind: 'x509', temporary: false, chain: [x509(rsaKey(512).modulus), x509(KEY2048.modulus)] }),
});

function options(extra: Partial<LicensingClientOptions> = {}): LicensingClientOptions {
  const next = rng(0x1234567);
  return { random: (n) => Uint8Array.from({ length: n }, () => Math.floor(next() * 256)), userName: 'alice', machineName: 'PROBE', ...extra };
}

function sent(r: LicensingClientResult): Uint8Array {
  if (!('send' in r)) throw new Error(`expected a PDU to send, got ${r.done}: ${r.detail}`);
  return r.send;
}

function done(r: LicensingClientResult): { done: string; detail: string } {
  if (!('done' in r)) throw new Error(`expected an outcome, got ${r.send.length} bytes to send`);
  return r;
}

/** Drives a client through the License Request; returns the server's view of the keys. */
function requested(request: Uint8Array, key: TestKey, extra: Partial<LicensingClientOptions> = {}) {
  const client = new LicensingClient(options(extra));
  const nlr = decodeNewLicenseRequest(sent(client.receive(request)));
  const premasterSecret = decryptPremaster(nlr.encryptedPremasterSecret.data, key);
  const keys = deriveLicensingKeys({ premasterSecret, clientRandom: nlr.clientRandom, serverRandom: SERVER_RANDOM });
  return { client, nlr, keys };
}

// ---- tests ----

describe('licensing keys ([MS-RDPELE] 5.1) against FreeRDP\'s published values', () => {
  it('5.1.2: master secret, session key blob, MAC salt key and licensing encryption key', () => {
    const k = deriveLicensingKeys({
      premasterSecret: fromHex(FREERDP.premasterSecret), clientRandom: fromHex(FREERDP.clientRandom), serverRandom: fromHex(FREERDP.serverRandom),
    });
    expect(toHex(k.masterSecret)).toBe(FREERDP.masterSecret);
    expect(toHex(k.sessionKeyBlob)).toBe(FREERDP.sessionKeyBlob);
    expect(toHex(k.macSaltKey)).toBe(FREERDP.macSaltKey);
    expect(toHex(k.licensingEncryptionKey)).toBe(FREERDP.licensingEncryptionKey);
  });

  it('5.1.1.1: the premaster secret under a 512-bit key, little-endian, then 8 zero bytes', () => {
    const modulus = fromHex(FREERDP.modulusLe).reverse();
    const c = encryptPremasterSecret(fromHex(FREERDP.premasterSecret), { modulus, exponent: 65537 });
    expect(toHex(c)).toBe(`${FREERDP.encryptedPremasterSecret} 00 00 00 00 00 00 00 00`);
  });

  it('5.1.4: the platform challenge decrypts under the licensing encryption key', () => {
    expect(toHex(rc4(fromHex(FREERDP.licensingEncryptionKey), fromHex(FREERDP.encryptedChallenge)))).toBe(FREERDP.challenge);
  });

  it('5.1.5: the MAC matches an independent implementation; RangeError for wrong sizes', () => {
    const key = fromHex(FREERDP.macSaltKey);
    for (const data of [new Uint8Array(0), fromHex(FREERDP.challenge), new Uint8Array(300).fill(7)]) {
      expect(toHex(licensingMac(key, data))).toBe(toHex(mac(key, data)));
    }
    expect(() => deriveLicensingKeys({ premasterSecret: new Uint8Array(47), clientRandom: new Uint8Array(32), serverRandom: new Uint8Array(32) })).toThrow(RangeError);
    expect(() => encryptPremasterSecret(new Uint8Array(32), { modulus: KEY512.modulus, exponent: 65537 })).toThrow(RangeError);
  });

  it('keys fit for the premaster secret: above 384 bits, odd, exponent in 3..n-1', () => {
    expect(licensingKeyProblem({ modulus: KEY512.modulus, exponent: 65537 })).toBeUndefined();
    expect(licensingKeyProblem({ modulus: KEY512.modulus, exponent: 1 })).toMatch(/exponent/);
    const even = KEY512.modulus.slice();
    even[even.length - 1]! &= 0xfe;
    expect(licensingKeyProblem({ modulus: even, exponent: 65537 })).toBe('even modulus');
    expect(licensingKeyProblem({ modulus: new Uint8Array(48).fill(0xff), exponent: 3 })).toMatch(/384 bits/);
  });
});

describe('server public key of the License Request (5.1.1.1)', () => {
  it('a proprietary certificate, and the last certificate of an X.509 chain whatever its key OID', () => {
    expect(toHex(licensingServerKey(proprietary(KEY512.modulus)).modulus)).toBe(toHex(KEY512.modulus));
    const chain = encodeServerCertificate({ kind: 'x509', temporary: true, chain: [x509(KEY512.modulus), x509(KEY2048.modulus)] });
    expect(licensingServerKey(chain)).toMatchObject({ exponent: 65537 });
    expect(toHex(licensingServerKey(chain).modulus)).toBe(toHex(KEY2048.modulus));
  });

  it('malformed certificates are DecodeErrors of layer rdp under ServerCertificate, at absolute offsets', () => {
    const e = decodeError(() => licensingServerKey(fromHex('01 00 00 00 01 00'), 500));
    expect(e).toMatchObject({ layer: 'rdp', pdu: 'Server License Request', code: 'NOT_ENOUGH_BYTES' });
    expect(e.field).toMatch(/^ServerCertificate\./);
    expect(e.offset).toBeGreaterThanOrEqual(500);
    const even = KEY512.modulus.slice();
    even[even.length - 1]! &= 0xfe;
    expect(decodeError(() => licensingServerKey(proprietary(even), 40))).toMatchObject({ field: 'ServerCertificate.publicKey', code: 'INVALID_FIELD', offset: 40 });
    const bad = x509(KEY2048.modulus).subarray(0, 60);
    const chain = encodeServerCertificate({ kind: 'x509', temporary: false, chain: [x509(KEY512.modulus), bad] });
    expect(decodeError(() => licensingServerKey(chain, 10))).toMatchObject({ layer: 'rdp', code: 'NOT_ENOUGH_BYTES' });
  });
});

describe('xrdp: License Request, New License Request, Valid Client', () => {
  it('answers xrdp\'s built-in request (511-bit key, version 2.0) and ends on its Valid Client', () => {
    const o = options();
    const client = new LicensingClient(o);
    const out = sent(client.receive(fromHex(XRDP_LICENSE_REQUEST), 18));
    const nlr = decodeNewLicenseRequest(out);
    expect(nlr.preamble).toMatchObject({ bMsgType: 0x13, flags: 0x82, wMsgSize: out.length });
    expect(nlr).toMatchObject({ preferredKeyExchangeAlg: 1, platformId: 0x04010000, userName: 'alice', machineName: 'PROBE' });
    expect(nlr.encryptedPremasterSecret).toMatchObject({ wBlobType: 0x0002, wBlobLen: 72 });
    expect(nlr.clientUserName).toMatchObject({ wBlobType: 0x000f, wBlobLen: 6 });
    expect(nlr.clientMachineName).toMatchObject({ wBlobType: 0x0010, wBlobLen: 6 });
    // the same random draws: ClientRandom, then the premaster secret, raw RSA of the xrdp modulus
    const again = options().random;
    expect(toHex(nlr.clientRandom)).toBe(toHex(again(32)));
    const premaster = again(48);
    const n = fromLittleEndian(fromHex(XRDP_LICENSE_REQUEST).subarray(148, 212));
    const c = toLittleEndian(modPow(fromLittleEndian(premaster), 65537n, n), 64);
    expect(toHex(nlr.encryptedPremasterSecret.data)).toBe(`${toHex(c)} 00 00 00 00 00 00 00 00`);
    const r = done(client.receive(fromHex(XRDP_VALID_CLIENT)));
    expect(r.done).toBe('valid-client');
    expect(r.detail).toMatch(/STATUS_VALID_CLIENT.*New License Request/);
    expect(client.finished).toBe(true);
    expect(() => client.receive(fromHex(XRDP_VALID_CLIENT))).toThrow(RangeError);
  });
});

describe('New License flow against a server holding the private key', () => {
  it.each([
    ['proprietary certificate (512-bit)', PROPRIETARY_REQUEST, KEY512],
    ['X.509 chain, last certificate (2048-bit)', X509_REQUEST, KEY2048],
  ])('%s: premaster, keys, challenge, response, new licence', (_name, request, key) => {
    const { client, nlr, keys } = requested(request, key);
    expect(nlr.preamble.flags).toBe(0x83);
    expect(nlr.encryptedPremasterSecret.wBlobLen).toBe(key.modulus.length + 8);
    expect(toHex(client.licensingKeys!.licensingEncryptionKey)).toBe(toHex(keys.licensingEncryptionKey));

    // Server Platform Challenge: "TEST" in UTF-16, as Windows sends it, encrypted and MACed
    const challenge = fromHex(FREERDP.challenge);
    const pc = sealedServerPdu(0x02, rc4(keys.licensingEncryptionKey, challenge), mac(keys.macSaltKey, challenge));
    const resp = decodePlatformChallengeResponse(sent(client.receive(pc, 100)));
    expect(resp.preamble).toMatchObject({ bMsgType: 0x15, flags: 0x83 });
    expect(resp.encryptedPlatformChallengeResponse.wBlobType).toBe(0x0009);
    expect(resp.encryptedHwid).toMatchObject({ wBlobType: 0x0009, wBlobLen: 20 });
    // each blob from the start of the keystream
    const data = rc4(keys.licensingEncryptionKey, resp.encryptedPlatformChallengeResponse.data);
    const hwid = rc4(keys.licensingEncryptionKey, resp.encryptedHwid.data);
    expect(decodePlatformChallengeResponseData(data)).toEqual({ wVersion: 0x0100, wClientType: 0x0100, wLicenseDetailLevel: 3, challenge });
    expect(toHex(hwid.subarray(0, 4))).toBe('00 00 01 04');
    expect(toHex(resp.macData)).toBe(toHex(mac(keys.macSaltKey, Uint8Array.of(...data, ...hwid))));

    // Server New License
    const licence = Uint8Array.from({ length: 40 }, (_, i) => i * 3);
    const r = done(client.receive(sealedServerPdu(0x03, rc4(keys.licensingEncryptionKey, licence), mac(keys.macSaltKey, licence), false)));
    expect(r.done).toBe('license-issued');
    expect(r.detail).toBe("the server issued a new client access licence (40 encrypted bytes, MAC verified) in answer to the client's Platform Challenge Response; it is not stored");
  });

  it('a challenge whose MAC does not verify is still answered, and the outcome says so', () => {
    const { client, keys } = requested(PROPRIETARY_REQUEST, KEY512);
    const challenge = new Uint8Array(16).fill(0x42);
    const resp = decodePlatformChallengeResponse(sent(client.receive(sealedServerPdu(0x02, rc4(keys.licensingEncryptionKey, challenge), new Uint8Array(16)))));
    const data = decodePlatformChallengeResponseData(rc4(keys.licensingEncryptionKey, resp.encryptedPlatformChallengeResponse.data));
    expect(toHex(data.challenge)).toBe(toHex(challenge));
    const licence = new Uint8Array(8);
    const r = done(client.receive(sealedServerPdu(0x04, rc4(keys.licensingEncryptionKey, licence), new Uint8Array(16), false)));
    expect(r.done).toBe('license-issued');
    expect(r.detail).toMatch(/upgraded client access licence \(8 encrypted bytes, its MAC did not verify\)/);
    expect(r.detail).toMatch(/Platform Challenge MAC did not verify.*answered anyway/);
  });

  it('the hardware ID: PlatformId then the given data, the same for every challenge', () => {
    const hardwareData = Uint8Array.from({ length: 16 }, (_, i) => 0xa0 + i);
    const { client, keys } = requested(PROPRIETARY_REQUEST, KEY512, { hardwareData, platformId: 0x02010000 });
    const pc = sealedServerPdu(0x02, rc4(keys.licensingEncryptionKey, new Uint8Array(4)), mac(keys.macSaltKey, new Uint8Array(4)));
    for (let i = 0; i < 2; i++) {
      const resp = decodePlatformChallengeResponse(sent(client.receive(pc)));
      expect(toHex(rc4(keys.licensingEncryptionKey, resp.encryptedHwid.data))).toBe(`00 00 01 02 ${toHex(hardwareData)}`);
    }
    expect(() => new LicensingClient(options({ hardwareData: new Uint8Array(4) }))).toThrow(RangeError);
  });

  it('a License Request without a certificate uses the Server Security Data certificate when given', () => {
    const bare = encodeServerLicenseRequest({ serverRandom: SERVER_RANDOM });
    const r = done(new LicensingClient(options()).receive(bare));
    expect(r).toMatchObject({ done: 'unsupported' });
    expect(r.detail).toMatch(/no server certificate/);
    const { client } = requested(bare, KEY512, { serverCertificate: proprietary(KEY512.modulus) });
    const end = done(client.receive(encodeValidClientLicense()));
    expect(end.done).toBe('valid-client');
    expect(end.detail).toMatch(/Server Security Data key/);
  });
});

describe('ERROR_ALERT and out-of-order messages', () => {
  it('STATUS_VALID_CLIENT at once: valid-client', () => {
    const r = done(new LicensingClient(options()).receive(encodeValidClientLicense()));
    expect(r).toMatchObject({ done: 'valid-client' });
    expect(r.detail).toMatch(/before the client sent anything/);
  });

  it('other codes: error, with the code and transition names', () => {
    const client = new LicensingClient(options());
    sent(client.receive(PROPRIETARY_REQUEST));
    const r = done(client.receive(encodeLicenseError({ errorCode: LICENSE_ERROR.ERR_NO_LICENSE_SERVER, stateTransition: ST.TOTAL_ABORT })));
    expect(r.done).toBe('error');
    expect(r.detail).toMatch(/ERR_NO_LICENSE_SERVER \(0x6\) with ST_TOTAL_ABORT.*New License Request.*the connection ends.*no Remote Desktop license server/);
    const { client: c2, keys } = requested(PROPRIETARY_REQUEST, KEY512);
    sent(c2.receive(sealedServerPdu(0x02, rc4(keys.licensingEncryptionKey, new Uint8Array(4)), mac(keys.macSaltKey, new Uint8Array(4)))));
    const r2 = done(c2.receive(encodeLicenseError({ errorCode: LICENSE_ERROR.ERR_INVALID_CLIENT, stateTransition: ST.NO_TRANSITION, errorInfo: Uint8Array.of(1) })));
    expect(r2.done).toBe('error');
    expect(r2.detail).toMatch(/ERR_INVALID_CLIENT.*Platform Challenge Response.*ST_NO_TRANSITION does not end the connection/);
  });

  it('a Platform Challenge before any License Request, or a client message: unsupported', () => {
    expect(done(new LicensingClient(options()).receive(sealedServerPdu(0x02, new Uint8Array(4), new Uint8Array(16)))))
      .toMatchObject({ done: 'unsupported', detail: expect.stringMatching(/before any License Request/) });
    const nlr = encodeNewLicenseRequest({ clientRandom: new Uint8Array(32), encryptedPremasterSecret: new Uint8Array(72), userName: 'u', machineName: 'm' });
    expect(done(new LicensingClient(options()).receive(nlr))).toMatchObject({ done: 'unsupported', detail: expect.stringMatching(/NEW_LICENSE_REQUEST \(0x13\)/) });
  });

  it('a key exchange list without KEY_EXCHANGE_ALG_RSA: unsupported', () => {
    const pdu = PROPRIETARY_REQUEST.slice();
    pdu[104] = 2; // KeyExchangeList data (offset 104 with the default product strings)
    expect(done(new LicensingClient(options()).receive(pdu))).toMatchObject({ done: 'unsupported', detail: expect.stringMatching(/unknown \(0x00000002\)/) });
  });

  it('a New License without licensing keys still ends licensing', () => {
    expect(done(new LicensingClient(options()).receive(sealedServerPdu(0x03, new Uint8Array(4), new Uint8Array(16), false))))
      .toMatchObject({ done: 'license-issued', detail: expect.stringMatching(/no licensing keys/) });
  });
});

describe('malformed input', () => {
  it('a bad certificate in the License Request: DecodeError pointing into it', () => {
    const even = KEY512.modulus.slice();
    even[even.length - 1]! &= 0xfe;
    const pdu = encodeServerLicenseRequest({ serverRandom: SERVER_RANDOM, certificate: proprietary(even) });
    expect(decodeError(() => new LicensingClient(options()).receive(pdu, 1000))).toMatchObject({
      layer: 'rdp', pdu: 'Server License Request', field: 'ServerCertificate.publicKey', offset: 1000 + 112,
    });
    const cut = encodeServerLicenseRequest({ serverRandom: SERVER_RANDOM, certificate: proprietary(KEY512.modulus).subarray(0, 30) });
    const e = decodeError(() => new LicensingClient(options()).receive(cut, 1000));
    expect(e).toMatchObject({ layer: 'rdp', pdu: 'Server License Request' });
    expect(e.offset).toBeGreaterThanOrEqual(1000 + 112);
  });

  it('a truncated PDU: DecodeError of the Licensing PDU', () => {
    expect(decodeError(() => new LicensingClient(options()).receive(PROPRIETARY_REQUEST.subarray(0, 50)))).toMatchObject({ layer: 'rdp', field: 'wMsgSize' });
  });
});

const afterRequest = (b: Uint8Array, base: number): unknown => {
  const c = new LicensingClient(options());
  c.receive(fromHex(XRDP_LICENSE_REQUEST));
  return c.receive(b, base);
};
const challengeForXrdp = (() => {
  const c = new LicensingClient(options());
  c.receive(fromHex(XRDP_LICENSE_REQUEST));
  const k = c.licensingKeys!;
  return sealedServerPdu(0x02, rc4(k.licensingEncryptionKey, new Uint8Array(10)), mac(k.macSaltKey, new Uint8Array(10)));
})();

robustnessSuite([
  {
    name: 'LicensingClient.receive (first message)',
    decode: (b, base) => new LicensingClient(options()).receive(b, base),
    inputs: [fromHex(XRDP_LICENSE_REQUEST), PROPRIETARY_REQUEST, X509_REQUEST, encodeValidClientLicense(), fromHex(XRDP_VALID_CLIENT)],
  },
  {
    name: 'LicensingClient.receive (after the New License Request)',
    decode: afterRequest,
    inputs: [challengeForXrdp, sealedServerPdu(0x03, new Uint8Array(30), new Uint8Array(16), false), fromHex(XRDP_VALID_CLIENT)],
  },
], { layer: 'rdp', base: 3000, editsMustFail: true, fullEditsUpTo: 400 });

it('WINDOWS_PLATFORM_ID is CLIENT_OS_ID_WINNT_POST_52 | CLIENT_IMAGE_ID_MICROSOFT', () => {
  expect(WINDOWS_PLATFORM_ID).toBe(0x04010000);
});
