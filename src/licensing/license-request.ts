// Server License Request, SERVER_LICENSE_REQUEST ([MS-RDPELE] 2.2.2.1), after a preamble with bMsgType
// LICENSE_REQUEST (0x01):
//   ServerRandom (32) | ProductInfo | KeyExchangeList (BB_KEY_EXCHG_ALG_BLOB) | ServerCertificate
//   (BB_CERTIFICATE_BLOB, may be empty) | ScopeList
// ProductInfo (2.2.2.1.1): dwVersion u32 | cbCompanyName u32 | pbCompanyName (UTF-16, NUL-terminated)
//   | cbProductId u32 | pbProductId (UTF-16, NUL-terminated)
// ScopeList (2.2.2.1.2): ScopeCount u32 | ScopeArray: ScopeCount LICENSE_SCOPE (2.2.2.1.2.1), each a
//   BB_SCOPE_BLOB holding a NUL-terminated ANSI issuer name ("microsoft.com").
// A server that needs a client access licence sends this instead of the Valid Client error.
import type { ByteReader } from '../wire/reader.js';
import { ByteWriter } from '../wire/writer.js';
import { checkedLength, expectEnd, latin1z, utf16le, valueName } from '../rdp/common.js';
import { latin1Bytes, utf16leBytes } from '../wire/text.js';
import { BB, KEY_EXCHANGE_ALG, LICENSE_MSG, PREAMBLE_VERSION_3_0 } from './codes.js';
import { blobSize, LICENSE_PREAMBLE_SIZE, readBlob, writeBlob, writePreamble, type LicenseBlob } from './preamble.js';

export const SERVER_RANDOM_SIZE = 32;
/** a LICENSE_SCOPE is at least a 4-byte blob header */
const MIN_SCOPE_SIZE = 4;

export interface ProductInfo {
  /** high word: major version of the server OS, low word: minor */
  dwVersion: number;
  companyName: string;
  productId: string;
}

export interface ServerCertificateInfo {
  wBlobType: number;
  typeName: string;
  length: number;
  /** dwVersion & 0x7FFFFFFF: CERT_CHAIN_VERSION_1 (proprietary) or CERT_CHAIN_VERSION_2 (X.509 chain) */
  certChainVersion?: number;
  /** the top bit of dwVersion: a temporary certificate */
  temporary?: boolean;
  /** the certificate as sent (parse it with the Server Security Data certificate decoder) */
  data: Uint8Array;
}

export interface ServerLicenseRequest {
  serverRandom: Uint8Array;
  productInfo: ProductInfo;
  keyExchangeList: LicenseBlob;
  /** the algorithms listed, as names (KEY_EXCHANGE_ALG_RSA) */
  keyExchangeAlgorithms: string[];
  serverCertificate: ServerCertificateInfo;
  scopes: string[];
}

function readSizedString(r: ByteReader, cbField: string, field: string): string {
  const at = r.absolute;
  const cb = r.u32le(cbField);
  checkedLength(r, cb, at, cbField, cbField);
  return utf16le(r.bytes(cb, field));
}

export function readServerLicenseRequest(r: ByteReader): ServerLicenseRequest {
  const serverRandom = r.bytes(SERVER_RANDOM_SIZE, 'ServerRandom').slice();
  const dwVersion = r.u32le('ProductInfo.dwVersion');
  const companyName = readSizedString(r, 'ProductInfo.cbCompanyName', 'ProductInfo.pbCompanyName');
  const productId = readSizedString(r, 'ProductInfo.cbProductId', 'ProductInfo.pbProductId');
  const keyExchangeList = readBlob(r, 'KeyExchangeList');
  const keyExchangeAlgorithms: string[] = [];
  const kx = keyExchangeList.data;
  for (let i = 0; i + 4 <= kx.length; i += 4) {
    const v = (kx[i]! | (kx[i + 1]! << 8) | (kx[i + 2]! << 16)) + kx[i + 3]! * 0x1000000;
    keyExchangeAlgorithms.push(valueName(v, KEY_EXCHANGE_ALG, 8));
  }
  const cert = readBlob(r, 'ServerCertificate');
  const serverCertificate: ServerCertificateInfo = { wBlobType: cert.wBlobType, typeName: cert.typeName, length: cert.wBlobLen, data: cert.data };
  if (cert.data.length >= 4) {
    const d = cert.data;
    const v = (d[0]! | (d[1]! << 8) | (d[2]! << 16)) + d[3]! * 0x1000000;
    serverCertificate.certChainVersion = v & 0x7fffffff;
    serverCertificate.temporary = v >= 0x80000000;
  }
  const countAt = r.absolute;
  const scopeCount = r.u32le('ScopeList.ScopeCount');
  if (scopeCount * MIN_SCOPE_SIZE > r.remaining) {
    throw r.error('INVALID_FIELD', 'ScopeList.ScopeCount', `${scopeCount} scopes cannot fit in ${r.remaining} bytes`, countAt);
  }
  const scopes: string[] = [];
  for (let i = 0; i < scopeCount; i++) scopes.push(latin1z(readBlob(r, `ScopeList.ScopeArray[${i}]`).data));
  expectEnd(r, 'ScopeList');
  return {
    serverRandom, productInfo: { dwVersion, companyName, productId }, keyExchangeList, keyExchangeAlgorithms,
    serverCertificate, scopes,
  };
}

export interface ServerLicenseRequestSpec {
  serverRandom: Uint8Array;
  /** 0x000A0000 (Windows 10 / Server 2016+) by default */
  dwVersion?: number;
  companyName?: string;
  productId?: string;
  /** raw certificate (proprietary or X.509 chain); empty by default, as servers under TLS send */
  certificate?: Uint8Array;
  scopes?: string[];
  flags?: number;
}

/** A licensing PDU (preamble + SERVER_LICENSE_REQUEST), without the security header: for scenario servers. */
export function encodeServerLicenseRequest(s: ServerLicenseRequestSpec): Uint8Array {
  if (s.serverRandom.length !== SERVER_RANDOM_SIZE) throw new RangeError(`ServerRandom must be ${SERVER_RANDOM_SIZE} bytes`);
  const company = utf16leBytes(`${s.companyName ?? 'Microsoft Corporation'}\0`);
  const product = utf16leBytes(`${s.productId ?? 'A02'}\0`);
  const cert = s.certificate ?? new Uint8Array(0);
  const scopes = (s.scopes ?? ['microsoft.com']).map((x) => latin1Bytes(`${x}\0`));
  const kx = new ByteWriter(4).u32le(1).finish();
  const size = LICENSE_PREAMBLE_SIZE + SERVER_RANDOM_SIZE + 4 + 4 + company.length + 4 + product.length
    + blobSize(kx) + blobSize(cert) + 4 + scopes.reduce((n, x) => n + blobSize(x), 0);
  const w = new ByteWriter(size);
  writePreamble(w, LICENSE_MSG.LICENSE_REQUEST, s.flags ?? PREAMBLE_VERSION_3_0, size);
  w.bytes(s.serverRandom).u32le(s.dwVersion ?? 0x000a0000);
  w.u32le(company.length).bytes(company).u32le(product.length).bytes(product);
  writeBlob(w, BB.KEY_EXCHG_ALG_BLOB, kx);
  writeBlob(w, BB.CERTIFICATE_BLOB, cert);
  w.u32le(scopes.length);
  for (const x of scopes) writeBlob(w, BB.SCOPE_BLOB, x);
  return w.finish();
}
