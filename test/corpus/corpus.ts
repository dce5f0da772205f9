// The public capture corpus (shared/corpus/public, INVENTORY.md): which captures, which peer files
// go with each, what each peer says per connection, what rdpscope says, and where they differ.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFacts } from '../../src/analyze/facts.js';
import type { RdpEncryption } from '../../src/analyze/rdp-summary.js';
import type { NegotiationSummary } from '../../src/analyze/summary.js';
import type { TlsSummary } from '../../src/analyze/tls-summary.js';
import type { Verdict } from '../../src/analyze/verdict.js';
import { replayBytes } from '../../src/capture/replay.js';
import { connectionReport } from '../../src/report/json.js';
import { parseCertificate, type CertInfo } from '../../src/tls/x509.js';
import {
  certTimeText, dnText, endpointText, fingerprintText, ndpiIsRdp, ndpiValidity, parseArkimeTest, parseNdpiOut, parseSuricataChecks, parseTsharkList,
  parseTsharkSummary, parseZeekLog, tlsVersionText, zeekTuple, type Endpoint, type ZeekRow,
} from './peers.js';

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Set by vitest.corpus.config.ts; the same default when run otherwise. */
export const CORPUS = process.env.RDPSCOPE_CORPUS_DIR ?? resolve(PROJECT, process.env.RDPSCOPE_CORPUS ?? '../shared/corpus/public');
export const corpusPresent = (): boolean => existsSync(join(CORPUS, 'INVENTORY.md'));

export interface Capture {
  /** row in INVENTORY.md */
  n: number;
  file: string;
  /** only RDPEUDP (UDP) traffic: no TCP RDP connection to analyse */
  udpOnly?: boolean;
  /** Zeek baseline folder under zeek/Baseline */
  zeek?: string;
  ndpi?: string;
  suricata?: string[];
  arkime?: string;
}

const Z = 'scripts.base.protocols.rdp.';
export const CAPTURES: readonly Capture[] = [
  { n: 1, file: 'zeek/Traces/rdp-proprietary-encryption.pcap', zeek: `${Z}rdp-proprietary-encryption` },
  { n: 2, file: 'zeek/Traces/rdp-to-ssl.pcap', zeek: `${Z}rdp-to-ssl` },
  { n: 3, file: 'zeek/Traces/rdp-no-cookie-mstshash.pcap', zeek: `${Z}rdp-no-cookie-msthash` },
  { n: 4, file: 'zeek/Traces/rdp-x509.pcap', zeek: `${Z}rdp-x509` },
  { n: 5, file: 'zeek/Traces/rdp-unknown-keyboard.pcap', zeek: `${Z}rdp-unknown-keyboard` },
  { n: 6, file: 'zeek/Traces/rdp-invalid-length.pcap', zeek: `${Z}rdp-invalid-length` },
  { n: 7, file: 'zeek/Traces/rdpeudp-handshake-fail.pcap', udpOnly: true, zeek: `${Z}rdpeudp-handshake-fail` },
  { n: 8, file: 'zeek/Traces/rdpeudp-handshake-success.pcap', udpOnly: true, zeek: `${Z}rdpeudp-handshake-success` },
  { n: 9, file: 'zeek/Traces/rdpeudp2-handshake-success.pcap', udpOnly: true, zeek: `${Z}rdpeudp2-handshake-success` },
  { n: 10, file: 'zeek/Traces/modbus-and-non-modbus-p502.pcap', zeek: 'scripts.base.protocols.modbus.modbus_and_non_modbus_on_port_502' },
  { n: 11, file: 'ndpi/pcap/rdp.pcap', ndpi: 'rdp.pcap.out' },
  { n: 12, file: 'ndpi/pcap/rdp2.pcap', udpOnly: true, ndpi: 'rdp2.pcap.out' },
  { n: 13, file: 'ndpi/pcap/rdp3.pcap', ndpi: 'rdp3.pcap.out' },
  { n: 14, file: 'ndpi/pcap/rdp_over_tls.pcap', ndpi: 'rdp_over_tls.pcap.out' },
  { n: 15, file: 'ndpi/pcap/tcp_scan.pcapng', ndpi: 'tcp_scan.pcapng.out' },
  { n: 16, file: 'ndpi/pcap/synscan.pcap', ndpi: 'synscan.pcap.out' },
  { n: 17, file: 'suricata-verify/rdp-protocol/RDP-003.pcap', suricata: ['rdp-protocol/test.yaml', 'output-eve-rdp-01/test.yaml'] },
  { n: 18, file: 'arkime/socks5-rdp.pcap', arkime: 'socks5-rdp.test' },
  { n: 19, file: 'arkime/arkime_synthetic.pcap', arkime: 'arkime_synthetic.test' },
  { n: 20, file: 'misc/jovair1994-Intro_Traffic_Analysis/rdp.pcap' },
  { n: 21, file: 'misc/elcabezzonn-Pcaps/rdp-then-wmiexec.pcap' },
  { n: 22, file: 'misc/sbousseaden-PCAP-ATTACK/LM_rdp_sharprdp.pcapng' },
];

