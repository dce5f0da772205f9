// Real xfreerdp connections to real servers, recorded with tshark/dumpcap on loopback, then analyzed
// offline: the capture driver must reach the same verdicts as the live probe.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureClient, describeWithTools, freePort, LAB_PASSWORD, LAB_USER, startLab, type LabServer } from '../helpers/lab.js';
import { cli, ndjson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rdpscope-real-'));
const labs = new Map<string, LabServer>();

/** Records one xfreerdp run against `server` and returns rdpscope's NDJSON connections for it. */
async function record(name: string, port: number, args: string[], timeoutSec = 15, host = '127.0.0.1') {
  const pcap = join(dir, `${name}.pcap`);
  const client = await captureClient(pcap, port, [`/v:${host}:${port}`, ...args], timeoutSec);
  const r = await cli('analyze', '--json', '--port', `3389,${port}`, pcap);
  const connections = ndjson(r.out).filter((o) => o.schema === 'rdpscope/connection/1');
  expect(connections.length, `xfreerdp exit ${client.exitCode}\n${client.stderr.slice(-1500)}`).toBeGreaterThan(0);
  return { client, pcap, connections };
}

/** Records one rdesktop run (no auth-only mode: the lab's timeout ends it, exit 124) against `port`. */
async function recordRdesktop(name: string, port: number, timeoutSec = 4) {
  const pcap = join(dir, `${name}.pcap`);
  const client = await captureClient(pcap, port, ['-u', LAB_USER, `127.0.0.1:${port}`], timeoutSec, {}, 'rdesktop');
  expect(client.exitCode, client.stderr.slice(-1500)).toBe(124);
  const r = await cli('analyze', '--json', '--port', `3389,${port}`, pcap);
  return ndjson(r.out).filter((o) => o.schema === 'rdpscope/connection/1');
}

describeWithTools(['xfreerdp', 'rdesktop', 'xrdp', 'freerdp-shadow-cli', 'Xvfb', 'dumpcap', 'root'], 'real servers: xfreerdp and rdesktop captures analyzed offline', () => {
  beforeAll(async () => {
    for (const n of ['xrdp-negotiate', 'xrdp-tls', 'xrdp-rdp', 'xrdp-rdp-fips', 'shadow-nla']) labs.set(n, await startLab(n, { port: await freePort() }));
  }, 120_000);
  afterAll(async () => { await Promise.all([...labs.values()].map((l) => l.stop())); });

  it('xfreerdp /auth-only to xrdp negotiate: SSL selected, TLS completes, the connection goes on into MCS (ok)', async () => {
    const { connections } = await record('xrdp-negotiate-ok', labs.get('xrdp-negotiate')!.port, ['/auth-only', `/u:${LAB_USER}`, `/p:${LAB_PASSWORD}`, '/cert:ignore']);
    const c = connections[0]!;
    expect(c.negotiation.selectedProtocol.name).toBe('SSL');
    expect(c.verdict).toMatchObject({ status: 'ok', lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'mcs-connect'] });
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3' });
  }, 60_000);

  it('xfreerdp /sec:rdp to xrdp crypt_level=high: MCS in the clear, then xrdp refuses the encrypted Client Info with a Disconnect Provider Ultimatum (row 33)', async () => {
    // real-servers.md: xfreerdp 2.11 and xrdp 0.9.21 disagree on the RC4 MAC; rdpscope's own probe gets through (sequence.test.ts)
    const { connections } = await record('rdp-high', labs.get('xrdp-rdp')!.port, ['/sec:rdp', '/auth-only', `/u:${LAB_USER}`, '/p:x', '/cert:ignore']);
    const c = connections[0]!;
    expect(c.verdict).toMatchObject({ status: 'failed', failedStage: 'client-info', row: { id: 33 }, stagesReached: ['tcp', 'x224', 'mcs-connect', 'channels', 'security-exchange', 'client-info'] });
    expect(c.verdict.summary).toMatch(/after the client's encrypted Client Info$/);
    expect(c.rdp).toMatchObject({ encryption: { method: 'ENCRYPTION_METHOD_128BIT', level: 'ENCRYPTION_LEVEL_HIGH', certificate: 'proprietary' }, encryptedPdus: 1 });
    expect(c.rdp.channels.map((ch: { name: string }) => ch.name)).toEqual(expect.arrayContaining(['I/O', 'rdpdr', 'cliprdr']));
  }, 60_000);

  it('xfreerdp /sec:rdp to xrdp crypt_level=fips: decoded in the clear up to the Security Exchange, then placed by the sequence to an active session', async () => {
    const { connections } = await record('rdp-fips', labs.get('xrdp-rdp-fips')!.port, ['/sec:rdp', '/auth-only', `/u:${LAB_USER}`, '/p:x', '/cert:ignore']);
    const c = connections[0]!;
    expect(c.verdict.status).toBe('ok');
    expect(c.verdict.stagesReached).toEqual(expect.arrayContaining(['security-exchange', 'client-info', 'licensing', 'capabilities']));
    expect(c.rdp).toMatchObject({ encryption: { method: 'ENCRYPTION_METHOD_FIPS', level: 'ENCRYPTION_LEVEL_FIPS' }, licensing: { outcome: 'valid-client' } });
    expect(c.rdp.encryptedPdus).toBeGreaterThan(0);
    expect(c.verdict.evidence.some((e: { basis: string; text: string }) => e.basis === 'inferred' && /Demand Active, by its place/.test(e.text))).toBe(true);
  }, 60_000);

  it('xfreerdp /sec:tls to shadow /sec:nla: row 7 HYBRID_REQUIRED_BY_SERVER, packet numbers as evidence', async () => {
    const { client, connections } = await record('tls-to-nla', labs.get('shadow-nla')!.port, ['/sec:tls', '/cert:ignore']);
    expect(client.exitCode).not.toBe(0);
    const c = connections[0]!;
    expect(c.negotiation).toMatchObject({ requestedProtocols: { names: ['SSL'] }, failureCode: { code: 5 } });
    expect(c.verdict).toMatchObject({ status: 'failed', failedStage: 'x224', row: { id: 7 } });
    expect(c.verdict.evidence.at(-1).packet).toBeGreaterThan(3);
  }, 60_000);

  it('xfreerdp /sec:nla /auth-only to shadow /sec:nla: HYBRID selected, CredSSP traffic follows (ok)', async () => {
    const { connections, pcap } = await record('nla-ok', labs.get('shadow-nla')!.port, ['/sec:nla', '/auth-only', `/u:${LAB_USER}`, `/p:${LAB_PASSWORD}`, '/cert:ignore']);
    const c = connections[0]!;
    expect(c.negotiation.selectedProtocol.name).toBe('HYBRID');
    expect(c.verdict.status).toBe('ok');
    // the password travels inside TLS only: never in clear in the capture
    const bytes = readFileSync(pcap);
    expect(bytes.includes(Buffer.from(LAB_PASSWORD))).toBe(false);
    expect(bytes.includes(Buffer.from(LAB_PASSWORD, 'utf16le'))).toBe(false);
  }, 60_000);

  it('xfreerdp /sec:rdp to xrdp security_layer=tls: legacy request and Confirm, then a Disconnect Provider Ultimatum and a reset after the Connect Initial (row 26)', async () => {
    // xfreerdp /sec:rdp sends no RDP_NEG_REQ, so xrdp cannot answer SSL_REQUIRED_BY_SERVER (row 8 needs
    // an RDP_NEG_REQ; the live probe test covers it); it sends a legacy Confirm and drops the MCS stage
    // xfreerdp retries once after the reset: every attempt looks the same
    const { connections } = await record('rdp-to-tls', labs.get('xrdp-tls')!.port, ['/sec:rdp']);
    for (const c of connections) {
      expect(c.negotiation).toMatchObject({ legacy: true, requestedProtocols: { names: ['RDP'] } });
      expect(c.verdict).toMatchObject({ status: 'failed', row: { id: 26 }, failedStage: 'mcs-connect', endedBy: { who: 'server', how: 'rst' }, stagesReached: ['tcp', 'x224', 'mcs-connect'] });
      expect(c.rdp.disconnect).toMatchObject({ name: 'rn-user-requested', stage: 'mcs-connect' });
      expect(c.verdict.findings.map((f: { row?: number }) => f.row)).toContain(12);
    }
  }, 60_000);

  it('xfreerdp /sec:tls to xrdp security_layer=rdp: the server selects RDP, not requested (row 11)', async () => {
    const { connections } = await record('tls-to-rdp', labs.get('xrdp-rdp')!.port, ['/sec:tls']);
    const c = connections[0]!;
    expect(c.negotiation).toMatchObject({ requestedProtocols: { names: ['SSL'] }, selectedProtocol: { name: 'RDP' } });
    expect(c.verdict).toMatchObject({ status: 'failed', row: { id: 11 } });
  }, 60_000);

  it('rdesktop to xrdp security_layer=rdp crypt_level=high: MCS decoded in the clear (rdesktop\'s non-PER Erect Domain named), encrypted from the Client Info on, placed by the sequence to an active session; row 11 as a warning since rdesktop accepts RDP after offering SSL|HYBRID', async () => {
    const [c] = await recordRdesktop('rdesktop-rdp-high', labs.get('xrdp-rdp')!.port);
    expect(c.verdict).toMatchObject({ status: 'ok', lastCompletedStage: 'finalization', endedBy: { who: 'client' } });
    expect(c.verdict.stagesReached).toEqual(['tcp', 'x224', 'mcs-connect', 'channels', 'security-exchange', 'client-info', 'licensing', 'capabilities', 'finalization', 'active']);
    expect(c.verdict.findings).toContainEqual(expect.objectContaining({ row: 11, text: expect.stringContaining('the client went on') }));
    expect(c.rdp).toMatchObject({ encryption: { method: 'ENCRYPTION_METHOD_128BIT', level: 'ENCRYPTION_LEVEL_HIGH', certificate: 'proprietary' }, licensing: { outcome: 'valid-client' } });
    expect(c.rdp.encryptedPdus).toBeGreaterThan(0);
    const erect = c.timeline.find((e: { what: string }) => e.what === 'MCS Erect Domain Request');
    expect(erect).toMatchObject({ level: 'info', detail: expect.stringContaining('rdesktop') });
    expect(c.timeline.filter((e: { level: string }) => e.level === 'error')).toEqual([]);
    expect(c.timeline.find((e: { what: string }) => /Security Exchange/.test(e.what))).toBeDefined();
  }, 60_000);

  it('rdesktop to xrdp negotiate: SSL selected, TLS 1.3 completes, the connection goes on into MCS (ok, no keys)', async () => {
    const [c] = await recordRdesktop('rdesktop-negotiate', labs.get('xrdp-negotiate')!.port);
    expect(c.negotiation.selectedProtocol.name).toBe('SSL');
    expect(c.verdict).toMatchObject({ status: 'ok', lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'mcs-connect'] });
    expect(c.verdict.findings.some((f: { row?: number }) => f.row === 11)).toBe(false);
  }, 60_000);

  it('xfreerdp to a closed port: row 2, refused', async () => {
    // an address of the loopback range no test listens on (servers bind 127.0.0.1 or ::1)
    const { connections } = await record('closed', 33898, ['/sec:tls'], 10, '127.0.0.33');
    expect(connections[0]!.verdict).toMatchObject({ status: 'failed', failedStage: 'tcp', row: { id: 2 } });
  }, 60_000);
});
