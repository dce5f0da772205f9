// Live TLS probes of real xrdp servers (scripts/lab.sh TLS scenarios): rdpscope's own TLS client
// over the probe's socket, verdict rows 14-17, and the certificate as the TLS library or the wire
// gives it. Every server is stopped by PID in afterAll.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, freePort, LAB_DIR, startLab, type LabServer } from '../helpers/lab.js';
import { cli } from '../helpers/cli.js';

const PKI = join(LAB_DIR, 'pki');
const labs = new Map<string, LabServer>();

/** SHA-256 fingerprint of a lab certificate, in rdpscope's format (AA:BB:...). */
const fingerprint = (name: string): string => new X509Certificate(readFileSync(join(PKI, `${name}.pem`))).fingerprint256;

/** `rdpscope probe HOST:PORT --json ...` against a lab server; host 'localhost' probes over IPv4 (the servers bind 127.0.0.1). */
async function probe(scenario: string, opts: { host?: string } = {}, ...args: string[]) {
  const l = labs.get(scenario)!;
  const host = opts.host ?? '127.0.0.1';
  // these tests are about TLS: the probe stops there (test/real/sequence.test.ts goes on through MCS)
  const r = await cli('probe', `${host}:${l.port}`, '--json', '--no-mcs', '--timeout', '3000', ...(host === 'localhost' ? ['-4'] : []), ...args);
  expect(r.err, 'rdpscope wrote to stderr').toBe('');
  return { code: r.code, ...JSON.parse(r.out) } as Record<string, any>;
}

const texts = (v: { evidence: { text: string }[] }) => v.evidence.map((e) => e.text);
const codes = (findings: { code: string }[]) => findings.map((f) => f.code).sort();

