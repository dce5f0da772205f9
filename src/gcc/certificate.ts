// SERVER_CERTIFICATE, the serverCertificate of the Server Security Data ([MS-RDPBCGR] 2.2.1.4.3.1):
//   dwVersion (u32le: bits 0-30 certChainVersion, bit 31 t = temporary) | certData
// certChainVersion 1: PROPRIETARYSERVERCERTIFICATE (2.2.1.4.3.1.1)
//   dwSigAlgId = 1 | dwKeyAlgId = 1 | wPublicKeyBlobType = 6 | wPublicKeyBlobLen | PublicKeyBlob |
//   wSignatureBlobType = 8 | wSignatureBlobLen | SignatureBlob
//   PublicKeyBlob = RSA_PUBLIC_KEY (2.2.1.4.3.1.1.1): 'RSA1' | keylen | bitlen | datalen | pubExp |
//   modulus (keylen bytes: bitlen/8 bytes little-endian, then 8 zero bytes)
// certChainVersion 2: X509_CERTIFICATE_CHAIN ([MS-RDPELE] 2.2.1.4.2)
//   NumCertBlobs (2..200) | CERT_BLOB {cbCert u32le, abCert}... | Padding (8 + 4 * NumCertBlobs bytes)
import { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';

export const CERT_CHAIN_VERSION_1 = 1;
export const CERT_CHAIN_VERSION_2 = 2;
export const CERT_TEMPORARY = 0x80000000;
export const SIGNATURE_ALG_RSA = 1;
export const KEY_EXCHANGE_ALG_RSA = 1;
export const BB_RSA_KEY_BLOB = 0x0006;
export const BB_RSA_SIGNATURE_BLOB = 0x0008;
/** RSA_PUBLIC_KEY magic: 'RSA1' read as a little-endian u32. */
export const RSA1_MAGIC = 0x31415352;
/** The zero bytes after the modulus in RSA_PUBLIC_KEY. */
export const MODULUS_PADDING = 8;
/** RSA_PUBLIC_KEY without its modulus. */
export const RSA_PUBLIC_KEY_FIXED = 20;
/** [MS-RDPELE] 2.2.1.4.2 NumCertBlobs bounds. */
export const MIN_CERT_BLOBS = 2;
export const MAX_CERT_BLOBS = 200;

const PDU = 'Server Certificate';

export interface RsaPublicKey {
  /** pubExp */
  exponent: number;
  /** the modulus, most significant byte first, without the 8 padding bytes (bits / 8 bytes) */
  modulus: Uint8Array;
  /** bitlen */
  bits: number;
}

export interface ProprietaryCertificate {
  kind: 'proprietary';
  /** bit 31 of dwVersion */
  temporary: boolean;
  publicKey: RsaPublicKey;
  /**
   * SignatureBlob as sent: the signature as a little-endian integer followed by its 8 zero padding
   * bytes (72 bytes for the 512-bit Terminal Services signing key, [MS-RDPBCGR] 5.3.3.1.2).
   */
  signature: Uint8Array;
  /**
   * The bytes the signature covers ([MS-RDPBCGR] 5.3.3.1.2): the first six fields of the certificate,
   * dwVersion through PublicKeyBlob, as sent. The signature is over their MD5 hash.
   */
  signedData: Uint8Array;
}

export interface X509CertificateChain {
  kind: 'x509';
  temporary: boolean;
  /** the DER certificates in wire order (root first); the last one is the server's */
  chain: Uint8Array[];
  /** bytes after the last CERT_BLOB ([MS-RDPELE] asks for 8 + 4 * NumCertBlobs) */
  padding: number;
}

export type ServerCertificate = ProprietaryCertificate | X509CertificateChain;

/** What encodeServerCertificate writes; a decoded ServerCertificate is one. */
export type ServerCertificateSpec =
  | { kind: 'proprietary'; temporary: boolean; publicKey: RsaPublicKey; signature: Uint8Array }
  /** padding defaults to 8 + 4 * chain.length zero bytes */
  | { kind: 'x509'; temporary: boolean; chain: Uint8Array[]; padding?: number };

const reversed = (b: Uint8Array): Uint8Array => b.slice().reverse();

function decodeRsaPublicKey(r: ByteReader): RsaPublicKey {
  const magicAt = r.absolute;
  const magic = r.u32le('magic');
  if (magic !== RSA1_MAGIC) throw r.error('INVALID_FIELD', 'magic', `0x${magic.toString(16)} is not 'RSA1' (0x31415352)`, magicAt);
  const keylenAt = r.absolute;
  const keylen = r.u32le('keylen');
  const bitlenAt = r.absolute;
  const bits = r.u32le('bitlen');
  const datalenAt = r.absolute;
  const datalen = r.u32le('datalen');
  const exponent = r.u32le('pubExp');
  if (bits === 0 || bits % 8 !== 0) throw r.error('INVALID_FIELD', 'bitlen', `${bits} is not a whole, non-zero number of bytes`, bitlenAt);
  const bytes = bits / 8;
  if (keylen !== bytes + MODULUS_PADDING) {
    throw r.error('INVALID_FIELD', 'keylen', `keylen ${keylen} must be bitlen / 8 + ${MODULUS_PADDING} = ${bytes + MODULUS_PADDING} for a ${bits}-bit modulus`, keylenAt);
  }
  if (datalen !== bytes - 1) {
    throw r.error('INVALID_FIELD', 'datalen', `datalen ${datalen} must be bitlen / 8 - 1 = ${bytes - 1}`, datalenAt);
  }
  const modulus = r.bytes(keylen, 'modulus');
  return { exponent, modulus: reversed(modulus.subarray(0, bytes)), bits };
}

function decodeProprietary(r: ByteReader, temporary: boolean, all: Uint8Array): ProprietaryCertificate {
  const sigAlgAt = r.absolute;
  const sigAlg = r.u32le('dwSigAlgId');
  if (sigAlg !== SIGNATURE_ALG_RSA) throw r.error('UNSUPPORTED_VALUE', 'dwSigAlgId', `${sigAlg}; only SIGNATURE_ALG_RSA (1) is defined`, sigAlgAt);
  const keyAlgAt = r.absolute;
  const keyAlg = r.u32le('dwKeyAlgId');
  if (keyAlg !== KEY_EXCHANGE_ALG_RSA) throw r.error('UNSUPPORTED_VALUE', 'dwKeyAlgId', `${keyAlg}; only KEY_EXCHANGE_ALG_RSA (1) is defined`, keyAlgAt);
  const keyTypeAt = r.absolute;
  const keyType = r.u16le('wPublicKeyBlobType');
  if (keyType !== BB_RSA_KEY_BLOB) throw r.error('UNEXPECTED_TYPE', 'wPublicKeyBlobType', `0x${keyType.toString(16)}; expected BB_RSA_KEY_BLOB (0x6)`, keyTypeAt);
  const keyLenAt = r.absolute;
  const keyBlobLen = r.u16le('wPublicKeyBlobLen');
  const blob = r.sub(keyBlobLen, 'PublicKeyBlob');
  const publicKey = decodeRsaPublicKey(blob);
  if (blob.remaining > 0) {
    throw r.error('INVALID_FIELD', 'wPublicKeyBlobLen', `${keyBlobLen} bytes, but the RSA key takes ${keyBlobLen - blob.remaining}`, keyLenAt);
  }
  const signedData = all.slice(0, r.offset);
  const sigTypeAt = r.absolute;
  const sigType = r.u16le('wSignatureBlobType');
  if (sigType !== BB_RSA_SIGNATURE_BLOB) throw r.error('UNEXPECTED_TYPE', 'wSignatureBlobType', `0x${sigType.toString(16)}; expected BB_RSA_SIGNATURE_BLOB (0x8)`, sigTypeAt);
  const sigLen = r.u16le('wSignatureBlobLen');
  const signature = r.bytes(sigLen, 'SignatureBlob').slice();
  return { kind: 'proprietary', temporary, publicKey, signature, signedData };
}

function decodeX509Chain(r: ByteReader, temporary: boolean): X509CertificateChain {
  const countAt = r.absolute;
  const count = r.u32le('NumCertBlobs');
  if (count < MIN_CERT_BLOBS || count > MAX_CERT_BLOBS) {
    throw r.error('INVALID_FIELD', 'NumCertBlobs', `${count} certificates; [MS-RDPELE] 2.2.1.4.2 allows ${MIN_CERT_BLOBS} to ${MAX_CERT_BLOBS}`, countAt);
  }
  const chain: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const f = `CertBlobArray[${i}]`;
    const lenAt = r.absolute;
    const cbCert = r.u32le(`${f}.cbCert`);
    if (cbCert === 0) throw r.error('INVALID_FIELD', `${f}.cbCert`, 'empty certificate', lenAt);
    chain.push(r.bytes(cbCert, `${f}.abCert`).slice());
  }
  return { kind: 'x509', temporary, chain, padding: r.remaining };
}

