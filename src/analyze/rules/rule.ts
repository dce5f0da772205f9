// A rule looks at the facts and, when its signature matches, returns the diagnosis.
import { cipherSuite } from '../../tls/cipher-suites.js';
import { TLS_VERSION } from '../../tls/versions.js';
import { toHex } from '../../wire/hex.js';
import type { TrackerEvent } from '../events.js';
import type { Facts } from '../facts.js';
import type { StageName } from '../stages.js';
import type { ClientShows, EndedBy, Evidence, Finding, Verdict } from '../verdict.js';

export interface RuleResult {
  status: Verdict['status'];
  summary: string;
  failedStage?: StageName;
  /** failure-catalogue row */
  row?: number;
  cause?: string;
  evidence: Evidence[];
  endedBy?: EndedBy;
  /** overrides the catalogue's client-visible code */
  clientShows?: ClientShows;
  /** specific steps, shown before the catalogue row's general remedy */
  remedy?: string[];
  findings?: Finding[];
}

export type Rule = (f: Facts) => RuleResult | undefined;

type Located = Pick<TrackerEvent, 'at' | 'packet'> & { dir?: Evidence['dir']; offset?: number };

/** Evidence pinned to an event's packet, direction, offset and time. */
export function evidence(basis: Evidence['basis'], text: string, e?: Located, bytes?: string): Evidence {
  const ev: Evidence = { basis, text };
  if (e?.packet !== undefined) ev.packet = e.packet;
  if (e?.dir !== undefined) ev.dir = e.dir;
  if (e?.offset !== undefined) ev.offset = e.offset;
  if (e?.at !== undefined) ev.at = e.at;
  if (bytes !== undefined) ev.bytes = bytes;
  return ev;
}

/** Evidence pinned to a PDU (any event with its first bytes), with those bytes. */
export function pduEvidence(basis: Evidence['basis'], text: string, e: Located & { head: string }): Evidence {
  return evidence(basis, text, e, e.head);
}

/** Evidence pinned to a decode error: at the failing byte (the error's offset), with the PDU's first bytes. */
export function errorEvidence(basis: Evidence['basis'], text: string, e: Extract<TrackerEvent, { type: 'decode-error' }>): Evidence {
  return evidence(basis, text, { at: e.at, packet: e.packet, dir: e.dir, offset: e.error.offset }, e.head);
}

/**
 * The keys that would show what a capture without TLS plaintext only lets us infer: the key log
 * line of this connection's client random (enough of it to find the line), or for RSA key
 * exchange the server's private key (`rdpscope analyze --keylog` / `--server-key`).
 */
export function keysFor(f: Facts): string {
  const random = f.tls.clientHello?.value.random;
  const sh = f.tls.serverHello?.value;
  const rsa = sh && sh.version < TLS_VERSION.TLS13 && cipherSuite(sh.cipherSuite)?.kx === 'RSA' ? ' or the server\'s RSA private key (--server-key)' : '';
  return `a key log (--keylog) for ${random ? `this connection's client random ${toHex(random.subarray(0, 8), '')}…` : 'this connection'}${rsa}`;
}

/** Who ended the connection, from the first close, the end of observation, or a TCP failure. */
export function endedBy(f: Facts): EndedBy | undefined {
  const c = f.closes[0];
  const loc = (e: Located): Pick<EndedBy, 'at' | 'packet'> =>
    (e.packet === undefined ? { at: e.at } : { at: e.at, packet: e.packet });
  if (c) return { who: c.dir === 's2c' ? 'server' : 'client', how: c.how, ...loc(c) };
  const g = f.gaps[0];
  if (g) return { who: 'capture', how: 'gap', ...loc(g) };
  const e = f.end;
  if (!e) return undefined;
  if (e.how === 'timeout') return { who: 'network', how: 'timeout', ...loc(e) };
  if (e.how === 'probe-done') return { who: 'probe', how: 'probe-done', ...loc(e) };
  return { who: 'capture', how: 'capture-end', ...loc(e) };
}

export function describeEnd(by: EndedBy | undefined): string {
  if (!by) return 'the connection was still open';
  const where = by.packet !== undefined ? ` (packet ${by.packet})` : '';
  switch (by.how) {
    case 'fin': return `the ${by.who} closed the connection (FIN)${where}`;
    case 'rst': return `the ${by.who} reset the connection (RST)${where}`;
    case 'timeout': return 'no answer before the timeout';
    case 'capture-end': return 'the capture ended';
    case 'gap': return `the capture lost bytes${where}`;
    case 'probe-done': return 'the probe finished and closed the connection';
    case 'tls-alert': return `the ${by.who} ended the TLS handshake with a fatal alert${where}`;
    default: return `${by.who}: ${by.how}${where}`;
  }
}
