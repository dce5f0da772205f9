// Server certificate diagnosis (failure-catalogue rows 16, 17): validity at the probe or capture time
// (RFC 5280 §4.1.2.5), name match (RFC 6125 §6), path to a trust anchor (RFC 5280 §6, simplified:
// names + signatures), chain order (RFC 5246 §7.4.2), key size, signature hash and serverAuth EKU
// (RFC 5280 §4.2.1.12). Pure and synchronous: node:crypto only verifies signatures.
import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { DecodeError } from '../wire/errors.js';
import type { TrustStore } from './trust.js';
import { parseCertificate, type CertInfo } from './x509.js';
import { sameBytes } from '../wire/bytes.js';

export type CertFindingCode =
  | 'expired' | 'not-yet-valid' | 'expiring-soon' | 'name-mismatch' | 'no-name-to-check' | 'self-signed'
  | 'untrusted' | 'weak-key' | 'weak-signature' | 'no-server-auth' | 'bad-chain' | 'unparsable';

export interface CertFinding {
  severity: 'info' | 'warning' | 'error';
  code: CertFindingCode;
  /** failure-catalogue row: 16 validity, 17 hygiene */
  row?: 16 | 17;
  text: string;
  /** position in the presented chain (0 = leaf); absent for a trust anchor taken from the store */
  cert?: number;
}

export interface CertReport {
  /** the presented certificates that parse, in order (an unparsable one has an 'unparsable' finding instead) */
  chain: CertInfo[];
  trust: 'trusted' | 'self-signed' | 'untrusted' | 'not-checked';
  /** subject of the anchor the path ends at */
  trustedBy?: string;
  trustSource?: string;
  nameChecked?: string[];
  /** every checked name matches */
  nameMatch?: boolean;
  /** errors first, then warnings, then info */
  findings: CertFinding[];
}

export interface CertCheckOptions {
  /** ms since epoch: probe time live, capture time offline */
  at: number;
  /** names the certificate must match, every one (target host or --expect-name); none → 'no-name-to-check' */
  names?: string[];
  /** absent: trust is not checked (a self-signed leaf is still reported) */
  trust?: TrustStore;
  /** default 30 */
  expiringSoonDays?: number;
}

interface Cert {
  info: CertInfo;
  der: Uint8Array;
  /** position in the presented chain; undefined for a store anchor */
  index?: number;
  /** node:crypto view for signature checks; null when OpenSSL cannot load it */
  x509?: X509Certificate | null;
}

const DAY = 86_400_000;
const WEAK_HASHES = new Set(['MD2', 'MD5', 'SHA-1']);
const SEVERITY_ORDER = { error: 0, warning: 1, info: 2 };

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

const UNITS: [size: number, unit: string][] = [[DAY, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];

function span(ms: number): string {
  const [size, unit] = UNITS.find(([u]) => ms >= u) ?? [1000, 'second'];
  const n = Math.floor(ms / size);
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

function label(c: Cert, store?: TrustStore): string {
  if (c.index === undefined) return `trust anchor "${c.info.subject}" from ${store?.source}`;
  return c.index === 0 ? `certificate "${c.info.subject}"` : `chain certificate ${c.index} "${c.info.subject}"`;
}

function x509(c: Cert): X509Certificate | null {
  if (c.x509 === undefined) {
    try {
      c.x509 = new X509Certificate(c.der);
    } catch {
      c.x509 = null;
    }
  }
  return c.x509;
}

/** a store anchor (a TrustStore not built by parseTrustBundle may hold anything) */
function parsed(der: Uint8Array): Cert | undefined {
  try {
    return { der, info: parseCertificate(der) };
  } catch {
    return undefined;
  }
}

// Signature checks by certificate pair, bounded: a capture shows the same chain in every connection
const SIGNS_CACHE_SIZE = 1024;
const signsCache = new Map<string, boolean>();

/** `issuer` names and signs `subject` (RFC 5280 §6.1.3 (a)(1), (a)(4)). */
function signs(issuer: Cert, subject: Cert): boolean {
  if (subject.info.issuer !== issuer.info.subject) return false;
  const key = `${issuer.info.sha256}>${subject.info.sha256}`;
  let ok = signsCache.get(key);
  if (ok === undefined) {
    ok = verifies(issuer, subject);
    if (signsCache.size >= SIGNS_CACHE_SIZE) signsCache.delete(signsCache.keys().next().value!);
    signsCache.set(key, ok);
  }
  return ok;
}

function verifies(issuer: Cert, subject: Cert): boolean {
  const s = x509(subject);
  const i = x509(issuer);
  if (!s || !i) return false;
  try {
    return s.verify(i.publicKey);
  } catch {
    return false;
  }
}

function selfSigned(c: Cert): boolean {
  return c.info.selfIssued && signs(c, c);
}

/** RFC 5280 §4.1.2.5: valid from notBefore through notAfter, both inclusive. */
function validity(c: Cert, at: number, soonDays: number, store?: TrustStore): CertFinding[] {
  const nb = Date.parse(c.info.notBefore);
  const na = Date.parse(c.info.notAfter);
  const who = label(c, store);
  const cert = c.index === undefined ? {} : { cert: c.index };
  if (at > na) {
    return [{ severity: 'error', code: 'expired', row: 16, ...cert,
      text: `${who} expired on ${c.info.notAfter} (checked at ${iso(at)}, ${span(at - na)} ago; valid from ${c.info.notBefore})` }];
  }
  if (at < nb) {
    return [{ severity: 'error', code: 'not-yet-valid', row: 16, ...cert,
      text: `${who} is not valid until ${c.info.notBefore} (checked at ${iso(at)}, ${span(nb - at)} early; valid to ${c.info.notAfter})` }];
  }
  if (na - at < soonDays * DAY) {
    return [{ severity: 'info', code: 'expiring-soon', ...cert,
      text: `${who} expires on ${c.info.notAfter}, ${span(na - at)} after the check at ${iso(at)}` }];
  }
  return [];
}

function canonicalIp(host: string): string {
  const bare = host.replace(/%.*$/, '');
  return isIP(bare) === 6 ? new URL(`http://[${bare}]/`).hostname.slice(1, -1) : bare;
}

/** DNS-ID match with a wildcard only as the whole left-most label (RFC 6125 §6.4.1, §6.4.3). */
function dnsMatch(pattern: string, ref: string): boolean {
  const p = pattern.toLowerCase().replace(/\.$/, '');
  if (!p.startsWith('*.')) return p === ref;
  const base = p.slice(2);
  if (base.includes('*') || !base.includes('.')) return false;
  const dot = ref.indexOf('.');
  return dot > 0 && ref.slice(dot + 1) === base;
}

/** RFC 6125 §6: IP targets against IP SANs; DNS names against DNS SANs, or the CN when there is none. */
function nameMatches(name: string, info: CertInfo): boolean {
  const host = name.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host.replace(/%.*$/, ''))) return info.sans.ip.includes(canonicalIp(host));
  const ref = (domainToASCII(host) || host).toLowerCase().replace(/\.$/, '');
  const ids = info.sans.dns.length ? info.sans.dns : info.subjectCN !== undefined ? [info.subjectCN] : [];
  return ids.some((id) => dnsMatch(id, ref));
}

