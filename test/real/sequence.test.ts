// The whole connection sequence against real servers: every xrdp security layer and crypt level and
// every FreeRDP shadow /sec: reaches the Demand Active ([MS-RDPBCGR] 1.3.1.1), and the probe leaves
// with an MCS Disconnect Provider Ultimatum. Standard RDP Security is decrypted with the probe's keys.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithTools, freePort, LAB_PASSWORD, LAB_USER, startLab, type LabServer } from '../helpers/lab.js';
import { cliWith } from '../helpers/cli.js';

interface Case { scenario: string; args: string[]; stages: string[]; encryption: { method: string; level: string }; findings: number[]; env?: Record<string, string> }

const STANDARD = ['tcp', 'x224', 'mcs-connect', 'channels', 'security-exchange', 'client-info', 'licensing', 'capabilities'];
const TLS = ['tcp', 'x224', 'tls', 'mcs-connect', 'channels', 'client-info', 'licensing', 'capabilities'];
const NONE = { method: 'ENCRYPTION_METHOD_NONE', level: 'ENCRYPTION_LEVEL_NONE' };

const CASES: Case[] = [
  { scenario: 'xrdp-negotiate', args: [], stages: TLS, encryption: NONE, findings: [] },
  { scenario: 'xrdp-tls', args: [], stages: TLS, encryption: NONE, findings: [] },
  { scenario: 'xrdp-rdp', args: ['--protocols', 'RDP'], stages: STANDARD, encryption: { method: 'ENCRYPTION_METHOD_128BIT', level: 'ENCRYPTION_LEVEL_HIGH' }, findings: [] },
  { scenario: 'xrdp-rdp-medium', args: ['--protocols', 'RDP'], stages: STANDARD, encryption: { method: 'ENCRYPTION_METHOD_40BIT', level: 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE' }, findings: [28] },
  { scenario: 'xrdp-rdp-low', args: ['--protocols', 'RDP'], stages: STANDARD, encryption: { method: 'ENCRYPTION_METHOD_40BIT', level: 'ENCRYPTION_LEVEL_LOW' }, findings: [28, 28] },
  { scenario: 'xrdp-rdp-fips', args: ['--protocols', 'RDP'], stages: STANDARD, encryption: { method: 'ENCRYPTION_METHOD_FIPS', level: 'ENCRYPTION_LEVEL_FIPS' }, findings: [] },
  { scenario: 'shadow-tls', args: [], stages: TLS, encryption: NONE, findings: [] },
  // FreeRDP's /sec:rdp offers no encryption at all: no Security Exchange
  { scenario: 'shadow-rdp', args: ['--protocols', 'RDP'], stages: STANDARD.filter((s) => s !== 'security-exchange'), encryption: NONE, findings: [28] },
  {
    scenario: 'shadow-nla', args: ['--user', LAB_USER, '--delegate'], env: { RDPSCOPE_PASSWORD: LAB_PASSWORD },
    stages: ['tcp', 'x224', 'tls', 'credssp', ...TLS.slice(3)], encryption: NONE, findings: [],
  },
];

describeWithTools(['xrdp', 'freerdp-shadow-cli', 'Xvfb', 'root'], 'real servers: the connection sequence to the Demand Active', () => {
  const labs = new Map<string, LabServer>();
  beforeAll(async () => {
    for (const c of CASES) labs.set(c.scenario, await startLab(c.scenario, { port: await freePort() }));
  }, 180_000);
  afterAll(async () => { await Promise.all([...labs.values()].map((l) => l.stop())); });

  for (const c of CASES) {
    it(`${c.scenario} ${c.args.join(' ')}: Demand Active, ${c.encryption.method}/${c.encryption.level}`, async () => {
      const r = await cliWith({ env: c.env ?? {} }, 'probe', `127.0.0.1:${labs.get(c.scenario)!.port}`, '--json', ...c.args);
      expect(r.err).toBe('');
      const j = JSON.parse(r.out);
      expect(j.verdict).toMatchObject({ status: 'ok', stagesReached: c.stages, endedBy: { who: 'probe', how: 'probe-done' } });
      expect(j.verdict.summary).toMatch(/^the server sent the Demand Active: the connection sequence works up to the capabilities exchange/);
      expect(j.rdp).toMatchObject({ connectResult: { value: 0, name: 'rt-successful' }, encryption: c.encryption, licensing: { outcome: 'valid-client' } });
      expect(j.rdp.channels.filter((ch: { joined: boolean }) => ch.joined).map((ch: { name: string }) => ch.name).sort()).toEqual(['I/O', 'user']);
      expect(j.rdp.demandActive.capabilities).toEqual(expect.arrayContaining(['CAPSTYPE_GENERAL', 'CAPSTYPE_BITMAP', 'CAPSTYPE_ORDER']));
      expect(j.rdp.encryptedPdus).toBe(0);
      expect(j.verdict.findings.filter((f: { row?: number }) => f.row === 28).length).toBe(c.findings.filter((x) => x === 28).length);
      const whats = j.timeline.map((e: { what: string; dir?: string }) => `${e.dir ?? ''} ${e.what}`);
      expect(whats).toContain('c2s MCS Disconnect Provider Ultimatum');
      if (c.stages.includes('security-exchange')) {
        expect(whats).toContain(' Standard RDP Security keys');
        expect(j.timeline.find((e: { what: string }) => e.what === 'RDP Demand Active').detail).toMatch(c.encryption.level === 'ENCRYPTION_LEVEL_LOW' ? /capability sets/ : /\(decrypted\)$/);
      }
    }, 30_000);
  }

  // nmap's rdp-enum-encryption reports every method it offers as SUCCESS; the server's Security Data says otherwise
  const ENUMERATION: [string, Record<string, string | false>][] = [
    ['xrdp-rdp', { '40-bit RC4': 'ENCRYPTION_METHOD_128BIT', '56-bit RC4': 'ENCRYPTION_METHOD_128BIT', '128-bit RC4': false, 'FIPS 3DES': 'ENCRYPTION_METHOD_128BIT' }],
    ['xrdp-rdp-low', { '40-bit RC4': false, '56-bit RC4': 'ENCRYPTION_METHOD_40BIT', '128-bit RC4': 'ENCRYPTION_METHOD_40BIT', 'FIPS 3DES': 'ENCRYPTION_METHOD_40BIT' }],
    ['xrdp-rdp-fips', { '40-bit RC4': 'ENCRYPTION_METHOD_FIPS', '56-bit RC4': 'ENCRYPTION_METHOD_FIPS', '128-bit RC4': 'ENCRYPTION_METHOD_FIPS', 'FIPS 3DES': false }],
    ['shadow-rdp', { '40-bit RC4': 'ENCRYPTION_METHOD_NONE', '56-bit RC4': 'ENCRYPTION_METHOD_NONE', '128-bit RC4': 'ENCRYPTION_METHOD_NONE', 'FIPS 3DES': 'ENCRYPTION_METHOD_NONE' }],
  ];
  for (const [scenario, expected] of ENUMERATION) {
    it(`--enumerate-rdp-security ${scenario}: accepted only what the server selects (false = accepted; else the method it picked instead)`, async () => {
      const r = await cliWith({}, 'probe', `127.0.0.1:${labs.get(scenario)!.port}`, '--enumerate-rdp-security', '--json');
      const j = JSON.parse(r.out);
      expect(j.schema).toBe('rdpscope/rdp-security-enumeration/1');
      expect(j.connections).toBe(4);
      expect(Object.fromEntries(j.methods.map((m: { method: string; accepted: boolean; selectedMethod: string }) => [m.method, m.accepted ? false : m.selectedMethod]))).toEqual(expected);
      expect(r.code).toBe(Object.values(expected).includes(false) ? 0 : 1);
    }, 30_000);
  }

  it('--enumerate-rdp-security xrdp-tls: refused at X.224 (SSL_REQUIRED_BY_SERVER), one connection', async () => {
    const r = await cliWith({}, 'probe', `127.0.0.1:${labs.get('xrdp-tls')!.port}`, '--enumerate-rdp-security');
    expect(r.out).toMatch(/refused at X\.224: RDP_NEG_FAILURE SSL_REQUIRED_BY_SERVER \(1\)/);
    expect(r.out).toMatch(/1 TCP connection used/);
    expect(r.code).toBe(1);
  }, 30_000);
});
