// Every CredSSP scenario, probed live through X.224, TLS and the probe's CredSSP exchange (src/probe)
// with the scenario account's credentials and delegation, diagnoses as its catalogue row (rows 19-25).
// Without credentials the probe stops at the CHALLENGE: the rows reachable before the AUTHENTICATE
// (19, 21, 22, 23) still show, the others end ok at the CHALLENGE. The scenario certificate is trusted,
// so certificate findings stay out of the way. The CredsspResponder is also tested sans-IO, against
// the probe's own CredsspClient.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { ProbeOptions } from '../../src/probe/live.js';
import { CREDSSP_SCENARIOS } from '../../src/server/scenarios-credssp.js';
import { findScenario, SCENARIOS } from '../../src/server/scenarios.js';
import { probeScenario } from './scenario-probe.js';
import { scenarioCertificate } from '../../src/server/tls-certs.js';
import { CredsspResponder, SCENARIO_ACCOUNT, type CredsspAction, type CredsspResponderOptions } from '../../src/server/credssp-responder.js';
import { subjectPublicKey } from '../../src/tls/x509.js';
import { parseTrustBundle } from '../../src/tls/trust.js';
import { NTSTATUS_CLIENT_DISCONNECT } from '../../src/codes/ntstatus.js';
import { credsspSummary } from '../../src/analyze/credssp-summary.js';
import type { Verdict } from '../../src/analyze/diagnose.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import { CREDSSP_PDU, type TsRequestPdu } from '../../src/analyze/stages/credssp.js';
import { decodeTsRequest, encodeTsRequest, type TsRequest } from '../../src/credssp/ts-request.js';
import { decodeNtlm, type NtlmChallenge } from '../../src/credssp/ntlm.js';
import { decodeSpnego, mechName, OID } from '../../src/credssp/spnego.js';
import { CredsspClient, negotiateRequest, type CredsspClientStep } from '../../src/credssp/credssp-client.js';
import type { NtlmCredentials } from '../../src/credssp/ntlm-client.js';
import { encodeTsCredentials } from '../../src/credssp/ts-credentials.js';
import { connectionReport, toJson } from '../../src/report/json.js';
import { renderConnection } from '../../src/report/text.js';

const diagnoseOpts = () => ({ names: ['127.0.0.1'], trust: parseTrustBundle(scenarioCertificate('ok').cert.certPem, 'scenario certificate') });

/** The scenario server's one account, as the probe takes it (no domain: a local account). */
const ACCOUNT: NtlmCredentials = { user: SCENARIO_ACCOUNT.user, domain: '', password: SCENARIO_ACCOUNT.password };
const WITH_CREDENTIALS: Partial<ProbeOptions> = { credentials: ACCOUNT, delegate: true };

// these tests are about CredSSP: the probe stops there (the MCS phase has its own tests)
const run = (name: string, extra: Partial<ProbeOptions> = {}) => probeScenario(name, { diagnose: diagnoseOpts(), noMcs: true, ...extra });
/** The probe with the scenario account and delegation (what `probe --user rdpscope --delegate` does). */
const runAs = (name: string, extra: Partial<ProbeOptions> = {}) => run(name, { ...WITH_CREDENTIALS, ...extra });

/** The verdict's outline; a non-failure row (22) is reported as a finding. */
const shape = (v: Verdict) => ({
  status: v.status,
  row: v.row?.id ?? v.findings.find((f) => f.row !== undefined)?.row ?? null,
  failedStage: v.failedStage,
  endedBy: v.endedBy && `${v.endedBy.who} ${v.endedBy.how}`,
});
type Shape = ReturnType<typeof shape>;

const failed = (row: number, endedBy: string): Shape => ({ status: 'failed', row, failedStage: 'credssp', endedBy });
const ok = (row: number | null = null): Shape => ({ status: 'ok', row, failedStage: undefined, endedBy: 'probe probe-done' });

/** What the live probe (SSL|HYBRID|HYBRID_EX, TLS 1.3, scenario account, --delegate) concludes for each scenario. */
const EXPECT: Record<string, Shape> = {
  'credssp-close-after-request': failed(19, 'server fin'),
  'credssp-reset-after-request': failed(19, 'server rst'),
  // the probe stops at the server's errorCode, sent in answer to the AUTHENTICATE
  'credssp-error-logon-failure': failed(20, 'probe probe-done'),
  'credssp-error-account-locked-out': failed(20, 'probe probe-done'),
  'credssp-error-password-must-change': failed(20, 'probe probe-done'),
  'credssp-error-logon-type-not-granted': failed(20, 'probe probe-done'),
  'credssp-close-after-authenticate': failed(20, 'server fin'),
  'credssp-tls-alert': failed(21, 'server fin'),
  'credssp-version-2': ok(22),
  'credssp-version-4': ok(22),
  'credssp-kerberos-only': failed(23, 'probe probe-done'),
  'credssp-ntlm-rejected': failed(23, 'probe probe-done'),
  // the server writes the Early User Authorization Result, then FIN; after a denial the probe waits for it
  'credssp-eua-denied': failed(24, 'server fin'),
  'credssp-wrong-pubkeyauth': failed(25, 'probe probe-done'),
};