function namesOf(info: CertInfo): string {
  const ids = [...info.sans.dns.map((d) => `DNS:${d}`), ...info.sans.ip.map((ip) => `IP:${ip}`)];
  if (!info.sans.dns.length && info.subjectCN !== undefined) ids.push(`CN=${info.subjectCN}`);
  return ids.length ? ids.join(', ') : 'no DNS name or IP address';
}

function nameFindings(info: CertInfo, names: string[], report: CertReport): CertFinding[] {
  if (!names.length) {
    return [{ severity: 'info', code: 'no-name-to-check', cert: 0,
      text: `no name to check the certificate against (give --expect-name); it names ${namesOf(info)}` }];
  }
  const failed = names.filter((n) => !nameMatches(n, info));
  report.nameChecked = names;
  report.nameMatch = failed.length === 0;
  if (!failed.length) return [];
  const notes: string[] = [];
  if (failed.some((n) => isIP(n.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '')))) notes.push('an IP address matches only IP SANs');
  const cn = info.subjectCN?.toLowerCase();
  if (info.sans.dns.length && cn && failed.some((n) => n.toLowerCase() === cn)) notes.push(`the CN "${info.subjectCN}" is ignored when DNS SANs are present`);
  return [{ severity: 'warning', code: 'name-mismatch', row: 17, cert: 0,
    text: `certificate does not match ${failed.map((n) => `"${n}"`).join(', ')}: it names ${namesOf(info)}${notes.length ? ` (${notes.join('; ')})` : ''}` }];
}

interface Path { path: Cert[]; anchor?: Cert }

/** Leaf → presented certificates (any order) → a store anchor, linking by name and signature. */
function buildPath(leaf: Cert, presented: Cert[], store?: TrustStore): Path {
  const path = [leaf];
  for (let cur = leaf; ;) {
    if (store?.anchors.some((a) => sameBytes(a.der, cur.der))) return { path, anchor: cur };
    const anchor = store?.anchors
      .filter((a) => a.subject === cur.info.issuer)
      .map((a) => presented.find((p) => sameBytes(p.der, a.der)) ?? parsed(a.der))
      .find((a): a is Cert => a !== undefined && signs(a, cur));
    if (anchor) return { path, anchor };
    if (selfSigned(cur)) return { path };
    const next = presented.find((p) => !path.includes(p) && signs(p, cur));
    if (!next) return { path };
    path.push(next);
    cur = next;
  }
}

