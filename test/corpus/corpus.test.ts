// Corpus agreement: rdpscope against what Zeek, Suricata, Arkime, nDPI and TShark expect on the
// public captures (shared/corpus/public/INVENTORY.md). Every difference must be a known, explained
// one (KNOWN below, docs/corpus-agreement.md); a new difference, or a known one that disappears, fails.
import { afterAll, describe, expect, it } from 'vitest';
import {
  CAPTURES, CORPUS, compare, corpusPresent, peerLines, peerViews, rdpscope,
  type Capture, type Difference, type Peer, type ScopeConn, type Tally,
} from './corpus.js';
import { dnText, endpointText, fingerprintText } from './peers.js';

type Known = Difference & { reason: string };

const LEGACY = 'no RDP_NEG_REQ/RSP on the wire (legacy client and server): TShark shows no field; rdpscope reports the implied PROTOCOL_RDP ([MS-RDPBCGR] 2.2.1.1) and flags the Confirm as legacy (row 12)';
const DPD = "Zeek enables its RDP analyzer off port 3389 only when the server's reply matches its DPD signature (an X.224 CC or MCS response); the honeypot's 9-byte reply does not, so no rdp.log. rdpscope recognises the Connection Request by content on any port";

/** Known, explained differences: [capture #, conn, peer, field, peer value, rdpscope value, reason]. */
const KNOWN: Known[] = ([
  [10, '62.122.184.123:7488', 'zeek', 'connection', 'absent', 'present', DPD],
  [13, '10.150.9.21:1685', 'tshark', 'requested', '(none)', '"RDP"', LEGACY],
  [13, '10.150.9.21:1685', 'tshark', 'selected', '(none)', '"RDP"', LEGACY],
  [17, '10.226.41.226:13178', 'tshark', 'requested', '(none)', '"RDP"', LEGACY],
  [17, '10.226.41.226:13178', 'tshark', 'selected', '(none)', '"RDP"', LEGACY],
  [18, '10.0.0.3:2276', 'arkime', 'cookie', '"xxx"', '"XXX"', 'Arkime stores the cookie user name lowercased (arkime_field_string_add_lower); rdpscope and TShark keep it as sent'],
] as const).map(([capture, conn, peer, field, peerValue, rdpscope, reason]) => ({ capture, conn, peer, field, peerValue, rdpscope, reason }));

/** Verdicts INVENTORY.md makes clear, with the words of a peer's own output that back them where there are any. */
interface VerdictCase {
  n: number;
  client: string;
  status: 'ok' | 'failed' | 'undetermined';
  row?: number;
  failedStage?: string;
  endedBy?: string;
  reached?: string;
  peerSays?: [Peer, string];
}
const VERDICTS: VerdictCase[] = [
  { n: 1, client: '172.21.128.16:1311', status: 'failed', row: 9, failedStage: 'x224', endedBy: 'negotiation-failure', peerSays: ['zeek', 'SSL_NOT_ALLOWED_BY_SERVER'] },
  { n: 1, client: '172.21.128.16:1312', status: 'ok', reached: 'mcs-connect', peerSays: ['zeek', 'Success'] },
  { n: 4, client: '192.168.1.1:54990', status: 'ok', reached: 'mcs-connect', peerSays: ['tshark', 'last_visible_stage: MCS Connect Response'] },
  { n: 5, client: '192.168.1.1:54990', status: 'undetermined', reached: 'mcs-connect', endedBy: 'capture-end', peerSays: ['tshark', 'last_visible_stage: MCS Connect Initial'] },
  { n: 6, client: '10.0.0.1:45257', status: 'failed', row: 11, failedStage: 'x224', peerSays: ['zeek', 'RDP_Negotiation_Response:length'] },
  { n: 10, client: '62.122.184.123:7488', status: 'failed', row: 5, failedStage: 'x224', peerSays: ['tshark', 'last_visible_stage: X.224 CR only'] },
  { n: 13, client: '10.150.9.21:1685', status: 'ok', row: 12, reached: 'mcs-connect' },
  { n: 15, client: '192.168.1.178:43067', status: 'failed', row: 2, failedStage: 'tcp', endedBy: 'refused', peerSays: ['ndpi', 'Connection refused (server)'] },
  { n: 16, client: '172.16.0.8:36050', status: 'failed', row: 3, failedStage: 'tcp', endedBy: 'no-answer', peerSays: ['ndpi', 'Unidirectional Traffic'] },
  { n: 16, client: '172.16.0.8:36051', status: 'failed', row: 3, failedStage: 'tcp', endedBy: 'no-answer', peerSays: ['ndpi', 'Unidirectional Traffic'] },
  { n: 17, client: '10.226.41.226:13178', status: 'ok', row: 12, reached: 'mcs-connect' },
  // INVENTORY: "the third CredSSP message (client, would carry the NTLM AUTHENTICATE) is answered by a TLS alert"
  { n: 14, client: '91.238.181.21:35888', status: 'failed', row: 21, failedStage: 'credssp' },
];