/** Without credentials: rows 19, 21, 22 and 23 come before the AUTHENTICATE; every other scenario answers the NEGOTIATE with a CHALLENGE. */
const EXPECT_ANONYMOUS: Record<string, Shape> = Object.fromEntries(Object.entries(EXPECT).map(([name, s]) => [name, [19, 21, 22, 23].includes(s.row!) ? s : ok()]));

/** Row 20: the NTSTATUS each errorCode scenario sends. */
const STATUS: Record<string, { value: number; name: string }> = {
  'credssp-error-logon-failure': { value: 0xc000006d, name: 'STATUS_LOGON_FAILURE' },
  'credssp-error-account-locked-out': { value: 0xc0000234, name: 'STATUS_ACCOUNT_LOCKED_OUT' },
  'credssp-error-password-must-change': { value: 0xc0000224, name: 'STATUS_PASSWORD_MUST_CHANGE' },
  'credssp-error-logon-type-not-granted': { value: 0xc000015b, name: 'STATUS_LOGON_TYPE_NOT_GRANTED' },
};

type Pdu = Extract<TrackerEvent, { type: 'pdu' }>;
const tsRequests = (events: readonly TrackerEvent[], dir: 'c2s' | 's2c'): TsRequestPdu[] =>
  events.filter((e): e is Pdu => e.type === 'pdu' && e.name === CREDSSP_PDU.tsRequest && e.dir === dir).map((e) => e.value as TsRequestPdu);
const endDetail = (events: readonly TrackerEvent[]): string | undefined => {
  const e = events.find((x) => x.type === 'end');
  return e?.type === 'end' ? e.detail : undefined;
};

describe('CredSSP scenario table', () => {
  it('every CredSSP scenario is in the scenario table, is kebab-case, has an expectation here, and its row is the one expected', () => {
    expect(CREDSSP_SCENARIOS.every((s) => SCENARIOS.includes(s))).toBe(true);
    for (const s of CREDSSP_SCENARIOS) expect(s.name).toMatch(/^credssp(-[a-z0-9]+)+$/);
    expect(CREDSSP_SCENARIOS.map((s) => s.name).sort()).toEqual(Object.keys(EXPECT).sort());
    for (const s of CREDSSP_SCENARIOS) expect(EXPECT[s.name]!.row, s.name).toBe(s.row);
    expect(findScenario('credssp-eua-denied')?.row).toBe(24);
    expect(findScenario('credssp-wrong-pubkeyauth')?.row).toBe(25);
    expect(findScenario('credssp-close-after-authenticate')?.row).toBe(20);
    // every catalogue row of the CredSSP stage has a scenario
    expect([...new Set(CREDSSP_SCENARIOS.map((s) => s.row))].sort()).toEqual([19, 20, 21, 22, 23, 24, 25]);
  });
});

describe.concurrent('each CredSSP scenario, probed live with the scenario account and --delegate, diagnoses as its row', () => {
  for (const s of CREDSSP_SCENARIOS) {
    it(`${s.name} → row ${s.row}`, async () => {
      const r = await runAs(s.name);
      expect(shape(r.verdict)).toEqual(EXPECT[s.name]);
      // after a successful Early User Authorization Result the connection moves on to MCS
      expect(r.verdict.stagesReached).toEqual(['tcp', 'x224', 'tls', 'credssp', ...(EXPECT[s.name]!.status === 'ok' ? ['mcs-connect'] : [])]);
    });
  }
});