const read = (...parts: string[]): string => readFileSync(join(CORPUS, ...parts), 'utf8');
export const tsharkFile = (c: Capture): string => join('tshark-summary', `${c.file.replaceAll('/', '__')}.txt`);

// ---------------------------------------------------------------------------------------------
// Field values in one vocabulary: protocol names as rdpscope / MS-RDPBCGR spell them.

export type Peer = 'zeek' | 'suricata' | 'arkime' | 'ndpi' | 'tshark';
/**
 * stream: rdpscope's connection number, which is TShark's tcp.stream + 1. The TLS fields are about the
 * server's TLS answer and its certificate (the leaf, or for Zeek's x509.log on Standard RDP Security
 * the server's certificate in the Server Security Data): version, cipher suite, client SNI, whether
 * the handshake completed, and the leaf's subject, issuer, subject CN, fingerprints, validity and
 * key size.
 */
export type Field = 'cookie' | 'requested' | 'selected' | 'failure' | 'stream'
  | 'tlsVersion' | 'cipher' | 'sni' | 'established' | 'subject' | 'issuer' | 'subjectCN' | 'certSha256' | 'certSha1'
  | 'notBefore' | 'notAfter' | 'keyBits';
export const NEGOTIATION_FIELDS: readonly Field[] = ['cookie', 'requested', 'selected', 'failure', 'stream'];
/** TLS and server-certificate fields (the certificate ones also for Standard RDP Security's X.509 chain) */
export const TLS_FIELDS: readonly Field[] = ['tlsVersion', 'cipher', 'sni', 'established', 'subject', 'issuer', 'subjectCN', 'certSha256', 'certSha1',
  'notBefore', 'notAfter', 'keyBits'];
export const FIELDS: readonly Field[] = [...NEGOTIATION_FIELDS, ...TLS_FIELDS];
/** null: the peer (or rdpscope) says there is none; a field missing from `values`: not reported. */
export type Values = Partial<Record<Field, string | null>>;

const PROTOCOL_ORDER = ['RDP', 'SSL', 'HYBRID', 'RDSTLS', 'HYBRID_EX', 'RDSAAD'];
const protocols = (names: string[]): string =>
  [...names].sort((a, b) => PROTOCOL_ORDER.indexOf(a) - PROTOCOL_ORDER.indexOf(b) || a.localeCompare(b)).join('+');
const ARKIME_NAMES: Record<string, string> = { rdp: 'RDP', ssl: 'SSL', nla: 'HYBRID', rdstls: 'RDSTLS', 'nla-ext': 'HYBRID_EX' };
const arkimeProtocols = (v: string[] | undefined): string | null => (v ? protocols(v.map((n) => ARKIME_NAMES[n] ?? `arkime:${n}`)) : null);
const tsharkProtocols = (v: string | undefined): string | null => (v === undefined ? null : protocols(v.split('+').map((n) => (n === 'RDP(std)' ? 'RDP' : n))));
/** Zeek rdp.log `result` values that are RDP_NEG_FAILURE codes (the others are GCC results or "encrypted"). */
const FAILURE_NAMES = new Set(['SSL_REQUIRED_BY_SERVER', 'SSL_NOT_ALLOWED_BY_SERVER', 'SSL_CERT_NOT_ON_SERVER', 'INCONSISTENT_FLAGS',
  'HYBRID_REQUIRED_BY_SERVER', 'SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER']);
const COOKIE_PREFIX = 'Cookie: mstshash=';

// ---------------------------------------------------------------------------------------------
// What each peer says: its TCP RDP connections. `client`/`server` undefined: matched by order.

export interface PeerConn { client?: Endpoint; server?: Endpoint; values: Values }
export interface PeerView { peer: Peer; conns: PeerConn[]; /** RDP flows over UDP the peer reports (not analysed) */ udp: number }

