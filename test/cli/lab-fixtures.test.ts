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

  it('xfreerdp /sec:rdp to xrdp tls-only: legacy Confirm, then a server reset in mcs-connect, twice', async () => {
    expect((await connections('xfreerdp-rdp-to-xrdp-tls.pcap')).map(brief)).toEqual([['undetermined', 12, 'RDP'], ['undetermined', 12, 'RDP']]);
  });

  it('xfreerdp to a closed port (it tries twice): row 2 once the port is named', async () => {
    expect(await connections('xfreerdp-closed-port.pcap')).toEqual([]);
    expect((await connections('xfreerdp-closed-port.pcap', '33898')).map(brief)).toEqual([['failed', 2, null], ['failed', 2, null]]);
  });

  it("nmap rdp-enum-encryption to xrdp tls-only: the MCS data after a negotiation failure does not hide row 8", async () => {
    const cs = await connections('nmap-enum-encryption-to-xrdp-tls.pcap');
    expect(cs.map(brief)).toEqual([
      ['failed', 8, 'SSL_REQUIRED_BY_SERVER'], ['ok', null, 'SSL'], ['failed', 8, 'SSL_REQUIRED_BY_SERVER'],
      ['failed', 8, 'SSL_REQUIRED_BY_SERVER'], ['undetermined', null, 'SSL'], ['undetermined', 12, 'RDP'],
    ]);
    expect(cs[0].timeline.map((e: any) => e.what)).toContain('X.224 Data');
  });
});