describe.concurrent('each CredSSP scenario, probed live without credentials', () => {
  for (const s of CREDSSP_SCENARIOS) {
    const e = EXPECT_ANONYMOUS[s.name]!;
    it(`${s.name} → ${e.status === 'ok' && e.row === null ? 'ok at the CHALLENGE' : `row ${e.row}`}`, async () => {
      const r = await run(s.name);
      expect(shape(r.verdict)).toEqual(e);
      expect(r.verdict.stagesReached).toEqual(['tcp', 'x224', 'tls', 'credssp']);
      expect(tsRequests(r.events, 'c2s').map((t) => t.ntlm?.type)).toEqual([1]);
      if (e.status === 'ok') expect(r.verdict.summary).toMatch(/^NLA: the server answered the NTLM NEGOTIATE with a CHALLENGE \(CredSSP v\d, RDPSCOPE\\SCENARIO.*no credentials given, the probe stopped there$/);
    });
  }
});

describe.concurrent('CredSSP details', () => {
  it('close-after-request: the client sent its TSRequest, the server closed (FIN) with no TSRequest; a Windows client shows 0x904/0x7', async () => {
    const { verdict: v } = await run('credssp-close-after-request');
    expect(v.summary).toBe('the server closed the connection right after the client\'s first TSRequest');
    expect(v.evidence.map((e) => e.basis)).toEqual(['observed', 'observed']);
    expect(v.evidence[0]?.text).toMatch(/first TSRequest/);
    expect(v.evidence[1]?.text).toMatch(/^the server closed the connection \(FIN\).* with no TSRequest in answer/);
    expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
  });

  it('close-after-request over TLS 1.2 (no post-handshake NewSessionTicket records): row 19, with and without credentials', async () => {
    expect(shape((await run('credssp-close-after-request', { tls: { maxVersion: 'TLSv1.2' } })).verdict)).toEqual(EXPECT['credssp-close-after-request']);
    expect(shape((await runAs('credssp-close-after-request', { tls: { maxVersion: 'TLSv1.2' } })).verdict)).toEqual(EXPECT['credssp-close-after-request']);
  });

  it('reset-after-request: the same, by RST', async () => {
    const { verdict: v } = await run('credssp-reset-after-request');
    expect(v.summary).toBe('the server reset the connection right after the client\'s first TSRequest');
    expect(v.evidence[1]?.text).toMatch(/reset the connection \(RST\)/);
    expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
  });

  for (const [name, status] of Object.entries(STATUS)) {
    const hex = `0x${status.value.toString(16)}`;
    it(`${name}: a CHALLENGE, then errorCode ${hex} ${status.name} in a TSRequest version 6 in answer to the AUTHENTICATE`, async () => {
      const r = await runAs(name);
      expect(r.verdict.summary).toMatch(new RegExp(`^the server refused the logon: CredSSP errorCode ${hex} ${status.name}$`, 'i'));
      expect(r.verdict.evidence[0]).toMatchObject({ basis: 'observed', text: expect.stringMatching(new RegExp(`^server TSRequest \\(version 6\\) carries errorCode ${hex} = ${status.name}$`, 'i')) });
      expect(credsspSummary(r.events)).toMatchObject({
        serverVersion: 6, errorCode: { value: status.value, name: status.name }, ntlm: { nbComputerName: 'SCENARIO' },
        logon: { user: 'rdpscope', workstation: 'RDPSCOPE', credentialsDelegated: false },
      });
      // the server never proved its key: no check, so no pubKeyAuth result
      expect(credsspSummary(r.events)?.logon?.pubKeyAuth).toBeUndefined();
      expect(tsRequests(r.events, 'c2s').map((t) => t.ntlm?.type)).toEqual([1, 3]);
      expect(tsRequests(r.events, 's2c').map((t) => [t.ntlm?.type, t.request.errorCode])).toEqual([[2, undefined], [undefined, status.value]]);
      expect(endDetail(r.events)).toBe('server sent a CredSSP errorCode');
    });

    it(`${name} without credentials: the probe stops at the CHALLENGE, status ok, no errorCode seen`, async () => {
      const r = await run(name);
      expect(shape(r.verdict)).toEqual(ok());
      expect(credsspSummary(r.events)?.errorCode).toBeUndefined();
      expect(credsspSummary(r.events)?.logon).toBeUndefined();
    });
  }

  // Windows clients show a specific code for some statuses (src/codes/ntstatus.ts NTSTATUS_CLIENT_DISCONNECT:
  // 0xD07 for ACCOUNT_LOCKED_OUT, 0x1207 for PASSWORD_MUST_CHANGE); the others get the catalogue's 0x807.
  for (const [name, status] of Object.entries(STATUS)) {
    const code = NTSTATUS_CLIENT_DISCONNECT.get(status.value);
    const shown = code === undefined ? '0x807' : `0x${code.toString(16).toUpperCase()}`;
    it(`${name}: a Windows client shows ${shown}${code === undefined ? ' (the catalogue\'s row 20 code)' : ' (NTSTATUS_CLIENT_DISCONNECT)'}`, async () => {
      const { verdict: v } = await runAs(name);
      expect(v.clientShows?.code).toBe(shown);
    });
  }

  it('error-logon-failure: a Windows client shows 0x807', async () => {
    const { verdict: v } = await runAs('credssp-error-logon-failure');
    expect(v.clientShows).toMatchObject({ code: '0x807' });
    expect(v.cause).toMatch(/Wrong user name or password/);
  });

  it('close-after-authenticate: FIN after the AUTHENTICATE, no errorCode: row 20 by inference; 0x904/0x7', async () => {
    const r = await runAs('credssp-close-after-authenticate');
    const v = r.verdict;
    expect(v.summary).toBe('the server closed the connection after the client\'s NTLM AUTHENTICATE, without a CredSSP errorCode: most likely the logon was refused');
    expect(v.evidence.map((e) => e.basis)).toEqual(['observed', 'observed', 'inferred']);
    expect(v.evidence[0]?.text).toBe('client sent its second TSRequest (the NTLM AUTHENTICATE and pubKeyAuth)');
    expect(v.evidence[1]?.text).toMatch(/^the server closed the connection \(FIN\).* with no TSRequest in answer$/);
    expect(v.evidence[2]?.text).toMatch(/^a server that closes instead of answering the NTLM AUTHENTICATE refused it/);
    expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
    expect(credsspSummary(r.events)?.errorCode).toBeUndefined();
    expect(credsspSummary(r.events)?.logon).toMatchObject({ user: 'rdpscope', credentialsDelegated: false });
  });

  it('close-after-authenticate over TLS 1.2: row 20 too', async () => {
    const r = await runAs('credssp-close-after-authenticate', { tls: { maxVersion: 'TLSv1.2' } });
    expect(shape(r.verdict)).toEqual(EXPECT['credssp-close-after-authenticate']);
  });

  it('tls-alert over TLS 1.3: a 19-byte encrypted record (close_notify) where a TSRequest was expected; 0x904/0x7', async () => {
    const r = await run('credssp-tls-alert');
    expect(r.verdict.summary).toMatch(/^the server answered the client's first TSRequest\b.* with a TLS alert instead of a TSRequest/);
    expect(r.verdict.evidence.map((e) => e.basis)).toEqual(['observed', 'inferred']);
    expect(r.verdict.evidence[0]?.text).toMatch(/first TSRequest/);
    expect(r.verdict.evidence[1]?.text).toMatch(/^the server's next record is 19 bytes, alert \(by its size\): a TLS alert where a TSRequest was expected/);
    expect(r.verdict.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
  });

  it('tls-alert over TLS 1.2: an encrypted record of content type 21 (alert)', async () => {
    const r = await run('credssp-tls-alert', { tls: { maxVersion: 'TLSv1.2' } });
    expect(shape(r.verdict)).toEqual(EXPECT['credssp-tls-alert']);
    expect(r.verdict.evidence[1]?.text).toMatch(/alert \(encrypted\): a TLS alert where a TSRequest was expected/);
  });

  for (const version of [2, 4]) {
    it(`version-${version}: the CHALLENGE is read (ok), with the row 22 warning finding`, async () => {
      const r = await run(`credssp-version-${version}`);
      expect(r.verdict.summary).toMatch(new RegExp(`^NLA: the server answered the NTLM NEGOTIATE with a CHALLENGE \\(CredSSP v${version}, RDPSCOPE\\\\SCENARIO`));
      expect(r.verdict.findings).toContainEqual(expect.objectContaining({ severity: 'warning', row: 22, text: expect.stringMatching(new RegExp(`^the server speaks CredSSP version ${version}: versions below 5 lack the CVE-2018-0886 fix`)) }));
      expect(credsspSummary(r.events)).toMatchObject({ serverVersion: version, cve20180886: 'unpatched', ntlm: { nbComputerName: 'SCENARIO' } });
    });

    it(`version-${version} with credentials: the logon completes with the pre-v5 pubKeyAuth (public key + 1), row 22 stays a finding`, async () => {
      const r = await runAs(`credssp-version-${version}`);
      expect(r.verdict.summary).toMatch(/^NLA logon accepted for rdpscope\b/);
      expect(r.verdict.findings).toContainEqual(expect.objectContaining({ severity: 'warning', row: 22 }));
      expect(credsspSummary(r.events)?.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version, credentialsDelegated: true });
      const check = r.events.find((e) => e.type === 'credssp-check');
      expect(check).toMatchObject({ result: 'match', version, method: 'public-key-plus-one' });
      // no clientNonce below version 5 ([MS-CSSP] 2.2.1)
      expect(tsRequests(r.events, 'c2s')[1]?.request.clientNonce).toBeUndefined();
    });
  }

  it('the default (ok) speaks CredSSP version 6: an info finding, no row 22', async () => {
    const r = await run('ok');
    expect(r.verdict.findings.filter((f) => f.row === 22)).toEqual([]);
    expect(r.verdict.findings.map((f) => f.text)).toContain('CredSSP version 6 (includes the CVE-2018-0886 fix)');
  });

  it('kerberos-only: SPNEGO NegTokenInit listing only Kerberos mechanisms; 0x1807', async () => {
    const r = await runAs('credssp-kerberos-only');
    const mechs = [OID.msKerberos, OID.kerberos, OID.kerberosU2U].map(mechName).join(', ');
    expect(r.verdict.summary).toBe(`the server answered the NTLM NEGOTIATE without NTLM (spnego: ${mechs})`);
    expect(r.verdict.evidence[0]?.text).toBe(`server token is spnego, mechanisms: ${mechs}`);
    expect(r.verdict.evidence[0]?.text).not.toContain(OID.ntlmssp);
    expect(credsspSummary(r.events)).toMatchObject({ mechanism: 'spnego' });
    expect(r.verdict.clientShows).toMatchObject({ code: '0x1807' });
    // no CHALLENGE, so nothing to authenticate against: the credentials never left
    expect(tsRequests(r.events, 'c2s')).toHaveLength(1);
  });

  it('ntlm-rejected: SPNEGO NegTokenResp reject, no mechanism', async () => {
    const r = await run('credssp-ntlm-rejected');
    expect(r.verdict.summary).toBe('the server answered the NTLM NEGOTIATE without NTLM (spnego: none)');
    expect(tsRequests(r.events, 's2c')[0]?.spnego).toEqual({ kind: 'resp', negState: 2 });
  });

  it('eua-denied with credentials and --delegate: row 24 after the TSCredentials', async () => {
    const { events, verdict } = await runAs('credssp-eua-denied');
    expect(verdict.summary).toBe('the server denied the user after authentication: Early User Authorization Result ACCESS_DENIED');
    expect(verdict.evidence[0]).toMatchObject({ basis: 'observed', text: 'Early User Authorization Result 5 = AUTHZ_ACCESS_DENIED' });
    expect(verdict.clientShows).toMatchObject({ text: 'access denied' });
    expect(credsspSummary(events)?.earlyUserAuth).toEqual({ value: 5, name: 'AUTHZ_ACCESS_DENIED' });
    expect(credsspSummary(events)?.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: true });
    expect(events.some((e) => e.type === 'closed' && e.dir === 's2c' && e.how === 'fin')).toBe(true);
  });

  it('eua-denied with credentials but without --delegate: the logon is accepted; the Result only follows TSCredentials', async () => {
    const r = await runAs('credssp-eua-denied', { delegate: false });
    expect(shape(r.verdict)).toEqual(ok());
    expect(credsspSummary(r.events)?.earlyUserAuth).toBeUndefined();
  });

  it('wrong-pubkeyauth: row 25, the credentials are withheld; a client shows a security error', async () => {
    const r = await runAs('credssp-wrong-pubkeyauth');
    const v = r.verdict;
    expect(v.summary).toBe('the server\'s pubKeyAuth does not match the TLS key: TLS is intercepted between client and server');
    expect(v.evidence.map((e) => e.basis)).toEqual(['observed', 'observed']);
    expect(v.evidence[0]?.text).toMatch(/^server TSRequest \(version 6\) carries a \d+-byte pubKeyAuth$/);
    expect(v.evidence[1]?.text).toMatch(/^CredSSP v6 check \(sha256-binding-hash\): the server's pubKeyAuth unseals .* but is not/);
    expect(v.clientShows?.text).toMatch(/security error/);
    expect(credsspSummary(r.events)?.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'mismatch', version: 6, credentialsDelegated: false });
    expect(tsRequests(r.events, 'c2s').some((t) => t.request.authInfo !== undefined)).toBe(false);
    expect(endDetail(r.events)).toBe('the server did not prove it holds the TLS key: credentials withheld');
  });
});

describe.concurrent('the credentialed check against the default (ok) server', () => {
  it('with --delegate (HYBRID_EX): ok, logon accepted, credentials delegated, Early User Authorization AUTHZ_SUCCESS', async () => {
    const r = await runAs('ok');
    expect(shape(r.verdict)).toEqual(ok());
    expect(r.verdict.summary.startsWith('NLA logon accepted for rdpscope')).toBe(true);
    expect(r.verdict.summary).toMatch(/; credentials delegated, Early User Authorization AUTHZ_SUCCESS$/);
    const s = credsspSummary(r.events);
    expect(s?.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: true });
    expect(s?.earlyUserAuth).toEqual({ value: 0, name: 'AUTHZ_SUCCESS' });
    expect(r.verdict.evidence.map((e) => e.text)).toEqual([
      'client sent the NTLM AUTHENTICATE for rdpscope with pubKeyAuth',
      expect.stringMatching(/^CredSSP v6 \(sha256-binding-hash\): the server's pubKeyAuth is SHA-256/),
      'client sent the sealed credentials (TSCredentials)',
      'Early User Authorization Result 0 = AUTHZ_SUCCESS',
    ]);
    // NEGOTIATE; AUTHENTICATE with pubKeyAuth and clientNonce; TSCredentials
    const c2s = tsRequests(r.events, 'c2s');
    expect(c2s.map((t) => [t.ntlm?.type, t.request.pubKeyAuth !== undefined, t.request.clientNonce?.length, t.request.authInfo !== undefined]))
      .toEqual([[1, false, undefined, false], [3, true, 32, false], [undefined, false, undefined, true]]);
    expect(endDetail(r.events)).toBe('Early User Authorization Result received');
    expect(r.verdict).toMatchObject({ lastCompletedStage: 'credssp', stagesReached: ['tcp', 'x224', 'tls', 'credssp', 'mcs-connect'] });
  });

  it('over TLS 1.2: the same', async () => {
    const r = await runAs('ok', { tls: { maxVersion: 'TLSv1.2' } });
    expect(shape(r.verdict)).toEqual(ok());
    expect(credsspSummary(r.events)?.logon).toMatchObject({ pubKeyAuth: 'match', credentialsDelegated: true });
  });

  it('HYBRID only (SSL|HYBRID): no Early User Authorization Result; the probe ends once the credentials are delegated', async () => {
    const r = await runAs('ok', { requestedProtocols: 0x2 | 0x1 });
    expect(shape(r.verdict)).toEqual(ok());
    expect(r.verdict.summary).toMatch(/^NLA logon accepted for rdpscope: .*; credentials delegated$/);
    expect(credsspSummary(r.events)?.earlyUserAuth).toBeUndefined();
    expect(credsspSummary(r.events)?.logon).toMatchObject({ credentialsDelegated: true });
    expect(endDetail(r.events)).toMatch(/^credentials delegated/);
    expect(r.events.some((e) => e.type === 'pdu' && e.name === CREDSSP_PDU.earlyUserAuth)).toBe(false);
  });

  it('a wrong password: row 20, errorCode STATUS_LOGON_FAILURE; a Windows client shows 0x807', async () => {
    const r = await run('ok', { credentials: { ...ACCOUNT, password: 'Wrong#Pass2' }, delegate: true });
    expect(shape(r.verdict)).toEqual(failed(20, 'probe probe-done'));
    expect(r.verdict.summary).toBe('the server refused the logon: CredSSP errorCode 0xC000006D STATUS_LOGON_FAILURE');
    expect(r.verdict.clientShows).toMatchObject({ code: '0x807' });
    expect(credsspSummary(r.events)).toMatchObject({ errorCode: { value: 0xc000006d, name: 'STATUS_LOGON_FAILURE' }, logon: { user: 'rdpscope', credentialsDelegated: false } });
    expect(r.events.some((e) => e.type === 'credssp-check')).toBe(false);
  });

  it('an unknown user: row 20 as well', async () => {
    const r = await run('ok', { credentials: { ...ACCOUNT, user: 'nobody' }, delegate: true });
    expect(shape(r.verdict)).toEqual(failed(20, 'probe probe-done'));
    expect(credsspSummary(r.events)?.logon?.user).toBe('nobody');
  });

  it('a domain goes into the AUTHENTICATE and NTOWFv2 as sent: the logon still succeeds, shown as DOMAIN\\user', async () => {
    const r = await run('ok', { credentials: { ...ACCOUNT, domain: 'DOM' }, delegate: true });
    expect(shape(r.verdict)).toEqual(ok());
    expect(r.verdict.summary.startsWith('NLA logon accepted for DOM\\rdpscope')).toBe(true);
    expect(credsspSummary(r.events)?.logon?.user).toBe('DOM\\rdpscope');
  });

  it('without --delegate: ok, credentials not delegated, no TSRequest with authInfo sent', async () => {
    const r = await runAs('ok', { delegate: false });
    expect(shape(r.verdict)).toEqual(ok());
    expect(r.verdict.summary).toMatch(/^NLA logon accepted for rdpscope: .*; credentials not delegated/);
    expect(credsspSummary(r.events)?.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: false });
    expect(credsspSummary(r.events)?.earlyUserAuth).toBeUndefined();
    expect(tsRequests(r.events, 'c2s').some((t) => t.request.authInfo !== undefined)).toBe(false);
    expect(tsRequests(r.events, 'c2s')).toHaveLength(2);
  });

  it('without credentials: the probe stops at the CHALLENGE', async () => {
    const r = await run('ok');
    expect(shape(r.verdict)).toEqual(ok());
    expect(credsspSummary(r.events)?.logon).toBeUndefined();
  });
});

describe.concurrent('the password never reaches the output', () => {
  const utf8 = Buffer.from(ACCOUNT.password, 'utf8').toString('hex');
  const utf16 = Buffer.from(ACCOUNT.password, 'utf16le').toString('hex');
  /** the password as text, or its UTF-8 or UTF-16LE bytes as hex (spaced or not, either case) */
  const leaks = (text: string): boolean => {
    const flat = text.replace(/[\s:]/g, '').toLowerCase();
    return text.includes(ACCOUNT.password) || flat.includes(utf8) || flat.includes(utf16);
  };

  /**
   * All of it, as toJson writes it (bytes as hex) and with the NTLM FILETIMEs (bigint) as decimals:
   * toJson itself throws on the bigint timestamps the decoded CHALLENGE and AUTHENTICATE carry.
   */
  const serialize = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? x.toString() : x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x));

  it('the check itself finds the password in the plaintext TSCredentials (as hex) and in text', () => {
    expect(leaks(toJson({ creds: encodeTsCredentials(ACCOUNT) }))).toBe(true);
    expect(leaks(Buffer.from(encodeTsCredentials(ACCOUNT)).toString('hex').replace(/(..)/g, '$1 ').toUpperCase())).toBe(true);
    expect(leaks(`password ${ACCOUNT.password}`)).toBe(true);
    expect(leaks('nothing here')).toBe(false);
  });

  for (const [what, name, extra] of [
    ['a delegated logon (ok)', 'ok', {}],
    ['a logon without delegation', 'ok', { delegate: false }],
    ['HYBRID only', 'ok', { requestedProtocols: 0x3 }],
    ['row 24 (eua-denied)', 'credssp-eua-denied', {}],
    ['row 25 (wrong-pubkeyauth)', 'credssp-wrong-pubkeyauth', {}],
    ['row 20 (errorCode)', 'credssp-error-logon-failure', {}],
  ] as const) {
    it(`${what}: not in the JSON report, the text rendering (with bytes) nor any tracker event`, async () => {
      const r = await runAs(name, extra);
      const json = toJson(connectionReport(r.events, r.verdict, r.diagnose), true);
      const text = renderConnection('probe', r.events, r.verdict, { color: false, bytes: true, certificate: diagnoseOpts() });
      expect(json).toMatch(/"logon"/);
      expect(text).toMatch(/Logon/);
      expect(leaks(json)).toBe(false);
      expect(leaks(text)).toBe(false);
      expect(leaks(serialize(r.events))).toBe(false);
      // every client event, bytes included (the decoded TSRequests carry every byte field the client sent)
      const c2s = r.events.filter((x) => 'dir' in x && x.dir === 'c2s');
      expect(c2s.filter((e) => e.type === 'pdu' && e.lane === 'inner').length).toBeGreaterThanOrEqual(2);
      for (const e of c2s) expect(leaks(serialize(e))).toBe(false);
      expect(leaks(toJson(r.verdict))).toBe(false);
    });
  }
});