function zeekView(dir: string): PeerView {
  const conns = new Map<string, PeerConn>();
  let udp = 0;
  const add = (row: Record<string, string | undefined>, values: Values): void => {
    const t = zeekTuple(row);
    const key = `${endpointText(t.client)} ${endpointText(t.server)}`;
    conns.set(key, { ...t, values: { ...conns.get(key)?.values, ...values } });
  };
  const logs = readdirSync(join(CORPUS, 'zeek/Baseline', dir)).filter((f) => f.endsWith('.log') && f !== 'x509.log');
  for (const log of logs) {
    const rows = parseZeekLog(read('zeek/Baseline', dir, log));
    for (const r of rows) {
      if (log === 'conn.log' && r.proto === 'udp' && r.service?.includes('rdp')) udp++;
      else if (log === 'conn.log' && r.proto === 'tcp' && r.service?.split(',').includes('rdp')) add(r, {});
      else if (log === 'analyzer_debug.log' && r.analyzer_name === 'RDP') add(r, {});
      else if (log === 'rdp.log') {
        add(r, {
          cookie: r.cookie || null,
          selected: r.security_protocol ?? null,
          failure: r.result !== undefined && FAILURE_NAMES.has(r.result) ? r.result : null,
        });
      } else if (log === 'ssl.log') add(r, zeekSsl(r));
    }
  }
  const x509 = join(CORPUS, 'zeek/Baseline', dir, 'x509.log');
  if (existsSync(x509)) {
    // this Zeek's x509.log names no connection: it belongs to the folder's one connection
    if (conns.size !== 1) throw new Error(`${dir}/x509.log with ${conns.size} connections: cannot tell whose certificates they are`);
    const only = [...conns.values()][0]!;
    Object.assign(only.values, zeekX509Leaf(parseZeekLog(read('zeek/Baseline', dir, 'x509.log'))));
  }
  return { peer: 'zeek', conns: [...conns.values()], udp };
}

/**
 * ssl.log. This Zeek (the corpus's baselines) has `subject`/`issuer` of the leaf in the row itself and
 * `cert_chain_fps` (SHA-256, leaf first); older ones have `cert_chain_fuids` pointing into x509.log
 * instead. Only the columns the log has are compared.
 */
function zeekSsl(r: ZeekRow): Values {
  const v: Values = {};
  const has = (k: string): boolean => k in r;
  if (has('version')) v.tlsVersion = r.version === undefined ? null : tlsVersionText(r.version);
  if (has('cipher')) v.cipher = r.cipher ?? null;
  if (has('server_name')) v.sni = r.server_name || null;
  if (has('established')) v.established = r.established ?? null;
  if (has('subject')) v.subject = r.subject === undefined ? null : dnText(r.subject);
  if (has('issuer')) v.issuer = r.issuer === undefined ? null : dnText(r.issuer);
  if (has('cert_chain_fps')) {
    const leafFp = r.cert_chain_fps?.split(',')[0];
    v.certSha256 = leafFp ? fingerprintText(leafFp) : null;
  }
  return v;
}

/**
 * x509.log rows of the server's certificates (`host_cert` T). The leaf is the one that issued none of
 * the others (in an RDP X.509 chain the server's certificate comes last, after its issuers).
 */
function zeekX509Leaf(rows: ZeekRow[]): Values {
  const host = rows.filter((r) => r.host_cert === 'T');
  const leaves = host.filter((r) => !host.some((o) => o !== r && o['certificate.issuer'] === r['certificate.subject']));
  if (leaves.length !== 1) throw new Error(`x509.log: ${leaves.length} leaf certificates`);
  const leaf = leaves[0]!;
  const v: Values = { subject: dnText(leaf['certificate.subject']!), issuer: dnText(leaf['certificate.issuer']!), certSha256: fingerprintText(leaf.fingerprint!) };
  if ('certificate.not_valid_before' in leaf) v.notBefore = leaf['certificate.not_valid_before'] === undefined ? null : certTimeText(leaf['certificate.not_valid_before']);
  if ('certificate.not_valid_after' in leaf) v.notAfter = leaf['certificate.not_valid_after'] === undefined ? null : certTimeText(leaf['certificate.not_valid_after']);
  if ('certificate.key_length' in leaf) v.keyBits = leaf['certificate.key_length'] ?? null;
  return v;
}

