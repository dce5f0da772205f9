// Live probes of real RDP servers from Debian packages (xrdp, FreeRDP's shadow server), started on
// loopback by scripts/lab.sh and stopped by PID.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, freePort, startLab, type LabServer } from '../helpers/lab.js';
import { cli } from '../helpers/cli.js';

const servers = new Map<string, LabServer>();
const target = (s: string) => {
  const l = servers.get(s)!;
  return l.host.includes(':') ? `[${l.host}]:${l.port}` : `${l.host}:${l.port}`;
};
async function probe(s: string, ...args: string[]) {
  const r = await cli('probe', target(s), '--json', ...args);
  return { code: r.code, ...JSON.parse(r.out) };
}
async function enumerate(s: string) {
  const j = JSON.parse((await cli('probe', target(s), '--enumerate-protocols', '--json')).out);
  return { nla: j.nla.verdict as string, by: Object.fromEntries(j.protocols.map((p: any) => [p.protocol, p.selected ?? p.failure ?? p.error])) };
}

describeWithTools(['xrdp', 'freerdp-shadow-cli', 'Xvfb', 'winpr-hash', 'openssl', 'root'], 'real servers: live probe', () => {
  beforeAll(async () => {
    const names = ['xrdp-negotiate', 'xrdp-rdp', 'xrdp-tls', 'shadow-nla', 'shadow-tls', 'shadow-rdp'];
    const started = await Promise.all(names.map(async (n) => startLab(n, { port: await freePort() })));
    started.forEach((l) => servers.set(l.scenario, l));
    servers.set('xrdp-negotiate-v6', await startLab('xrdp-negotiate', { ipv6: true, port: await freePort('::1') }));
    servers.set('shadow-nla-v6', await startLab('shadow-nla', { ipv6: true, port: await freePort('::1') }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...servers.values()].map((l) => l.stop()));
  });

  it('xrdp security_layer=negotiate selects SSL for a modern request: X.224 and TLS 1.3 ok, then MCS is next', async () => {
    const r = await probe('xrdp-negotiate', '--no-mcs');
    expect(r.negotiation.selectedProtocol).toEqual({ raw: 1, name: 'SSL' });
    expect(r.verdict).toMatchObject({ lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'mcs-connect'] });
    // the lab certificate is self-signed and not in the system store: ok with the row 17 finding
    expect(r.verdict).toMatchObject({ status: 'ok', row: { id: 17 } });
    expect(r.code).toBe(0);
    expect(r.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3' });
  });

  it('xrdp security_layer=negotiate: NLA not supported (xrdp has no CredSSP)', async () => {
    const e = await enumerate('xrdp-negotiate');
    expect(e.nla).toBe('not supported');
    expect(e.by).toMatchObject({ RDP: 'RDP', SSL: 'SSL', HYBRID: 'SSL', HYBRID_EX: 'SSL' });
  });

  it('xrdp security_layer=rdp answers a TLS/NLA request by selecting RDP: row 11, a protocol not requested', async () => {
    const r = await probe('xrdp-rdp');
    expect(r.code).toBe(1);
    expect(r.verdict).toMatchObject({ status: 'failed', failedStage: 'x224', row: { id: 11 } });
    expect(r.negotiation.selectedProtocol.name).toBe('RDP');
    const ok = await probe('xrdp-rdp', '--protocols', 'RDP', '--no-mcs');
    expect(ok.verdict.status).toBe('ok');
    expect(ok.verdict.stagesReached).toEqual(['tcp', 'x224', 'mcs-connect']);
  });

  it('xrdp security_layer=tls refuses a Standard-RDP-only request: row 8 SSL_REQUIRED_BY_SERVER', async () => {
    const r = await probe('xrdp-tls', '--protocols', 'RDP');
    expect(r.verdict).toMatchObject({ status: 'failed', row: { id: 8 } });
    expect(r.negotiation.failureCode).toEqual({ code: 1, name: 'SSL_REQUIRED_BY_SERVER' });
  });

  it('FreeRDP shadow /sec:nla refuses TLS without CredSSP: row 7 HYBRID_REQUIRED_BY_SERVER; NLA required', async () => {
    const r = await probe('shadow-nla', '--protocols', 'SSL');
    expect(r.verdict).toMatchObject({ status: 'failed', row: { id: 7 } });
    expect(r.verdict.clientShows.code).toBe('0xB09');
    const ok = await probe('shadow-nla');
    expect(ok.verdict.status).toBe('ok');
    expect(['HYBRID', 'HYBRID_EX']).toContain(ok.negotiation.selectedProtocol.name);
    const e = await enumerate('shadow-nla');
    expect(e.nla).toBe('required');
    expect(e.by.HYBRID).toBe('HYBRID');
  });

  it('FreeRDP shadow /sec:tls and /sec:rdp select what they are configured for', async () => {
    expect((await probe('shadow-tls')).negotiation.selectedProtocol.name).toBe('SSL');
    expect((await enumerate('shadow-tls')).nla).toBe('not supported');
    const rdp = await probe('shadow-rdp', '--protocols', 'RDP');
    expect(rdp.verdict.status).toBe('ok');
    expect(rdp.negotiation.selectedProtocol.name).toBe('RDP');
  });

  it('probes over IPv6 (::1) the same way', async () => {
    const x = await probe('xrdp-negotiate-v6');
    expect(x.target).toMatchObject({ address: '::1', family: 6 });
    expect(x.negotiation.selectedProtocol.name).toBe('SSL');
    const s = await probe('shadow-nla-v6', '--protocols', 'SSL');
    expect(s.verdict.row.id).toBe(7);
  });
});
