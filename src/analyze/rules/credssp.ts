// CredSSP stage rules: catalogue rows 19-25 ([MS-CSSP] 3.1.5). With the plaintext (live probe) the
// TSRequests are observed; from a capture without TLS keys, only record sizes, alerts and who
// closed are seen, and the verdict says it is inferred.
import { describeCode } from '../../codes/table.js';
import { NTSTATUS, NTSTATUS_CLIENT_DISCONNECT } from '../../codes/ntstatus.js';
import { CLIENT_DISCONNECT } from '../../codes/index.js';
import { mechName } from '../../credssp/spnego.js';
import { hex32 } from '../../wire/hex.js';
import { credsspFacts, CVE_2018_0886_FIXED_VERSION } from '../credssp-summary.js';
import type { Facts } from '../facts.js';
import type { Finding } from '../verdict.js';
import type { Rule } from './rule.js';
import { describeEnd, endedBy, evidence, keysFor, pduEvidence } from './rule.js';
import { deniedByServer } from './tls.js';
import { certificateWarning } from './beyond.js';

const inCredssp = (f: Facts): boolean => f.entered.includes('credssp');
const EUA_ACCESS_DENIED = 5;

/** The CredSSP version finding (row 22) for any verdict that saw the server's TSRequest. */
export function credsspFindings(f: Facts): Finding[] {
  const v = f.credssp.requests.find((r) => r.dir === 's2c')?.value.request.version;
  if (v === undefined) return [];
  return v < CVE_2018_0886_FIXED_VERSION
    ? [{ severity: 'warning', row: 22, text: `the server speaks CredSSP version ${v}: versions below 5 lack the CVE-2018-0886 fix (encryption oracle remediation); patched clients set to "Force Updated Clients" refuse it` }]
    : [{ severity: 'info', text: `CredSSP version ${v} (includes the CVE-2018-0886 fix)` }];
}

/** Row 20: the server's TSRequest carries an NTSTATUS errorCode. */
const errorCode: Rule = (f) => {
  const r = f.credssp.requests.find((x) => x.dir === 's2c' && x.value.request.errorCode !== undefined);
  if (!r) return undefined;
  const d = describeCode(NTSTATUS, r.value.request.errorCode!);
  const code = NTSTATUS_CLIENT_DISCONNECT.get(d.value);
  const shown = code === undefined ? undefined : describeCode(CLIENT_DISCONNECT, code);
  return {
    status: 'failed', failedStage: 'credssp', row: 20,
    ...(shown ? {
      clientShows: {
        code: shown.hex, ...(shown.known ? { codeName: shown.name } : {}), text: shown.meaning, basis: 'inferred' as const,
        why: `the Windows client's disconnect code whose name matches ${d.name} ([MS-RDPBCGR] has no table; inferred from the names)`,
      },
    } : {}),
    summary: `the server refused the logon: CredSSP errorCode ${d.hex} ${d.name}`,
    cause: d.meaning,
    evidence: [pduEvidence('observed', `server TSRequest (version ${r.value.request.version}) carries errorCode ${hex32(d.value)} = ${d.name}`, r)],
    endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: r.at },
    findings: credsspFindings(f),
  };
};

/** Row 24: Early User Authorization Result ACCESS_DENIED (HYBRID_EX). */
const earlyUserAuthDenied: Rule = (f) => {
  const e = f.credssp.earlyUserAuth;
  if (!e || e.value.value !== EUA_ACCESS_DENIED) return undefined;
  return {
    status: 'failed', failedStage: 'credssp', row: 24,
    summary: 'the server denied the user after authentication: Early User Authorization Result ACCESS_DENIED',
    cause: 'the account authenticated but may not log on remotely (not in Remote Desktop Users, or "Deny log on through Remote Desktop Services")',
    evidence: [pduEvidence('observed', `Early User Authorization Result ${e.value.value} = ${e.value.name}`, e)],
    endedBy: endedBy(f),
  };
};

