// --enumerate-tls: which TLS versions and cipher suites the server accepts, each attempt preceded
// by the X.224 exchange, with ClientHellos rdpscope builds itself (so the local OpenSSL does not
// limit what is tested). Suites are found by offering all, removing the one chosen, and repeating;
// the order of choices is the server's preference when it enforces one.
import { randomBytes } from 'node:crypto';
import { buildClientHello } from '../tls/client-hello.js';
import { suitesFor, cipherSuite } from '../tls/cipher-suites.js';
import { TLS_VERSION, versionName } from '../tls/versions.js';
import { groupName } from '../tls/groups.js';
import type { Alert } from '../tls/alert.js';
import type { ServerHello } from '../tls/server-hello.js';
import { TLS_PDU } from '../analyze/stages/tls.js';
import { CONNECTION_CONFIRM_NAME, type ConnectionConfirm } from '../x224/connection-confirm.js';
import { describeFailureCode, protocolName } from '../x224/codes.js';
import { probe, type ProbeOptions, type ProbeResult } from './live.js';

/** Groups offered in every ClientHello: what Schannel, OpenSSL and NSS accept. */
const GROUPS = [29, 23, 24, 25, 30, 256, 257, 258];
/** Signature schemes offered for TLS ≥ 1.2 (RFC 8446 §4.2.3), SHA-1 last. */
const SIGALGS = [0x0403, 0x0503, 0x0603, 0x0807, 0x0808, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0303, 0x0203, 0x0201];
/** Upper bound on attempts per version: one per suite in the table, plus the final refusal. */
export const MAX_ATTEMPTS_PER_VERSION = 400;

export const ENUMERATED_VERSIONS = [TLS_VERSION.SSL3, TLS_VERSION.TLS10, TLS_VERSION.TLS11, TLS_VERSION.TLS12, TLS_VERSION.TLS13] as const;

export type AttemptOutcome = 'server-hello' | 'alert' | 'closed' | 'refused-before-tls' | 'no-answer' | 'not-tls';

export interface Attempt {
  outcome: AttemptOutcome;
  detail: string;
  serverHello?: ServerHello;
  alert?: Alert;
}

export interface VersionResult {
  version: string;
  raw: number;
  accepted: boolean;
  /** the answer to an offer of every suite at this version */
  answer: string;
  /** accepted suites in the order the server chose them */
  suites: { id: number; name: string; openssl?: string; bits: number; weak?: string; group?: string }[];
  /** true: the server enforces its own order; false: it follows the client's; undefined: not tested */
  serverPreference?: boolean;
}

export interface TlsEnumeration {
  versions: VersionResult[];
  /** set when the X.224 exchange refused TLS before any ClientHello could be sent */
  refusedBeforeTls?: string;
  connections: number;
  durationMs: number;
}

export type TlsEnumerationOptions = Omit<ProbeOptions, 'clientHello'> & {
  /** versions to test (default: SSL 3.0 to TLS 1.3) */
  versions?: readonly number[];
};

const KX_RANK: Record<string, number> = { TLS13: 0, ECDHE: 1, DHE: 2, ECDH: 3, DH: 4, RSA: 5 };

/** The order a modern client offers suites in: strong first, so a server following the client's order reads naturally. */
function clientOrder(ids: readonly number[]): number[] {
  const rank = (id: number): number[] => {
    const c = cipherSuite(id);
    if (!c) return [9, 9, 0];
    return [c.weak ? 1 : 0, KX_RANK[c.kx] ?? 6, c.mac === 'AEAD' ? 0 : 1, -c.bits];
  };
  return [...ids].sort((a, b) => {
    const x = rank(a);
    const y = rank(b);
    for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
    return a - b;
  });
}

function hello(version: number, suites: number[], servername: string | undefined): Uint8Array {
  return buildClientHello({
    version, cipherSuites: suites, groups: GROUPS, signatureAlgorithms: SIGALGS, random: randomBytes(32),
    ...(servername ? { serverName: servername } : {}),
    ...(version >= TLS_VERSION.TLS13 ? { keyShares: [{ group: 29, key: randomBytes(32) }] } : {}),
  });
}

