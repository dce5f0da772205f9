// The Terminal Services signing key ([MS-RDPBCGR] 5.3.3.1.1) against the Proprietary Certificate of
// the [MS-RDPBCGR] 4.1.4 Server MCS Connect Response: the published public key verifies its
// signature (5.3.3.1.3), and the published private exponent re-creates it byte for byte (5.3.3.1.2,
// raw RSA being deterministic). The certificate is sliced out of the whole PDU at the offsets the
// structures of 2.2.1.4 and 2.2.1.4.3.1.1 give (asserted field by field on the way).
import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../src/wire/hex.js';
import {
  checkProprietarySignature, proprietarySignatureBlock, PROPRIETARY_SIGNATURE_SIZE, signProprietary,
  TS_SIGNING_KEY, verifyProprietarySignature,
} from '../../src/rdpsec/proprietary.js';
import { fromBigEndian, modPow, toBigEndian } from '../../src/rdpsec/bigint.js';

/** [MS-RDPBCGR] 4.1.4 Server MCS Connect Response PDU with GCC Conference Create Response. */
const MCS_CONNECT_RESPONSE_4_1_4 = fromHex([
  '03 00 01 51', //                  TPKT: version 3, length 337
  '02 f0 80', //                     X.224 Data TPDU
  '7f 66 82 01 45', //               BER: Connect-Response, length 325
  '0a 01 00', //                     result: rt-successful
  '02 01 00', //                     calledConnectId 0
  '30 1a 02 01 22 02 01 03 02 01 00 02 01 01 02 01 00 02 01 01 02 03 00 ff f8 02 01 02', // domainParameters
  '04 82 01 1f', //                  userData: OCTET STRING, 287 bytes
  '00 05 00 14 7c 00 01 2a 14 76 0a 01 01 00 01 c0 00 4d 63 44 6e 81 08', // GCC Conference Create Response, "McDn", 264 bytes
  '01 0c 0c 00 04 00 08 00 00 00 00 00', // SC_CORE (0x0c01), 12 bytes
  '03 0c 10 00 eb 03 03 00 ec 03 ed 03 ee 03 00 00', // SC_NET (0x0c03), 16 bytes
  '02 0c ec 00', //                  SC_SECURITY (0x0c02), 236 bytes
  '02 00 00 00', //                  encryptionMethod: ENCRYPTION_METHOD_128BIT
  '02 00 00 00', //                  encryptionLevel: ENCRYPTION_LEVEL_CLIENT_COMPATIBLE
  '20 00 00 00', //                  serverRandomLen 32
  'b8 00 00 00', //                  serverCertLen 184
  '10 11 77 20 30 61 0a 12 e4 34 a1 1e f2 c3 9f 31 7d a4 5f 01 89 34 96 e0 ff 11 08 69 7f 1a c3 d2', // serverRandom
  '01 00 00 00', //                  dwVersion: CERT_CHAIN_VERSION_1 (proprietary)
  '01 00 00 00', //                  dwSigAlgId: SIGNATURE_ALG_RSA
  '01 00 00 00', //                  dwKeyAlgId: KEY_EXCHANGE_ALG_RSA
  '06 00', //                        wPublicKeyBlobType: BB_RSA_KEY_BLOB
  '5c 00', //                        wPublicKeyBlobLen 92
  '52 53 41 31 48 00 00 00 00 02 00 00 3f 00 00 00 01 00 01 00', // RSA1, keylen 72, bitlen 512, datalen 63, pubExp 65537
  'cb 81 fe ba 6d 61 c3 55 05 d5 5f 2e 87 f8 71 94 d6 f1 a5 cb f1 5f 0c 3d f8 70 02 96 c4 fb 9b c8',
  '3c 2d 55 ae e8 ff 32 75 ea 68 79 e5 a2 01 fd 31 a0 b1 1f 55 a6 1f c1 f6 d1 83 88 63 26 56 12 bc',
  '00 00 00 00 00 00 00 00', //      modulus (little-endian) and its 8 bytes of padding
  '08 00', //                        wSignatureBlobType: BB_RSA_SIGNATURE_BLOB
  '48 00', //                        wSignatureBlobLen 72
  'e9 e1 d6 28 46 8b 4e f5 0a df fd ee 21 99 ac b4 e1 8f 5f 81 57 82 ef 9d 96 52 63 27 18 29 db b3',
  '4a fd 9a da 42 ad b5 69 21 89 0e 1d c0 4c 1a a8 aa 71 3e 0f 54 b9 9a e4 99 68 3f 6c d6 76 84 61',
  '00 00 00 00 00 00 00 00', //      SignatureBlob: 64 bytes and 8 of padding
].join(' '));

const u16 = (b: Uint8Array, at: number): number => b[at]! | (b[at + 1]! << 8);
const u32 = (b: Uint8Array, at: number): number => (u16(b, at) | (u16(b, at + 2) << 16)) >>> 0;

/** Offsets: TPKT 4 + X.224 3, then the BER Connect-Response header (5), result (3), calledConnectId (3),
 * domainParameters (28), the userData header (4), the GCC header (23), SC_CORE (12), SC_NET (16). */
const SC_SECURITY = 7 + 5 + 3 + 3 + 28 + 4 + 23 + 12 + 16;
/** serverCertificate follows header (4), encryptionMethod, encryptionLevel, serverRandomLen, serverCertLen (4 each) and the 32-byte random. */
const CERT = SC_SECURITY + 20 + 32;