/** Row 23: the server offers no NTLM (Kerberos-only SPNEGO), or answers with something other than NTLM. */
const noNtlm: Rule = (f) => {
  const r = f.credssp.requests.find((x) => x.dir === 's2c' && x.value.request.negoTokens?.length);
  if (!r || r.value.ntlm || r.value.tokenError) return undefined;
  const sp = r.value.spnego;
  const mechs = sp?.kind === 'init' ? sp.mechTypes.map(mechName).join(', ') : sp?.kind === 'resp' ? (sp.supportedMech ? mechName(sp.supportedMech) : 'none') : r.value.tokenKind;
  return {
    status: 'failed', failedStage: 'credssp', row: 23,
    summary: `the server answered the NTLM NEGOTIATE without NTLM (${r.value.tokenKind}: ${mechs})`,
    cause: 'NTLM is disabled or restricted on the server ("Network security: Restrict NTLM"), so only Kerberos works: connect by FQDN from a domain-joined client',
    evidence: [pduEvidence('observed', `server token is ${r.value.tokenKind}, mechanisms: ${mechs}`, r)],
    endedBy: endedBy(f),
  };
};

/** The client's messages in an NTLM CredSSP exchange: NEGOTIATE, AUTHENTICATE + pubKeyAuth, TSCredentials. */
const CREDSSP_CLIENT_MESSAGES = 3;

/** What the client's Nth CredSSP message is in an NTLM exchange ([MS-CSSP] 3.1.5 steps 1, 3, 5). */
const CLIENT_MESSAGE = ['its first TSRequest (the NTLM NEGOTIATE)', 'its second TSRequest (the NTLM AUTHENTICATE and pubKeyAuth)', 'its third TSRequest (the encrypted credentials, TSCredentials)'];

/** The client's CredSSP messages before `at`: TSRequests when the plaintext is known, else TLS records. */
function clientMessagesBefore(f: Facts, at: number) {
  const inner = f.credssp.requests.filter((r) => r.dir === 'c2s' && r.at <= at);
  if (inner.length || f.credssp.requests.length) return { inferred: false, list: inner };
  return { inferred: true, list: f.tls.records.filter((r) => r.dir === 'c2s' && r.stage === 'credssp' && r.at <= at) };
}

/** Row 21: a TLS alert from the server where a TSRequest was expected. */
const alertInsteadOfTsRequest: Rule = (f) => {
  if (!inCredssp(f)) return undefined;
  const alert = f.tls.encryptedAlerts.find((a) => a.dir === 's2c' && a.stage === 'credssp');
  if (!alert) return undefined;
  const { inferred, list } = clientMessagesBefore(f, alert.at);
  if (inferred && list.length > CREDSSP_CLIENT_MESSAGES) return undefined;
  const last = list.at(-1);
  // the alert must answer the client's last message: no server TSRequest in between
  if (!last || f.credssp.requests.some((r) => r.dir === 's2c' && r.at >= last.at && r.at <= alert.at)) return undefined;
  const n = list.length;
  // after the AUTHENTICATE, an alert-sized record and the server's own close is a server that closed
  // TLS and TCP instead of answering (FreeRDP on a wrong password: close_notify, FIN): row 20 below
  if (n >= 2 && endedBy(f)?.who === 'server') return undefined;
  const what = CLIENT_MESSAGE[n - 1] ?? `its CredSSP message number ${n}`;
  const afterAuth = n >= 2;
  return {
    status: 'failed', failedStage: 'credssp', row: 21,
    summary: `the server answered the client's ${what.replace(/^its /, '')} with a TLS alert instead of a TSRequest${afterAuth ? ': most likely the logon was refused' : ''}`,
    cause: afterAuth
      ? 'NLA authentication failed (wrong password, unknown or restricted account) and the server\'s TLS layer ended the session instead of sending an errorCode'
      : 'CredSSP failed on the server and its TLS layer reported it (NLA provider failure, CredSSP policy mismatch)',
    evidence: [
      pduEvidence(inferred ? 'inferred' : 'observed', inferred
        ? `the client sent ${n} encrypted CredSSP record${n === 1 ? '' : 's'} (${list.map((r) => ('length' in r.value ? r.value.length : 0)).join(', ')} bytes); the last is ${what}, by its position`
        : `the client sent ${what}`, last),
      pduEvidence('inferred', `the server's next record is ${alert.value.length} bytes, ${alert.value.likely}: a TLS alert where a TSRequest was expected${inferred ? ` (no TLS keys: its contents are not visible; ${keysFor(f)} would settle it)` : ''}`, alert),
    ],
    endedBy: endedBy(f), clientShows: deniedByServer('the server ends the connection during CredSSP; the client sees the socket close'),
  };
};