/** What one raw attempt got back, read from the tracker's events. */
function readAttempt(r: ProbeResult): Attempt {
  const ev = r.events;
  const cc = ev.find((e) => e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME);
  if (!cc || cc.type !== 'pdu') return { outcome: 'refused-before-tls', detail: r.verdict.summary };
  const neg = (cc.value as ConnectionConfirm).negotiation;
  if (neg?.type === 'failure') return { outcome: 'refused-before-tls', detail: `RDP_NEG_FAILURE ${describeFailureCode(neg.failureCode).name}` };
  if (!neg || neg.selectedProtocol === 0) return { outcome: 'refused-before-tls', detail: `the server selected ${neg ? protocolName(0) : 'Standard RDP Security (legacy Confirm)'}: no TLS` };
  for (const e of ev) {
    if (e.type !== 'pdu' || e.dir !== 's2c') continue;
    if (e.name === TLS_PDU.serverHello || e.name === TLS_PDU.helloRetry) {
      const sh = e.value as ServerHello;
      return { outcome: 'server-hello', detail: `${versionName(sh.version)} ${cipherSuite(sh.cipherSuite)?.name ?? sh.cipherSuite}`, serverHello: sh };
    }
    if (e.name === TLS_PDU.alert) {
      const a = e.value as Alert;
      return { outcome: 'alert', detail: `alert ${a.name} (${a.description})`, alert: a };
    }
  }
  if (ev.some((e) => e.type === 'decode-error' && e.dir === 's2c')) return { outcome: 'not-tls', detail: r.verdict.summary };
  const close = ev.find((e) => e.type === 'closed' && e.dir === 's2c');
  if (close && close.type === 'closed') return { outcome: 'closed', detail: `server ${close.how === 'rst' ? 'reset' : 'closed'} the connection without an alert` };
  return { outcome: 'no-answer', detail: 'no answer before the timeout' };
}

export async function enumerateTls(base: TlsEnumerationOptions): Promise<TlsEnumeration> {
  const started = performance.now();
  let connections = 0;
  const servername = base.tls?.servername;
  const attempt = async (version: number, suites: number[]): Promise<Attempt> => {
    const r = await probe({ ...base, clientHello: hello(version, suites, servername) });
    connections += r.connections;
    return readAttempt(r);
  };
  const out: TlsEnumeration = { versions: [], connections: 0, durationMs: 0 };
  for (const version of base.versions ?? ENUMERATED_VERSIONS) {
    const all = clientOrder(suitesFor(version));
    const first = await attempt(version, all);
    if (first.outcome === 'refused-before-tls') {
      out.refusedBeforeTls = first.detail;
      break;
    }
    const sh = first.serverHello;
    const accepted = first.outcome === 'server-hello' && sh !== undefined && sh.version === version;
    const v: VersionResult = {
      version: versionName(version), raw: version, accepted, suites: [],
      answer: first.outcome === 'server-hello' && !accepted ? `answered with ${first.detail} instead` : first.detail,
    };
    out.versions.push(v);
    if (!accepted || !sh) continue;
    let remaining = all.filter((id) => id !== sh.cipherSuite);
    let chosen: Attempt = first;
    for (let i = 0; chosen.serverHello && chosen.serverHello.version === version && i < MAX_ATTEMPTS_PER_VERSION; i++) {
      const id = chosen.serverHello.cipherSuite;
      const info = cipherSuite(id);
      const group = chosen.serverHello.keyShareGroup;
      v.suites.push({
        id, name: info?.name ?? `unknown (0x${id.toString(16).padStart(4, '0')})`, bits: info?.bits ?? 0,
        ...(info?.openssl ? { openssl: info.openssl } : {}), ...(info?.weak ? { weak: info.weak } : {}),
        ...(group !== undefined ? { group: groupName(group) } : {}),
      });
      remaining = remaining.filter((x) => x !== id);
      if (remaining.length === 0) break;
      chosen = await attempt(version, remaining);
    }
    if (v.suites.length >= 2) {
      // offer the first two choices in reverse: a server that enforces its order still picks the first
      const [a, b] = v.suites;
      const check = await attempt(version, [b!.id, a!.id]);
      v.serverPreference = check.serverHello?.cipherSuite === a!.id;
    }
  }
  out.connections = connections;
  out.durationMs = performance.now() - started;
  return out;
}
