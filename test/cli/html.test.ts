// --html FILE on probe, analyze and scan: the page is written beside the usual output, with the verdict and
// the ladder of the probed connection, or the scan table.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { cli } from '../helpers/cli.js';

describe('--html', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rdpscope-html-'));
  const servers: Record<string, ScenarioServer> = {};
  beforeAll(async () => {
    for (const s of ['tls-expired', 'neg-failure-5']) servers[s] = await startScenarioServer({ scenario: s });
  });
  afterAll(async () => { await Promise.all(Object.values(servers).map((s) => s.close())); });

  it('probe writes the ladder and the verdict of a failed handshake, and still prints its text report', async () => {
    const file = join(dir, 'probe.html');
    const r = await cli('probe', `127.0.0.1:${servers['tls-expired']!.port}`, '--html', file);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at tls/);
    expect(r.err).toContain(`HTML report written to ${file}`);
    const page = readFileSync(file, 'utf8');
    expect(page).toMatch(/^<!DOCTYPE html>/i);
    expect(page).toContain('<svg');
    expect(page).toMatch(/TLS ClientHello/);
    expect(page).toMatch(/expired/);
  });

  it('scan writes one table row per target', async () => {
    const file = join(dir, 'scan.html');
    const r = await cli('scan', `127.0.0.1:${servers['tls-expired']!.port}`, `127.0.0.1:${servers['neg-failure-5']!.port}`, '--json', '--html', file);
    expect(r.out.trim().split('\n')).toHaveLength(3);
    const page = readFileSync(file, 'utf8');
    for (const s of Object.values(servers)) expect(page).toContain(`127.0.0.1`), expect(page).toContain(String(s.port));
    expect(page).toMatch(/Server requires NLA/);
  });

  it('analyze writes every connection of a capture, with an index', async () => {
    const file = join(dir, 'analyze.html');
    const r = await cli('analyze', 'fixtures/lab/nmap-enum-encryption-to-xrdp-tls.pcap', '--port', '3389,33905', '--html', file);
    expect(r.out).toMatch(/7 RDP connections: 1 ok, 4 failed, 2 undetermined/);
    const page = readFileSync(file, 'utf8');
    expect(page.match(/<svg/g)?.length).toBe(7);
    expect(page).toMatch(/SSL_NOT_ALLOWED_BY_SERVER|HYBRID_REQUIRED|RDP_NEG_FAILURE/);
  });

  it('an unwritable path is reported, with exit 3', async () => {
    const r = await cli('probe', `127.0.0.1:${servers['neg-failure-5']!.port}`, '--html', join(dir, 'no/such/dir/x.html'));
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/cannot write the HTML report/);
  });
});