function ndpiView(out: string): PeerView {
  const rdp = parseNdpiOut(read('ndpi/result', out)).filter(ndpiIsRdp);
  const tcp = rdp.filter((f) => f.transport === 'TCP');
  const conns = tcp.map((f) => {
    const values: Values = {};
    // nDPI prints TLS metadata only when it dissected the handshake itself (it does not on #11: the
    // flow was classified RDP from the Connection Request, before TLS); then a missing SNI is a risk
    if (f.tls) {
      values.tlsVersion = f.tls.version === undefined ? null : tlsVersionText(f.tls.version);
      values.cipher = f.tls.cipher ?? null;
      values.subject = f.tls.subject === undefined ? null : dnText(f.tls.subject, 'der');
      values.issuer = f.tls.issuer === undefined ? null : dnText(f.tls.issuer, 'der');
      values.certSha1 = f.tls.sha1 === undefined ? null : fingerprintText(f.tls.sha1);
      if (f.tls.validity !== undefined) [values.notBefore, values.notAfter] = ndpiValidity(f.tls.validity);
      if (f.risks.includes('Missing SNI TLS Extn')) values.sni = null;
    }
    return { client: f.client, server: f.server, values };
  });
  return { peer: 'ndpi', conns, udp: rdp.length - tcp.length };
}

function suricataView(files: string[]): PeerView {
  const checks = files.flatMap((f) => parseSuricataChecks(read('suricata-verify', f)));
  const flows = checks.find((c) => c.match.event_type === 'flow' && c.match.app_proto === 'rdp');
  const request = checks.find((c) => c.match.event_type === 'rdp' && c.match['rdp.event_type'] === 'initial_request');
  const n = Number(flows?.props.count ?? 0);
  // suricata-verify checks are per event, not per flow: with one RDP flow they are that flow's
  const conns: PeerConn[] = Array.from({ length: n }, () => ({ values: {} }));
  if (request && n === 1) conns[0]!.values.cookie = request.match['rdp.cookie'] === undefined ? null : String(request.match['rdp.cookie']);
  // an eve `tls` check, if one is ever written for the RDP flow: only the keys it names. (For RDP flows
  // Suricata's own rdp logger writes a `tls_handshake` event with certificate serials; none in the corpus.)
  const tls = checks.find((c) => c.match.event_type === 'tls');
  if (tls && n === 1) {
    const m = (k: string): string | undefined => (tls.match[k] === undefined ? undefined : String(tls.match[k]));
    const v = conns[0]!.values;
    if (m('tls.version') !== undefined) v.tlsVersion = tlsVersionText(m('tls.version')!);
    if (m('tls.subject') !== undefined) v.subject = dnText(m('tls.subject')!, 'der');
    if (m('tls.issuerdn') !== undefined) v.issuer = dnText(m('tls.issuerdn')!, 'der');
    if (m('tls.fingerprint') !== undefined) v.certSha1 = fingerprintText(m('tls.fingerprint')!);
    if (m('tls.sni') !== undefined) v.sni = m('tls.sni')!;
  }
  return { peer: 'suricata', conns, udp: 0 };
}

function arkimeView(test: string): PeerView {
  const rdp = parseArkimeTest(read('arkime', test)).filter((s) => s.protocols.includes('rdp') || s.protocols.includes('rdpudp'));
  const tcp = rdp.filter((s) => s.ipProtocol === 6);
  const conns = tcp.map((s) => {
    const values: Values = { cookie: s.user?.[0] ?? null, requested: arkimeProtocols(s.requestedProtocols), selected: arkimeProtocols(s.selectedProtocol) };
    // Arkime writes `tls` and `cert` only for sessions whose TLS it parsed: compared only then
    if (s.tlsVersion || s.cipher || s.certs) {
      values.tlsVersion = s.tlsVersion ? s.tlsVersion.map(tlsVersionText).join('+') : null;
      values.cipher = s.cipher ? s.cipher.join('+') : null;
      const leaf = s.certs?.[0];
      values.subjectCN = leaf?.subjectCN?.[0] ?? null;
      values.certSha1 = leaf?.hash ? fingerprintText(leaf.hash) : null;
    }
    return { client: s.client, server: s.server, values };
  });
  return { peer: 'arkime', conns, udp: rdp.length - tcp.length };
}

