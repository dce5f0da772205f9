// ClientHello (RFC 8446 §4.1.2, RFC 5246 §7.4.1.2, SSL 3.0 RFC 6101 §5.6.1.2) with the extensions a
// diagnosis needs: server_name (RFC 6066 §3), supported_versions (RFC 8446 §4.2.1), supported_groups
// (§4.2.7), signature_algorithms (§4.2.3), key_share (§4.2.8), ALPN (RFC 7301 §3.1).
import { ByteReader } from '../wire/reader.js';
import { ByteWriter, concatBytes } from '../wire/writer.js';
import { cipherSuite } from './cipher-suites.js';
import {
  decodeExtensions, encodeExtensions, expectEnd, extensionReader, readU16List, readVector, u16Bytes, vector, type Extension,
} from './extensions.js';
import { latin1 } from '../wire/text.js';

import { encodeHandshake, HS } from './handshake.js';
import { CONTENT_TYPE, encodeTlsRecord } from './record.js';
import { isGrease, TLS_VERSION } from './versions.js';

export type { Extension } from './extensions.js';

const PDU = 'ClientHello';

/** Extension type codes used here (IANA ExtensionType). */
export const EXT = {
  serverName: 0, supportedGroups: 10, ecPointFormats: 11, signatureAlgorithms: 13, alpn: 16,
  supportedVersions: 43, pskKeyExchangeModes: 45, keyShare: 51, renegotiationInfo: 0xff01,
} as const;

export interface ClientHello {
  legacyVersion: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuites: number[];
  compressionMethods: number[];
  extensions: Extension[];
  serverName?: string;
  supportedVersions?: number[];
  supportedGroups?: number[];
  signatureAlgorithms?: number[];
  keyShareGroups?: number[];
  alpn?: string[];
  /** highest non-GREASE version offered (supported_versions if present, else legacyVersion) */
  maxVersion: number;
}

/** @param body the handshake body, without the 4-byte header; base is the absolute offset of body[0] */
export function decodeClientHello(body: Uint8Array, base = 0): ClientHello {
  const r = new ByteReader(body, 'tls', PDU, base);
  const legacyVersion = r.u16be('legacy_version');
  const random = r.bytes(32, 'random').slice();
  const sessionId = readVector(r, 1, 'legacy_session_id', 0, 32).rest('legacy_session_id').slice();
  const cipherSuites = readU16List(r, 2, 'cipher_suites', 2);
  const compressionMethods = [...readVector(r, 1, 'compression_methods', 1).rest('compression_methods')];
  const extensions = r.remaining > 0 ? decodeExtensions(r) : [];
  const hello: ClientHello = {
    legacyVersion, random, sessionId, cipherSuites, compressionMethods, extensions, maxVersion: legacyVersion,
  };
  for (const e of extensions) readKnownExtension(hello, e);
  const offered = (hello.supportedVersions ?? []).filter((v) => !isGrease(v));
  if (offered.length > 0) hello.maxVersion = Math.max(...offered);
  return hello;
}

function readKnownExtension(hello: ClientHello, e: Extension): void {
  const r = extensionReader(e, PDU);
  switch (e.type) {
    case EXT.serverName: {
      const list = readVector(r, 2, 'server_name_list', 1);
      while (list.remaining > 0) {
        const type = list.u8('name_type');
        const name = readVector(list, 2, 'host_name', 1).rest('host_name');
        if (type === 0 && hello.serverName === undefined) hello.serverName = latin1(name);
      }
      break;
    }
    case EXT.supportedVersions: hello.supportedVersions = readU16List(r, 1, 'supported_versions', 2); break;
    case EXT.supportedGroups: hello.supportedGroups = readU16List(r, 2, 'named_group_list', 2); break;
    case EXT.signatureAlgorithms: hello.signatureAlgorithms = readU16List(r, 2, 'supported_signature_algorithms', 2); break;
    case EXT.keyShare: {
      const shares = readVector(r, 2, 'client_shares');
      const groups: number[] = [];
      while (shares.remaining > 0) {
        groups.push(shares.u16be('group'));
        readVector(shares, 2, 'key_exchange', 1);
      }
      hello.keyShareGroups = groups;
      break;
    }
    case EXT.alpn: {
      const list = readVector(r, 2, 'protocol_name_list', 2);
      const names: string[] = [];
      while (list.remaining > 0) names.push(latin1(readVector(list, 1, 'protocol_name', 1).rest('protocol_name')));
      hello.alpn = names;
      break;
    }
    default: return;
  }
  expectEnd(r, e.name);
}

export interface ClientHelloSpec {
  /** highest version offered, 0x0300..0x0304 */
  version: number;
  /** lowest (default = version); for 0x0304 supported_versions lists version..minVersion */
  minVersion?: number;
  cipherSuites: number[];
  groups?: number[];
  signatureAlgorithms?: number[];
  /** sent as SNI unless it is an IP address literal (RFC 6066 §3 forbids those) */
  serverName?: string;
  /** 32 bytes, supplied by the caller (codecs are pure) */
  random: Uint8Array;
  /** TLS 1.3 key_share entries, supplied by the caller */
  keyShares?: { group: number; key: Uint8Array }[];
}

/** x25519, secp256r1, secp384r1, secp521r1: what OpenSSL and Schannel offer first. */
export const DEFAULT_GROUPS: readonly number[] = [29, 23, 24, 25];