function trustFindings(p: Path, report: CertReport, store?: TrustStore): CertFinding[] {
  const leaf = p.path[0]!;
  const end = p.path[p.path.length - 1]!;
  if (p.anchor) {
    report.trust = 'trusted';
    report.trustedBy = p.anchor.info.subject;
    if (store) report.trustSource = store.source;
    return [];
  }
  if (end === leaf && selfSigned(leaf)) {
    report.trust = 'self-signed';
    return [{ severity: 'warning', code: 'self-signed', row: 17, cert: 0,
      text: `certificate "${leaf.info.subject}" is self-signed${store ? ` and not in ${store.source}` : ' (no trust store checked)'}` }];
  }
  if (!store) return [];
  report.trust = 'untrusted';
  report.trustSource = store.source;
  const why = selfSigned(end)
    ? `the chain ends at the self-signed "${end.info.subject}", which is not in it`
    : `issuer "${end.info.issuer}" of "${end.info.subject}" is neither presented nor in it`;
  return [{ severity: 'warning', code: 'untrusted', row: 17, cert: end.index!, text: `no chain to a trusted root in ${store.source}: ${why}` }];
}

/** Each presented certificate must certify the one before it (RFC 5246 §7.4.2, RFC 8446 §4.4.2). */
function orderFindings(byIndex: (Cert | undefined)[], presented: Cert[]): CertFinding[] {
  const out: CertFinding[] = [];
  for (let i = 1; i < byIndex.length; i++) {
    const cur = byIndex[i];
    const prev = byIndex[i - 1];
    if (!cur || !prev || signs(cur, prev)) continue;
    const real = presented.find((p) => p !== cur && p !== prev && signs(p, prev));
    const text = real
      ? `chain out of order: certificate ${i - 1} "${prev.info.subject}" is issued by certificate ${real.index}, not by certificate ${i} "${cur.info.subject}"`
      : `certificate ${i} "${cur.info.subject}" does not sign certificate ${i - 1} "${prev.info.subject}" (issuer "${prev.info.issuer}")`;
    out.push({ severity: 'warning', code: 'bad-chain', row: 17, cert: i, text });
  }
  return out;
}

function weakKey(info: CertInfo): string | undefined {
  if (['RSA', 'RSA-PSS', 'DSA'].includes(info.keyType) && info.keyBits < 2048) return `a ${info.keyBits}-bit ${info.keyType} key (2048 bits or more expected)`;
  if (info.keyType === 'EC' && info.keyBits < 256) return `a ${info.keyBits}-bit EC key${info.curve ? ` (${info.curve})` : ''} (256 bits or more expected)`;
  return undefined;
}

function hygieneFindings(c: Cert, isAnchor: boolean): CertFinding[] {
  const out: CertFinding[] = [];
  const who = label(c);
  const cert = c.index!;
  const weak = weakKey(c.info);
  if (weak) out.push({ severity: 'warning', code: 'weak-key', row: 17, cert, text: `${who} has ${weak}` });
  // a root's own signature is never checked, so only certificates below the anchor count
  const rootLike = isAnchor || (cert > 0 && selfSigned(c));
  if (!rootLike && c.info.signatureHash && WEAK_HASHES.has(c.info.signatureHash)) {
    out.push({ severity: 'warning', code: 'weak-signature', row: 17, cert,
      text: `${who} is signed with ${c.info.signatureAlgorithm} (${c.info.signatureHash}), which clients reject or warn about` });
  }
  const eku = c.info.extendedKeyUsage;
  if (cert === 0 && eku && !eku.includes('serverAuth') && !eku.includes('anyExtendedKeyUsage')) {
    out.push({ severity: 'warning', code: 'no-server-auth', row: 17, cert,
      text: `${who} has extended key usage ${eku.join(', ') || '(empty)'} without serverAuth (1.3.6.1.5.5.7.3.1), so it is not for a TLS server` });
  }
  return out;
}

/** Diagnoses a presented chain (leaf first). Never throws: an unparsable element is a finding. */
export function checkCertificateChain(chain: Uint8Array[], opts: CertCheckOptions): CertReport {
  const findings: CertFinding[] = [];
  const byIndex = chain.map((der, index): Cert | undefined => {
    try {
      return { der, index, info: parseCertificate(der) };
    } catch (e) {
      const why = e instanceof DecodeError ? `${e.field} at byte ${e.offset}: ${e.reason}` : String(e);
      findings.push({ severity: 'error', code: 'unparsable', cert: index, text: `certificate ${index} does not parse: ${why}` });
      return undefined;
    }
  });
  const presented = byIndex.filter((c): c is Cert => c !== undefined);
  const report: CertReport = { chain: presented.map((c) => c.info), trust: 'not-checked', findings };
  const leaf = byIndex[0];
  const store = opts.trust;
  if (leaf) {
    const p = buildPath(leaf, presented, store);
    const soon = opts.expiringSoonDays ?? 30;
    for (const c of presented) findings.push(...validity(c, opts.at, soon));
    if (p.anchor && p.anchor.index === undefined) findings.push(...validity(p.anchor, opts.at, soon, store));
    findings.push(...nameFindings(leaf.info, (opts.names ?? []).filter((n) => n.trim() !== ''), report));
    findings.push(...trustFindings(p, report, store));
    findings.push(...orderFindings(byIndex, presented));
    for (const c of presented) {
      const isAnchor = store?.anchors.some((a) => sameBytes(a.der, c.der)) ?? false;
      findings.push(...hygieneFindings(c, isAnchor));
    }
  }
  findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return report;
}
