// The matching and comparison used by the corpus check: it must report what differs.
import { describe, expect, it } from 'vitest';
import { compare, type Capture, type PeerView, type ScopeConn } from './corpus.js';

const capture: Capture = { n: 99, file: 'x.pcap' };
const ep = (s: string) => ({ ip: s.split(':')[0]!, port: Number(s.split(':')[1]) });

function conn(id: number, client: string, server: string, cookie?: string): ScopeConn {
  return {
    id, client: ep(client), server: ep(server),
    negotiation: { ...(cookie === undefined ? {} : { cookie }), requestedProtocols: { raw: 3, names: ['SSL', 'HYBRID'], unknownBits: 0 }, selectedProtocol: { raw: 2, name: 'HYBRID' } },
    verdict: { status: 'ok', summary: '', stagesReached: [], analysedThrough: 'x224', evidence: [], remedy: [], findings: [] },
  };
}
const scope = [conn(1, '10.0.0.1:1000', '10.0.0.2:3389', 'alice'), conn(2, '10.0.0.1:1001', '10.0.0.2:3389')];

describe('compare', () => {
  it('agrees field by field, protocol sets in any order, none with none', () => {
    const view: PeerView = { peer: 'tshark', udp: 0, conns: [
      { client: ep('10.0.0.1:1000'), server: ep('10.0.0.2:3389'), values: { cookie: 'alice', requested: 'SSL+HYBRID', selected: 'HYBRID', failure: null, stream: '1' } },
      { client: ep('10.0.0.1:1001'), server: ep('10.0.0.2:3389'), values: { cookie: null } },
    ] };
    const r = compare(capture, scope, view);
    expect(r.diffs).toEqual([]);
    expect(r.tally).toMatchObject({ conns: 2, compared: 8, agreed: 8 });
  });

  it('reports a different value, a missing and an extra connection, and a different server', () => {
    const view: PeerView = { peer: 'zeek', udp: 0, conns: [
      { client: ep('10.0.0.1:1000'), server: ep('10.0.0.9:3389'), values: { cookie: 'ALICE' } },
      { client: ep('10.0.0.1:2000'), server: ep('10.0.0.2:3389'), values: {} },
    ] };
    expect(compare(capture, scope, view).diffs).toEqual([
      { capture: 99, conn: '10.0.0.1:1000', peer: 'zeek', field: 'server', peerValue: '10.0.0.9:3389', rdpscope: '10.0.0.2:3389' },
      { capture: 99, conn: '10.0.0.1:1000', peer: 'zeek', field: 'cookie', peerValue: '"ALICE"', rdpscope: '"alice"' },
      { capture: 99, conn: '10.0.0.1:2000', peer: 'zeek', field: 'connection', peerValue: 'present', rdpscope: 'absent' },
      { capture: 99, conn: '10.0.0.1:1001', peer: 'zeek', field: 'connection', peerValue: 'absent', rdpscope: 'present' },
    ]);
  });

  it('compares the TLS fields with the tls summary, names and fingerprints normalised', () => {
    const leaf = { subject: 'CN=srv, O=Example', subjectCN: 'srv', issuer: 'CN=ca', sha256: 'AB:CD', sha1: '01:02' };
    const tls = {
      handshake: 'completed', version: 'TLS 1.2', cipherSuite: { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }, alerts: [],
      offered: { versions: ['TLS 1.2'], cipherSuites: 10, groups: [], serverName: 'srv' },
      certificate: { source: 'wire', chain: [leaf], trust: 'self-signed', findings: [] },
    } as unknown as ScopeConn['tls'];
    const withTls = [{ ...scope[0]!, tls }, scope[1]!];
    const view: PeerView = { peer: 'zeek', udp: 0, conns: [
      { client: ep('10.0.0.1:1000'), server: ep('10.0.0.2:3389'), values: {
        tlsVersion: 'TLS 1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', sni: 'srv', established: 'T',
        subject: 'CN=srv,O=Example', issuer: 'CN=ca', subjectCN: 'srv', certSha256: 'abcd', certSha1: '0102',
      } },
      { client: ep('10.0.0.1:1001'), server: ep('10.0.0.2:3389'), values: { tlsVersion: 'TLS 1.0', subject: null } },
    ] };
    const r = compare(capture, withTls, view);
    expect(r.diffs).toEqual([{ capture: 99, conn: '10.0.0.1:1001', peer: 'zeek', field: 'tlsVersion', peerValue: '"TLS 1.0"', rdpscope: '(none)' }]);
    expect(r.tally).toMatchObject({ compared: 13, agreed: 12, tlsCompared: 11, tlsAgreed: 10 });
  });

  it("compares the certificate fields with rdp.encryption's X.509 server certificate when there is no TLS (Standard RDP Security)", () => {
    const leaf = { subject: 'CN=srv', issuer: 'CN=ca', sha256: 'AB:CD', sha1: '01:02', notBefore: '2013-04-05T15:15:55Z', notAfter: '2016-12-31T23:59:59Z', keyBits: 0 };
    const rdpEncryption = { method: 'ENCRYPTION_METHOD_128BIT', level: 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE', certificate: 'x509', keyBits: 512, chain: [leaf, { subject: 'CN=ca' }] } as unknown as ScopeConn['rdpEncryption'];
    const view: PeerView = { peer: 'zeek', udp: 0, conns: [
      { client: ep('10.0.0.1:1000'), server: ep('10.0.0.2:3389'), values: {
        subject: 'CN=srv', issuer: 'CN=ca', certSha256: 'abcd', notBefore: '2013-04-05T15:15:55Z', notAfter: '2016-12-31T23:59:59Z', keyBits: '512',
      } },
      { client: ep('10.0.0.1:1001'), server: ep('10.0.0.2:3389'), values: { subject: 'CN=srv' } },
    ] };
    const r = compare(capture, [{ ...scope[0]!, rdpEncryption }, scope[1]!], view);
    expect(r.diffs).toEqual([{ capture: 99, conn: '10.0.0.1:1001', peer: 'zeek', field: 'subject', peerValue: '"CN=srv"', rdpscope: '(none)' }]);
    expect(r.tally).toMatchObject({ compared: 9, agreed: 8, tlsCompared: 7, tlsAgreed: 6 });
  });

  it('matches peers that give no endpoints by order', () => {
    const view: PeerView = { peer: 'suricata', udp: 0, conns: [{ values: { cookie: 'alice' } }] };
    const r = compare(capture, scope, view);
    expect(r.diffs).toEqual([{ capture: 99, conn: '10.0.0.1:1001', peer: 'suricata', field: 'connection', peerValue: 'absent', rdpscope: 'present' }]);
  });
});
