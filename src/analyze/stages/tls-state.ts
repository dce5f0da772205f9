// Per-connection TLS record-layer state the TLS stage keeps between records (RFC 5246 §6.1,
// RFC 8446 §5): which side has switched to encrypted records and whether the handshake finished.
import { HandshakeReassembler } from '../../tls/handshake.js';
import { DEFAULT_LIMITS } from '../../limits.js';

export interface TlsDirState {
  /** this side's records are encrypted from here on (after its ChangeCipherSpec, or TLS 1.3 keys) */
  encrypted: boolean;
  /** an encrypted handshake record (Finished) was seen after the switch */
  finished: boolean;
  /** post-handshake records reported one by one so far (the rest are counted) */
  reported: number;
  /** records this side sent before the handshake completed (bounded: limit handshake-records) */
  handshakeRecords: number;
  hs: HandshakeReassembler;
  /** where recent handshake records began, so a message spanning records is placed at its first byte */
  origins: { offset: number; at: number; packet?: number }[];
}

export interface TlsState {
  c2s: TlsDirState;
  s2c: TlsDirState;
  /** negotiated version and suite, from the ServerHello */
  version?: number;
  cipherSuite?: number;
  tls13: boolean;
  complete: boolean;
}

/** `maxMessage`: the largest handshake message reassembled (limit handshake-message-bytes). */
export function newTlsState(maxMessage = DEFAULT_LIMITS['handshake-message-bytes']): TlsState {
  const dir = (): TlsDirState => ({ encrypted: false, finished: false, reported: 0, handshakeRecords: 0, hs: new HandshakeReassembler(maxMessage), origins: [] });
  return { c2s: dir(), s2c: dir(), tls13: false, complete: false };
}
