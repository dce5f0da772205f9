// Offline TLS decryption of one RDP connection, sans-IO: it takes the connection's wire-lane data
// inputs (both directions, capture order) and returns what the live probe feeds the tracker from its
// TLS socket ([MS-RDPBCGR] 5.4.5.1: TLS starts after the X.224 exchange): each record's plaintext on
// the inner lane and, once the handshake is decrypted, a tls-session. Keys come from an NSS key log
// (TLS 1.2 master secret, TLS 1.3 traffic secrets) or, for RSA key transport, a server's private key;
// the tls-session's source says which (`key-log`, `server-key`).
import type { KeyObject } from 'node:crypto';
import type { Dir, TrackerInput } from '../../analyze/input.js';
import { resolveLimits, type Limits } from '../../limits.js';
import { DecodeError } from '../../wire/errors.js';
import { toHex } from '../../wire/hex.js';
import { concatBytes } from '../../wire/writer.js';
import { decodeCertificateMessage } from '../certificate.js';
import { cipherSuiteName } from '../cipher-suites.js';
import { decodeClientHello } from '../client-hello.js';
import { encodeHandshake, HandshakeReassembler, HS, type HandshakeMessage } from '../handshake.js';
import { CONTENT_TYPE, findTlsRecordSize } from '../record.js';
import { decodeServerHello } from '../server-hello.js';
import { OPENSSL_VERSION_NAME, TLS_VERSION } from '../versions.js';
import { findTpktSize } from '../../x224/tpkt.js';
import { nextTrafficSecret, trafficKeys } from './key-schedule13.js';
import type { ConnectionSecrets, KeyLog } from './keylog.js';
import { keyBlock, masterSecret, sessionHash } from './prf.js';
import { aead12Cipher, cbcCipher, suiteProtection, tls13Cipher, type RecordCipher, type SuiteProtection } from './record-protection.js';
import { decryptPreMaster, encryptedPreMaster } from './rsa-premaster.js';

export interface DecryptionKeys {
  keyLog: KeyLog;
  /** servers' RSA private keys, for TLS ≤ 1.2 RSA key transport (RFC 5246 §7.4.7.1) */
  serverKeys: readonly KeyObject[];
}

/** A reason decryption of (part of) the connection stopped or never started. */
export interface DecryptIssue {
  packet?: number;
  reason: string;
}

export interface DecryptResult {
  inputs: TrackerInput[];
  issues: DecryptIssue[];
}

/** RFC 7366 encrypt_then_mac, RFC 7627 extended_master_secret (IANA ExtensionType). */
const EXT_ENCRYPT_THEN_MAC = 22;
const EXT_EXTENDED_MASTER_SECRET = 23;
const KEY_UPDATE = 24;
// Bounds (src/limits.ts), from the constructor's limits: certificates kept per chain (cert-chain, as
// the TLS stage does), the largest handshake message (handshake-message-bytes), and the handshake
// bytes kept for the RFC 7627 session hash (transcript-bytes; only with server keys; real handshakes
// are far smaller).

const Phase = { PreTls: 0, Tls: 1, Off: 2 } as const;
type Phase = (typeof Phase)[keyof typeof Phase];

interface Side {
  phase: Phase;
  /** bytes of the TPKT or TLS record not complete yet (at most 64 KiB) */
  buf: Uint8Array;
  hs: HandshakeReassembler;
  cipher: RecordCipher | undefined;
  /** TLS ≤ 1.2: keys waiting for this side's ChangeCipherSpec */
  pending: RecordCipher | undefined;
  /** this side's records are encrypted and cannot be read */
  blind: boolean;
  finished: boolean;
  /** TLS 1.3 application traffic secret, for KeyUpdate */
  secret: Uint8Array | undefined;
}

type Where = { at: number; packet?: number };

export class ConnectionDecryptor {
  private readonly sides: Record<Dir, Side>;
  private clientRandom: Uint8Array | undefined;
  private serverRandom: Uint8Array | undefined;
  private version = 0;
  private suiteId = 0;
  private suite: SuiteProtection | undefined;
  private tls13 = false;
  private etmOffered = false;
  private etm = false;
  private emsOffered = false;
  private ems = false;
  private secrets: ConnectionSecrets | undefined;
  /** the master secret came from the ClientKeyExchange with a server key, not from the key log */
  private viaServerKey = false;
  private chain: Uint8Array[] = [];
  /** the tls-session went out */
  private sessionSent = false;
  /** handshake messages so far, for the extended master secret with a server key; undefined when not kept */
  private transcript: Uint8Array[] | undefined;
  private transcriptBytes = 0;
  private out: DecryptResult = { inputs: [], issues: [] };

