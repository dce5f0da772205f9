// TLS over the probe's own TCP socket with both byte streams tapped ([MS-RDPBCGR] 5.4.5.1: TLS
// starts on the X.224 connection). The tap sees the raw records (wire lane); the TLS socket yields
// the plaintext (inner lane). node:tls accepts any Duplex as its transport.
import { Duplex } from 'node:stream';
import type { Socket } from 'node:net';
import tls from 'node:tls';
import type { TlsClientOptions } from './client-script.js';

/** Permissive by default: a diagnostic client must reach weak servers to report on them. */
const PROBE_CIPHERS = 'ALL:@SECLEVEL=0';

export class TlsTap extends Duplex {
  constructor(private readonly raw: Socket, private readonly onWrite: (bytes: Uint8Array) => void) {
    super();
  }

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null) => void): void {
    this.onWrite(new Uint8Array(chunk));
    this.raw.write(chunk, cb);
  }

  override _read(): void { /* bytes are pushed by the raw socket's data handler */ }

  override _final(cb: () => void): void {
    this.raw.end();
    cb();
  }
}

/** What the TLS library reports once the handshake is done. */
export interface TlsSessionInfo {
  chain: Uint8Array[];
  protocol?: string;
  cipher?: string;
  group?: string;
}

/** The peer's certificate chain as sent (leaf first), from node's linked issuer objects. */
function peerChain(s: tls.TLSSocket): Uint8Array[] {
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  let c: tls.DetailedPeerCertificate | undefined = s.getPeerCertificate(true);
  while (c?.raw && !seen.has(c.fingerprint256) && out.length < 16) {
    seen.add(c.fingerprint256);
    out.push(new Uint8Array(c.raw));
    c = c.issuerCertificate;
  }
  return out;
}

export function sessionInfo(s: tls.TLSSocket): TlsSessionInfo {
  const info: TlsSessionInfo = { chain: peerChain(s) };
  const protocol = s.getProtocol();
  if (protocol) info.protocol = protocol;
  const cipher = s.getCipher() as (tls.CipherNameAndProtocol & { standardName?: string }) | undefined;
  if (cipher) info.cipher = cipher.standardName ?? cipher.name;
  const key = s.getEphemeralKeyInfo();
  if (key && 'name' in key && key.name) info.group = key.name;
  return info;
}

/** `keylog` receives each NSS key log line of the session (node's 'keylog' event), e.g. to decrypt a capture of it later. */
export function startTls(tap: TlsTap, o: TlsClientOptions, keylog?: (line: Buffer) => void): tls.TLSSocket {
  const s = tls.connect({
    socket: tap,
    rejectUnauthorized: false, // rdpscope checks the certificate itself and reports what it finds
    ciphers: o.ciphers ?? PROBE_CIPHERS,
    minVersion: o.minVersion ?? 'TLSv1',
    ...(o.maxVersion ? { maxVersion: o.maxVersion } : {}),
    ...(o.servername ? { servername: o.servername } : {}),
  });
  if (keylog) s.on('keylog', keylog);
  return s;
}
