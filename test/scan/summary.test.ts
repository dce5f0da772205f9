// The scan summary: counts per status, per catalogue row (verdict or finding, once per target), NLA, certificates.
import { describe, expect, it } from 'vitest';
import { ScanTally, renderResultLine, renderSummary } from '../../src/scan/summary.js';
import { nlaState, SCAN_SCHEMA, type ScanResult } from '../../src/scan/result.js';
import { style } from '../../src/report/style.js';

const result = (o: Partial<ScanResult> & { verdict?: Partial<ScanResult['verdict']> }): ScanResult => ({
  schema: SCAN_SCHEMA.result, target: '10.0.0.1', port: 3389, startedAt: '', durationMs: 1, nla: 'unknown', negotiation: {},
  ...o,
  verdict: { status: 'failed', summary: 'summary', findings: [], ...o.verdict },
});

describe('ScanTally', () => {
  it('counts each target once per row, whether the row is the verdict\'s or a finding\'s', () => {
    const t = new ScanTally(30);
    t.add(result({ verdict: { status: 'ok', row: { id: 17, title: 'Certificate not trusted or weak' }, findings: [
      { severity: 'warning', text: 'self-signed', row: 17 }, { severity: 'warning', text: 'name', row: 17 },
      { severity: 'warning', text: 'CredSSP 4', row: 22 }, { severity: 'info', text: 'no row' },
    ] } }));
    t.add(result({ verdict: { row: { id: 2, title: 'Connection refused' } } }));
    t.add(result({ verdict: { status: 'undetermined' } }));
    const s = t.summary(1234.4);
    expect(s).toMatchObject({ schema: 'rdpscope/scan-summary/1', targets: 3, durationMs: 1234, status: { ok: 1, failed: 1, undetermined: 1 } });
    expect(s.rows).toEqual([
      { id: 2, title: 'Connection refused', targets: 1 },
      { id: 17, title: 'Certificate not trusted or weak', targets: 1 },
      { id: 22, title: 'CredSSP version mismatch (CVE-2018-0886)', targets: 1 },
    ]);
  });

  it('NLA and certificate counts', () => {
    const t = new ScanTally(60);
    for (const nla of ['required', 'selected', 'selected', 'absent', 'unknown'] as const) t.add(result({ nla }));
    const cert = (findings: string[]): ScanResult['tls'] => ({ handshake: 'completed', certificate: { notAfter: '2030-01-01T00:00:00Z', trust: 'trusted', findings } });
    t.add(result({ tls: cert(['expired', 'self-signed']) }));
    t.add(result({ tls: cert(['expiring-soon']) }));
    t.add(result({ tls: cert([]) }));
    const s = t.summary(0);
    expect(s.nla).toEqual({ required: 1, selected: 2, absent: 1, unknown: 4 });
    expect(s.certificates).toEqual({ expired: 1, expiringSoon: 1, expiryWarningDays: 60 });
    expect(renderSummary(s, style(false))).toContain('certificates  1 expired, 1 expiring within 60 days');
  });
});

describe('nlaState', () => {
  it('from the X.224 negotiation', () => {
    expect(nlaState({ failureCode: { code: 5, name: 'HYBRID_REQUIRED_BY_SERVER' } })).toBe('required');
    expect(nlaState({ failureCode: { code: 2, name: 'SSL_NOT_ALLOWED_BY_SERVER' } })).toBe('unknown');
    for (const [raw, want] of [[0, 'absent'], [1, 'absent'], [2, 'selected'], [8, 'selected'], [4, 'unknown']] as const) {
      expect(nlaState({ selectedProtocol: { raw, name: '' } }), String(raw)).toBe(want);
    }
    expect(nlaState({ legacy: true, selectedProtocol: { raw: 0, name: 'RDP' } })).toBe('absent');
    expect(nlaState({})).toBe('unknown');
  });
});

describe('renderResultLine', () => {
  it('status, target (IPv6 bracketed), stage, row, cause; the summary when there is no cause', () => {
    const s = style(false);
    expect(renderResultLine(result({ target: '::1', verdict: { failedStage: 'x224', row: { id: 7, title: '' }, cause: 'NLA required' } }), s))
      .toBe(`failed        [::1]:3389             x224               row 7   NLA required\n`);
    expect(renderResultLine(result({ verdict: { status: 'ok', lastCompletedStage: 'licensing', summary: 'the Demand Active came' } }), s))
      .toBe(`ok            10.0.0.1:3389          licensing          -       the Demand Active came\n`);
  });
});
