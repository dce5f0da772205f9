// The credentialed NLA check against FreeRDP's shadow server (/sec:nla, SAM file with labuser):
// right password, wrong password, unknown user (real-servers.md: FreeRDP closes TLS and TCP after the
// AUTHENTICATE instead of sending an errorCode), live and from a capture of rdpscope itself. The
// password must appear nowhere: not in output, JSON, stderr, nor the capture.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { captureCommand, describeWithTools, freePort, LAB_PASSWORD, LAB_USER, REPO_DIR, startLab, type LabServer } from '../helpers/lab.js';
import { cliWith } from '../helpers/cli.js';

const WRONG_PASSWORD = 'Wrong#Pass9';
const UNKNOWN_USER = 'nosuchuser';

/** Every byte string a leaked password could take. */
function assertNoSecret(text: string | Buffer, ...secrets: string[]): void {
  const hay = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (const s of secrets) {
    for (const enc of ['utf8', 'utf16le'] as const) expect(hay.includes(Buffer.from(s, enc)), `${s} (${enc}) leaked`).toBe(false);
  }
}

describeWithTools(['freerdp-shadow-cli', 'Xvfb', 'dumpcap', 'root'], 'real server: credentialed NLA check against FreeRDP shadow', () => {
  let lab: LabServer;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-nla-'));
    lab = await startLab('shadow-nla', { port: await freePort() });
  }, 60_000);
  afterAll(async () => {
    await lab?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const probe = (user: string, password: string, ...extra: string[]) =>
    cliWith({ env: { RDPSCOPE_PASSWORD: password } }, 'probe', `127.0.0.1:${lab.port}`, '--user', user, ...extra);

  it('right password, --delegate: logon accepted, the server proved its TLS key, credentials sent; then MCS to the Demand Active', async () => {
    const r = await probe(LAB_USER, LAB_PASSWORD, '--delegate', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j.verdict).toMatchObject({ status: 'ok', endedBy: { who: 'probe', how: 'probe-done' }, lastCompletedStage: 'licensing' });
    expect(j.verdict.summary).toMatch(/^the server sent the Demand Active: the connection sequence works up to the capabilities exchange \(server RDP 10\.\d+, ENCRYPTION_METHOD_NONE\/ENCRYPTION_LEVEL_NONE, 2 channels, licensing: valid-client/);
    expect(j.verdict.stagesReached).toEqual(['tcp', 'x224', 'tls', 'credssp', 'mcs-connect', 'channels', 'client-info', 'licensing', 'capabilities']);
    expect(j.credssp.logon).toEqual({ user: LAB_USER, workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: true });
    expect(j.rdp).toMatchObject({ connectResult: { value: 0 }, licensing: { outcome: 'valid-client' }, demandActive: { capabilities: expect.arrayContaining(['CAPSTYPE_GENERAL', 'CAPSTYPE_BITMAP']) } });
    expect(j.timeline.map((e: { what: string }) => e.what)).toContain('server pubKeyAuth verified');
    assertNoSecret(r.out + r.err, LAB_PASSWORD);
  }, 30_000);

  it('right password, --delegate --no-mcs: the probe stops once the credentials are delegated', async () => {
    const j = JSON.parse((await probe(LAB_USER, LAB_PASSWORD, '--delegate', '--no-mcs', '--json')).out);
    expect(j.verdict.summary).toBe(`NLA logon accepted for ${LAB_USER}: the server took the NTLM AUTHENTICATE and proved it holds this TLS session's key; credentials delegated`);
  }, 30_000);

  it('right password without --delegate: accepted, credentials withheld (text output)', async () => {
    const r = await probe(LAB_USER, LAB_PASSWORD);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/OK {2}NLA logon accepted for labuser: .*credentials not delegated/);
    expect(r.out).toMatch(/Logon +labuser from RDPSCOPE: server pubKeyAuth verified \(v6\); credentials not delegated/);
    assertNoSecret(r.out + r.err, LAB_PASSWORD);
  }, 30_000);

  for (const [what, user, password] of [['wrong password', LAB_USER, WRONG_PASSWORD], ['unknown user', UNKNOWN_USER, LAB_PASSWORD]] as const) {
    it(`${what}: the server ends TLS and TCP after the AUTHENTICATE without errorCode → row 20, 0x904/0x7`, async () => {
      const r = await probe(user, password, '--delegate', '--json');
      expect(r.code).toBe(1);
      const v = JSON.parse(r.out).verdict;
      expect(v).toMatchObject({ status: 'failed', failedStage: 'credssp', row: { id: 20 }, endedBy: { who: 'server', how: 'fin' } });
      expect(v.summary).toBe('the server closed the connection after the client\'s NTLM AUTHENTICATE, without a CredSSP errorCode: most likely the logon was refused');
      expect(v.evidence.map((e: { basis: string }) => e.basis)).toEqual(['observed', 'inferred', 'observed', 'inferred']);
      expect(v.evidence[1].text).toMatch(/^the server's last record is 19 bytes, alert \(by its size\): it ended TLS/);
      expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
      expect(JSON.parse(r.out).credssp.logon).toEqual({ user, workstation: 'RDPSCOPE', credentialsDelegated: false });
      assertNoSecret(r.out + r.err, password);
    }, 30_000);
  }

  it('a capture of the wrong-password probe, analysed offline without keys: row 20 by inference; the password is in no packet', async () => {
    const pcap = join(dir, 'wrong-password.pcapng');
    const c = await captureCommand(pcap, lab.port, ['node', join(REPO_DIR, 'bin/rdpscope.js'), 'probe', `127.0.0.1:${lab.port}`, '--user', LAB_USER, '--tls-max', '1.2'], 20, { RDPSCOPE_PASSWORD: WRONG_PASSWORD });
    expect(c.exitCode).toBe(1);
    assertNoSecret(readFileSync(pcap), WRONG_PASSWORD, LAB_PASSWORD);
    const r = await cliWith({}, 'analyze', pcap, '--port', String(lab.port), '--json');
    const conn = JSON.parse(r.out.trim().split('\n')[0]!);
    expect(conn.verdict).toMatchObject({ status: 'failed', failedStage: 'credssp', row: { id: 20 }, endedBy: { who: 'server', how: 'fin' } });
    expect(conn.verdict.evidence[0]).toMatchObject({ basis: 'inferred', text: expect.stringMatching(/^the client's CredSSP record number 2 \(encrypted; no TLS keys\): its second TSRequest \(the NTLM AUTHENTICATE/) });
    expect(conn.verdict.evidence[0].packet).toBeGreaterThan(0);
  }, 60_000);
});
