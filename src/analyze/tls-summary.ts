// TLS facts of one connection in the peers' vocabulary (Zeek ssl.log, zgrab2 tls): version, cipher,
// key exchange group, SNI, alerts, and the certificate chain with its check.
import { cipherSuite, cipherSuiteName } from '../tls/cipher-suites.js';
import { groupName } from '../tls/groups.js';
import { isGrease, versionName } from '../tls/versions.js';
import type { CertInfo } from '../tls/x509.js';
import type { CertFinding } from '../tls/cert-check.js';
import { checkCertificate, type CertificateOptions } from './certificate.js';
import type { TrackerEvent } from './events.js';
import type { Dir } from './input.js';
import { collectFacts, type Facts } from './facts.js';
import { keysFor } from './rules/rule.js';

export interface TlsSummary {
  handshake: 'completed' | 'failed' | 'incomplete';
  offered?: { versions: string[]; cipherSuites: number; serverName?: string; groups: string[] };
  version?: string;
  cipherSuite?: { id: number; name: string };
  group?: string;
  helloRetryRequest?: boolean;
  alerts: { dir: Dir; level: string; description: number; name: string; encrypted: boolean }[];
  certificate?: {
    source: 'wire' | 'tls-library' | 'key-log' | 'server-key';
    chain: CertInfo[];
    trust: string;
    trustedBy?: string;
    nameChecked?: string[];
    nameMatch?: boolean;
    findings: CertFinding[];
  };
  /** why the certificate is missing when the handshake got that far */
  certificateNote?: string;
}

export function tlsSummary(events: readonly TrackerEvent[], opts: CertificateOptions = {}): TlsSummary | undefined {
  return tlsSummaryOf(collectFacts(events), opts);
}

/** The same from facts already collected (read, never written). */
export function tlsSummaryOf(f: Facts, opts: CertificateOptions = {}): TlsSummary | undefined {
  if (!f.entered.includes('tls')) return undefined;
  const t = f.tls;
  // a record cut by the end of the capture is incomplete, not failed
  const failed = f.decodeErrors.some((e) => e.stage === 'tls' && e.error.code !== 'NOT_ENOUGH_BYTES') || t.alerts.some((a) => a.value.level === 2);
  const s: TlsSummary = { handshake: f.completed.includes('tls') ? 'completed' : failed ? 'failed' : 'incomplete', alerts: [] };
  const ch = t.clientHello?.value;
  if (ch) {
    const versions = (ch.supportedVersions ?? [ch.legacyVersion]).map(versionName).filter((v) => !v.startsWith('GREASE'));
    const suites = ch.cipherSuites.filter((id) => !isGrease(id) && !cipherSuite(id)?.scsv).length;
    s.offered = { versions, cipherSuites: suites, groups: (ch.supportedGroups ?? []).map(groupName).filter((g) => !g.startsWith('GREASE')) };
    if (ch.serverName) s.offered.serverName = ch.serverName;
  }
  const sh = t.serverHello?.value;
  if (sh) {
    s.version = versionName(sh.version);
    s.cipherSuite = { id: sh.cipherSuite, name: cipherSuiteName(sh.cipherSuite) };
    const group = sh.keyShareGroup ?? (t.keyExchange?.value.kind === 'ecdhe' ? t.keyExchange.value.group : undefined);
    if (group !== undefined) s.group = groupName(group);
    else if (t.session?.group) s.group = t.session.group;
  }
  if (t.helloRetry) s.helloRetryRequest = true;
  for (const a of t.alerts) s.alerts.push({ dir: a.dir, level: a.value.levelName, description: a.value.description, name: a.value.name, encrypted: false });
  for (const a of t.encryptedAlerts) s.alerts.push({ dir: a.dir, level: 'unknown', description: -1, name: a.value.likely ?? 'alert (encrypted)', encrypted: true });
  const check = checkCertificate(f, opts);
  if (check) {
    const r = check.report;
    s.certificate = { source: check.source, chain: r.chain, trust: r.trust, findings: r.findings };
    if (r.trustedBy) s.certificate.trustedBy = r.trustedBy;
    if (r.nameChecked) s.certificate.nameChecked = r.nameChecked;
    if (r.nameMatch !== undefined) s.certificate.nameMatch = r.nameMatch;
  } else if (sh && sh.version >= 0x0304) {
    s.certificateNote = `TLS 1.3 encrypts the certificate: probe the server live, or give ${keysFor(f)}, to read it`;
  }
  return s;
}
