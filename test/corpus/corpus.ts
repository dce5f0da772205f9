// The public capture corpus (shared/corpus/public, INVENTORY.md): which captures, which peer files
// go with each, what each peer says per connection, what rdpscope says, and where they differ.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { negotiationSummary, type NegotiationSummary } from '../../src/analyze/summary.js';
import type { Verdict } from '../../src/analyze/verdict.js';
import { replayBytes } from '../../src/capture/replay.js';
import {
  endpointText, ndpiIsRdp, parseArkimeTest, parseNdpiOut, parseSuricataChecks, parseTsharkSummary, parseZeekLog, zeekTuple,
  type Endpoint,
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
/** stream: rdpscope's connection number, which is TShark's tcp.stream + 1 */
export type Field = 'cookie' | 'requested' | 'selected' | 'failure' | 'stream';
export const FIELDS: readonly Field[] = ['cookie', 'requested', 'selected', 'failure', 'stream'];
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
    if (!conns.has(key) || Object.keys(values).length) conns.set(key, { ...t, values });
  };
  const logs = readdirSync(join(CORPUS, 'zeek/Baseline', dir)).filter((f) => f.endsWith('.log'));
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
      }
    }
  }
  return { peer: 'zeek', conns: [...conns.values()], udp };
}

function ndpiView(out: string): PeerView {
  const rdp = parseNdpiOut(read('ndpi/result', out)).filter(ndpiIsRdp);
  const tcp = rdp.filter((f) => f.transport === 'TCP');
  return { peer: 'ndpi', conns: tcp.map((f) => ({ client: f.client, server: f.server, values: {} })), udp: rdp.length - tcp.length };
}

function suricataView(files: string[]): PeerView {
  const checks = files.flatMap((f) => parseSuricataChecks(read('suricata-verify', f)));
  const flows = checks.find((c) => c.match.event_type === 'flow' && c.match.app_proto === 'rdp');
  const request = checks.find((c) => c.match.event_type === 'rdp' && c.match['rdp.event_type'] === 'initial_request');
  const n = Number(flows?.props.count ?? 0);
  // suricata-verify checks are per event, not per flow: with one RDP flow they are that flow's
  const conns: PeerConn[] = Array.from({ length: n }, () => ({ values: {} }));
  if (request && n === 1) conns[0]!.values.cookie = request.match['rdp.cookie'] === undefined ? null : String(request.match['rdp.cookie']);
  return { peer: 'suricata', conns, udp: 0 };
}

function arkimeView(test: string): PeerView {
  const rdp = parseArkimeTest(read('arkime', test)).filter((s) => s.protocols.includes('rdp') || s.protocols.includes('rdpudp'));
  const tcp = rdp.filter((s) => s.ipProtocol === 6);
  const conns = tcp.map((s) => ({
    client: s.client, server: s.server,
    values: { cookie: s.user?.[0] ?? null, requested: arkimeProtocols(s.requestedProtocols), selected: arkimeProtocols(s.selectedProtocol) },
  }));
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

export interface ScopeConn { id: number; client: Endpoint; server: Endpoint; negotiation: NegotiationSummary; verdict: Verdict }

export function rdpscope(c: Capture): ScopeConn[] {
  const bytes = new Uint8Array(readFileSync(join(CORPUS, c.file)));
  return replayBytes(bytes).flatMap((item) =>
    item.type === 'connection'
      ? [{ id: item.flow.id, client: item.flow.client, server: item.flow.server, negotiation: negotiationSummary(item.events), verdict: item.verdict }]
      : []);
}

export function scopeValue(c: ScopeConn, f: Field): string | null {
  const n = c.negotiation;
  switch (f) {
    case 'cookie': return n.cookie ?? (n.routingToken === undefined ? null : `token:${n.routingToken}`);
    case 'requested': return n.requestedProtocols ? protocols(n.requestedProtocols.names) : null;
    case 'selected': return n.selectedProtocol?.name ?? null;
    case 'failure': return n.failureCode?.name ?? null;
    case 'stream': return String(c.id);
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

export interface Tally { peer: Peer; conns: number; udp: number; compared: number; agreed: number }

const show = (v: string | null): string => (v === null ? '(none)' : JSON.stringify(v));
const same = (a?: Endpoint, b?: Endpoint): boolean => !!a && !!b && a.ip === b.ip && a.port === b.port;

export function compare(c: Capture, scope: ScopeConn[], view: PeerView): { diffs: Difference[]; tally: Tally } {
  const diffs: Difference[] = [];
  const tally: Tally = { peer: view.peer, conns: view.conns.length, udp: view.udp, compared: 0, agreed: 0 };
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
      tally.compared++;
      if (theirs === ours) tally.agreed++;
      else diff(f, show(theirs), show(ours));
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