  private readonly limits: Limits;

  constructor(private readonly keys: DecryptionKeys, limits?: Partial<Limits>) {
    this.limits = resolveLimits(limits);
    const side = (): Side => ({
      phase: Phase.PreTls, buf: new Uint8Array(0), hs: new HandshakeReassembler(this.limits['handshake-message-bytes']), cipher: undefined, pending: undefined,
      blind: false, finished: false, secret: undefined,
    });
    this.sides = { c2s: side(), s2c: side() };
    if (keys.serverKeys.length) this.transcript = [];
  }

  /** Any tracker input of the connection; wire-lane data yields the plaintext inputs, a gap stops that direction. */
  push(input: TrackerInput): DecryptResult {
    const out: DecryptResult = (this.out = { inputs: [], issues: [] });
    if (input.kind === 'gap') this.sides[input.dir].phase = Phase.Off;
    if (input.kind !== 'data' || input.lane !== 'wire') return out;
    const w: Where = input.packet === undefined ? { at: input.at } : { at: input.at, packet: input.packet };
    try {
      this.data(input.dir, input.bytes, w);
    } catch (e) {
      // a bug here must not stop the analysis: decryption of this direction ends with a note
      this.sides[input.dir].phase = Phase.Off;
      this.issue(w, `decryption stopped (${input.dir}): internal error: ${(e as Error).message}`);
    }
    return out;
  }

  private issue(w: Where, reason: string): void {
    this.out.issues.push(w.packet === undefined ? { reason } : { packet: w.packet, reason });
  }

  /** Frames TPKTs (skipped: X.224 before TLS) and then TLS records; holds at most one incomplete unit. */
  private data(dir: Dir, bytes: Uint8Array, w: Where): void {
    const s = this.sides[dir];
    // record() may turn the side off: read the phase afresh on every pass
    const on = (): boolean => s.phase !== Phase.Off;
    if (!on()) return;
    let buf = s.buf.length ? concatBytes([s.buf, bytes]) : bytes;
    while (buf.length > 0 && on()) {
      if (s.phase === Phase.PreTls && buf[0] === CONTENT_TYPE.handshake) s.phase = Phase.Tls;
      let size: number | undefined;
      try {
        size = s.phase === Phase.PreTls ? findTpktSize(buf) : findTlsRecordSize(buf);
      } catch (e) {
        if (!(e instanceof DecodeError)) throw e;
        // before TLS: neither X.224 nor TLS (Standard RDP Security, or not RDP); in TLS: the tracker reports the framing error itself
        s.phase = Phase.Off;
        break;
      }
      if (size === undefined || buf.length < size) break;
      if (s.phase === Phase.Tls) this.record(dir, buf.subarray(0, size), w);
      buf = buf.subarray(size);
    }
    s.buf = on() ? buf.slice() : new Uint8Array(0);
  }

  private record(dir: Dir, rec: Uint8Array, w: Where): void {
    const s = this.sides[dir];
    const type = rec[0]!;
    const version = (rec[1]! << 8) | rec[2]!;
    const fragment = rec.subarray(5);
    if (type === CONTENT_TYPE.changeCipherSpec) {
      // TLS 1.3 keeps a dummy ChangeCipherSpec (RFC 8446 §D.4); in TLS ≤ 1.2 it switches keys (RFC 5246 §7.1)
      if (!this.tls13 && this.version) {
        s.cipher = s.pending;
        s.pending = undefined;
        s.blind = !s.cipher;
      }
      return;
    }
    let content = type;
    let plain = fragment;
    if (s.cipher) {
      const opened = s.cipher.open(type, version, fragment);
      if (typeof opened === 'string') {
        s.cipher = undefined;
        s.blind = true;
        this.issue(w, `${dir === 'c2s' ? 'client' : 'server'} ${opened}: the keys do not fit this connection, its TLS stays encrypted from here`);
        return;
      }
      content = opened.type;
      plain = opened.plaintext;
    } else if (s.blind || type === CONTENT_TYPE.applicationData) return;
    try {
      if (content === CONTENT_TYPE.handshake) {
        for (const msg of s.hs.push(plain, 0)) this.handshake(dir, msg, w);
      } else if (content === CONTENT_TYPE.applicationData && plain.length > 0) {
        this.out.inputs.push({ kind: 'data', dir, lane: 'inner', bytes: plain.slice(), ...w });
      }
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      s.phase = Phase.Off;
      // messages in the clear are the tracker's to report; decrypted ones only show here
      if (s.cipher) this.issue(w, `decrypted ${dir === 'c2s' ? 'client' : 'server'} handshake: ${e.message}; decryption of this direction stopped`);
    }
  }

