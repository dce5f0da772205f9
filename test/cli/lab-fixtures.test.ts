// Our own recordings of real clients against real servers (fixtures/lab, see its README), analyzed
// without any server running.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ndjson } from '../helpers/cli.js';

async function connections(file: string, ports = '3389') {
  const r = await cli('analyze', '--json', '--port', ports, join('fixtures/lab', file));
  return ndjson(r.out).filter((o) => o.schema === 'rdpscope/connection/1');
}
const brief = (c: any) => [c.verdict.status, c.verdict.row?.id ?? null, c.negotiation.selectedProtocol?.name ?? c.negotiation.failureCode?.name ?? null];

describe('recorded real handshakes', () => {
  it('xfreerdp to xrdp negotiate (IPv4 and IPv6): SSL selected, ok', async () => {
    expect((await connections('xfreerdp-xrdp-negotiate-ok.pcap')).map(brief)).toEqual([['ok', null, 'SSL']]);
    const v6 = await connections('xfreerdp-xrdp-negotiate-ipv6.pcap');
    expect(v6.map(brief)).toEqual([['ok', null, 'SSL']]);
    expect(v6[0].client.ip).toBe('::1');
  });

  it('xfreerdp /sec:tls to shadow NLA: row 7; /sec:nla: HYBRID ok', async () => {
    expect((await connections('xfreerdp-tls-to-shadow-nla.pcap')).map(brief)).toEqual([['failed', 7, 'HYBRID_REQUIRED_BY_SERVER']]);
    expect((await connections('xfreerdp-nla-to-shadow-nla-ok.pcap')).map(brief)).toEqual([['ok', null, 'HYBRID']]);
  });

  it('xfreerdp /sec:tls to xrdp rdp-only: RDP selected though not requested, row 11', async () => {
    expect((await connections('xfreerdp-tls-to-xrdp-rdp.pcap')).map(brief)).toEqual([['failed', 11, 'RDP']]);
  });

  it('xfreerdp /sec:rdp to xrdp tls-only: legacy Confirm, then an MCS Disconnect Provider Ultimatum and a reset after the Connect Initial (row 26), twice', async () => {
    const cs = await connections('xfreerdp-rdp-to-xrdp-tls.pcap');
    expect(cs.map(brief)).toEqual([['failed', 26, 'RDP'], ['failed', 26, 'RDP']]);
    expect(cs[0].verdict.summary).toBe('the server sent an MCS Disconnect Provider Ultimatum and reset the connection right after the MCS Connect Initial');
    expect(cs[0].verdict.findings.map((f: { row?: number }) => f.row)).toContain(12);
  });

  it('xfreerdp /cert:deny to an expired certificate (TLS 1.3): it completes TLS, then closes: row 18, inferred', async () => {
    const [c] = await connections('xfreerdp-certdeny-to-xrdp-tls-expired.pcap');
    expect(brief(c)).toEqual(['failed', 18, 'SSL']);
    expect(c.verdict).toMatchObject({ failedStage: 'tls', lastCompletedStage: 'tls', endedBy: { who: 'client', how: 'fin' } });
    expect(c.verdict.evidence.filter((e: any) => e.basis === 'inferred')).toHaveLength(1);
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3', cipherSuite: { name: 'TLS_AES_256_GCM_SHA384' } });
    expect(c.tls.certificateNote).toMatch(/TLS 1\.3 encrypts the certificate/);
  });

  it('xfreerdp +enforce-tlsv1_2 to xrdp TLS 1.3 only: server alert protocol_version, row 15, 0x904/0x7', async () => {
    const [c] = await connections('xfreerdp-tls12-to-xrdp-tls13-only.pcap');
    expect(brief(c)).toEqual(['failed', 15, 'SSL']);
    expect(c.verdict).toMatchObject({ failedStage: 'tls', endedBy: { who: 'server', how: 'tls-alert', packet: 9 }, clientShows: { code: '0x904', extended: '0x7' } });
    expect(c.tls).toMatchObject({ handshake: 'failed', offered: { versions: ['TLS 1.2'] }, alerts: [{ dir: 's2c', name: 'protocol_version', description: 70 }] });
  });

  it('xfreerdp /tls-ciphers:ma to xrdp with one allowed cipher: server alert handshake_failure, row 14, offered suites in the evidence', async () => {
    const [c] = await connections('xfreerdp-cipher-to-xrdp-cipher-mismatch.pcap');
    expect(brief(c)).toEqual(['failed', 14, 'SSL']);
    expect(c.tls.alerts).toEqual([{ dir: 's2c', level: 'fatal', name: 'handshake_failure', description: 40, encrypted: false }]);
    expect(c.verdict.evidence.map((e: any) => e.text).join('\n')).toMatch(/the client offered: TLS_/);
  });

  it('xfreerdp to a closed port (it tries twice): row 2 once the port is named', async () => {
    expect(await connections('xfreerdp-closed-port.pcap')).toEqual([]);
    expect((await connections('xfreerdp-closed-port.pcap', '33898')).map(brief)).toEqual([['failed', 2, null], ['failed', 2, null]]);
  });

  it("nmap rdp-enum-encryption to xrdp tls-only: the MCS data after a negotiation failure does not hide row 8", async () => {
    const cs = await connections('nmap-enum-encryption-to-xrdp-tls.pcap');
    expect(cs.map(brief)).toEqual([
      ['failed', 8, 'SSL_REQUIRED_BY_SERVER'], ['ok', null, 'SSL'], ['failed', 8, 'SSL_REQUIRED_BY_SERVER'],
      ['failed', 8, 'SSL_REQUIRED_BY_SERVER'], ['undetermined', null, 'SSL'], ['failed', 26, 'RDP'],
    ]);
    expect(cs[0].timeline.map((e: any) => e.what)).toContain('X.224 Data');
  });
});