/**
 * A SERVER_CERTIFICATE that fills `bytes` (serverCertLen bytes); `base` is the absolute offset of
 * bytes[0]. Bytes after a proprietary certificate's SignatureBlob are ignored; after an X.509 chain
 * they are its padding.
 */
export function decodeServerCertificate(bytes: Uint8Array, base = 0): ServerCertificate {
  const r = new ByteReader(bytes, 'mcs', PDU, base);
  const versionAt = r.absolute;
  const dwVersion = r.u32le('dwVersion');
  const temporary = (dwVersion & CERT_TEMPORARY) !== 0;
  const version = dwVersion & ~CERT_TEMPORARY;
  if (version === CERT_CHAIN_VERSION_1) return decodeProprietary(r, temporary, bytes);
  if (version === CERT_CHAIN_VERSION_2) return decodeX509Chain(r, temporary);
  throw r.error('UNSUPPORTED_VERSION', 'dwVersion', `certificate chain version ${version}; 1 (proprietary) and 2 (X.509) are defined`, versionAt);
}

export function sizeServerCertificate(c: ServerCertificateSpec): number {
  if (c.kind === 'proprietary') return 16 + RSA_PUBLIC_KEY_FIXED + c.publicKey.modulus.length + MODULUS_PADDING + 4 + c.signature.length;
  return 8 + c.chain.reduce((n, der) => n + 4 + der.length, 0) + (c.padding ?? 8 + 4 * c.chain.length);
}

