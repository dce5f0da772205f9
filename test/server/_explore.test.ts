import { it } from 'vitest';
import { probeScenario } from './scenario-probe.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
it('explore', async () => {
  const counts = new Map<string, number>();
  const runs = [];
  for (let i = 0; i < 60; i++) runs.push(probeScenario('credssp-eua-denied', { credentials: { ...SCENARIO_ACCOUNT, domain: '' }, delegate: true }).then((r) => {
    const k = `${r.verdict.row?.id} ${r.verdict.endedBy?.who} ${r.verdict.endedBy?.how}`;
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }));
  await Promise.all(runs);
  for (let i = 0; i < 30; i++) { const r = await probeScenario('credssp-eua-denied', { credentials: { ...SCENARIO_ACCOUNT, domain: '' }, delegate: true });
    const k = `seq ${r.verdict.row?.id} ${r.verdict.endedBy?.who} ${r.verdict.endedBy?.how}`;
    counts.set(k, (counts.get(k) ?? 0) + 1); }
  console.log([...counts]);
}, 60000);