function tsharkView(c: Capture): PeerView {
  const streams = parseTsharkSummary(read(tsharkFile(c)));
  // streams are listed when on port 3389 or decoded as TPKT/COTP; a COTP stream that is not RDP says so
  const rdp = streams.filter((s) => s.fields.last_visible_stage !== 'TCP data, not RDP-decoded');
  const tcp = rdp.filter((s) => s.transport === 'tcp');
  const conns = tcp.map((s) => {
    const cookie = s.fields.cookie;
    return {
      client: s.client, server: s.server,
      values: {
        cookie: cookie === undefined ? null : cookie.startsWith(COOKIE_PREFIX) ? cookie.slice(COOKIE_PREFIX.length) : `token:${cookie}`,
        requested: tsharkProtocols(s.fields.requested),
        selected: tsharkProtocols(s.fields.selected),
        failure: s.fields.failure ?? null,
        stream: String(s.index + 1),
        // versions TShark saw in the handshake records; absent when it saw no TLS
        tlsVersion: s.fields.tls_versions === undefined ? null : parseTsharkList(s.fields.tls_versions).map(tlsVersionText).join('+') || null,
      },
    };
  });
  return { peer: 'tshark', conns, udp: rdp.length - tcp.length };
}

export function peerViews(c: Capture): PeerView[] {
  const views: PeerView[] = [];
  if (c.zeek) views.push(zeekView(c.zeek));
  if (c.suricata) views.push(suricataView(c.suricata));
  if (c.arkime) views.push(arkimeView(c.arkime));
  if (c.ndpi) views.push(ndpiView(c.ndpi));
  views.push(tsharkView(c));
  return views;
}

// ---------------------------------------------------------------------------------------------
// What rdpscope says.

export interface ScopeConn {
  id: number; client: Endpoint; server: Endpoint; negotiation: NegotiationSummary; tls?: TlsSummary; verdict: Verdict;
  /** the JSON `rdp.encryption` (Standard RDP Security: the server certificate of the Server Security Data) */
  rdpEncryption?: RdpEncryption;
  /** not in the JSON: the X.509 chain of the Server Security Data (Standard RDP Security), as decoded, wire order (server's last) */
  rdpCertificates?: CertInfo[];
}

/** Each connection as `rdpscope analyze --json` reports it (connectionReport, default options). */
export function rdpscope(c: Capture): ScopeConn[] {
  const bytes = new Uint8Array(readFileSync(join(CORPUS, c.file)));
  return replayBytes(bytes).flatMap((item) => {
    if (item.type !== 'connection') return [];
    const r = connectionReport(item.events, item.verdict);
    const cert = collectFacts(item.events).rdp.connectResponse?.value.serverData?.security?.certificate;
    return [{
      id: item.flow.id, client: item.flow.client, server: item.flow.server, negotiation: r.negotiation, ...(r.tls ? { tls: r.tls } : {}), verdict: r.verdict,
      ...(r.rdp?.encryption ? { rdpEncryption: r.rdp.encryption } : {}),
      ...(cert?.kind === 'x509' ? { rdpCertificates: cert.chain.map(parseCertificate) } : {}),
    }];
  });
}

export function scopeValue(c: ScopeConn, f: Field): string | null {
  const n = c.negotiation;
  switch (f) {
    case 'cookie': return n.cookie ?? (n.routingToken === undefined ? null : `token:${n.routingToken}`);
    case 'requested': return n.requestedProtocols ? protocols(n.requestedProtocols.names) : null;
    case 'selected': return n.selectedProtocol?.name ?? null;
    case 'failure': return n.failureCode?.name ?? null;
    case 'stream': return String(c.id);
    case 'tlsVersion': return c.tls?.version ?? null;
    case 'cipher': return c.tls?.cipherSuite?.name ?? null;
    case 'sni': return c.tls?.offered?.serverName ?? null;
    case 'established': return c.tls ? (c.tls.handshake === 'completed' ? 'T' : 'F') : null;
  }
  // the TLS leaf, else (Standard RDP Security) the server's X.509 certificate of the Server Security Data
  const leaf = c.tls?.certificate?.chain[0] ?? c.rdpEncryption?.chain?.[0];
  switch (f) {
    case 'subject': return leaf ? dnText(leaf.subject) : null;
    case 'issuer': return leaf ? dnText(leaf.issuer) : null;
    case 'subjectCN': return leaf?.subjectCN ?? null;
    case 'certSha256': return leaf ? fingerprintText(leaf.sha256) : null;
    case 'certSha1': return leaf ? fingerprintText(leaf.sha1) : null;
    case 'notBefore': return leaf?.notBefore ?? null;
    case 'notAfter': return leaf?.notAfter ?? null;
    // the RDP server key as rdpscope reports it (rdp.encryption.keyBits), else the TLS leaf's
    case 'keyBits': return c.rdpEncryption?.keyBits !== undefined && !c.tls?.certificate ? String(c.rdpEncryption.keyBits) : leaf?.keyBits ? String(leaf.keyBits) : null;
  }
}

