// rdpscope fixture against real xrdp servers (scripts/lab.sh): a fixture of xrdp-negotiate verifies
// against itself without drift, and against xrdp-tls13-only (security_layer=tls, TLS 1.3 only, the
// same certificate) with the drift of TLS 1.2 and of Standard RDP Security. Servers stopped by PID.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, freePort, startLab, type LabServer } from '../helpers/lab.js';
import { cli } from '../helpers/cli.js';

const labs = new Map<string, LabServer>();
const dir = mkdtempSync(join(tmpdir(), 'rdpscope-fixture-real-'));
const file = join(dir, 'xrdp-negotiate.json');
const target = (name: string): string => `127.0.0.1:${labs.get(name)!.port}`;

describeWithTools(['xrdp', 'openssl'], 'real servers: fixture record / verify', () => {
  beforeAll(async () => {
    for (const n of ['xrdp-negotiate', 'xrdp-tls13-only']) labs.set(n, await startLab(n, { port: await freePort() }));
  }, 120_000);
  afterAll(async () => {
    await Promise.all([...labs.values()].map((l) => l.stop()));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('record xrdp-negotiate: TLS 1.2 and 1.3, RDP and SSL, no NLA', async () => {
    const r = await cli('fixture', 'record', target('xrdp-negotiate'), '-o', file, '--timeout', '3000');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const p = JSON.parse(readFileSync(file, 'utf8')).profile;
    expect(p.nla).toBe('absent');
    expect(p.protocols).toMatchObject({ RDP: 'selected RDP', SSL: 'selected SSL' });
    expect(p.tls['TLS 1.0']).toBeNull();
    expect(p.tls['TLS 1.2']).toContain('TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384');
    expect(p.tls['TLS 1.3']).toContain('TLS_AES_256_GCM_SHA384');
    expect(p.certificate.subject).toBe('CN=localhost');
    expect(p.rdpSecurity).not.toBeNull();
    expect(p.mcs.serverVersion).toMatch(/^RDP /);
  });

  it('verify against itself: no drift, exit 0', async () => {
    const r = await cli('fixture', 'verify', file, '--timeout', '3000');
    expect(r.out).toContain('  no drift\n');
    expect(r.code).toBe(0);
  });

  it('verify against xrdp-tls13-only: TLS 1.2 no longer accepted, RDP refused; the certificate unchanged; exit 1', async () => {
    const r = await cli('fixture', 'verify', file, target('xrdp-tls13-only'), '--json', '--timeout', '3000');
    expect(r.code).toBe(1);
    const drifts: { path: string; meaning: string }[] = JSON.parse(r.out).drifts;
    const paths = drifts.map((d) => d.path);
    expect(drifts.find((d) => d.path === 'profile.tls["TLS 1.2"]')?.meaning).toBe('TLS 1.2 no longer accepted');
    expect(drifts.find((d) => d.path === 'profile.protocols.RDP')?.meaning).toMatch(/^RDP no longer accepted \(RDP_NEG_FAILURE SSL_REQUIRED_BY_SERVER\)$/);
    expect(drifts.find((d) => d.path === 'profile.rdpSecurity')?.meaning).toBe('Standard RDP Security no longer offered');
    expect(paths).not.toContain('profile.tls["TLS 1.3"]');
    expect(paths.filter((p) => p.startsWith('profile.certificate'))).toEqual([]);
  });
});
