// Handshake message framing (RFC 8446 §4, RFC 5246 §7.4): HandshakeType msg_type (1) | uint24 length |
// body. Messages may span records and records may hold several messages (RFC 5246 §6.2.1).
import { defineCodes, describeCode, type CodeTable } from '../codes/table.js';
import { ByteWriter } from '../wire/writer.js';
import { DecodeError } from '../wire/errors.js';
import { DEFAULT_LIMITS } from '../limits.js';

export const HANDSHAKE_TYPE: CodeTable = defineCodes({
  0: { name: 'hello_request', meaning: 'the server asks the client to renegotiate (TLS 1.2 and below)' },
  1: { name: 'client_hello', meaning: 'the client opens the handshake: versions, cipher suites, extensions' },
  2: { name: 'server_hello', meaning: 'the server picks the version, cipher suite and key share' },
  3: { name: 'hello_verify_request', meaning: 'DTLS cookie exchange' },
  4: { name: 'new_session_ticket', meaning: 'a resumption ticket from the server' },
  5: { name: 'end_of_early_data', meaning: 'the client ends its 0-RTT data (TLS 1.3)' },
  6: { name: 'hello_retry_request', meaning: 'draft TLS 1.3 HelloRetryRequest codepoint; RFC 8446 sends it as a server_hello' },
  8: { name: 'encrypted_extensions', meaning: 'the server extensions sent encrypted (TLS 1.3)' },
  9: { name: 'request_connection_id', meaning: 'DTLS 1.3 connection id request' },
  10: { name: 'new_connection_id', meaning: 'DTLS 1.3 new connection ids' },
  11: { name: 'certificate', meaning: 'the certificate chain' },
  12: { name: 'server_key_exchange', meaning: 'the server (EC)DHE parameters, signed (TLS 1.2 and below)' },
  13: { name: 'certificate_request', meaning: 'the server asks for a client certificate' },
  14: { name: 'server_hello_done', meaning: 'the server has sent its whole first flight (TLS 1.2 and below)' },
  15: { name: 'certificate_verify', meaning: 'proof of possession of the certificate private key' },
  16: { name: 'client_key_exchange', meaning: 'the client key exchange (TLS 1.2 and below)' },
  17: { name: 'client_certificate_request', meaning: 'client certificate request for TLS 1.3 extended key update' },
  20: { name: 'finished', meaning: 'MAC over the handshake transcript' },
  21: { name: 'certificate_url', meaning: 'client certificate by URL (RFC 6066)' },
  22: { name: 'certificate_status', meaning: 'stapled OCSP response (RFC 6066, TLS 1.2 and below)' },
  23: { name: 'supplemental_data', meaning: 'supplemental data (RFC 4680)' },
  24: { name: 'key_update', meaning: 'TLS 1.3 traffic key update' },
  25: { name: 'compressed_certificate', meaning: 'a compressed certificate message (RFC 8879)' },
  26: { name: 'ekt_key', meaning: 'EKT key (RFC 8870)' },
  254: { name: 'message_hash', meaning: 'synthetic transcript entry after a HelloRetryRequest (never on the wire)' },
});

export const HS = {
  clientHello: 1, serverHello: 2, newSessionTicket: 4, encryptedExtensions: 8, certificate: 11,
  serverKeyExchange: 12, certificateRequest: 13, serverHelloDone: 14, certificateVerify: 15,
  clientKeyExchange: 16, finished: 20,
} as const;

export const HANDSHAKE_HEADER_SIZE = 4;
/** Largest handshake message reassembled by default (limit handshake-message-bytes). */
export const DEFAULT_MAX_HANDSHAKE_MESSAGE = DEFAULT_LIMITS['handshake-message-bytes'];

export interface HandshakeMessage {
  type: number;
  name: string;
  body: Uint8Array;
  /** absolute stream offset of the 4-byte handshake header */
  offset: number;
  /** body length from the header */
  length: number;
}

export function handshakeTypeName(type: number): string {
  return describeCode(HANDSHAKE_TYPE, type).name;
}

/** A whole handshake message: header + body. */
export function encodeHandshake(type: number, body: Uint8Array): Uint8Array {
  return new ByteWriter(HANDSHAKE_HEADER_SIZE + body.length)
    .u8(type).u8(body.length >>> 16).u16be(body.length & 0xffff).bytes(body).finish();
}

/**
 * Joins handshake fragments that span records and splits records holding several messages. Feed it
 * the plaintext fragments of consecutive handshake records of one direction only (stop at
 * ChangeCipherSpec in TLS 1.2, after the ServerHello in TLS 1.3: what follows is encrypted).
 * Bounded: a message longer than maxMessage throws DecodeError LIMIT_EXCEEDED from its header, before
 * anything is buffered. After a DecodeError every later push throws it again.
 */
export class HandshakeReassembler {
  private readonly head = new Uint8Array(HANDSHAKE_HEADER_SIZE);
  private headLen = 0;
  private start = 0;
  private body: Uint8Array | undefined;
  private bodyLen = 0;
  private failed: DecodeError | undefined;

  constructor(private readonly maxMessage = DEFAULT_MAX_HANDSHAKE_MESSAGE) {}

  /** Bytes held for a message that is not complete yet. */
  get pending(): number {
    return this.headLen + this.bodyLen;
  }

  /** @param offset absolute stream offset of fragment[0] */
  push(fragment: Uint8Array, offset: number): HandshakeMessage[] {
    if (this.failed) throw this.failed;
    const out: HandshakeMessage[] = [];
    let i = 0;
    while (i < fragment.length) {
      if (this.body === undefined) {
        if (this.headLen === 0) this.start = offset + i;
        this.head[this.headLen++] = fragment[i++]!;
        if (this.headLen < HANDSHAKE_HEADER_SIZE) continue;
        const length = this.head[1]! * 0x10000 + ((this.head[2]! << 8) | this.head[3]!);
        if (length > this.maxMessage) {
          this.failed = new DecodeError({
            code: 'LIMIT_EXCEEDED', layer: 'tls', pdu: 'TLS handshake', field: 'length', offset: this.start + 1,
            reason: `${handshakeTypeName(this.head[0]!)} of ${length} bytes exceeds the ${this.maxMessage}-byte limit`,
          });
          throw this.failed;
        }
        this.body = new Uint8Array(length);
      }
      const n = Math.min(this.body.length - this.bodyLen, fragment.length - i);
      this.body.set(fragment.subarray(i, i + n), this.bodyLen);
      this.bodyLen += n;
      i += n;
      if (this.bodyLen === this.body.length) {
        const type = this.head[0]!;
        out.push({ type, name: handshakeTypeName(type), body: this.body, offset: this.start, length: this.body.length });
        this.body = undefined;
        this.bodyLen = 0;
        this.headLen = 0;
      }
    }
    return out;
  }
}
