// Hostile servers (issue 8): servers that drip, stall, claim huge lengths, never end a handshake,
// reset the connection at each stage or answer with garbage. Each must end a probe within its
// timeouts and bounds, with the stage it reached. RSTs after the Connection Request, the ClientHello
// and the first TSRequest already exist (reset-after-request, tls-reset-after-hello,
// credssp-reset-after-request); the ones here cover the stages after them.
import { createHash } from 'node:crypto';
import type { Step } from './script.js';
import type { Scenario } from './scenarios.js';
import { selectBest } from './replies.js';
import { rdpOnly, sslFirst } from './scenarios-rdp.js';
import type { RdpFailure } from './rdp-responder.js';
import type { ConnectionRequest } from '../x224/connection-request.js';
import { CONTENT_TYPE, encodeTlsRecord } from '../tls/record.js';
import { encodeHandshake, HS } from '../tls/handshake.js';
import { encodeExtensions } from '../tls/extensions.js';
import { TLS_VERSION } from '../tls/versions.js';
import { ByteWriter, concatBytes } from '../wire/writer.js';

const request = { await: 'request' } as const;
const hello = { await: 'client-hello' } as const;
const confirm = { send: selectBest } as const;

/** 64 bytes that look random but are the same on every run (SHA-256 of a label and a counter), led by 0xa7: no TPKT, no TLS content type. */
const GARBAGE = concatBytes([0, 1].map((i) => new Uint8Array(createHash('sha256').update(`rdpscope hostile garbage ${i}`).digest())));
GARBAGE[0] = 0xa7;

/** A Confirm whose TPKT header claims 65535 bytes (RFC 1006 §6: the largest TPKT): 19 arrive, the rest never does. */
function hugeTpkt(req: ConnectionRequest): Uint8Array {
  const cc = selectBest(req);
  cc[2] = 0xff;
  cc[3] = 0xff;
  return cc;
}

/** TLS 1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, which the probe offers by default (RFC 5289 §3.2). */
const ECDHE_RSA_AES128_GCM = 0xc02f;
/** renegotiation_info (RFC 5746 §3.6): OpenSSL 3 clients refuse a server without it */
const RENEGOTIATION_INFO = 0xff01;

/**
 * A TLS 1.2 ServerHello record (RFC 5246 §7.4.1.3): a fixed random (its last 8 bytes are not the
 * RFC 8446 §4.1.3 downgrade sentinel), no session id, ECDHE-RSA-AES128-GCM-SHA256, no compression,
 * an empty renegotiation_info.
 */
function serverHello12(): Uint8Array {
  const random = new Uint8Array(createHash('sha256').update('rdpscope hostile server random').digest());
  const extensions = encodeExtensions([{ type: RENEGOTIATION_INFO, data: Uint8Array.of(0) }]);
  const body = new ByteWriter(2 + 32 + 1 + 2 + 1 + extensions.length)
    .u16be(TLS_VERSION.TLS12).bytes(random).u8(0).u16be(ECDHE_RSA_AES128_GCM).u8(0).bytes(extensions).finish();
  return encodeTlsRecord(CONTENT_TYPE.handshake, TLS_VERSION.TLS12, encodeHandshake(HS.serverHello, body));
}

/** A record header claiming 65535 bytes (RFC 8446 §5.1 allows 2^14 + 256), then 16 bytes of it. */
const HUGE_TLS_RECORD = concatBytes([Uint8Array.of(CONTENT_TYPE.handshake, 3, 3, 0xff, 0xff), new Uint8Array(16)]);
/** A ServerHello whose handshake header claims 16 MiB - 1 (uint24 0xffffff), with 40 bytes of it. */
const HUGE_TLS_MESSAGE = encodeTlsRecord(CONTENT_TYPE.handshake, TLS_VERSION.TLS12,
  concatBytes([Uint8Array.of(HS.serverHello, 0xff, 0xff, 0xff), new Uint8Array(40)]));
/** The header of a 64 KiB Certificate message, under OpenSSL's 100 KiB limit: the client waits for the body. */
const CERTIFICATE_HEADER = encodeTlsRecord(CONTENT_TYPE.handshake, TLS_VERSION.TLS12, Uint8Array.of(HS.certificate, 0x01, 0x00, 0x00));
/** 64 handshake records of one body byte each (RFC 5246 §6.2.1 lets a message span any number of records). */
const ONE_BYTE_RECORDS = concatBytes(Array.from({ length: 64 }, () => encodeTlsRecord(CONTENT_TYPE.handshake, TLS_VERSION.TLS12, Uint8Array.of(0))));
/** A TSRequest (DER SEQUENCE) whose 4 length octets claim 4 GiB - 1 ([MS-CSSP] 2.2.1; X.690 §8.1.3.5), then 26 bytes. */
const HUGE_DER = concatBytes([Uint8Array.of(0x30, 0x84, 0xff, 0xff, 0xff, 0xff), new Uint8Array(26)]);

