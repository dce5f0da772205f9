// --enumerate-rdp-security against the scenario server: one connection per method, accepted only
// when the Server Security Data selects the method offered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { cli } from '../helpers/cli.js';

describe('probe --enumerate-rdp-security', () => {
  const servers: Record<string, ScenarioServer> = {};
  beforeAll(async () => {
    for (const s of ['ok', 'mcs-weak-40bit-low', 'neg-failure-1', 'mcs-result-too-many-users']) servers[s] = await startScenarioServer({ scenario: s });
  });
  afterAll(async () => { await Promise.all(Object.values(servers).map((s) => s.close())); });
  const run = (s: string, ...args: string[]) => cli('probe', `127.0.0.1:${servers[s]!.port}`, '--enumerate-rdp-security', ...args);

  it('a server that honours the offer accepts each method alone, at its level', async () => {
    const r = await run('ok', '--json');
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ schema: 'rdpscope/rdp-security-enumeration/1', connections: 4, level: 'ENCRYPTION_LEVEL_CLIENT_COMPATIBLE' });
    expect(j.methods.map((m: { method: string; accepted: boolean }) => [m.method, m.accepted])).toEqual([['40-bit RC4', true], ['56-bit RC4', true], ['128-bit RC4', true], ['FIPS 3DES', true]]);
    expect(r.code).toBe(0);
  });

  it('a server fixed on 40-bit RC4 at LOW: only that is accepted, the others are answered with 40-bit, and the text warns (row 28)', async () => {
    const r = await run('mcs-weak-40bit-low');
    expect(r.out).toMatch(/40-bit RC4 +accepted +selected ENCRYPTION_METHOD_40BIT at ENCRYPTION_LEVEL_LOW/);
    expect(r.out).toMatch(/128-bit RC4 +refused +the server selected ENCRYPTION_METHOD_40BIT instead/);
    expect(r.out).toMatch(/warning +40-bit RC4 accepted: breakable \(row 28\)/);
  });

  it('a Standard RDP Security request refused at X.224 stops after one connection', async () => {
    const j = JSON.parse((await run('neg-failure-1', '--json')).out);
    expect(j).toMatchObject({ refusedAtX224: 'RDP_NEG_FAILURE SSL_REQUIRED_BY_SERVER (1)', methods: [], connections: 1 });
  });

  it('a rejected conference is no acceptance: exit 1', async () => {
    const r = await run('mcs-result-too-many-users', '--json');
    expect(JSON.parse(r.out).methods.every((m: { accepted: boolean; answer: string }) => !m.accepted && m.answer === 'Connect Response rt-too-many-users')).toBe(true);
    expect(r.code).toBe(1);
  });

  it('is a separate run from the other enumerations', async () => {
    const r = await run('ok', '--enumerate-tls');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/separate runs/);
  });
});
