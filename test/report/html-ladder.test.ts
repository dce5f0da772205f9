// The ladder diagram: arrows from real captures and scenario probes, the failure point, collapsed runs
// and capped long timelines.
import { describe, expect, it } from 'vitest';
import { ladderItems, renderLadder, type LadderItem, type LadderRow } from '../../src/report/html-ladder.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import { CERTDENY, fixtureConnections, only } from './html-inputs.js';
import { probeScenario } from '../server/scenario-probe.js';

const rows = (items: LadderItem[]): LadderRow[] => items.flatMap((i) => (i.type === 'row' ? [i.row] : []));
const marked = (items: LadderItem[]) => rows(items).filter((r) => r.mark);

describe('ladder rows from captures', () => {
  it('a client refusing the certificate: FIN marked failed, evidence on the ClientHello and the encrypted alert', () => {
    const c = only(CERTDENY);
    const items = ladderItems(c.events, c.verdict);
    const all = rows(items);
    expect(all.slice(0, 2).map((r) => [r.entry.what, r.dir, r.kind])).toEqual([
      ['SYN (connect started)', 'c2s', 'arrow'], ['SYN/ACK: connection accepted', 's2c', 'arrow'],
    ]);
    expect(marked(items).map((r) => [r.entry.what, r.entry.packet, r.mark, r.dir, r.kind])).toEqual([['FIN', 16, 'fail', 'c2s', 'close']]);
    const withEvidence = all.filter((r) => r.evidence.length).map((r) => [r.entry.what, r.entry.packet, r.evidence[0]!.basis]);
    expect(withEvidence).toEqual([['TLS ClientHello', 8, 'observed'], ['TLS encrypted alert', 15, 'observed']]);
    // the server's four encrypted handshake records in packet 9 are one arrow
    const run = all.find((r) => r.count > 1)!;
    expect([run.entry.what, run.count, run.dir, run.entry.packet, run.lastPacket]).toEqual(['TLS encrypted handshake', 4, 's2c', 9, 9]);
    expect(run.entry.detail).toBe('4 in a row; the first: 23 bytes: server handshake flight');
    expect(all).toHaveLength(18 - 3);
    expect(items.some((i) => i.type === 'gap')).toBe(false);
  });

  it('a negotiation failure marks the Confirm, not the closes after it', () => {
    const [refused] = fixtureConnections('pcaps/rdp-proprietary-encryption.pcap');
    expect(marked(ladderItems(refused!.events, refused!.verdict)).map((r) => [r.entry.what, r.entry.packet])).toEqual([['Server X.224 Connection Confirm', 5]]);
  });

  it('a TLS alert ends it at the alert record', () => {
    const c = only('lab/xfreerdp-cipher-to-xrdp-cipher-mismatch.pcap');
    expect(c.verdict.endedBy?.how).toBe('tls-alert');
    expect(marked(ladderItems(c.events, c.verdict)).map((r) => [r.entry.what, r.entry.packet, r.entry.level])).toEqual([['TLS Alert', 9, 'error']]);
  });

  it('an ok connection has no mark; an undetermined one is marked "end"', () => {
    const ok = only('lab/xfreerdp-xrdp-negotiate-ok.pcap');
    expect(ok.verdict.status).toBe('ok');
    expect(marked(ladderItems(ok.events, ok.verdict))).toEqual([]);
    const und = only('pcaps/rdp-no-cookie-mstshash.pcap');
    expect(und.verdict.status).toBe('undetermined');
    expect(marked(ladderItems(und.events, und.verdict)).map((r) => [r.entry.what, r.entry.packet, r.mark])).toEqual([['RST', 19, 'end']]);
  });
});

describe('ladder rows from scenario probes', () => {
  it('a silent server: the timeout is the failure point', async () => {
    const r = await probeScenario('ssl-silent', {});
    const m = marked(ladderItems(r.events, r.verdict));
    expect(m.map((x) => [x.entry.what, x.kind, x.mark])).toEqual([['timeout', 'timeout', 'fail']]);
  });

  it('an expired certificate read live: the TLS session row carries the evidence and the mark', async () => {
    const r = await probeScenario('tls-expired', { diagnose: { names: ['127.0.0.1'] } });
    expect(r.verdict.row?.id).toBe(16);
    const m = marked(ladderItems(r.events, r.verdict));
    expect(m.map((x) => [x.entry.what, x.kind, x.mark])).toEqual([['TLS session', 'note', 'fail']]);
    expect(m[0]!.evidence.map((e) => e.text).join('\n')).toMatch(/expired/);
  });

  it('Set Error Info then FIN: the FIN is marked, the Set Error Info carries the evidence', async () => {
    const r = await probeScenario('errinfo-0x7-after-client-info', {});
    const all = rows(ladderItems(r.events, r.verdict));
    expect(all.filter((x) => x.mark).map((x) => [x.entry.what, x.dir])).toEqual([['FIN', 's2c']]);
    expect(all.find((x) => x.entry.what === 'RDP Set Error Info')!.evidence[0]!.text).toMatch(/0x00000007/);
  });
});

