// ServerHello (RFC 8446 §4.1.3, RFC 5246 §7.4.1.3): the HelloRetryRequest form (random =
// SHA-256("HelloRetryRequest")), the §4.1.3 downgrade sentinels, and the supported_versions
// (§4.2.1), key_share (§4.2.8) and ALPN (RFC 7301 §3.1) extensions.
import { ByteReader } from '../wire/reader.js';
import { EXT } from './client-hello.js';
import { decodeExtensions, expectEnd, extensionReader, readVector, type Extension } from './extensions.js';
import { latin1 } from '../wire/text.js';
import { TLS_VERSION } from './versions.js';
import { sameBytes } from '../wire/bytes.js';

const PDU = 'ServerHello';

/** RFC 8446 §4.1.3: the random of a HelloRetryRequest. */
export const HELLO_RETRY_REQUEST_RANDOM = Uint8Array.from([
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
]);

/** RFC 8446 §4.1.3: "DOWNGRD" then 01 (TLS 1.2 negotiated) or 00 (TLS 1.1 or below), in the last 8 bytes. */
const DOWNGRADE_PREFIX = [0x44, 0x4f, 0x57, 0x4e, 0x47, 0x52, 0x44];

export interface ServerHello {
  legacyVersion: number;
  /** negotiated: supported_versions if present, else legacyVersion */
  version: number;
  random: Uint8Array;
  sessionId: Uint8Array;
  cipherSuite: number;
  compressionMethod: number;
  extensions: Extension[];
  helloRetryRequest: boolean;
  /** key_share: the server's share group, or the group a HelloRetryRequest asks for */
  keyShareGroup?: number;
  alpn?: string;
  /** RFC 8446 §4.1.3 downgrade sentinel in the random of a TLS 1.2-or-lower ServerHello */
  downgrade?: 'tls12' | 'tls11-or-below';
}

function downgradeSentinel(random: Uint8Array): ServerHello['downgrade'] {
  if (!DOWNGRADE_PREFIX.every((v, i) => random[24 + i] === v)) return undefined;
  if (random[31] === 1) return 'tls12';
  return random[31] === 0 ? 'tls11-or-below' : undefined;
}

/** @param body the handshake body, without the 4-byte header; base is the absolute offset of body[0] */
export function decodeServerHello(body: Uint8Array, base = 0): ServerHello {
  const r = new ByteReader(body, 'tls', PDU, base);
  const legacyVersion = r.u16be('legacy_version');
  const random = r.bytes(32, 'random').slice();
  const sessionId = readVector(r, 1, 'legacy_session_id_echo', 0, 32).rest('legacy_session_id_echo').slice();
  const cipherSuite = r.u16be('cipher_suite');
  const compressionMethod = r.u8('compression_method');
  const extensions = r.remaining > 0 ? decodeExtensions(r) : [];
  const hello: ServerHello = {
    legacyVersion, version: legacyVersion, random, sessionId, cipherSuite, compressionMethod, extensions,
    helloRetryRequest: sameBytes(random, HELLO_RETRY_REQUEST_RANDOM),
  };
  for (const e of extensions) {
    const x = extensionReader(e, PDU);
    if (e.type === EXT.supportedVersions) hello.version = x.u16be('selected_version');
    else if (e.type === EXT.keyShare) {
      hello.keyShareGroup = x.u16be('group');
      if (!hello.helloRetryRequest) readVector(x, 2, 'key_exchange', 1);
    } else if (e.type === EXT.alpn) {
      const list = readVector(x, 2, 'protocol_name_list', 2);
      hello.alpn = latin1(readVector(list, 1, 'protocol_name', 1).rest('protocol_name'));
      expectEnd(list, 'protocol_name_list (a server selects exactly one protocol)');
    } else continue;
    expectEnd(x, e.name);
  }
  if (hello.version < TLS_VERSION.TLS13) {
    const downgrade = downgradeSentinel(random);
    if (downgrade) hello.downgrade = downgrade;
  }
  return hello;
}
