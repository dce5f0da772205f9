// Real xfreerdp 2.11 connections to the xrdp TLS scenarios, recorded on loopback and analyzed offline
// (`rdpscope analyze --json`): rows 14, 15 and 18, the TLS fields, the certificate read from the wire
// for TLS 1.2, and agreement with the live probe of the same server.
//
// xfreerdp knobs used (xfreerdp /help, real-servers.md section 5):
//   /cert:deny         abort on any certificate that cannot be verified (checked after the handshake)
//   /cert:ignore       accept any certificate
//   +enforce-tlsv1_2   caps the ClientHello at TLS 1.2: a client that cannot do TLS 1.3
//   /tls-ciphers:ma    the TLS <= 1.2 cipher list "AES128-SHA" (TLS 1.3 suites stay offered)
//   SSL_CERT_FILE=...  makes a lab certificate a trust anchor; FreeRDP's name check uses DNS names only, so /v:localhost
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  captureClient, describeWithTools, freePort, LAB_DIR, LAB_PASSWORD, LAB_USER, startLab,
  type CommandResult, type LabServer,
} from '../helpers/lab.js';
import { cli, ndjson } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'rdpscope-real-tls-'));
const PKI = join(LAB_DIR, 'pki');
const labs = new Map<string, LabServer>();
const CREDS = [`/u:${LAB_USER}`, `/p:${LAB_PASSWORD}`];
/** xfreerdp XF_EXIT_TLS_CONNECT_FAILED (real-servers.md section 5) */
const EXIT_TLS_CONNECT_FAILED = 143;

const fingerprint = (name: string): string => new X509Certificate(readFileSync(join(PKI, `${name}.pem`))).fingerprint256;
const texts = (v: { evidence: { text: string }[] }) => v.evidence.map((e) => e.text);

interface Recorded { client: CommandResult; pcap: string; connections: Record<string, any>[] }

/** Records one xfreerdp run against a lab server and returns rdpscope's NDJSON connections for it. */
async function record(name: string, scenario: string, args: string[], opts: { host?: string; env?: Record<string, string>; analyzeArgs?: string[] } = {}): Promise<Recorded> {
  const port = labs.get(scenario)!.port;
  const pcap = join(dir, `${name}.pcap`);
  const clientArgs = [`/v:${opts.host ?? '127.0.0.1'}:${port}`, ...args];
  const client = opts.env ? await captureClient(pcap, port, clientArgs, 15, opts.env) : await captureClient(pcap, port, clientArgs, 15);
  const r = await cli('analyze', '--json', '--port', `3389,${port}`, ...(opts.analyzeArgs ?? []), pcap);
  const connections = ndjson(r.out).filter((o) => o.schema === 'rdpscope/connection/1');
  const log = `xfreerdp exit ${client.exitCode}\n${(client.stdout + client.stderr).slice(-2000)}`;
  // xfreerdp does not retry after a TLS failure: one connection per run
  expect(connections.length, log).toBe(1);
  return { client, pcap, connections };
}

async function probe(scenario: string, ...args: string[]) {
  const r = await cli('probe', `127.0.0.1:${labs.get(scenario)!.port}`, '--json', '--timeout', '3000', ...args);
  return JSON.parse(r.out) as Record<string, any>;
}

