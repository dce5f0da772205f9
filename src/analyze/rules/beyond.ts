// A connection that went past X.224 (and TLS) into a stage no other rule settles, typically one whose
// records are encrypted without keys: reported honestly — reached, with byte counts and who ended
// the connection, never guessed.
import { protocolName, responseFlags } from '../../x224/codes.js';
import { cipherSuiteName } from '../../tls/cipher-suites.js';
import { groupName } from '../../tls/groups.js';
import { versionName } from '../../tls/versions.js';
import { bytesIn, type Facts } from '../facts.js';
import type { Evidence, Finding } from '../verdict.js';
import type { Rule, RuleResult } from './rule.js';
import { describeEnd, endedBy, evidence, keysFor, pduEvidence } from './rule.js';

/** "TLS 1.3, TLS_AES_256_GCM_SHA384, x25519" from the ServerHello (and key exchange). */
function tlsParameters(f: Facts): string | undefined {
  const sh = f.tls.serverHello?.value;
  if (!sh) return undefined;
  const group = sh.keyShareGroup ?? (f.tls.keyExchange?.value.kind === 'ecdhe' ? f.tls.keyExchange.value.group : undefined);
  return [versionName(sh.version), cipherSuiteName(sh.cipherSuite), group !== undefined ? groupName(group) : undefined].filter(Boolean).join(', ');
}

function tlsEvidence(f: Facts): { text: string; evidence: Evidence[]; findings: Finding[] } {
  if (!f.completed.includes('tls')) return { text: '', evidence: [], findings: [] };
  const params = tlsParameters(f);
  const sh = f.tls.serverHello;
  const ev = [evidence('observed', `TLS handshake completed${params ? `: ${params}` : ''}`, sh, sh?.head)];
  const check = f.tls.check;
  const findings: Finding[] = [];
  if (check) {
    const leaf = check.report.chain[0];
    if (leaf) ev.push(evidence('observed', `server certificate ${leaf.subject}, issuer ${leaf.issuer}, ${leaf.keyType} ${leaf.keyBits}, ${leaf.signatureAlgorithm}, valid to ${leaf.notAfter}, SHA-256 ${leaf.sha256}`, check));
    for (const x of check.report.findings) findings.push({ severity: x.severity, text: `certificate: ${x.text}`, ...(x.row ? { row: x.row } : {}) });
  } else if (f.tls.serverHello && f.tls.serverHello.value.version >= 0x0304) {
    findings.push({ severity: 'info', text: `certificate not checked: TLS 1.3 encrypts it; probe the server live, or give ${keysFor(f)}, to read it` });
  }
  return { text: `; TLS established (${params ?? 'parameters unknown'})`, evidence: ev, findings };
}

/** Row 17 for a verdict that is otherwise OK: the certificate has warnings a client shows. */
export function certificateWarning(f: Facts): Pick<RuleResult, 'row' | 'clientShows'> {
  if (!f.tls.check?.report.findings.some((x) => x.row === 17 && x.severity !== 'info')) return {};
  return {
    row: 17,
    clientShows: { text: 'a certificate warning ("The identity of the remote computer cannot be verified")', basis: 'inferred', why: 'mstsc and FreeRDP warn (or refuse under strict policy) for the certificate findings listed' },
  };
}