// ---------------------------------------------------------------------------------------------
// the responder sans-IO, against the probe's CredsspClient

describe('CredsspResponder (sans-IO)', () => {
  const serverPublicKey = subjectPublicKey(scenarioCertificate('ok').cert.der);
  const negotiate = negotiateRequest().bytes;
  const random = (n: number): Uint8Array => new Uint8Array(randomBytes(n));
  const responder = (o: Partial<CredsspResponderOptions> = {}): CredsspResponder =>
    new CredsspResponder({ now: () => Date.UTC(2025, 0, 15), random, serverPublicKey, hybridEx: true, ...o });
  const client = (o: { credentials?: NtlmCredentials; delegate?: boolean; key?: Uint8Array } = {}): CredsspClient =>
    new CredsspClient({ credentials: o.credentials ?? ACCOUNT, delegate: o.delegate ?? true, serverPublicKey: o.key ?? serverPublicKey, random });
  const written = (a: CredsspAction[]): Uint8Array[] => a.flatMap((x) => ('write' in x ? [x.write] : []));
  const sent = (steps: CredsspClientStep[]): Uint8Array => {
    const s = steps.find((x): x is { send: Uint8Array } => 'send' in x);
    if (!s) throw new Error(`the client sent nothing: ${JSON.stringify(steps)}`);
    return s.send;
  };
  /** The server's TSRequest, handed to the client as the probe does (the CHALLENGE decoded). */
  const toClient = (c: CredsspClient, bytes: Uint8Array): CredsspClientStep[] => {
    const request: TsRequest = decodeTsRequest(bytes);
    const token = request.negoTokens?.[0];
    const ntlm = token ? decodeNtlm(token) : undefined;
    return c.receive(request, ntlm?.type === 2 ? (ntlm as NtlmChallenge) : undefined, Date.UTC(2025, 0, 15));
  };
  /** NEGOTIATE → CHALLENGE → AUTHENTICATE: what the responder does with the AUTHENTICATE. */
  const throughAuthenticate = (r: CredsspResponder, c: CredsspClient): { steps: CredsspClientStep[]; actions: CredsspAction[] } => {
    const [challenge] = written(r.receive(c.start()));
    const steps = toClient(c, challenge!);
    return { steps, actions: r.receive(sent(steps)) };
  };

  it('frames a TSRequest that arrives one byte at a time', () => {
    const r = responder();
    const out = [...negotiate].flatMap((b) => r.receive(Uint8Array.of(b)));
    expect(out).toHaveLength(1);
    const reply = out[0]!;
    expect('write' in reply && decodeNtlm(decodeTsRequest(reply.write).negoTokens![0]!)).toMatchObject({ type: 2, targetInfo: { nbComputerName: 'SCENARIO', nbDomainName: 'RDPSCOPE' } });
  });

  it('the default completes NLA for the scenario account: pubKeyAuth that the client verifies, then AUTHZ_SUCCESS after the TSCredentials (HYBRID_EX)', () => {
    const r = responder();
    const c = client();
    const { steps, actions } = throughAuthenticate(r, c);
    // the AUTHENTICATE carries pubKeyAuth and, at version 6, the clientNonce
    expect(decodeTsRequest(sent(steps))).toMatchObject({ version: 6, pubKeyAuth: expect.any(Uint8Array), clientNonce: expect.any(Uint8Array) });
    const [reply] = written(actions);
    expect(actions).toHaveLength(1);
    expect(decodeTsRequest(reply!)).toEqual({ version: 6, pubKeyAuth: expect.any(Uint8Array) });
    const after = toClient(c, reply!);
    expect(after[0]).toMatchObject({ check: { result: 'match', version: 6, method: 'sha256-binding-hash' } });
    expect(after.at(-1)).toEqual({ delegated: true });
    expect(r.receive(sent(after))).toEqual([{ write: Uint8Array.of(0, 0, 0, 0) }]);
    // CredSSP is over: anything else (MCS) is read and ignored
    expect(r.receive(negotiate)).toEqual([]);
  });

  it('HYBRID (no HYBRID_EX): no Early User Authorization Result after the TSCredentials', () => {
    const r = responder({ hybridEx: false });
    const c = client();
    const { actions } = throughAuthenticate(r, c);
    const after = toClient(c, written(actions)[0]!);
    expect(r.receive(sent(after))).toEqual([]);
  });

  it('the user name matches without regard to case, and any domain is taken as sent', () => {
    for (const credentials of [{ ...ACCOUNT, user: 'RDPSCOPE' }, { ...ACCOUNT, domain: 'SOMEWHERE' }]) {
      const c = client({ credentials });
      const { actions } = throughAuthenticate(responder(), c);
      expect(toClient(c, written(actions)[0]!)[0]).toMatchObject({ check: { result: 'match' } });
    }
  });

  it('a wrong password or an unknown user: errorCode STATUS_LOGON_FAILURE (0xC000006D), then nothing more', () => {
    for (const credentials of [{ ...ACCOUNT, password: 'Scenario#Pass2' }, { ...ACCOUNT, user: 'someone' }]) {
      const r = responder();
      const { actions } = throughAuthenticate(r, client({ credentials }));
      expect(actions.map((a) => 'write' in a && decodeTsRequest(a.write))).toEqual([{ version: 6, errorCode: 0xc000006d }]);
      expect(r.receive(negotiate)).toEqual([]);
    }
  });

  it('a client pubKeyAuth for another key: FIN, no pubKeyAuth in answer', () => {
    const other = serverPublicKey.map((b, i) => (i === 20 ? b ^ 1 : b));
    const { actions } = throughAuthenticate(responder(), client({ key: other }));
    expect(actions).toEqual([{ close: 'fin' }]);
  });

  it('close, reset and tls-alert act on the first TSRequest, then ignore the rest', () => {
    for (const how of ['close', 'reset', 'tls-alert'] as const) {
      const r = responder({ behaviour: how });
      expect(r.receive(negotiate.subarray(0, 10))).toEqual([]);
      expect(r.receive(negotiate.subarray(10))).toEqual([{ close: how === 'close' ? 'fin' : how === 'reset' ? 'rst' : 'tls-alert' }]);
      expect(r.receive(negotiate)).toEqual([]);
    }
  });

  it('errorCode: the CHALLENGE first, then a TSRequest version 6 with the status in answer to the AUTHENTICATE (even with the right password)', () => {
    const r = responder({ behaviour: { errorCode: 0xc0000234 } });
    const [challenge] = written(r.receive(negotiate));
    expect(decodeNtlm(decodeTsRequest(challenge!).negoTokens![0]!).type).toBe(2);
    const r2 = responder({ behaviour: { errorCode: 0xc0000234 } });
    const { actions } = throughAuthenticate(r2, client());
    expect(actions.map((a) => 'write' in a && decodeTsRequest(a.write))).toEqual([{ version: 6, errorCode: 0xc0000234 }]);
    expect(r2.receive(negotiate)).toEqual([]);
  });

  it('version: the CHALLENGE and the pubKeyAuth come in a TSRequest of that version; the key proof is the pre-v5 one', () => {
    const r = responder({ behaviour: { version: 2 } });
    const c = client();
    const { steps, actions } = throughAuthenticate(r, c);
    expect(decodeTsRequest(sent(steps)).clientNonce).toBeUndefined();
    const [reply] = written(actions);
    expect(decodeTsRequest(reply!).version).toBe(2);
    expect(toClient(c, reply!)[0]).toMatchObject({ check: { result: 'match', version: 2, method: 'public-key-plus-one' } });
  });

  it('close-after-authenticate: the CHALLENGE, then FIN for the AUTHENTICATE, no errorCode', () => {
    const r = responder({ behaviour: 'close-after-authenticate' });
    const { actions } = throughAuthenticate(r, client());
    expect(actions).toEqual([{ close: 'fin' }]);
    expect(r.receive(negotiate)).toEqual([]);
  });

  it('wrong-pubkeyauth: a pubKeyAuth sealed with the right key that binds another TLS key: the client sees a mismatch and withholds the credentials', () => {
    const c = client();
    const { actions } = throughAuthenticate(responder({ behaviour: 'wrong-pubkeyauth' }), c);
    const after = toClient(c, written(actions)[0]!);
    expect(after).toEqual([
      { check: expect.objectContaining({ result: 'mismatch', version: 6 }) },
      { done: 'the server did not prove it holds the TLS key: credentials withheld' },
    ]);
  });

  it('a pubKeyAuth altered on the way does not unseal: bad-signature', () => {
    const c = client();
    const { actions } = throughAuthenticate(responder(), c);
    const reply = decodeTsRequest(written(actions)[0]!);
    const altered = reply.pubKeyAuth!.map((b, i) => (i === 20 ? b ^ 0x80 : b));
    const after = toClient(c, encodeTsRequest({ ...reply, pubKeyAuth: altered }));
    expect(after[0]).toMatchObject({ check: { result: 'bad-signature' } });
  });

  it('kerberos-only: a NegTokenInit2 without NTLMSSP', () => {
    const [reply] = responder({ behaviour: 'kerberos-only' }).receive(negotiate);
    const token = reply && 'write' in reply ? decodeTsRequest(reply.write).negoTokens![0]! : new Uint8Array();
    expect(decodeSpnego(token)).toMatchObject({ kind: 'init', mechTypes: [OID.msKerberos, OID.kerberos, OID.kerberosU2U] });
  });

  it('ntlm-rejected: a NegTokenResp reject', () => {
    const [reply] = responder({ behaviour: 'ntlm-rejected' }).receive(negotiate);
    const token = reply && 'write' in reply ? decodeTsRequest(reply.write).negoTokens![0]! : new Uint8Array();
    expect(decodeSpnego(token)).toEqual({ kind: 'resp', negState: 2 });
  });

  it('eua-denied: NLA completes, nothing for a TSRequest without authInfo, then ACCESS_DENIED and FIN after the TSCredentials', () => {
    const r = responder({ behaviour: 'eua-denied' });
    const c = client();
    const { actions } = throughAuthenticate(r, c);
    const after = toClient(c, written(actions)[0]!);
    expect(after[0]).toMatchObject({ check: { result: 'match' } });
    expect(r.receive(encodeTsRequest({ version: 6 }))).toEqual([]);
    expect(r.receive(sent(after))).toEqual([{ write: Uint8Array.of(5, 0, 0, 0) }, { close: 'fin' }]);
    expect(r.receive(negotiate)).toEqual([]);
  });

  it('TSCredentials that do not unseal: FIN', () => {
    const r = responder();
    const c = client();
    const { actions } = throughAuthenticate(r, c);
    toClient(c, written(actions)[0]!);
    expect(r.receive(encodeTsRequest({ version: 6, authInfo: new Uint8Array(64).fill(1) }))).toEqual([{ close: 'fin' }]);
  });

  it('bytes that are not a TSRequest are read and ignored', () => {
    const r = responder({ behaviour: 'close' });
    expect(r.receive(Uint8Array.of(0x16, 0x03, 0x01))).toEqual([]);
    expect(r.receive(negotiate)).toEqual([]);
  });
});