  private handshake(dir: Dir, msg: HandshakeMessage, w: Where): void {
    const s = this.sides[dir];
    if (this.transcript && !this.tls13 && msg.type !== HS.finished) this.keep(msg);
    if (dir === 'c2s' && msg.type === HS.clientHello) {
      const ch = decodeClientHello(msg.body);
      this.clientRandom = ch.random;
      this.etmOffered = ch.extensions.some((e) => e.type === EXT_ENCRYPT_THEN_MAC);
      this.emsOffered = ch.extensions.some((e) => e.type === EXT_EXTENDED_MASTER_SECRET);
    } else if (dir === 's2c' && msg.type === HS.serverHello) {
      const sh = decodeServerHello(msg.body);
      if (sh.version >= TLS_VERSION.TLS13) this.tls13 = true;
      if (sh.helloRetryRequest) return; // the second ClientHello follows in the clear (RFC 8446 §4.1.4)
      this.version = sh.version;
      this.serverRandom = sh.random;
      this.suiteId = sh.cipherSuite;
      this.etm = this.etmOffered && sh.extensions.some((e) => e.type === EXT_ENCRYPT_THEN_MAC);
      this.ems = this.emsOffered && sh.extensions.some((e) => e.type === EXT_EXTENDED_MASTER_SECRET);
      this.keysAfterServerHello(w);
    } else if (dir === 's2c' && msg.type === HS.certificate) {
      this.chain = decodeCertificateMessage(msg.body, 0, this.tls13).certificates.slice(0, this.limits['cert-chain']).map((c) => c.der.slice());
    } else if (dir === 'c2s' && msg.type === HS.clientKeyExchange && !this.tls13 && this.suite?.rsaKeyExchange && !this.secrets?.CLIENT_RANDOM) {
      this.rsaKeyExchange(msg, w);
    } else if (msg.type === HS.finished && s.cipher) {
      s.finished = true;
      if (this.tls13) this.trafficSecret(dir, dir === 'c2s' ? 'CLIENT_TRAFFIC_SECRET_0' : 'SERVER_TRAFFIC_SECRET_0', w);
      const done = this.tls13 ? dir === 'c2s' : this.sides.c2s.finished && this.sides.s2c.finished;
      if (done && !this.sessionSent) this.session(w);
    } else if (msg.type === KEY_UPDATE && this.tls13 && s.secret && this.suite) {
      // RFC 8446 §4.6.3: the sender's next records use the next application traffic secret
      s.secret = nextTrafficSecret(this.suite.hash, s.secret);
      s.cipher = this.cipher13(s.secret);
    }
  }

