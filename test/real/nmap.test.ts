// nmap's rdp-enum-encryption against the same real servers: it calls any RDP_NEG_RSP "SUCCESS" without
// comparing the selected protocol. Where it says SUCCESS for a protocol the server did not select,
// rdpscope must report what was really selected.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, freePort, startLab, type LabServer } from '../helpers/lab.js';
import { cli } from '../helpers/cli.js';

const run = promisify(execFile);
/** nmap's security-layer names → rdpscope's protocol probes */
const NMAP_NAMES: Record<string, string> = {
  'Native RDP': 'RDP', SSL: 'SSL', 'CredSSP (NLA)': 'HYBRID', RDSTLS: 'RDSTLS', 'CredSSP with Early User Auth': 'HYBRID_EX',
};

async function nmapSuccesses(port: number): Promise<string[]> {
  // '+' forces the script on a port other than 3389
  const { stdout } = await run('nmap', ['-Pn', '-n', '-p', String(port), '--script', '+rdp-enum-encryption', '127.0.0.1'], { timeout: 60_000 });
  return [...stdout.matchAll(/^\|\s+(.+?): SUCCESS\s*$/gm)].map((m) => NMAP_NAMES[m[1]!]).filter((n): n is string => Boolean(n));
}

async function rdpscopeOutcomes(port: number): Promise<Record<string, { supported: boolean; selected?: string; failure?: string }>> {
  const j = JSON.parse((await cli('probe', `127.0.0.1:${port}`, '--enumerate-protocols', '--json')).out);
  return Object.fromEntries(j.protocols.map((p: any) => [p.protocol, p]));
}

describeWithTools(['nmap', 'xrdp', 'freerdp-shadow-cli', 'Xvfb', 'root'], 'real servers: nmap rdp-enum-encryption vs rdpscope', () => {
  const labs: LabServer[] = [];
  beforeAll(async () => {
    labs.push(await startLab('xrdp-rdp', { port: await freePort() }), await startLab('shadow-nla', { port: await freePort() }));
  }, 120_000);
  afterAll(async () => { await Promise.all(labs.map((l) => l.stop())); });

  it('xrdp security_layer=rdp: nmap says SUCCESS for SSL and CredSSP, rdpscope shows the server selected RDP', async () => {
    const port = labs[0]!.port;
    const nmap = await nmapSuccesses(port);
    const ours = await rdpscopeOutcomes(port);
    expect(nmap).toEqual(expect.arrayContaining(['RDP', 'SSL', 'HYBRID']));
    const overclaimed = nmap.filter((p) => !ours[p]!.supported);
    expect(overclaimed.length).toBeGreaterThan(0);
    for (const p of overclaimed) expect(ours[p]!.selected).toBe('RDP');
    expect(ours.RDP!.supported).toBe(true);
  }, 90_000);

  it('FreeRDP shadow /sec:nla: every nmap SUCCESS is a protocol rdpscope also saw selected', async () => {
    const port = labs[1]!.port;
    const nmap = await nmapSuccesses(port);
    const ours = await rdpscopeOutcomes(port);
    expect(nmap).toContain('HYBRID');
    for (const p of nmap) {
      expect(ours[p]!.selected ?? ours[p]!.failure).toBeDefined();
      if (!ours[p]!.supported) expect(ours[p]!.selected).not.toBe(p);
    }
    expect(ours.SSL!.failure).toBe('HYBRID_REQUIRED_BY_SERVER');
  }, 90_000);
});