const key = (d: Difference): string => `#${d.capture} ${d.conn} ${d.peer} ${d.field}: ${d.peerValue} vs ${d.rdpscope}`;
const summary: { c: Capture; scope: number; tallies: Tally[]; diffs: Difference[] }[] = [];

if (!corpusPresent()) {
  it('finds the public corpus', () => {
    expect.fail(`public capture corpus not found at ${CORPUS} (INVENTORY.md missing). Set RDPSCOPE_CORPUS to shared/corpus/public, relative to the project root or absolute.`);
  });
} else {
  const scopes = new Map<number, ScopeConn[]>(CAPTURES.map((c) => [c.n, rdpscope(c)]));
  const scopeOf = (n: number): ScopeConn[] => scopes.get(n)!;

  describe.each(CAPTURES.map((c) => [`#${c.n} ${c.file}`, c] as const))('%s', (_name, c) => {
    const views = peerViews(c);
    const results = views.map((v) => compare(c, scopeOf(c.n), v));
    const diffs = results.flatMap((r) => r.diffs);
    summary.push({ c, scope: scopeOf(c.n).length, tallies: results.map((r) => r.tally), diffs });

    if (c.udpOnly) {
      it('has RDP over UDP only: rdpscope finds no TCP RDP connection (RDPEUDP is not analysed)', () => {
        expect(scopeOf(c.n)).toEqual([]);
        expect(views.reduce((n, v) => n + v.udp, 0)).toBeGreaterThan(0);
        expect(views.every((v) => v.conns.length === 0)).toBe(true);
      });
    } else {
      it('has TCP RDP connections, seen by rdpscope and the peers', () => {
        expect(views.some((v) => v.conns.length > 0)).toBe(true);
      });
    }

    it('agrees with every peer, but for the known differences', () => {
      const expected = KNOWN.filter((k) => k.capture === c.n).map(key).sort();
      expect(diffs.map(key).sort()).toEqual(expected);
    });
  });

  describe('verdicts that INVENTORY.md makes clear', () => {
    it.each(VERDICTS.map((v) => [`#${v.n} ${v.client}`, v] as const))('%s', (_name, v) => {
      const c = CAPTURES.find((x) => x.n === v.n)!;
      const conns = scopeOf(v.n).filter((s) => endpointText(s.client) === v.client);
      expect(conns).toHaveLength(1);
      const verdict = conns[0]!.verdict;
      expect(verdict.status).toBe(v.status);
      expect(verdict.row?.id).toBe(v.row);
      expect(verdict.failedStage).toBe(v.failedStage);
      if (v.endedBy) expect(verdict.endedBy?.how).toBe(v.endedBy);
      if (v.reached) expect(verdict.stagesReached).toContain(v.reached);
      if (v.peerSays) expect(peerLines(c, v.peerSays[0], v.client).join('\n')).toContain(v.peerSays[1]);
    });
  });

  it("#4: rdp.encryption.chain[0] is the server certificate of the Server Security Data (the last on the wire), Zeek x509.log's leaf", () => {
    const c = CAPTURES.find((x) => x.n === 4)!;
    const [conn] = scopeOf(4);
    const zeek = peerViews(c).find((v) => v.peer === 'zeek')!.conns[0]!.values;
    const wire = conn!.rdpCertificates!;
    expect(wire).toHaveLength(2);
    // the JSON lists the chain leaf first, as tls.certificate.chain
    expect(conn!.rdpEncryption).toMatchObject({ certificate: 'x509', keyBits: 512, chain: [...wire].reverse() });
    expect(conn!.rdpEncryption!.chainProblems).toBeUndefined();
    const leaf = wire.at(-1)!;
    expect({ subject: dnText(leaf.subject), issuer: dnText(leaf.issuer), certSha256: fingerprintText(leaf.sha256), notBefore: leaf.notBefore, notAfter: leaf.notAfter })
      .toEqual({ subject: zeek.subject, issuer: zeek.issuer, certSha256: zeek.certSha256, notBefore: zeek.notBefore, notAfter: zeek.notAfter });
    expect(zeek.keyBits).toBe('512');
  });

  it('#1: the proprietary certificate of the retry connection: a 512-bit key with a valid Terminal Services signature', () => {
    const conn = scopeOf(1).find((s) => endpointText(s.client) === '172.21.128.16:1312')!;
    expect(conn.rdpEncryption).toEqual({ method: 'ENCRYPTION_METHOD_128BIT', level: 'ENCRYPTION_LEVEL_HIGH', certificate: 'proprietary', keyBits: 512, signature: 'valid' });
  });

  it('lists each known difference once, for a capture of the corpus', () => {
    expect(new Set(KNOWN.map(key)).size).toBe(KNOWN.length);
    for (const k of KNOWN) expect(CAPTURES.map((c) => c.n)).toContain(k.capture);
  });

  afterAll(() => {
    const rows = summary.sort((a, b) => a.c.n - b.c.n).map(({ c, scope, tallies, diffs }) => {
      const peers = tallies.map((t) => `${t.peer} ${t.conns}${t.udp ? `+${t.udp}udp` : ''}`).join(', ');
      const compared = tallies.reduce((n, t) => n + t.compared, 0);
      const agreed = tallies.reduce((n, t) => n + t.agreed, 0);
      const known = diffs.filter((d) => KNOWN.some((k) => key(k) === key(d))).length;
      return `| ${c.n} | ${c.file.split('/').pop()} | ${scope} | ${peers} | ${agreed}/${compared} | ${known} | ${diffs.length - known} |`;
    });
    console.log(['', '| # | capture | rdpscope conns | peer conns (TCP RDP) | agreed/compared | known diffs | new diffs |',
      '|---|---|---|---|---|---|---|', ...rows].join('\n'));
    const perPeer = new Map<string, { conns: number; compared: number; agreed: number }>();
    for (const t of summary.flatMap((s) => s.tallies)) {
      const p = perPeer.get(t.peer) ?? { conns: 0, compared: 0, agreed: 0 };
      perPeer.set(t.peer, { conns: p.conns + t.conns, compared: p.compared + t.compared, agreed: p.agreed + t.agreed });
    }
    const tlsRows = [...perPeer.keys()].map((peer) => {
      const ts = summary.flatMap((s) => s.tallies.filter((t) => t.peer === peer));
      return `| ${peer} | ${perPeer.get(peer)!.conns} | ${perPeer.get(peer)!.agreed}/${perPeer.get(peer)!.compared} | ${ts.reduce((n, t) => n + t.tlsAgreed, 0)}/${ts.reduce((n, t) => n + t.tlsCompared, 0)} |`;
    });
    console.log(['', '| peer | conns (TCP RDP) | agreed/compared (all) | of which TLS fields |', '|---|---|---|---|', ...tlsRows].join('\n'));
    const all = summary.flatMap((s) => s.diffs);
    if (all.length) console.log(['', 'Differences:', ...all.map(key)].join('\n'));
  });
}