  /** The version and suite are known: TLS 1.3 switches to the handshake secrets; TLS ≤ 1.2 derives its keys if it can. */
  private keysAfterServerHello(w: Where): void {
    const suite = suiteProtection(this.suiteId);
    const random = this.clientRandom ? toHex(this.clientRandom, '') : 'unknown (no ClientHello seen)';
    if (typeof suite === 'string') return this.blindBoth(w, `${suite}: this connection's TLS stays encrypted`);
    this.suite = suite;
    this.secrets = this.clientRandom && this.keys.keyLog.lookup(this.clientRandom);
    if (this.tls13) {
      if (!this.secrets) return this.blindBoth(w, `no key log entry for client random ${random}: this connection's TLS stays encrypted`);
      this.trafficSecret('s2c', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', w);
      this.trafficSecret('c2s', 'CLIENT_HANDSHAKE_TRAFFIC_SECRET', w);
      return;
    }
    const master = this.secrets?.CLIENT_RANDOM;
    if (master) return this.derive12(master);
    // RSA key transport with a server key: the master secret follows from the ClientKeyExchange
    if (suite.rsaKeyExchange && this.keys.serverKeys.length) return;
    const rsa = suite.rsaKeyExchange ? '' : ` (${cipherSuiteName(this.suiteId)} has no RSA key transport: a server key cannot decrypt it)`;
    this.issue(w, `no key log entry (CLIENT_RANDOM) for client random ${random}${this.keys.serverKeys.length ? rsa : ''}: this connection's TLS stays encrypted`);
  }

  private blindBoth(w: Where, reason: string): void {
    this.sides.c2s.blind = this.sides.s2c.blind = true;
    this.issue(w, reason);
  }

  /** TLS 1.3: this side's records from here on are protected with the key log's secret of that label. */
  private trafficSecret(dir: Dir, label: 'CLIENT_HANDSHAKE_TRAFFIC_SECRET' | 'SERVER_HANDSHAKE_TRAFFIC_SECRET' | 'CLIENT_TRAFFIC_SECRET_0' | 'SERVER_TRAFFIC_SECRET_0', w: Where): void {
    const s = this.sides[dir];
    const secret = this.secrets?.[label];
    if (!secret) {
      s.cipher = undefined;
      s.blind = true;
      this.issue(w, `the key log has no ${label} for client random ${toHex(this.clientRandom!, '')}: ${dir === 'c2s' ? 'client' : 'server'} records stay encrypted`);
      return;
    }
    s.secret = secret;
    s.cipher = this.cipher13(secret);
  }

  private cipher13(secret: Uint8Array): RecordCipher {
    const p = this.suite!.protection;
    const { key, iv } = trafficKeys(this.suite!.hash, secret, p.keyLength);
    if (p.kind !== 'aead') throw new Error('TLS 1.3 suite without an AEAD');
    return tls13Cipher(p.cipher, key, iv);
  }

  /** RFC 5246 §6.3: the key block, split into MAC keys, write keys and IVs; both sides wait for their ChangeCipherSpec. */
  private derive12(master: Uint8Array): void {
    const { protection: p, hash } = this.suite!;
    const macLength = p.kind === 'cbc' ? p.macLength : 0;
    const ivLength = p.kind === 'aead' ? p.fixedIvLength : this.version >= TLS_VERSION.TLS11 ? 0 : p.blockSize;
    const block = keyBlock(this.version, hash, master, this.clientRandom!, this.serverRandom!, 2 * (macLength + p.keyLength + ivLength));
    let off = 0;
    const take = (n: number): Uint8Array => block.subarray(off, (off += n));
    const mac = { c2s: take(macLength), s2c: take(macLength) };
    const key = { c2s: take(p.keyLength), s2c: take(p.keyLength) };
    const iv = { c2s: take(ivLength), s2c: take(ivLength) };
    for (const dir of ['c2s', 's2c'] as const) {
      this.sides[dir].pending = p.kind === 'aead'
        ? aead12Cipher(p.cipher, key[dir], iv[dir])
        : cbcCipher(p, key[dir], mac[dir], this.version, iv[dir], this.etm);
    }
  }

  /** RSA key transport: the pre-master secret from the ClientKeyExchange with a server key, then the master secret. */
  private rsaKeyExchange(msg: HandshakeMessage, w: Where): void {
    const pre = decryptPreMaster(encryptedPreMaster(msg.body, this.version), this.keys.serverKeys);
    if (!pre) {
      this.issue(w, 'the ClientKeyExchange does not decrypt with the given server key (--server-key): the capture is of another server, its TLS stays encrypted');
      return;
    }
    if (this.ems && !this.transcript) {
      this.issue(w, `the handshake is longer than ${this.limits['transcript-bytes']} bytes (limit transcript-bytes): no extended master secret, its TLS stays encrypted`);
      return;
    }
    const { hash } = this.suite!;
    const seed = this.ems
      ? { sessionHash: sessionHash(this.version, hash, concatBytes(this.transcript!)) }
      : { clientRandom: this.clientRandom!, serverRandom: this.serverRandom! };
    this.derive12(masterSecret(this.version, hash, pre, seed));
    this.viaServerKey = true;
  }

  /** Handshake messages up to the ClientKeyExchange, for the RFC 7627 session hash. */
  private keep(msg: HandshakeMessage): void {
    this.transcriptBytes += msg.length + 4;
    if (this.transcriptBytes > this.limits['transcript-bytes']) this.transcript = undefined;
    else this.transcript!.push(encodeHandshake(msg.type, msg.body));
  }

  /** What the live probe's TLS library reports once the handshake completed; `source` says which key opened it. */
  private session(w: Where): void {
    this.sessionSent = true;
    this.out.inputs.push({
      kind: 'tls-session', source: this.viaServerKey ? 'server-key' : 'key-log', chain: this.chain,
      ...(OPENSSL_VERSION_NAME[this.version] ? { protocol: OPENSSL_VERSION_NAME[this.version] } : {}),
      cipher: cipherSuiteName(this.suiteId), ...w,
    });
  }
}