/** SERVER_CERTIFICATE bytes (RangeError if the key's modulus is not bits / 8 bytes or a blob is too long). */
export function encodeServerCertificate(c: ServerCertificateSpec): Uint8Array {
  const w = new ByteWriter(sizeServerCertificate(c));
  const t = c.temporary ? CERT_TEMPORARY : 0;
  if (c.kind === 'proprietary') {
    const { exponent, modulus, bits } = c.publicKey;
    if (bits % 8 !== 0 || modulus.length !== bits / 8 || bits === 0) {
      throw new RangeError(`a ${bits}-bit key needs a ${bits / 8}-byte modulus, got ${modulus.length}`);
    }
    const keylen = modulus.length + MODULUS_PADDING;
    if (RSA_PUBLIC_KEY_FIXED + keylen > 0xffff || c.signature.length > 0xffff) throw new RangeError('blob over 65535 bytes');
    w.u32le((CERT_CHAIN_VERSION_1 | t) >>> 0).u32le(SIGNATURE_ALG_RSA).u32le(KEY_EXCHANGE_ALG_RSA);
    w.u16le(BB_RSA_KEY_BLOB).u16le(RSA_PUBLIC_KEY_FIXED + keylen);
    w.u32le(RSA1_MAGIC).u32le(keylen).u32le(bits).u32le(modulus.length - 1).u32le(exponent);
    w.bytes(reversed(modulus)).bytes(new Uint8Array(MODULUS_PADDING));
    w.u16le(BB_RSA_SIGNATURE_BLOB).u16le(c.signature.length).bytes(c.signature);
  } else {
    w.u32le((CERT_CHAIN_VERSION_2 | t) >>> 0).u32le(c.chain.length);
    for (const der of c.chain) w.u32le(der.length).bytes(der);
    w.bytes(new Uint8Array(c.padding ?? 8 + 4 * c.chain.length));
  }
  return w.finish();
}

/**
 * The bytes a proprietary certificate's signature covers ([MS-RDPBCGR] 5.3.3.1.2): dwVersion through
 * PublicKeyBlob, for signing a certificate before encoding it.
 */
export function proprietarySignedData(publicKey: RsaPublicKey, temporary = false): Uint8Array {
  const all = encodeServerCertificate({ kind: 'proprietary', temporary, publicKey, signature: new Uint8Array(0) });
  return all.subarray(0, all.length - 4);
}