function hostile(name: string, row: number | null, describe: string, behaviour: readonly Step[]): Scenario {
  return { name: `hostile-${name}`, row, describe, behaviour };
}

type ResetPoint = Extract<RdpFailure, { reset: unknown }>['reset'];

/** An RST at one point of the MCS phase; the Security Exchange needs Standard RDP Security, the rest go through SSL. */
function reset(point: ResetPoint, row: number | null, what: string): Scenario {
  const rdp = point === 'after-security-exchange';
  return hostile(`rst-${point}`, row,
    `${rdp ? 'selects PROTOCOL_RDP whatever was requested (probe with --protocols RDP)' : 'selects SSL when offered (TLS, no NLA)'}; plays the sequence normally, then resets (RST) ${what}`,
    [request, { send: rdp ? rdpOnly : sslFirst }, { rdp: { behaviour: { failure: { reset: point } } } }]);
}

export const HOSTILE_SCENARIOS: readonly Scenario[] = [
  hostile('slow-drip', 34, 'sends a correct Confirm one byte per second (19 s for 19 bytes), then the connection sequence as in ok', [request, { send: selectBest, byteEveryMs: 1000 }, { rdp: {} }]),
  hostile('huge-tpkt', 34, 'answers with a Confirm whose TPKT length says 65535, sends its 19 bytes and stalls, stays open', [request, { send: hugeTpkt }]),
  hostile('huge-tls', null, 'selects a TLS protocol, then answers the ClientHello with a TLS record header claiming 65535 bytes (more than TLS allows) and 16 bytes, stays open', [request, confirm, hello, { send: HUGE_TLS_RECORD }]),
  hostile('huge-tls-handshake', null, 'selects a TLS protocol, then answers the ClientHello with a ServerHello whose handshake length says 16 MiB, and 40 bytes of it, stays open', [request, confirm, hello, { send: HUGE_TLS_MESSAGE }]),
  hostile('huge-der', null, 'completes TLS, then answers the NTLM NEGOTIATE with a TSRequest whose DER length claims 4 GiB (0x84 ff ff ff ff), and 26 bytes, stays open', [request, confirm, { tls: { cert: 'ok', credssp: { raw: HUGE_DER } } }]),
  hostile('endless-tls', null, 'selects a TLS protocol, answers the ClientHello with a TLS 1.2 ServerHello and the header of a 64 KiB Certificate, then sends its body in one-byte handshake records, 64 every 5 ms, forever', [request, confirm, hello, { send: concatBytes([serverHello12(), CERTIFICATE_HEADER]) }, { repeat: ONE_BYTE_RECORDS, everyMs: 5 }]),
  hostile('endless-credssp', null, 'completes NLA for the scenario account; after the client\'s TSCredentials sends, instead of the Early User Authorization Result (HYBRID_EX), a TSRequest with a SPNEGO accept-incomplete negoToken every 10 ms, forever', [request, confirm, { tls: { cert: 'ok', credssp: 'endless' } }]),
  hostile('zero-window', 6, 'accepts TCP, never reads (its receive window fills) and never answers', [{ stopReading: true }]),
  reset('after-connect-initial', 26, 'after the MCS Connect Initial'),
  reset('after-attach-user', null, 'after the Erect Domain and Attach User Requests, instead of the Attach User Confirm'),
  reset('after-security-exchange', 30, 'after the client\'s Security Exchange PDU'),
  reset('after-client-info', 29, 'after the Client Info PDU'),
  reset('during-licensing', null, 'after the client\'s answer to its License Request'),
  hostile('garbage-after-confirm', 11, 'sends a valid Confirm selecting a TLS protocol, then 64 bytes of garbage, stays open', [request, confirm, { send: GARBAGE }]),
  hostile('garbage-after-server-hello', null, 'answers the ClientHello with a valid TLS 1.2 ServerHello, then 64 bytes of garbage, stays open', [request, confirm, hello, { send: concatBytes([serverHello12(), GARBAGE]) }]),
];