describeWithTools(['xfreerdp', 'xrdp', 'Xvfb', 'dumpcap', 'openssl', 'root'], 'real servers: xfreerdp TLS captures analyzed offline', () => {
  beforeAll(async () => {
    for (const n of ['xrdp-tls-expired', 'xrdp-cipher-mismatch', 'xrdp-tls13-only', 'xrdp-negotiate']) labs.set(n, await startLab(n, { port: await freePort() }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...labs.values()].map((l) => l.stop()));
  }, 60_000);

  it('xfreerdp /cert:deny to xrdp-tls-expired (TLS 1.3): row 18, inferred from the close right after the handshake', async () => {
    const { client, connections } = await record('expired-deny-tls13', 'xrdp-tls-expired', ['/cert:deny', ...CREDS]);
    expect(client.exitCode).toBe(EXIT_TLS_CONNECT_FAILED);
    expect(client.stdout + client.stderr).toContain('ERRCONNECT_TLS_CONNECT_FAILED');
    const c = connections[0]!;
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3', cipherSuite: { name: 'TLS_AES_256_GCM_SHA384' }, group: 'x25519', offered: { serverName: '127.0.0.1' } });
    // TLS 1.3: the certificate is encrypted, the capture cannot show it
    expect(c.tls.certificate).toBeUndefined();
    expect(c.tls.certificateNote).toMatch(/^TLS 1\.3 encrypts the certificate/);
    expect(c.tls.alerts[0]).toEqual({ dir: 'c2s', level: 'unknown', description: -1, name: 'alert (by its size)', encrypted: true });
    expect(c.verdict).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 18, title: 'Client rejected the certificate' },
      endedBy: { how: 'fin' },
    });
    // the client's alert comes first; whose FIN the capture shows first races (xrdp answers the alert with its own)
    expect(['client', 'server']).toContain(c.verdict.endedBy.who);
    expect(c.verdict.summary).toBe('the client closed the TLS session right after the handshake: it most likely rejected the certificate');
    expect(c.verdict.evidence.filter((e: any) => e.basis === 'inferred')).toHaveLength(1);
  }, 60_000);

  it('xfreerdp trusting the expired certificate (SSL_CERT_FILE, /v:localhost): it still refuses it, row 18; the live probe names the expiry (row 16)', async () => {
    const { client, connections } = await record('expired-trusted-tls13', 'xrdp-tls-expired', ['/cert:deny', ...CREDS],
      { host: 'localhost', env: { SSL_CERT_FILE: join(PKI, 'expired.pem') } });
    expect(client.exitCode).toBe(EXIT_TLS_CONNECT_FAILED);
    // with the name and the issuer fine for FreeRDP, the expiry is what it refuses
    expect(client.stdout + client.stderr).not.toContain('does not match any of the names');
    const c = connections[0]!;
    expect(c.tls.offered.serverName).toBe('localhost');
    expect(c.verdict).toMatchObject({ status: 'failed', row: { id: 18 }, endedBy: { who: 'client' } });
    const live = await probe('xrdp-tls-expired');
    expect(live.verdict.row.id).toBe(16);
    expect(live.tls.certificate.chain[0].notAfter).toBe('2021-01-01T00:00:00Z');
  }, 60_000);

  it('xfreerdp +enforce-tlsv1_2 /cert:deny to xrdp-tls-expired: row 18 with the certificate from the wire and its expiry as evidence', async () => {
    const { client, connections } = await record('expired-deny-tls12', 'xrdp-tls-expired', ['/cert:deny', '+enforce-tlsv1_2', ...CREDS]);
    expect(client.exitCode).toBe(EXIT_TLS_CONNECT_FAILED);
    const c = connections[0]!;
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.2', offered: { versions: ['TLS 1.2'] }, cipherSuite: { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' } });
    expect(c.tls.certificate.source).toBe('wire');
    expect(c.tls.certificate.chain[0]).toMatchObject({ subject: 'CN=localhost', notAfter: '2021-01-01T00:00:00Z', sha256: fingerprint('expired') });
    // the client's close_notify comes first; xrdp answers with its own when it reads it before the FIN
    expect(c.tls.alerts[0]).toEqual({ dir: 'c2s', level: 'unknown', description: -1, name: 'alert (encrypted)', encrypted: true });
    expect(c.verdict).toMatchObject({ status: 'failed', failedStage: 'tls', row: { id: 18 }, endedBy: { who: 'client' } });
    expect(c.verdict.cause).toBe('the client does not accept the certificate (expired, self-signed)');
    expect(texts(c.verdict).some((t) => t.startsWith('certificate problems found: certificate "CN=localhost" expired on 2021-01-01T00:00:00Z'))).toBe(true);
    expect(c.verdict.findings.find((f: any) => f.row === 16)).toMatchObject({ severity: 'error' });
  }, 60_000);

  it('xfreerdp /cert:ignore /auth-only to xrdp-cipher-mismatch: TLS 1.2, the certificate read from the wire; the live probe agrees', async () => {
    const { client, connections, pcap } = await record('cipher-mismatch-ok', 'xrdp-cipher-mismatch', ['/cert:ignore', '/auth-only', ...CREDS]);
    expect(client.exitCode).toBe(0);
    const c = connections[0]!;
    expect(c.verdict).toMatchObject({ status: 'ok', lastCompletedStage: 'tls' });
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.2', cipherSuite: { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }, group: 'x25519' });
    expect(c.tls.certificate.source).toBe('wire');
    expect(c.tls.certificate.chain).toHaveLength(1);
    expect(c.tls.certificate.chain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost', sans: { dns: ['localhost'], ip: ['127.0.0.1'] }, sha256: fingerprint('selfsigned') });
    // xfreerdp sends the address as SNI; the IP SAN matches it
    expect(c.tls.certificate).toMatchObject({ nameChecked: ['127.0.0.1'], nameMatch: true, trust: 'self-signed' });

    const live = await probe('xrdp-cipher-mismatch');
    expect(live.verdict.status).toBe('ok');
    expect({ version: live.tls.version, suite: live.tls.cipherSuite, group: live.tls.group, source: live.tls.certificate.source, sha256: live.tls.certificate.chain[0].sha256 })
      .toEqual({ version: c.tls.version, suite: c.tls.cipherSuite, group: c.tls.group, source: 'wire', sha256: c.tls.certificate.chain[0].sha256 });

    // the same capture with the lab certificate trusted and the name xfreerdp should have used: nothing left to report
    // (the file first: --expect-name takes every following word as a name)
    const trusted = ndjson((await cli('analyze', pcap, '--json', '--ca', join(PKI, 'selfsigned.pem'), '--expect-name', 'localhost')).out)
      .find((o) => o.schema === 'rdpscope/connection/1')!;
    expect(trusted.verdict.status).toBe('ok');
    expect(trusted.verdict.row).toBeUndefined();
    expect(trusted.tls.certificate).toMatchObject({ trust: 'trusted', nameChecked: ['localhost'], nameMatch: true, findings: [] });
  }, 60_000);

  it('xfreerdp /tls-ciphers:ma to xrdp-cipher-mismatch: server alert handshake_failure, row 14', async () => {
    const { client, connections } = await record('cipher-mismatch-ma', 'xrdp-cipher-mismatch', ['/cert:ignore', '/tls-ciphers:ma', ...CREDS]);
    expect(client.exitCode).toBe(EXIT_TLS_CONNECT_FAILED);
    const c = connections[0]!;
    expect(c.tls.handshake).toBe('failed');
    expect(c.tls.alerts).toContainEqual({ dir: 's2c', level: 'fatal', description: 40, name: 'handshake_failure', encrypted: false });
    expect(c.verdict).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 14 },
      clientShows: { code: '0x904', extended: '0x7' }, endedBy: { who: 'server' },
    });
    const offered = texts(c.verdict).find((t) => t.startsWith('the client offered: '));
    expect(offered).toBeDefined();
    expect(offered!.split(': ')[1]!.split(', ')).toContain('TLS_RSA_WITH_AES_128_CBC_SHA');
    expect(offered).not.toContain('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
  }, 60_000);

  it('xfreerdp +enforce-tlsv1_2 to xrdp-tls13-only: ClientHello up to TLS 1.2, server alert protocol_version, row 15', async () => {
    const { client, connections } = await record('tls13-only-tls12-client', 'xrdp-tls13-only', ['/cert:ignore', '+enforce-tlsv1_2', '/auth-only', ...CREDS]);
    expect(client.exitCode).toBe(EXIT_TLS_CONNECT_FAILED);
    const c = connections[0]!;
    expect(c.tls.offered.versions).toEqual(['TLS 1.2']);
    expect(c.tls.alerts).toContainEqual({ dir: 's2c', level: 'fatal', description: 70, name: 'protocol_version', encrypted: false });
    expect(c.verdict).toMatchObject({
      status: 'failed', failedStage: 'tls', row: { id: 15 },
      clientShows: { code: '0x904', extended: '0x7' }, endedBy: { who: 'server' },
    });
    // the live probe capped the same way gets the same row
    const live = await probe('xrdp-tls13-only', '--tls-max', '1.2');
    expect(live.verdict.row?.id).toBe(15);
  }, 60_000);

  it('xfreerdp (TLS 1.3 capable) to xrdp-tls13-only: ok with TLS 1.3; the live probe negotiates the same version and suite', async () => {
    const { client, connections } = await record('tls13-only-ok', 'xrdp-tls13-only', ['/cert:ignore', '/auth-only', ...CREDS]);
    expect(client.exitCode).toBe(0);
    const c = connections[0]!;
    expect(c.verdict.status).toBe('ok');
    expect(c.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3', cipherSuite: { name: 'TLS_AES_256_GCM_SHA384' }, group: 'x25519' });
    const live = await probe('xrdp-tls13-only');
    // xrdp follows the client's order; both clients use OpenSSL's default TLS 1.3 order (AES-256-GCM first)
    expect({ v: live.tls.version, s: live.tls.cipherSuite, g: live.tls.group }).toEqual({ v: c.tls.version, s: c.tls.cipherSuite, g: c.tls.group });
  }, 60_000);

  it('control: xfreerdp trusting the lab certificate (SSL_CERT_FILE, /v:localhost, /cert:deny) to xrdp-negotiate accepts it: no row 18', async () => {
    const { client, connections } = await record('negotiate-trusted', 'xrdp-negotiate', ['/cert:deny', '/auth-only', ...CREDS],
      { host: 'localhost', env: { SSL_CERT_FILE: join(PKI, 'selfsigned.pem') }, analyzeArgs: ['--ca', join(PKI, 'selfsigned.pem')] });
    expect(client.exitCode).toBe(0);
    const c = connections[0]!;
    expect(c.verdict.status).toBe('ok');
    expect(c.verdict.row).toBeUndefined();
    expect(c.tls).toMatchObject({ version: 'TLS 1.3', offered: { serverName: 'localhost' } });
    // the client went on into MCS: application data from the client after the handshake
    expect(c.verdict.stagesReached).toContain('mcs-connect');
  }, 60_000);
});