function certificateParts(pdu: Uint8Array): { signedData: Uint8Array; signature: Uint8Array; cert: Uint8Array } {
  expect(u16(pdu, SC_SECURITY)).toBe(0x0c02);
  expect(u16(pdu, SC_SECURITY + 2)).toBe(236);
  expect(u32(pdu, SC_SECURITY + 12)).toBe(32);
  const certLen = u32(pdu, SC_SECURITY + 16);
  const cert = pdu.subarray(CERT, CERT + certLen);
  expect(CERT + certLen).toBe(pdu.length);
  expect(u32(cert, 0)).toBe(1); // dwVersion
  const blobLen = u16(cert, 14);
  // signed: dwVersion, dwSigAlgId, dwKeyAlgId, wPublicKeyBlobType, wPublicKeyBlobLen, PublicKeyBlob
  const signedData = cert.subarray(0, 16 + blobLen);
  const sigAt = 16 + blobLen;
  expect(u16(cert, sigAt)).toBe(0x0008);
  const sigLen = u16(cert, sigAt + 2);
  return { signedData, signature: cert.subarray(sigAt + 4, sigAt + 4 + sigLen), cert };
}

describe('[MS-RDPBCGR] 4.1.4 proprietary certificate, signed with the 5.3.3.1.1 key', () => {
  const pdu = MCS_CONNECT_RESPONSE_4_1_4;

  it('the vector is whole: TPKT length 337, certificate of 184 bytes ending the PDU', () => {
    expect(pdu.length).toBe(337);
    expect((pdu[2]! << 8) | pdu[3]!).toBe(337);
    const { cert, signedData, signature } = certificateParts(pdu);
    expect(cert.length).toBe(184);
    expect(signedData.length).toBe(108);
    expect(signature.length).toBe(PROPRIETARY_SIGNATURE_SIZE);
  });

  it('verifies (5.3.3.1.3)', () => {
    const { signedData, signature } = certificateParts(pdu);
    expect(checkProprietarySignature(signedData, signature)).toEqual({ ok: true });
    expect(verifyProprietarySignature(signedData, signature)).toBe(true);
    // the signature value alone (without the 8 zero bytes) verifies too
    expect(verifyProprietarySignature(signedData, signature.subarray(0, 64))).toBe(true);
  });

  it('the decrypted signature is the MD5 of the first six fields, 00, FF x 45, 01', () => {
    const { signedData, signature } = certificateParts(pdu);
    const s = fromBigEndian(signature.slice(0, 64).reverse());
    const m = toBigEndian(modPow(s, BigInt(TS_SIGNING_KEY.exponent), fromBigEndian(TS_SIGNING_KEY.modulus)), 64).reverse();
    expect(toHex(m.subarray(0, 16), '')).toBe('406ac06d77a1a7f72e8f81ab4d24a6c5');
    expect(toHex(m.subarray(0, 63))).toBe(toHex(proprietarySignatureBlock(signedData)));
    expect(m[63]).toBe(0);
  });

  it('signing with the published private exponent re-creates the SignatureBlob (5.3.3.1.2)', () => {
    const { signedData, signature } = certificateParts(pdu);
    expect(toHex(signProprietary(signedData))).toBe(toHex(signature));
  });

  it('fails for any changed byte of the six fields or of the signature', () => {
    const { signedData, signature } = certificateParts(pdu);
    for (const at of [0, 12, 14, 16, 40, 107]) {
      const d = signedData.slice();
      d[at]! ^= 0x01;
      const r = checkProprietarySignature(d, signature);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.reason).toMatch(/hash/);
    }
    for (const at of [0, 31, 63]) {
      const s = signature.slice();
      s[at]! ^= 0x80;
      expect(verifyProprietarySignature(signedData, s)).toBe(false);
    }
  });

  it('reasons: wrong length, non-zero padding, value above the modulus', () => {
    const { signedData, signature } = certificateParts(pdu);
    const reason = (sig: Uint8Array): string => {
      const r = checkProprietarySignature(signedData, sig);
      return r.ok ? '' : r.reason;
    };
    expect(reason(signature.subarray(0, 71))).toMatch(/71 bytes/);
    const padded = signature.slice();
    padded[70] = 1;
    expect(reason(padded)).toMatch(/not zero/);
    expect(reason(new Uint8Array(64).fill(0xff))).toMatch(/not below/);
    expect(reason(new Uint8Array(72))).toMatch(/block/);
  });
});

describe('Terminal Services signing key (5.3.3.1.1)', () => {
  it('is the published 512-bit key, big-endian here', () => {
    expect(TS_SIGNING_KEY.modulus.length).toBe(64);
    expect(toHex(TS_SIGNING_KEY.modulus.subarray(0, 4))).toBe('87 ea 6d 05');
    expect(TS_SIGNING_KEY.exponent).toBe(0xc0887b5b);
    expect(toHex(TS_SIGNING_KEY.privateExponent.subarray(60))).toBe('32 19 a7 87');
  });

  it('signs and verifies arbitrary data; the key arrays read are copies', () => {
    const data = new Uint8Array(Buffer.from('any six fields'));
    const sig = signProprietary(data);
    expect(sig.length).toBe(72);
    expect(toHex(sig.subarray(64))).toBe('00 00 00 00 00 00 00 00');
    expect(verifyProprietarySignature(data, sig)).toBe(true);
    const m = TS_SIGNING_KEY.modulus;
    m[0] = 0;
    expect(TS_SIGNING_KEY.modulus[0]).toBe(0x87);
    expect(toHex(signProprietary(data))).toBe(toHex(sig));
  });
});