// ---------------------------------------------------------------------------------------------
// Comparison: every peer connection is matched to an rdpscope connection by 4-tuple (in order when
// a 4-tuple repeats), else by the client endpoint alone (reported as a `server` difference), else
// by order for peers that give no endpoints. Unmatched connections on either side are differences.

export interface Difference {
  capture: number;
  /** the client endpoint, or "#i" (the i-th connection) for peers that give none */
  conn: string;
  peer: Peer;
  field: Field | 'connection' | 'server';
  peerValue: string;
  rdpscope: string;
}

/** compared/agreed count everything; tlsCompared/tlsAgreed the TLS_FIELDS among them */
export interface Tally { peer: Peer; conns: number; udp: number; compared: number; agreed: number; tlsCompared: number; tlsAgreed: number }

const show = (v: string | null): string => (v === null ? '(none)' : JSON.stringify(v));
const same = (a?: Endpoint, b?: Endpoint): boolean => !!a && !!b && a.ip === b.ip && a.port === b.port;

export function compare(c: Capture, scope: ScopeConn[], view: PeerView): { diffs: Difference[]; tally: Tally } {
  const diffs: Difference[] = [];
  const tally: Tally = { peer: view.peer, conns: view.conns.length, udp: view.udp, compared: 0, agreed: 0, tlsCompared: 0, tlsAgreed: 0 };
  const used = new Set<ScopeConn>();
  const free = (pred: (s: ScopeConn) => boolean): ScopeConn | undefined => scope.find((s) => !used.has(s) && pred(s));
  view.conns.forEach((p, i) => {
    const conn = p.client ? endpointText(p.client) : `#${i + 1}`;
    const diff = (field: Difference['field'], peerValue: string, ours: string): void => {
      diffs.push({ capture: c.n, conn, peer: view.peer, field, peerValue, rdpscope: ours });
    };
    const s = p.client
      ? free((x) => same(x.client, p.client) && same(x.server, p.server)) ?? free((x) => same(x.client, p.client))
      : free(() => true);
    tally.compared++;
    if (!s) return diff('connection', 'present', 'absent');
    used.add(s);
    if (p.server && !same(s.server, p.server)) diff('server', endpointText(p.server), endpointText(s.server));
    else tally.agreed++;
    for (const f of FIELDS) {
      if (!(f in p.values)) continue;
      const theirs = p.values[f] ?? null;
      const ours = scopeValue(s, f);
      const tls = TLS_FIELDS.includes(f);
      tally.compared++;
      if (tls) tally.tlsCompared++;
      if (theirs === ours) {
        tally.agreed++;
        if (tls) tally.tlsAgreed++;
      } else diff(f, show(theirs), show(ours));
    }
  });
  for (const s of scope) {
    if (used.has(s)) continue;
    tally.compared++;
    diffs.push({ capture: c.n, conn: endpointText(s.client), peer: view.peer, field: 'connection', peerValue: 'absent', rdpscope: 'present' });
  }
  return { diffs, tally };
}

/** The lines of a peer's own files that speak of one connection (for wording checks). */
export function peerLines(c: Capture, peer: Peer, client: string): string[] {
  const [ip, port] = [client.slice(0, client.lastIndexOf(':')), client.slice(client.lastIndexOf(':') + 1)];
  const texts: string[] = [];
  if (peer === 'zeek' && c.zeek) {
    for (const f of readdirSync(join(CORPUS, 'zeek/Baseline', c.zeek))) texts.push(read('zeek/Baseline', c.zeek, f));
    return texts.flatMap((t) => t.split('\n')).filter((l) => l.includes(`${ip}\t${port}\t`));
  }
  if (peer === 'ndpi' && c.ndpi) return read('ndpi/result', c.ndpi).split('\n').filter((l) => l.includes(` ${client} `));
  if (peer === 'tshark') {
    const s = parseTsharkSummary(read(tsharkFile(c))).filter((x) => endpointText(x.client) === client);
    return s.flatMap((x) => Object.entries(x.fields).map(([k, v]) => `${k}: ${v}`));
  }
  throw new Error(`no wording source for ${peer} on capture #${c.n}`);
}