describeWithTools(['xrdp', 'openssl'], 'real servers: live TLS probe (rows 14-17)', () => {
  beforeAll(async () => {
    const names = ['xrdp-tls-expired', 'xrdp-tls13-only', 'xrdp-cipher-mismatch', 'xrdp-cn-mismatch', 'xrdp-negotiate'];
    // one at a time: lab.sh creates the PKI on first use
    for (const n of names) labs.set(n, await startLab(n, { port: await freePort() }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...labs.values()].map((l) => l.stop()));
  }, 60_000);

  it('xrdp-tls-expired, TLS 1.3 (default): row 16, the expiry from the certificate the TLS library reports', async () => {
    const r = await probe('xrdp-tls-expired');
    expect(r.code).toBe(1);
    expect(r.verdict).toMatchObject({ status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 16, title: 'Certificate outside its validity' } });
    expect(r.verdict.summary).toMatch(/^certificate "CN=localhost" expired on 2021-01-01T00:00:00Z \(checked at \d{4}-/);
    expect(r.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3' });
    const c = r.tls.certificate;
    expect(c.source).toBe('tls-library');
    expect(c.chain).toHaveLength(1);
    expect(c.chain[0]).toMatchObject({ subject: 'CN=localhost', issuer: 'CN=localhost', notBefore: '2020-01-01T00:00:00Z', sha256: fingerprint('expired') });
    expect(c.chain[0].notAfter.startsWith('2021-01-01')).toBe(true);
    // the IP SAN matches the target; the other finding is the self-signed issuer
    expect(c).toMatchObject({ nameChecked: ['127.0.0.1'], nameMatch: true, trust: 'self-signed' });
    expect(codes(c.findings)).toEqual(['expired', 'self-signed']);
    expect(r.verdict.findings.find((f: any) => f.row === 16)).toMatchObject({ severity: 'error' });
    expect(r.verdict.clientShows.text).toBe('a certificate warning; blocked when policy forbids warnings');
    expect(texts(r.verdict)).toContain('certificate CN=localhost (issuer CN=localhost, valid 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z) from the TLS library after the handshake');
  });

  it('xrdp-tls-expired --tls-max 1.2: row 16 from the Certificate message on the wire', async () => {
    const r = await probe('xrdp-tls-expired', {}, '--tls-max', '1.2');
    expect(r.code).toBe(1);
    expect(r.verdict).toMatchObject({ status: 'failed', failedStage: 'tls', row: { id: 16 } });
    expect(r.verdict.summary).toContain('expired on 2021-01-01');
    expect(r.tls).toMatchObject({ version: 'TLS 1.2', offered: { versions: ['TLS 1.2'] }, cipherSuite: { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' } });
    expect(r.tls.certificate.source).toBe('wire');
    expect(r.tls.certificate.chain[0].notAfter.startsWith('2021-01-01')).toBe(true);
    expect(r.tls.certificate.chain[0].sha256).toBe(fingerprint('expired'));
    expect(texts(r.verdict)).toContain('certificate CN=localhost (issuer CN=localhost, valid 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z) from the Certificate message');
    // the Certificate message is in the timeline, in the clear
    expect(r.timeline.find((t: any) => t.what === 'TLS Certificate')).toMatchObject({ dir: 's2c', detail: '1 certificate: leaf CN=localhost, issuer CN=localhost, valid to 2021-01-01T00:00:00Z' });
  });

  it('xrdp-tls-expired, text output: FAILED at tls, row 16, the expiry date', async () => {
    const l = labs.get('xrdp-tls-expired')!;
    const r = await cli('probe', `127.0.0.1:${l.port}`);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^ {2}FAILED at tls {2}certificate "CN=localhost" expired on 2021-01-01T00:00:00Z/m);
    expect(r.out).toContain('  catalogue  row 16: Certificate outside its validity\n');
    expect(r.out).toMatch(/valid 2020-01-01T00:00:00Z → 2021-01-01T00:00:00Z/);
  });

  it('xrdp-tls13-only --tls-max 1.2: server alert protocol_version, row 15, 0x904/0x7, ended by the server', async () => {
    const r = await probe('xrdp-tls13-only', {}, '--tls-max', '1.2');
    expect(r.code).toBe(1);
    expect(r.tls.offered.versions).toEqual(['TLS 1.2']);
    expect(r.tls.alerts).toContainEqual({ dir: 's2c', level: 'fatal', description: 70, name: 'protocol_version', encrypted: false });
    expect(r.verdict).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 15, title: 'TLS version mismatch' },
      clientShows: { code: '0x904', extended: '0x7' },
      endedBy: { who: 'server' },
    });
    expect(r.verdict.summary).toBe('the server refused the client\'s TLS versions (alert protocol_version, client offered up to TLS 1.2)');
  });

  it('xrdp-tls13-only without --tls-max: ok with TLS 1.3', async () => {
    const r = await probe('xrdp-tls13-only');
    expect(r.code).toBe(0);
    expect(r.verdict.status).toBe('ok');
    expect(r.verdict.lastCompletedStage).toBe('tls');
    expect(r.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.3', cipherSuite: { name: 'TLS_AES_256_GCM_SHA384' }, group: 'x25519' });
    expect(r.tls.alerts.filter((a: any) => a.dir === 's2c')).toEqual([]);
  });

  it('xrdp-cipher-mismatch with --tls-ciphers the server refuses: row 14; evidence names the offered suites and what the server accepts', async () => {
    const r = await probe('xrdp-cipher-mismatch', {}, '--tls-ciphers', 'ECDHE-RSA-AES128-GCM-SHA256:AES128-SHA');
    expect(r.code).toBe(1);
    expect(r.tls.alerts).toContainEqual({ dir: 's2c', level: 'fatal', description: 40, name: 'handshake_failure', encrypted: false });
    expect(r.verdict).toMatchObject({
      status: 'failed', failedStage: 'tls', row: { id: 14, title: 'No common cipher suite' },
      clientShows: { code: '0x904', extended: '0x7' },
      endedBy: { who: 'server' },
    });
    const offered = texts(r.verdict).find((t) => t.startsWith('the client offered: '));
    expect(offered).toBeDefined();
    // node:tls adds its TLS 1.3 suites to any --tls-ciphers list; the two TLS 1.2 suites asked for are there
    expect(offered!.slice('the client offered: '.length).split(', ').sort()).toEqual([
      'TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256',
      'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_RSA_WITH_AES_128_CBC_SHA',
    ]);
    const follow = texts(r.verdict).find((t) => t.startsWith('follow-up enumeration'));
    expect(follow).toMatch(/^follow-up enumeration \(\d+ connections\): the server accepts TLS 1\.2: TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384$/);
    expect(r.connections).toBeGreaterThan(1);
  });

  it('xrdp-cipher-mismatch without restriction: ok, TLS 1.2, TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', async () => {
    const r = await probe('xrdp-cipher-mismatch');
    expect(r.code).toBe(0);
    expect(r.verdict.status).toBe('ok');
    expect(r.tls).toMatchObject({ handshake: 'completed', version: 'TLS 1.2', cipherSuite: { id: 0xc030, name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' }, group: 'x25519' });
    expect(r.tls.certificate.source).toBe('wire');
    expect(r.tls.certificate.chain[0].sha256).toBe(fingerprint('selfsigned'));
    expect(r.connections).toBe(1);
  });

  it('xrdp-cn-mismatch, certificate trusted via --ca: ok with row 17 and only a name mismatch; --expect-name clears it', async () => {
    const ca = join(PKI, 'mismatch.pem');
    const r = await probe('xrdp-cn-mismatch', { host: 'localhost' }, '--ca', ca);
    expect(r.code).toBe(0);
    expect(r.verdict).toMatchObject({ status: 'ok', row: { id: 17, title: 'Certificate not trusted or weak' } });
    expect(r.tls.certificate).toMatchObject({ trust: 'trusted', trustedBy: 'CN=rdp-other.example.invalid', nameChecked: ['localhost'], nameMatch: false });
    expect(r.tls.certificate.findings).toEqual([{
      severity: 'warning', code: 'name-mismatch', row: 17, cert: 0,
      text: 'certificate does not match "localhost": it names DNS:rdp-other.example.invalid',
    }]);
    expect(r.verdict.findings).toEqual([{ severity: 'warning', row: 17, text: 'certificate: certificate does not match "localhost": it names DNS:rdp-other.example.invalid' }]);
    // the probe sent the target name as SNI
    expect(r.tls.offered.serverName).toBe('localhost');

    const ok = await probe('xrdp-cn-mismatch', { host: 'localhost' }, '--ca', ca, '--expect-name', 'rdp-other.example.invalid');
    expect(ok.code).toBe(0);
    expect(ok.verdict.status).toBe('ok');
    expect(ok.verdict.row).toBeUndefined();
    expect(ok.verdict.findings).toEqual([]);
    expect(ok.tls.certificate).toMatchObject({ trust: 'trusted', nameChecked: ['rdp-other.example.invalid'], nameMatch: true, findings: [] });
  });

  it('xrdp-cn-mismatch probed by IP address: the mismatch says an IP matches only IP SANs', async () => {
    const r = await probe('xrdp-cn-mismatch', {}, '--ca', join(PKI, 'mismatch.pem'));
    expect(r.verdict.row.id).toBe(17);
    expect(r.tls.certificate.findings.map((f: any) => f.text)).toEqual([
      'certificate does not match "127.0.0.1": it names DNS:rdp-other.example.invalid (an IP address matches only IP SANs)',
    ]);
    // no SNI for an address target
    expect(r.tls.offered.serverName).toBeUndefined();
  });

  it('xrdp-negotiate, localhost with --ca the lab certificate: ok, no row; without --ca: row 17 self-signed', async () => {
    const trusted = await probe('xrdp-negotiate', { host: 'localhost' }, '--ca', join(PKI, 'selfsigned.pem'));
    expect(trusted.code).toBe(0);
    expect(trusted.verdict.status).toBe('ok');
    expect(trusted.verdict.row).toBeUndefined();
    expect(trusted.verdict.findings).toEqual([]);
    expect(trusted.tls.certificate).toMatchObject({ trust: 'trusted', trustedBy: 'CN=localhost', nameChecked: ['localhost'], nameMatch: true, findings: [] });

    const plain = await probe('xrdp-negotiate', { host: 'localhost' });
    expect(plain.code).toBe(0);
    expect(plain.verdict).toMatchObject({ status: 'ok', row: { id: 17 } });
    expect(plain.tls.certificate.trust).toBe('self-signed');
    expect(codes(plain.tls.certificate.findings)).toEqual(['self-signed']);
    expect(plain.tls.certificate.chain[0].sha256).toBe(fingerprint('selfsigned'));
  });
});
