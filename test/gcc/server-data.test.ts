import { createHash, X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  decodeDataBlocks, decodeServerCertificate, decodeServerData, encodeServerCertificate, encodeServerData,
  proprietarySignedData, type ProprietaryCertificate, type ServerDataSpec, type X509CertificateChain,
} from '../../src/gcc/index.js';
import { makeCertificate } from '../../src/server/pki.js';
import { scenarioCertificate } from '../../src/server/tls-certs.js';
import { MODULUS_4_1_4_LE, SERVER_DATA_4_1_4, SERVER_RANDOM_4_1_4, SIGNATURE_4_1_4_LE, TS_SIGNING_KEY } from '../vectors/gcc.js';
import { decodeError } from '../helpers/decode-error.js';
import { robustnessSuite } from '../helpers/robustness.js';

const BASE = 73; // where the user data sits in the 4.1.4 PDU
// Offsets inside SERVER_DATA_4_1_4: SC_SECURITY header at 28, its body at 32, the certificate at 80.
const SEC = 32;
const CERT = 80;

const le = (b: Uint8Array): bigint => b.reduceRight((v, x) => (v << 8n) | BigInt(x), 0n);
function modPow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  for (b %= m; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

/** [MS-RDPBCGR] 5.3.3.1.3: s^e mod n, little-endian, is MD5(signedData) | 0x00 | 0xff x 45 | 0x01. */
function verifiesWithTsKey(c: ProprietaryCertificate): boolean {
  const m = modPow(le(c.signature), le(fromHex(TS_SIGNING_KEY.publicExponentLe)), le(fromHex(TS_SIGNING_KEY.modulusLe)));
  const out = Uint8Array.from({ length: 63 }, (_, i) => Number((m >> BigInt(8 * i)) & 0xffn));
  const expected = new Uint8Array([...createHash('md5').update(c.signedData).digest(), 0x00, ...Array(45).fill(0xff), 0x01]);
  return toHex(out) === toHex(expected);
}

describe('Server data of [MS-RDPBCGR] 4.1.4', () => {
  const bytes = fromHex(SERVER_DATA_4_1_4);
  const data = decodeServerData(bytes, BASE);

  it('is 264 bytes: core, network, security', () => {
    expect(bytes.length).toBe(0x108);
    expect(decodeDataBlocks(bytes, BASE, 'server').map((b) => [b.typeName, b.offset, b.length])).toEqual([
      ['SC_CORE', BASE, 12], ['SC_NET', BASE + 12, 16], ['SC_SECURITY', BASE + 28, 236],
    ]);
    expect(data.unknown).toEqual([]);
  });

  it('decodes the core and network blocks', () => {
    expect(data.core).toStrictEqual({ version: 0x00080004, versionName: 'RDP 5.0-8.1', clientRequestedProtocols: 0, flagNames: [] });
    expect(data.network).toStrictEqual({ mcsChannelId: 1003, channelIds: [1004, 1005, 1006] });
    expect(data.messageChannel).toBeUndefined();
    expect(data.multitransport).toBeUndefined();
  });

  it('decodes the security block and its proprietary certificate', () => {
    const sec = data.security!;
    expect(sec).toMatchObject({
      encryptionMethod: 2, encryptionMethodName: 'ENCRYPTION_METHOD_128BIT',
      encryptionLevel: 2, encryptionLevelName: 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE',
    });
    expect(toHex(sec.serverRandom!)).toBe(SERVER_RANDOM_4_1_4);
    const cert = sec.certificate as ProprietaryCertificate;
    expect(cert.kind).toBe('proprietary');
    expect(cert.temporary).toBe(false);
    expect(cert.publicKey.exponent).toBe(65537);
    expect(cert.publicKey.bits).toBe(512);
    expect(cert.publicKey.modulus.length).toBe(64);
    expect(toHex(cert.publicKey.modulus)).toBe(toHex(fromHex(MODULUS_4_1_4_LE).reverse()));
    expect(cert.signature.length).toBe(72);
    expect(toHex(cert.signature)).toBe(`${SIGNATURE_4_1_4_LE} ${Array(8).fill('00').join(' ')}`);
    // dwVersion, dwSigAlgId, dwKeyAlgId, wPublicKeyBlobType, wPublicKeyBlobLen, PublicKeyBlob (92)
    expect(cert.signedData.length).toBe(16 + 92);
    expect(toHex(cert.signedData)).toBe(toHex(bytes.subarray(CERT, CERT + 108)));
  });

  it('carries a signature the Terminal Services signing key verifies over signedData', () => {
    const cert = data.security!.certificate as ProprietaryCertificate;
    expect(verifiesWithTsKey(cert)).toBe(true);
    const tampered = { ...cert, signedData: cert.signedData.map((b, i) => (i === 40 ? b ^ 1 : b)) };
    expect(verifiesWithTsKey(tampered)).toBe(false);
  });

  it('encodes back to the same bytes', () => {
    expect(toHex(encodeServerData(data))).toBe(toHex(bytes));
    const cert = data.security!.certificate as ProprietaryCertificate;
    expect(toHex(proprietarySignedData(cert.publicKey))).toBe(toHex(cert.signedData));
    expect(toHex(encodeServerCertificate(cert))).toBe(toHex(bytes.subarray(CERT)));
  });
});

describe('the scenario server', () => {
  it('sends core flags, a TLS-era security block, an even channel list and the message channel', () => {
    const spec: ServerDataSpec = {
      core: { version: 0x0008000c, clientRequestedProtocols: 0x0b, earlyCapabilityFlags: 0x0f },
      security: { encryptionMethod: 0, encryptionLevel: 0 },
      network: { mcsChannelId: 1003, channelIds: [1004, 1005] },
      messageChannel: { mcsChannelId: 1006 },
      multitransport: { flags: 0x101 },
    };
    const bytes = encodeServerData(spec);
    expect(toHex(bytes)).toBe([
      '01 0c 10 00 0c 00 08 00 0b 00 00 00 0f 00 00 00', // SC_CORE, all three fields
      '03 0c 0c 00 eb 03 02 00 ec 03 ed 03', // SC_NET, no Pad
      '02 0c 0c 00 00 00 00 00 00 00 00 00', // SC_SECURITY: NONE / NONE, no lengths
      '04 0c 06 00 ee 03', // SC_MCS_MSGCHANNEL
      '08 0c 08 00 01 01 00 00', // SC_MULTITRANSPORT
    ].join(' '));
    const d = decodeServerData(bytes);
    expect(d.core).toStrictEqual({
      version: 0x0008000c, versionName: 'RDP 10.7', clientRequestedProtocols: 0x0b, earlyCapabilityFlags: 0x0f,
      flagNames: ['RNS_UD_SC_EDGE_ACTIONS_SUPPORTED_V1', 'RNS_UD_SC_DYNAMIC_DST_SUPPORTED', 'RNS_UD_SC_EDGE_ACTIONS_SUPPORTED_V2', 'RNS_UD_SC_SKIP_CHANNELJOIN_SUPPORTED'],
    });
    expect(d.security).toStrictEqual({
      encryptionMethod: 0, encryptionMethodName: 'ENCRYPTION_METHOD_NONE', encryptionLevel: 0, encryptionLevelName: 'ENCRYPTION_LEVEL_NONE',
    });
    expect(d.messageChannel).toEqual({ mcsChannelId: 1006 });
    expect(d.multitransport).toEqual({ flags: 0x101, flagNames: ['TRANSPORTTYPE_UDPFECR', 'TRANSPORTTYPE_UDP_PREFERRED'] });
    expect(toHex(encodeServerData(d))).toBe(toHex(bytes));
  });

  it('a core with the version only', () => {
    const d = decodeServerData(encodeServerData({ core: { version: 0x00080001 } }));
    expect(d.core).toStrictEqual({ version: 0x00080001, versionName: 'RDP 4.0', flagNames: [] });
    expect(() => encodeServerData({ core: { version: 1, earlyCapabilityFlags: 1 } })).toThrow(RangeError);
  });

  it('ignores serverRandomLen and serverCertLen when method and level are both NONE', () => {
    const d = decodeServerData(fromHex('02 0c 14 00 00 00 00 00 00 00 00 00 20 00 00 00 b8 00 00 00'));
    expect(d.security?.serverRandom).toBeUndefined();
    expect(d.security?.certificate).toBeUndefined();
  });

  it('a temporary proprietary certificate with a 2048-bit key', () => {
    const modulus = Uint8Array.from({ length: 256 }, (_, i) => (i * 7 + 1) & 0xff);
    const bytes = encodeServerData({
      security: {
        encryptionMethod: 2, encryptionLevel: 3, serverRandom: new Uint8Array(32).fill(0xaa),
        certificate: { kind: 'proprietary', temporary: true, publicKey: { exponent: 3, modulus, bits: 2048 }, signature: new Uint8Array(72) },
      },
    });
    const cert = decodeServerData(bytes).security?.certificate as ProprietaryCertificate;
    expect(cert).toMatchObject({ kind: 'proprietary', temporary: true, publicKey: { exponent: 3, bits: 2048 } });
    expect(toHex(cert.publicKey.modulus)).toBe(toHex(modulus));
    expect(toHex(bytes.subarray(4 + 16 + 32, 4 + 16 + 32 + 4))).toBe('01 00 00 80');
    expect(toHex(encodeServerData(decodeServerData(bytes)))).toBe(toHex(bytes));
  });
});

describe('a server security block with an X.509 certificate chain', () => {
  const ca = makeCertificate({ cn: 'license server', notBefore: new Date(Date.now() - 86_400_000), notAfter: new Date(Date.now() + 86_400_000), isCA: true, keyId: 'gcc-ca' });
  const server = scenarioCertificate('ok').cert.der;
  const spec: ServerDataSpec = {
    core: { version: 0x00080004, clientRequestedProtocols: 0 },
    security: {
      encryptionMethod: 1, encryptionLevel: 2, serverRandom: Uint8Array.from({ length: 32 }, (_, i) => i),
      certificate: { kind: 'x509', temporary: true, chain: [ca.der, server] },
    },
  };
  const bytes = encodeServerData(spec);

  it('decodes the chain in wire order, the server certificate last', () => {
    const cert = decodeServerData(bytes, 5).security?.certificate as X509CertificateChain;
    expect(cert.kind).toBe('x509');
    expect(cert.temporary).toBe(true);
    expect(cert.padding).toBe(8 + 4 * 2);
    expect(cert.chain.map((c) => c.length)).toEqual([ca.der.length, server.length]);
    expect(toHex(cert.chain[1]!)).toBe(toHex(server));
    expect(new X509Certificate(cert.chain.at(-1)!).subject).toBe('CN=localhost');
    expect(new X509Certificate(cert.chain[0]!).subject).toBe('CN=license server');
  });

  it('round-trips', () => {
    expect(toHex(encodeServerData(decodeServerData(bytes)))).toBe(toHex(bytes));
    const certBytes = encodeServerCertificate({ kind: 'x509', temporary: false, chain: [ca.der, server], padding: 0 });
    expect(decodeServerCertificate(certBytes)).toMatchObject({ kind: 'x509', temporary: false, padding: 0 });
  });

  it('a CertBlob that runs past the end of the certificate', () => {
    const cert = encodeServerCertificate({ kind: 'x509', temporary: false, chain: [ca.der, server], padding: 0 });
    const secondLen = 8 + 4 + ca.der.length; // offset of CertBlobArray[1].cbCert
    new DataView(cert.buffer).setUint32(secondLen, server.length + 1, true);
    const b = encodeServerData({ security: { encryptionMethod: 1, encryptionLevel: 1, serverRandom: new Uint8Array(32), certificate: cert } });
    const e = decodeError(() => decodeServerData(b, 200));
    // block header 4, body: method, level, lengths 16, random 32, then the certificate
    expect(e.toJSON()).toMatchObject({
      code: 'NOT_ENOUGH_BYTES', layer: 'mcs', pdu: 'Server Certificate', field: 'CertBlobArray[1].abCert', offset: 200 + 52 + secondLen + 4,
    });
  });

  it('NumCertBlobs outside 2..200', () => {
    const one = encodeServerCertificate({ kind: 'x509', temporary: false, chain: [server] });
    expect(decodeError(() => decodeServerCertificate(one, 10)).toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'NumCertBlobs', offset: 14 });
  });
});