/**
 * Rows 19 and 20: the server closed without answering the client's last CredSSP message. After the
 * first (the NEGOTIATE) it is row 19; after the AUTHENTICATE or the credentials it is a refused logon
 * without errorCode (row 20 by inference: FreeRDP's server does this on a wrong password).
 */
const closedAfterClientMessage: Rule = (f) => {
  if (!inCredssp(f) || f.stage !== 'credssp') return undefined;
  const by = endedBy(f);
  if (by?.who !== 'server') return undefined;
  const { inferred, list } = clientMessagesBefore(f, Number.MAX_VALUE);
  const last = list.at(-1);
  // without the plaintext, more client records than the CredSSP exchange has mean it went on (MCS)
  if (!last || (inferred && list.length > CREDSSP_CLIENT_MESSAGES)) return undefined;
  // with the plaintext, only a TSRequest answers (TLS 1.3 session tickets are records, not answers)
  const answered = inferred
    ? f.tls.records.some((r) => r.dir === 's2c' && r.stage === 'credssp' && r.at > last.at)
    : f.credssp.requests.some((r) => r.dir === 's2c' && r.at > last.at);
  if (answered) return undefined;
  const n = list.length;
  const closed = by.how === 'rst' ? 'reset' : 'closed';
  const sent = pduEvidence(inferred ? 'inferred' : 'observed', inferred
    ? `the client's CredSSP record number ${n} (encrypted; no TLS keys): ${CLIENT_MESSAGE[n - 1] ?? 'a later CredSSP message'}, by its position; ${keysFor(f)} would settle it`
    : `client sent ${CLIENT_MESSAGE[n - 1] ?? `CredSSP message number ${n}`}`, last);
  const end = evidence('observed', `${describeEnd(by)} with no TSRequest in answer`, f.closes[0]);
  if (n === 1) {
    return {
      status: 'failed', failedStage: 'credssp', row: 19,
      summary: `the server ${closed} the connection right after the client's first TSRequest`,
      cause: 'the server\'s NLA provider failed, or CredSSP is not what answers on this port',
      evidence: [sent, end],
      endedBy: by,
    };
  }
  const what = n === 2 ? 'NTLM AUTHENTICATE' : 'credentials (TSCredentials)';
  const alert = f.tls.encryptedAlerts.find((a) => a.dir === 's2c' && a.stage === 'credssp' && a.at >= last.at);
  const tlsEnd = alert ? [pduEvidence('inferred', `the server's last record is ${alert.value.length} bytes, ${alert.value.likely}: it ended TLS (close_notify or an alert; encrypted) before closing TCP`, alert)] : [];
  return {
    status: 'failed', failedStage: 'credssp', row: 20,
    summary: `the server ${closed} the connection after the client's ${what}, without a CredSSP errorCode: most likely the logon was refused`,
    cause: 'wrong password, unknown, disabled or locked account, or a user without the right to log on remotely; this server does not say which (FreeRDP\'s server closes like this), its log does',
    evidence: [sent, ...tlsEnd, end, evidence('inferred', `a server that closes instead of answering the ${what} refused it; Windows servers send errorCode (CredSSP v3+) instead`)],
    endedBy: by, clientShows: deniedByServer('the server closes the connection during CredSSP; the client sees the socket close'),
    remedy: ['Check the user name, domain and password first: the server sent no status, so its own log has the cause (Windows: Security event 4625; FreeRDP: the server\'s console output)'],
    findings: credsspFindings(f),
  };
};

/** Row 25: the server's pubKeyAuth does not bind this TLS session's key (checked by the live probe). */
const pubKeyAuthRejected: Rule = (f) => {
  const c = f.credssp.check;
  if (!c || c.result === 'match') return undefined;
  const reply = f.credssp.requests.find((r) => r.dir === 's2c' && r.value.request.pubKeyAuth);
  return {
    status: 'failed', failedStage: 'credssp', row: 25,
    summary: c.result === 'mismatch'
      ? 'the server\'s pubKeyAuth does not match the TLS key: TLS is intercepted between client and server'
      : 'the server\'s pubKeyAuth is not sealed with this NTLM session\'s key',
    cause: c.result === 'mismatch'
      ? 'a TLS-intercepting device (TLS inspection, a proxy or a man in the middle) answers with its own certificate; the credentials were not sent'
      : 'the answer does not come from the party that took the NTLM AUTHENTICATE (a relaying middlebox) or was altered; the credentials were not sent',
    evidence: [
      ...(reply ? [pduEvidence('observed', `server TSRequest (version ${reply.value.request.version}) carries a ${reply.value.request.pubKeyAuth!.length}-byte pubKeyAuth`, reply)] : []),
      evidence('observed', `CredSSP v${c.version} check (${c.method}): ${c.detail}`, c),
    ],
    endedBy: endedBy(f),
    clientShows: { text: 'a security error: the remote computer\'s identity could not be verified, and the client disconnects', basis: 'inferred', why: 'CredSSP clients refuse to send credentials when the server cannot prove it holds the TLS key ([MS-CSSP] 3.1.5 step 4)' },
    findings: credsspFindings(f),
  };
};

