// Every scenario, driven end to end over loopback into the tracker, diagnoses as its catalogue row.
import { afterAll, describe, expect, it } from 'vitest';
import type { EndedBy, Verdict } from '../../src/analyze/verdict.js';
import { SCENARIOS as ALL } from '../../src/server/scenarios.js';
import { TLS_SCENARIOS } from '../../src/server/scenarios-tls.js';
import { CREDSSP_SCENARIOS } from '../../src/server/scenarios-credssp.js';
import { RDP_SCENARIOS } from '../../src/server/scenarios-rdp.js';
import { HOSTILE_SCENARIOS } from '../../src/server/scenarios-hostile.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { decodeConnectionConfirm } from '../../src/x224/connection-confirm.js';
import { PROTOCOL } from '../../src/x224/codes.js';
import { drive } from './drive.js';

/** X.224-stage scenarios; the TLS, CredSSP, RDP and hostile ones are driven in tls-scenarios.test.ts, credssp-scenarios.test.ts, rdp-responder.test.ts and hostile-scenarios.test.ts */
const SCENARIOS = ALL.filter((s) => !TLS_SCENARIOS.includes(s) && !CREDSSP_SCENARIOS.includes(s) && !RDP_SCENARIOS.includes(s) && !HOSTILE_SCENARIOS.includes(s));

type Expect = { status: Verdict['status']; how: EndedBy['how'] };
const failed = (how: EndedBy['how']): Expect => ({ status: 'failed', how });
const ok: Expect = { status: 'ok', how: 'probe-done' };

/** How each scenario must end, as the diagnosis reports it; the row comes from the scenario table. */
const EXPECT: Record<string, Expect> = {
  'close-after-request': failed('fin'),
  'reset-after-request': failed('rst'),
  'disconnect-request': failed('disconnect-request'),
  'http-reply': failed('fin'),
  'ssh-banner': failed('fin'),
  'tls-reply': failed('fin'),
  'garbage-reply': failed('fin'),
  silent: failed('timeout'),
  'neg-failure-1': failed('negotiation-failure'),
  'neg-failure-2': failed('negotiation-failure'),
  'neg-failure-3': failed('negotiation-failure'),
  'neg-failure-4': failed('negotiation-failure'),
  'neg-failure-5': failed('negotiation-failure'),
  'neg-failure-6': failed('negotiation-failure'),
  'neg-failure-unknown': failed('negotiation-failure'),
  'unrequested-protocol': failed('probe-done'),
  'malformed-confirm': failed('probe-done'),
  'truncated-confirm': failed('fin'),
  'legacy-confirm': ok,
  ok,
  'slow-confirm': ok,
};

const servers: ScenarioServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

async function run(name: string) {
  const server = await startScenarioServer({ scenario: name });
  servers.push(server);
  return drive(server.port, server.host);
}

describe('scenario table', () => {
  it('names are unique kebab-case and every scenario has an expectation here', () => {
    const names = SCENARIOS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(names.sort()).toEqual(Object.keys(EXPECT).sort());
  });
});

describe.concurrent('each scenario diagnoses as its catalogue row', () => {
  for (const s of SCENARIOS) {
    it(`${s.name} → row ${s.row ?? '-'}`, async () => {
      const { verdict } = await run(s.name);
      const want = EXPECT[s.name]!;
      const got = {
        status: verdict.status,
        how: verdict.endedBy?.how,
        // a failure's row is the verdict's; a non-failure row (12) is reported as a finding
        row: verdict.row?.id ?? verdict.findings.find((f) => f.row !== undefined)?.row ?? null,
        failedStage: verdict.failedStage,
      };
      expect(got).toEqual({ ...want, row: s.row, failedStage: want.status === 'failed' ? 'x224' : undefined });
    });
  }
});

describe('scenario details', () => {
  it('ok selects the best requested protocol', async () => {
    const { received } = await run('ok');
    expect(decodeConnectionConfirm(received).negotiation).toMatchObject({ type: 'response', selectedProtocol: PROTOCOL.HYBRID_EX });
  });

  it('slow-confirm delivers the Confirm over many reads, and it still frames', async () => {
    const { received, chunks, verdict } = await run('slow-confirm');
    expect(chunks).toBeGreaterThan(5);
    expect(received).toHaveLength(19);
    expect(verdict.status).toBe('ok');
  });

  it('unrequested-protocol selects RDSTLS when the client asked for SSL|HYBRID|HYBRID_EX', async () => {
    const { received } = await run('unrequested-protocol');
    expect(decodeConnectionConfirm(received).negotiation).toMatchObject({ type: 'response', selectedProtocol: PROTOCOL.RDSTLS });
  });

  it('truncated-confirm sends 11 of the 19 bytes its TPKT header announces', async () => {
    const { received } = await run('truncated-confirm');
    expect([...received.subarray(0, 4)]).toEqual([3, 0, 0, 19]);
    expect(received).toHaveLength(11);
  });
});
