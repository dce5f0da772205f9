// `rdpscope probe` end to end against scenario servers on loopback (IPv4 and IPv6).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { cli } from '../helpers/cli.js';

const servers = new Map<string, ScenarioServer>();
const port = (name: string) => servers.get(name)!.port;

beforeAll(async () => {
  for (const s of ['close-after-request', 'neg-failure-5', 'neg-failure-1', 'ok', 'silent', 'http-reply', 'legacy-confirm']) {
    servers.set(s, await startScenarioServer({ scenario: s }));
  }
  servers.set('ok6', await startScenarioServer({ scenario: 'ok', host: '::1' }));
});
afterAll(async () => { await Promise.all([...servers.values()].map((s) => s.close())); });

describe('rdpscope probe', () => {
  it('diagnoses the 0x904/0x7 close (row 4) and exits 1', async () => {
    const r = await cli('probe', `127.0.0.1:${port('close-after-request')}`, '--cookie', 'alice');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/FAILED at x224/);
    expect(r.out).toMatch(/row 4/);
    expect(r.out).toMatch(/error code 0x904 .*extended 0x7/);
    expect(r.out).toMatch(/Connection Request: cookie "alice", requested SSL\|HYBRID\|HYBRID_EX/);
    expect(r.out).toMatch(/1 TCP connection used/);
  });

  it('prints one JSON object with the documented fields', async () => {
    const r = await cli('probe', `127.0.0.1:${port('neg-failure-5')}`, '--json');
    expect(r.code).toBe(1);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({
      schema: 'rdpscope/probe/1', connections: 1,
      target: { host: '127.0.0.1', family: 4 },
      negotiation: { requestedProtocols: { raw: 11 }, failureCode: { code: 5, name: 'HYBRID_REQUIRED_BY_SERVER' } },
      verdict: { status: 'failed', failedStage: 'x224', row: { id: 7 }, endedBy: { who: 'server', how: 'negotiation-failure' } },
    });
    expect(j.timeline.map((e: { what: string }) => e.what)).toContain('Server X.224 Connection Confirm');
  });

  it('succeeds (exit 0) against a server that selects a requested protocol, over IPv6 too', async () => {
    const r4 = await cli('probe', `127.0.0.1:${port('ok')}`, '--json');
    expect(r4.code).toBe(0);
    expect(JSON.parse(r4.out).negotiation.selectedProtocol).toEqual({ raw: 8, name: 'HYBRID_EX' });
    const r6 = await cli('probe', `[::1]:${port('ok6')}`, '--json');
    expect(r6.code).toBe(0);
    expect(JSON.parse(r6.out).target).toMatchObject({ address: '::1', family: 6 });
  });

  it('--protocols chooses the request; --legacy sends none', async () => {
    const r = await cli('probe', `127.0.0.1:${port('ok')}`, '--protocols', 'SSL', '--json');
    expect(JSON.parse(r.out).negotiation).toMatchObject({ requestedProtocols: { raw: 1 }, selectedProtocol: { name: 'SSL' } });
    const l = await cli('probe', `127.0.0.1:${port('legacy-confirm')}`, '--legacy', '--json');
    expect(JSON.parse(l.out).negotiation).toMatchObject({ legacy: true, requestedProtocols: { names: ['RDP'] } });
  });

  it('ends a silent server with a verdict within the stage timeout (row 6)', async () => {
    const t0 = Date.now();
    const r = await cli('probe', `127.0.0.1:${port('silent')}`, '--timeout', '300', '--json');
    expect(Date.now() - t0).toBeLessThan(3000);
    expect(JSON.parse(r.out).verdict).toMatchObject({ row: { id: 6 }, endedBy: { how: 'timeout' } });
  });

  it('names what answered when it is not RDP (row 5)', async () => {
    const r = await cli('probe', `127.0.0.1:${port('http-reply')}`);
    expect(r.out).toMatch(/HTTP response/);
  });

  it('refused port → row 2; unresolvable name → row 1; bad target → exit 2', async () => {
    const closed = await startScenarioServer({ scenario: 'ok' });
    const p = closed.port;
    await closed.close();
    expect(JSON.parse((await cli('probe', `127.0.0.1:${p}`, '--json')).out).verdict.row.id).toBe(2);
    expect(JSON.parse((await cli('probe', 'no-such-host.invalid', '--json')).out).verdict).toMatchObject({ row: { id: 1 }, failedStage: 'resolve' });
    expect((await cli('probe', 'a:b:c:')).code).toBe(2);
    expect((await cli('probe', '127.0.0.1', '--protocols', 'bogus')).code).toBe(2);
  });

  it('--enumerate-protocols reports what was selected per protocol and the NLA verdict', async () => {
    const ok = await cli('probe', `127.0.0.1:${port('ok')}`, '--enumerate-protocols', '--json');
    const j = JSON.parse(ok.out);
    expect(j).toMatchObject({ schema: 'rdpscope/enumeration/1', connections: 6, nla: { verdict: 'supported' } });
    expect(j.protocols.map((p: { protocol: string; supported: boolean }) => [p.protocol, p.supported])).toEqual([
      ['RDP', true], ['SSL', true], ['HYBRID', true], ['RDSTLS', false], ['HYBRID_EX', true], ['RDSAAD', false],
    ]);
    const nla = JSON.parse((await cli('probe', `127.0.0.1:${port('neg-failure-5')}`, '--enumerate-protocols', '--json')).out);
    expect(nla.nla.verdict).toBe('required');
    const tls = await cli('probe', `127.0.0.1:${port('neg-failure-1')}`, '--enumerate-protocols');
    expect(tls.out).toMatch(/NLA not supported/);
    expect(tls.out).toMatch(/6 TCP connections used/);
  });
});