describe('server data errors', () => {
  const bytes = fromHex(SERVER_DATA_4_1_4);
  const edit = (at: number, ...values: number[]) => {
    const b = bytes.slice();
    b.set(values, at);
    return b;
  };

  it('serverRandomLen 31', () => {
    const e = decodeError(() => decodeServerData(edit(SEC + 8, 31), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', layer: 'mcs', pdu: 'Server Security Data', field: 'serverRandomLen', offset: BASE + SEC + 8 });
  });

  it('serverCertLen past the end of the block', () => {
    const e = decodeError(() => decodeServerData(edit(SEC + 12, 0xb9), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', pdu: 'Server Security Data', field: 'serverCertLen', offset: BASE + SEC + 12 });
  });

  it('encryption in effect but no server random', () => {
    const e = decodeError(() => decodeServerData(fromHex('02 0c 0c 00 02 00 00 00 02 00 00 00'), 0));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'serverRandomLen', offset: 12 });
  });

  it('a bitlen larger than the modulus keylen holds', () => {
    // bitlen 1024: keylen 72 no longer is bitlen / 8 + 8
    const e = decodeError(() => decodeServerData(edit(CERT + 24, 0x00, 0x04), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', pdu: 'Server Certificate', field: 'keylen', offset: BASE + CERT + 20 });
  });

  it('a modulus shorter than bitlen says', () => {
    // bitlen 1024 with keylen 136 and datalen 127 agree, but the 92-byte PublicKeyBlob holds 72 modulus bytes
    const e = decodeError(() => decodeServerData(edit(CERT + 20, 136, 0, 0, 0, 0x00, 0x04, 0, 0, 127), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', pdu: 'Server Certificate', field: 'modulus', offset: BASE + CERT + 36 });
  });

  it('a datalen that is not bitlen / 8 - 1', () => {
    const e = decodeError(() => decodeServerData(edit(CERT + 28, 64), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'datalen', offset: BASE + CERT + 28 });
  });

  it('a PublicKeyBlob longer than its RSA key', () => {
    // wPublicKeyBlobLen 96: the key takes 92, and the signature type is read 4 bytes late
    const e = decodeError(() => decodeServerData(edit(CERT + 14, 96), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', field: 'wPublicKeyBlobLen', offset: BASE + CERT + 14 });
  });

  it('a wrong RSA magic, blob types and algorithm ids', () => {
    expect(decodeError(() => decodeServerData(edit(CERT + 16, 0x52, 0x53, 0x41, 0x32), BASE)).toJSON())
      .toMatchObject({ code: 'INVALID_FIELD', field: 'magic', offset: BASE + CERT + 16 });
    expect(decodeError(() => decodeServerData(edit(CERT + 12, 7), BASE)).toJSON())
      .toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'wPublicKeyBlobType', offset: BASE + CERT + 12 });
    expect(decodeError(() => decodeServerData(edit(CERT + 108, 9), BASE)).toJSON())
      .toMatchObject({ code: 'UNEXPECTED_TYPE', field: 'wSignatureBlobType', offset: BASE + CERT + 108 });
    expect(decodeError(() => decodeServerData(edit(CERT + 4, 2), BASE)).toJSON())
      .toMatchObject({ code: 'UNSUPPORTED_VALUE', field: 'dwSigAlgId', offset: BASE + CERT + 4 });
  });

  it('a certificate chain version other than 1 and 2', () => {
    const e = decodeError(() => decodeServerData(edit(CERT, 3), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'UNSUPPORTED_VERSION', field: 'dwVersion', offset: BASE + CERT });
  });

  it('a signature longer than the certificate', () => {
    const e = decodeError(() => decodeServerData(edit(CERT + 110, 73), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', field: 'SignatureBlob', offset: BASE + CERT + 112 });
  });

  it('a channel id array longer than the block', () => {
    const e = decodeError(() => decodeServerData(edit(12 + 6, 5), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'NOT_ENOUGH_BYTES', pdu: 'Server Network Data', field: 'channelIdArray', offset: BASE + 12 + 8 });
  });

  it('a second security block', () => {
    const e = decodeError(() => decodeServerData(new Uint8Array([...bytes, ...bytes.subarray(28)]), BASE));
    expect(e.toJSON()).toMatchObject({ code: 'INVALID_FIELD', pdu: 'Server GCC user data', field: 'type', offset: BASE + 264 });
  });
});

{
  const ca = makeCertificate({ cn: 'license server', notBefore: new Date(0), notAfter: new Date(Date.now() + 86_400_000), isCA: true, keyId: 'gcc-ca' });
  const x509 = encodeServerData({
    core: { version: 0x00080004, clientRequestedProtocols: 3, earlyCapabilityFlags: 1 },
    security: { encryptionMethod: 2, encryptionLevel: 2, serverRandom: new Uint8Array(32), certificate: { kind: 'x509', temporary: false, chain: [ca.der, scenarioCertificate('ok').cert.der] } },
    network: { mcsChannelId: 1003, channelIds: [1004] },
    messageChannel: { mcsChannelId: 1005 },
  });
  const tls = encodeServerData({ core: { version: 0x0008000c, clientRequestedProtocols: 3, earlyCapabilityFlags: 8 }, security: { encryptionMethod: 0, encryptionLevel: 0 }, network: { mcsChannelId: 1003, channelIds: [] } });
  const proprietary = fromHex(SERVER_DATA_4_1_4).subarray(CERT);
  robustnessSuite([
    { name: 'decodeServerData', decode: decodeServerData, inputs: [fromHex(SERVER_DATA_4_1_4), tls, x509] },
    { name: 'decodeServerCertificate (proprietary)', decode: decodeServerCertificate, inputs: [proprietary] },
    { name: 'decodeDataBlocks (server)', decode: (b, base) => decodeDataBlocks(b, base, 'server'), inputs: [fromHex(SERVER_DATA_4_1_4)] },
  ], { layer: 'mcs', base: 1000, editsMustFail: true });
}