/** ECDSA, EdDSA, RSA-PSS and PKCS#1 with SHA-2 (RFC 8446 §4.2.3 order of preference). */
export const DEFAULT_SIGNATURE_ALGORITHMS: readonly number[] = [
  0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0809, 0x080a, 0x080b, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
];
/** rsa_pkcs1_sha1, ecdsa_sha1: still needed by TLS 1.2 servers with old certificates. */
const LEGACY_SIGNATURE_ALGORITHMS: readonly number[] = [0x0201, 0x0203];

const SCSV_RENEGOTIATION = 0x00ff;

function isIpLiteral(host: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(host) || host.includes(':');
}

function checkSpec(spec: ClientHelloSpec, minVersion: number): void {
  if (spec.version < TLS_VERSION.SSL3 || spec.version > TLS_VERSION.TLS13) {
    throw new RangeError(`version 0x${spec.version.toString(16)} is not SSL 3.0..TLS 1.3`);
  }
  if (minVersion < TLS_VERSION.SSL3 || minVersion > spec.version) {
    throw new RangeError(`minVersion 0x${minVersion.toString(16)} is not SSL 3.0..version`);
  }
  if (spec.random.length !== 32) throw new RangeError(`random must be 32 bytes, got ${spec.random.length}`);
  if (spec.cipherSuites.length === 0) throw new RangeError('no cipher suites');
}

/**
 * A complete TLS record (content type handshake) carrying the ClientHello, as a real client sends
 * it: record version 0x0300 for SSL 3.0, else 0x0301; an empty session id and null compression;
 * no extensions at all for SSL 3.0 (the renegotiation SCSV instead, RFC 5746 §3.3); otherwise SNI
 * when given, supported_groups + ec_point_formats when ECC suites are offered (supported_groups also
 * for TLS 1.3 or explicit groups), signature_algorithms from TLS 1.2 up, renegotiation_info while
 * TLS 1.2 or lower is offered (unless the SCSV is in the list), and for TLS 1.3 supported_versions,
 * key_share and psk_key_exchange_modes (psk_dhe_ke).
 */
export function buildClientHello(spec: ClientHelloSpec): Uint8Array {
  const minVersion = spec.minVersion ?? spec.version;
  checkSpec(spec, minVersion);
  const offers13 = spec.version >= TLS_VERSION.TLS13;
  const offersLegacy = minVersion < TLS_VERSION.TLS13;
  const suites = [...spec.cipherSuites];
  const extensions: { type: number; data: Uint8Array }[] = [];
  if (spec.version === TLS_VERSION.SSL3) {
    if (!suites.includes(SCSV_RENEGOTIATION)) suites.push(SCSV_RENEGOTIATION);
  } else {
    if (spec.serverName && !isIpLiteral(spec.serverName)) {
      const host = new TextEncoder().encode(spec.serverName);
      extensions.push({ type: EXT.serverName, data: vector(2, concatBytes([Uint8Array.of(0), vector(2, host)])) });
    }
    const ecc = suites.some((id) => cipherSuite(id)?.kx.startsWith('ECDH') === true);
    if (ecc || offers13 || spec.groups) {
      const groups = [...(spec.groups ?? DEFAULT_GROUPS)];
      for (const s of [...(spec.keyShares ?? [])].reverse()) if (!groups.includes(s.group)) groups.unshift(s.group);
      extensions.push({ type: EXT.supportedGroups, data: vector(2, u16Bytes(groups)) });
    }
    if (ecc && offersLegacy) extensions.push({ type: EXT.ecPointFormats, data: Uint8Array.of(1, 0) });
    if (spec.version >= TLS_VERSION.TLS12) {
      const algs = spec.signatureAlgorithms
        ?? (offersLegacy ? [...DEFAULT_SIGNATURE_ALGORITHMS, ...LEGACY_SIGNATURE_ALGORITHMS] : DEFAULT_SIGNATURE_ALGORITHMS);
      extensions.push({ type: EXT.signatureAlgorithms, data: vector(2, u16Bytes(algs)) });
    }
    if (offersLegacy && !suites.includes(SCSV_RENEGOTIATION)) {
      extensions.push({ type: EXT.renegotiationInfo, data: Uint8Array.of(0) });
    }
    if (offers13) {
      const versions: number[] = [];
      for (let v = spec.version; v >= minVersion; v--) versions.push(v);
      extensions.push({ type: EXT.supportedVersions, data: vector(1, u16Bytes(versions)) });
      const shares = (spec.keyShares ?? []).map((s) => concatBytes([u16Bytes([s.group]), vector(2, s.key)]));
      extensions.push({ type: EXT.keyShare, data: vector(2, concatBytes(shares)) });
      extensions.push({ type: EXT.pskKeyExchangeModes, data: Uint8Array.of(1, 1) });
    }
  }
  const fixed = new ByteWriter(2 + 32)
    .u16be(Math.min(spec.version, TLS_VERSION.TLS12)).bytes(spec.random).finish();
  const body = concatBytes([
    fixed,
    vector(1, new Uint8Array(0)),
    vector(2, u16Bytes(suites)),
    vector(1, Uint8Array.of(0)),
    ...(extensions.length > 0 ? [encodeExtensions(extensions)] : []),
  ]);
  const recordVersion = spec.version === TLS_VERSION.SSL3 ? TLS_VERSION.SSL3 : TLS_VERSION.TLS10;
  return encodeTlsRecord(CONTENT_TYPE.handshake, recordVersion, encodeHandshake(HS.clientHello, body));
}