export const reachedUndecoded: Rule = (f) => {
  const cc = f.cc;
  if (!cc || cc.value.negotiation?.type === 'failure') return undefined;
  const next = f.stage;
  // the TLS stage is the TLS rules' business, except a probe that stopped right after X.224
  if (next === 'x224' || (next === 'tls' && f.end?.how !== 'probe-done')) return undefined;
  const neg = cc.value.negotiation;
  const selected = neg?.type === 'response' ? neg.selectedProtocol : 0;
  const legacy = !neg;
  const findings: Finding[] = legacy
    ? [{ severity: 'warning', row: 12, text: 'legacy Connection Confirm without negotiation data: the server only speaks Standard RDP Security (pre-RDP 5.2 or negotiation disabled)' }]
    : [];
  const flags = neg?.type === 'response' && neg.flags ? ` (flags ${responseFlags(neg.flags).names.join(', ')})` : '';
  const ev = [pduEvidence('observed', legacy ? 'legacy Connection Confirm (no RDP_NEG_RSP)' : `server selected ${protocolName(selected)}${flags}`, cc)];
  const tls = tlsEvidence(f);
  ev.push(...tls.evidence);
  findings.push(...tls.findings);
  const by = endedBy(f);
  const c2s = bytesIn(f, next, 'c2s');
  const s2c = bytesIn(f, next, 's2c');
  const base = `X.224 negotiation succeeded: ${legacy ? 'legacy Confirm, Standard RDP Security' : `selected ${protocolName(selected)}`}${tls.text}`;
  const row = legacy ? { row: 12 } : certificateWarning(f);
  // after TLS without the plaintext (a capture without keys) the stage is encrypted, not undecoded
  const b = f.bytes[next];
  const encrypted = f.completed.includes('tls') && (b ? b.inner.c2s + b.inner.s2c : 0) === 0;
  const how = encrypted ? `encrypted: without the TLS keys only record sizes are known; ${keysFor(f)} would show them` : 'its PDUs are in the timeline';
  // the server ending the connection inside a stage we cannot decode is not evidence of success
  const serverEnded = by?.who === 'server';
  if (by?.how === 'probe-done' || (c2s > 0 && s2c > 0 && !serverEnded)) {
    if (c2s + s2c > 0) ev.push(evidence('observed', `${next} stage carried ${c2s} bytes from the client and ${s2c} from the server (${how})`));
    return {
      status: 'ok', summary: by?.how === 'probe-done' ? base : `${base}; the connection went on into ${next}`,
      evidence: ev, endedBy: by, findings, ...row,
    };
  }
  // bytes the capture lost before the connection closed: what came after them is unknown (row 35)
  const gap = f.gaps[0];
  const lost = gap && (!f.closes[0] || before(gap, f.closes[0])) ? gap : undefined;
  ev.push(evidence('observed', `in ${next}: ${c2s} bytes from the client, ${s2c} from the server; then ${describeEnd(by)}`, f.closes[0]));
  if (lost) {
    const from = lost.dir === 'c2s' ? 'the client' : 'the server';
    ev.push(evidence('observed', `the capture lost ${lost.bytes} bytes from ${from} in ${lost.stage}${lost.detail ? ` (${lost.detail})` : ''}: what ${from} sent after them is not known`, lost));
  }
  if (serverEnded) {
    ev.push(evidence('inferred', `a server ${by.how === 'rst' ? 'reset' : 'close'} this early in ${next} usually means the server refused what the client sent there; ${encrypted ? `${keysFor(f)} would show what it was` : 'the timeline shows what the client sent last'}`));
  }
  if (lost) {
    return {
      status: 'undetermined',
      summary: `${base}; the capture lost bytes in ${lost.stage}${lost.detail?.startsWith('cut by the capture\'s snaplen') ? ' (cut by its snaplen)' : ''}: what followed is not known`,
      evidence: ev, endedBy: { who: 'capture', how: 'gap', at: lost.at, ...(lost.packet === undefined ? {} : { packet: lost.packet }) }, findings, row: 35,
    };
  }
  return {
    status: 'undetermined',
    summary: `${base}; the connection ended in ${next}${encrypted ? ' (encrypted, no TLS keys)' : ''}`,
    evidence: ev, endedBy: by, findings, ...(legacy ? { row: 12 } : {}),
  };
};

/** Whether event a came before event b in the capture (by packet, else by time). */
function before(a: { packet?: number; at: number }, b: { packet?: number; at: number }): boolean {
  return a.packet !== undefined && b.packet !== undefined ? a.packet <= b.packet : a.at <= b.at;
}