/** The credentialed probe's outcome: the server proved its key; credentials delegated or not. */
const logonAccepted: Rule = (f) => {
  const c = f.credssp.check;
  // past CredSSP the later stages' rules speak (they include the CredSSP findings)
  if (c?.result !== 'match' || endedBy(f)?.who === 'server' || f.rdp.all.length) return undefined;
  const auth = f.credssp.requests.find((r) => r.dir === 'c2s' && r.value.ntlm?.type === 3);
  const a = auth?.value.ntlm?.type === 3 ? auth.value.ntlm : undefined;
  const who = a ? `${a.domain ? `${a.domain}\\` : ''}${a.user}` : 'the user';
  const creds = f.credssp.requests.find((r) => r.dir === 'c2s' && r.value.request.authInfo);
  const eua = f.credssp.earlyUserAuth;
  const ev = [
    ...(auth ? [pduEvidence('observed', `client sent the NTLM AUTHENTICATE for ${who} with pubKeyAuth`, auth)] : []),
    evidence('observed', `CredSSP v${c.version} (${c.method}): ${c.detail}`, c),
  ];
  if (creds) ev.push(pduEvidence('observed', 'client sent the sealed credentials (TSCredentials)', creds));
  if (eua) ev.push(pduEvidence('observed', `Early User Authorization Result ${eua.value.value} = ${eua.value.name}`, eua));
  const next = !creds ? '; credentials not delegated (--delegate sends them and continues)'
    : eua ? `; credentials delegated, Early User Authorization ${eua.value.name}` : '; credentials delegated';
  return {
    status: 'ok',
    summary: `NLA logon accepted for ${who}: the server took the NTLM AUTHENTICATE and proved it holds this TLS session's key${next}`,
    evidence: ev,
    endedBy: endedBy(f),
    findings: credsspFindings(f),
    ...certificateWarning(f),
  };
};

/** The unauthenticated probe's outcome: the server answered NEGOTIATE with a CHALLENGE. */
const challengeReceived: Rule = (f) => {
  const s = credsspFacts(f);
  if (!s?.ntlm || f.end?.how !== 'probe-done' || f.rdp.all.length) return undefined;
  const n = s.ntlm;
  const who = [n.nbDomainName, n.nbComputerName].filter(Boolean).join('\\');
  const ch = f.credssp.requests.find((r) => r.dir === 's2c' && r.value.ntlm?.type === 2)!;
  const skew = n.clockSkewMs !== undefined ? `; server clock ${n.clockSkewMs >= 0 ? '+' : ''}${(n.clockSkewMs / 1000).toFixed(1)} s from ours` : '';
  return {
    status: 'ok',
    summary: `NLA: the server answered the NTLM NEGOTIATE with a CHALLENGE (CredSSP v${s.serverVersion}${who ? `, ${who}` : ''}${n.productVersion ? `, Windows ${n.productVersion}` : ''}); no credentials given, the probe stopped there`,
    evidence: [pduEvidence('observed', `NTLM CHALLENGE: target ${n.targetName ?? '-'}, DNS ${n.dnsComputerName ?? '-'} in ${n.dnsDomainName ?? '-'}${n.serverTime ? `, server time ${n.serverTime}` : ''}${skew}`, ch)],
    endedBy: endedBy(f),
    findings: credsspFindings(f),
    ...certificateWarning(f),
  };
};

export const credsspRules: Rule[] = [pubKeyAuthRejected, errorCode, earlyUserAuthDenied, noNtlm, alertInsteadOfTsRequest, closedAfterClientMessage, logonAccepted, challengeReceived];