describe('long timelines', () => {
  const base = only(CERTDENY);
  const pdu = base.events.find((e) => e.type === 'pdu' && e.name === 'TLS encrypted record')!;
  /** 300 encrypted records, alternating directions so that no run collapses, in packets 1000 up */
  const filler: TrackerEvent[] = Array.from({ length: 300 }, (_, i) => ({ ...pdu, dir: i % 2 ? 'c2s' : 's2c', packet: 1000 + i, at: pdu.at + i } as TrackerEvent));
  const end = base.events.findIndex((e) => e.type === 'pdu' && e.name === 'TLS encrypted alert');
  const events = [...base.events.slice(0, end), ...filler, ...base.events.slice(end)];

  it('keeps the head, the tail and the rows around the failure, with "N more" gaps', () => {
    const verdict = { ...base.verdict, endedBy: { who: 'server' as const, how: 'fin' as const, packet: 1150 }, evidence: [] };
    const items = ladderItems(events, verdict);
    const gaps = items.flatMap((i) => (i.type === 'gap' ? [i.hidden] : []));
    expect(gaps).toHaveLength(2);
    expect(rows(items).length + gaps.reduce((a, b) => a + b, 0)).toBe(ladderItems(events, base.verdict).reduce((n, i) => n + (i.type === 'gap' ? i.hidden : 1), 0));
    expect(rows(items).filter((r) => r.entry.packet !== undefined && r.entry.packet >= 1149 && r.entry.packet <= 1151).map((r) => r.entry.packet)).toEqual([1149, 1150, 1151]);
    expect(marked(items).map((r) => r.entry.packet)).toEqual([1150]);
    expect(rows(items).at(-1)!.entry.what).toBe('RST');
    expect(renderLadder(events, verdict, 'c1')).toContain(`⋯ ${gaps[0]} more not drawn`);
  });

  it('collapses a run of identical PDUs into one arrow', () => {
    const same = filler.map((e) => ({ ...e, dir: 's2c' } as TrackerEvent));
    const list = [...base.events.slice(0, end), ...same, ...base.events.slice(end)];
    // the capture's own two records from the server (packets 11 and 12) start the run
    const run = rows(ladderItems(list, base.verdict)).find((r) => r.count > 1 && r.entry.what === 'TLS encrypted record')!;
    expect([run.count, run.entry.packet, run.lastPacket]).toEqual([302, 11, 1299]);
    expect(run.entry.detail).toBe('302 in a row, packets 11-1299; the first: 250 bytes of encrypted application data');
    const svg = renderLadder(list, base.verdict, 'c1');
    expect(svg).toContain('TLS encrypted record ×302');
    expect(svg).toContain('pkt 11-1299');
    expect(svg).not.toContain('more not drawn');
  });
});

describe('the SVG', () => {
  it('draws one line per arrow, with ids unique to the connection, and the failure in red', () => {
    const c = only(CERTDENY);
    const svg = renderLadder(c.events, c.verdict, 'conn-3');
    const arrows = Number(/data-arrows="(\d+)"/.exec(svg)![1]);
    expect(arrows).toBe(15);
    expect(svg.match(/<line class="msg"/g)).toHaveLength(arrows);
    expect(svg).toContain('<marker id="conn-3-ah-fail"');
    expect(svg).not.toMatch(/id="ah/);
    const fail = /<g class="row close info fail" data-packet="16">(.*?)<\/g>/.exec(svg)![1]!;
    expect(fail).toContain('marker-end="url(#conn-3-ah-fail)"');
    expect(fail).toContain('>FIN</text>');
    expect(fail).toContain('class="ev summary fail"');
    expect(fail).toContain('✗ the client closed the TLS session right after the handshake');
    expect(svg).toContain('<text class="stage" x="8" y="');
    expect(svg).toMatch(/<rect class="band failed"[^>]*\/><text class="stage"[^>]*>tls ✗<\/text>/);
  });
});
