// Every MCS-phase scenario (src/server/scenarios-rdp.ts), probed live through the probe's whole
// connection sequence, diagnoses as its catalogue row (rows 26-34; row 28 is a finding on an ok
// verdict). Rows 28 and 30 need Standard RDP Security, so those are probed with --protocols RDP.
import { describe, expect, it } from 'vitest';
import { RDP_SCENARIOS } from '../../src/server/scenarios-rdp.js';
import { probeScenario } from './scenario-probe.js';
import type { Verdict } from '../../src/analyze/verdict.js';
import { rdpConnectionSummary } from '../../src/analyze/rdp-summary.js';

const needsRdp = (name: string): boolean => name.startsWith('mcs-weak') || name.startsWith('mcs-no-enc') || name.startsWith('secx-') || name === 'mcs-fips';
const rowOf = (v: Verdict): number | null => v.row?.id ?? v.findings.find((f) => f.row === 28)?.row ?? null;

describe.concurrent('each MCS-phase scenario, probed live, diagnoses as its row', () => {
  for (const s of RDP_SCENARIOS) {
    it(`${s.name} → ${s.row === null ? 'ok' : `row ${s.row}`}`, async () => {
      const r = await probeScenario(s.name, needsRdp(s.name) ? { requestedProtocols: 0 } : {});
      expect(rowOf(r.verdict), `${r.verdict.status}: ${r.verdict.summary}`).toBe(s.row);
      if (s.row === null || s.row === 28) expect(r.verdict.status).toBe('ok');
      else expect(r.verdict.status).toBe('failed');
    });
  }
});

describe('MCS-phase details', () => {
  it('errinfo-0x7-after-client-info: the server itself says ERRINFO_SERVER_DENIED_CONNECTION; the client shows 0x904 with extended 0x7 from the PDU', async () => {
    const r = await probeScenario('errinfo-0x7-after-client-info', {});
    expect(r.verdict).toMatchObject({ status: 'failed', row: { id: 32 }, failedStage: 'client-info', endedBy: { who: 'server', how: 'fin' } });
    expect(r.verdict.summary).toMatch(/^the server sent Set Error Info 0x00000007 ERRINFO_SERVER_DENIED_CONNECTION and closed/);
    expect(r.verdict.clientShows).toMatchObject({ code: '0x904', extended: '0x7', extendedName: 'ERRINFO_SERVER_DENIED_CONNECTION' });
    expect(rdpConnectionSummary(r.events)?.setErrorInfo).toEqual([expect.objectContaining({ value: 7, name: 'ERRINFO_SERVER_DENIED_CONNECTION' })]);
  });

  it('errinfo after the Demand Active: the sequence reached capabilities, yet the Set Error Info before the active session is the verdict', async () => {
    const r = await probeScenario('errinfo-0x3-after-demand-active', {});
    expect(r.verdict.row?.id).toBe(32);
  });

  it('ok over Standard RDP Security: the Demand Active is decrypted with the probe\'s keys', async () => {
    const r = await probeScenario('ok', { requestedProtocols: 0 });
    expect(r.verdict.status).toBe('ok');
    expect(r.verdict.summary).toMatch(/^the server sent the Demand Active/);
    const s = rdpConnectionSummary(r.events)!;
    expect(s.encryptedPdus).toBe(0);
    expect(s.encryption).toMatchObject({ certificate: 'proprietary' });
  });

  it('a license error names the code, and a Windows client shows 0x808', async () => {
    const r = await probeScenario('license-error-no-license-server', {});
    expect(r.verdict).toMatchObject({ status: 'failed', row: { id: 31 }, failedStage: 'licensing' });
    expect(r.verdict.summary).toMatch(/ERR_NO_LICENSE_SERVER/);
    expect(r.verdict.clientShows?.code).toBe('0x808');
  });
});
