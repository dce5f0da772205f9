// Rules for the stages after X.224 (catalogue rows 26-33): the MCS Connect exchange, channels,
// Security Exchange, Client Info, licensing, Set Error Info and Disconnect Provider Ultimatum, up to
// the Demand Active ([MS-RDPBCGR] 1.3.1.1). Under Standard RDP Security without keys the phases still
// show through the clear security flags; what is inferred from that is labelled so.
import { describeCode } from '../../codes/table.js';
import { CLIENT_DISCONNECT, ERRINFO, EXTENDED_REASON } from '../../codes/index.js';
import { hex32 } from '../../wire/hex.js';
import type { Facts } from '../facts.js';
import type { PduEvent } from '../events.js';
import type { StageName } from '../stages.js';
import type { ClientShows, Finding } from '../verdict.js';
import type { Rule, RuleResult } from './rule.js';
import { describeEnd, endedBy, evidence, pduEvidence } from './rule.js';
import { deniedByServer } from './tls.js';
import { certificateWarning } from './beyond.js';
import { credsspFindings } from './credssp.js';
import { rdpSummary } from '../rdp-summary.js';
import { ENCRYPTION_LEVEL, ENCRYPTION_METHOD } from '../../rdp/security-header.js';
import { RDP_PDU } from '../stages/rdp-common.js';

const after = (f: Facts): boolean => f.rdp.all.length > 0;
const serverClosed = (f: Facts) => {
  const by = endedBy(f);
  return by?.who === 'server' ? by : undefined;
};
const lastClient = (f: Facts): PduEvent | undefined => f.rdp.all.filter((e) => e.dir === 'c2s').at(-1);
const ev = (e: PduEvent, text: string) => pduEvidence('observed', text, e);
/** A PDU's name without its layer: "Connect Initial", "Client Info". */
const shortName = (e: PduEvent): string => e.name.replace(/^(MCS|RDP) /, '');
/** A legacy Connection Confirm (no negotiation data): the server speaks only Standard RDP Security (row 12). */
const legacyConfirm = (f: Facts): boolean => !!f.cc && !f.cc.value.negotiation;
/** The row of a verdict that is otherwise OK: 12 for a legacy server, else 17 when the certificate warns. */
const okRow = (f: Facts): Pick<RuleResult, 'row' | 'clientShows'> => (legacyConfirm(f) ? { row: 12 } : certificateWarning(f));

/** Row 28 and friends: what the Server Security Data says about Standard RDP Security. */
export function rdpFindings(f: Facts): Finding[] {
  const legacy: Finding[] = legacyConfirm(f)
    ? [{ severity: 'warning', row: 12, text: 'legacy Connection Confirm without negotiation data: the server only speaks Standard RDP Security (pre-RDP 5.2 or negotiation disabled)' }]
    : [];
  return [...legacy, ...securityFindings(f)];
}

function securityFindings(f: Facts): Finding[] {
  const sec = f.rdp.connectResponse?.value.serverData?.security;
  if (!sec || (f.cc?.value.negotiation?.type === 'response' && f.cc.value.negotiation.selectedProtocol !== 0)) return [];
  const out: Finding[] = [];
  if (sec.encryptionMethod === ENCRYPTION_METHOD.NONE || sec.encryptionLevel === ENCRYPTION_LEVEL.NONE) out.push({ severity: 'warning', row: 28, text: `Standard RDP Security without encryption (${sec.encryptionMethodName}, ${sec.encryptionLevelName}): everything, the Client Info included, travels in the clear` });
  else if (sec.encryptionMethod === ENCRYPTION_METHOD.BIT_40 || sec.encryptionMethod === ENCRYPTION_METHOD.BIT_56) out.push({ severity: 'warning', row: 28, text: `Standard RDP Security with ${sec.encryptionMethodName}: RC4 with a ${sec.encryptionMethod === ENCRYPTION_METHOD.BIT_40 ? '40' : '56'}-bit key is breakable` });
  if (sec.encryptionLevel === ENCRYPTION_LEVEL.LOW) out.push({ severity: 'warning', row: 28, text: 'encryption level LOW: only client-to-server data is encrypted; what the server sends is in the clear' });
  out.push({ severity: 'warning', text: 'Standard RDP Security authenticates the server with no certificate a client can verify: prefer TLS with NLA' });
  return out;
}

function errInfoShows(code: number): ClientShows {
  const d = describeCode(ERRINFO, code);
  const c = describeCode(CLIENT_DISCONNECT, 0x904);
  return { code: c.hex, codeName: c.name, extended: d.hex, extendedName: d.name, text: d.meaning, basis: 'inferred', why: 'the server sent Set Error Info before closing: a Windows client shows that errorInfo as the extended code (catalogue §1)' };
}

/** Rows 31 and 32: the server said why with Set Error Info. */
const setErrorInfo: Rule = (f) => {
  // in an active session Set Error Info is how it ended (logoff, idle timeout), not a handshake failure
  const s = f.rdp.setErrorInfo.find((e) => e.value.errorInfo !== 0 && e.stage !== 'active');
  if (!s) return undefined;
  const code = s.value.errorInfo;
  const licensing = code >= 0x100 && code <= 0x10a;
  const by = endedBy(f);
  return {
    status: 'failed', failedStage: s.stage, row: licensing ? 31 : 32,
    summary: `the server sent Set Error Info ${hex32(code)} ${s.value.error.name}${by?.who === 'server' ? ' and closed' : ''}: ${s.value.error.meaning}`,
    cause: s.value.error.meaning,
    evidence: [
      ev(s, `server Set Error Info errorInfo ${hex32(code)} = ${s.value.error.name}${s.value.decrypted ? ' (decrypted)' : ''}`),
      ...(f.rdp.dpu ? [ev(f.rdp.dpu, `then MCS Disconnect Provider Ultimatum (${f.rdp.dpu.value.reasonName})`)] : []),
      evidence('observed', describeEnd(by), f.closes[0]),
    ],
    endedBy: by, clientShows: errInfoShows(code), findings: rdpFindings(f),
  };
};

/** Rows 26 and 33: an MCS Disconnect Provider Ultimatum from the server. */
const disconnectUltimatum: Rule = (f) => {
  const d = f.rdp.dpu;
  if (!d || d.dir !== 's2c' || d.stage === 'active') return undefined;
  const reason = d.value;
  if (!f.rdp.connectResponse) return closedAfterConnectInitial(f);
  const code = describeCode(CLIENT_DISCONNECT, 0x3);
  const before = f.rdp.all.filter((e) => e.dir === 'c2s' && e.at <= d.at).at(-1);
  const label = !before ? '' : before.name === RDP_PDU.encrypted ? `encrypted ${(before.value as { what: string }).what.replace(/^RDP /, '')}` : shortName(before);
  return {
    status: 'failed', failedStage: d.stage, row: 33,
    summary: `the server disconnected with an MCS Disconnect Provider Ultimatum (${reason.reasonName}) during ${d.stage}${before ? `, after the client's ${label}` : ''}`,
    cause: 'a server-initiated disconnect without Set Error Info: the server refused what the client sent last, or an administrator or session policy ended the connection',
    evidence: [
      ...(before ? [ev(before, `the client's last PDU before it: ${label}`)] : []),
      ev(d, `MCS Disconnect Provider Ultimatum, reason ${reason.reason} = ${reason.reasonName}`), evidence('observed', describeEnd(endedBy(f)), f.closes[0]),
    ],
    endedBy: endedBy(f),
    clientShows: { code: code.hex, codeName: code.name, text: 'disconnected by the server', basis: 'inferred', why: 'the catalogue\'s reading of a server-initiated MCS disconnect (row 33)' },
    findings: rdpFindings(f),
  };
};

/** Row 27: the Connect Response result is not rt-successful. */
const conferenceRejected: Rule = (f) => {
  const r = f.rdp.connectResponse;
  if (!r || r.value.result === 0) return undefined;
  return {
    status: 'failed', failedStage: 'mcs-connect', row: 27,
    summary: `the server rejected the MCS conference: Connect Response result ${r.value.result} ${r.value.resultName}`,
    cause: r.value.resultName === 'rt-too-many-users' ? 'the server has no room for another connection' : 'the server refused the client\'s MCS connection',
    evidence: [ev(r, `MCS Connect Response result ${r.value.result} = ${r.value.resultName}`)],
    endedBy: endedBy(f),
  };
};

/** Row 26: the server closed (or sent a Disconnect Provider Ultimatum) right after the Connect Initial. */
function closedAfterConnectInitial(f: Facts): RuleResult | undefined {
  const ci = f.rdp.connectInitial;
  const by = endedBy(f);
  if (!ci || f.rdp.connectResponse || (by?.who !== 'server' && !f.rdp.dpu)) return undefined;
  const methods = ci.value.clientData.security?.encryptionMethods;
  // the client's encryptionMethods flags share the values of ENCRYPTION_METHOD
  const fips = methods === ENCRYPTION_METHOD.FIPS;
  const shows = fips ? { ...deniedByServer('a FIPS client shows 0x8 (SERVER_DENIED_CONNECTION_FIPS) instead of 0x7'), extended: describeCode(EXTENDED_REASON, 0x8).hex } : deniedByServer('the server closes during the MCS connect; the client sees the socket close');
  return {
    status: 'failed', failedStage: 'mcs-connect', row: 26,
    summary: `the server ${f.rdp.dpu ? 'sent an MCS Disconnect Provider Ultimatum and ' : ''}${by?.how === 'rst' ? 'reset' : 'closed'} the connection right after the MCS Connect Initial`,
    cause: 'the server refused the client data: an encryption or FIPS mismatch (the client\'s encryption methods against the server\'s level), or values it does not accept',
    evidence: [
      ev(ci, `client MCS Connect Initial: ${ci.value.clientData.core?.versionName ?? 'client'}${methods !== undefined ? `, encryption methods 0x${methods.toString(16)}` : ''}, ${ci.value.clientData.network?.channels.length ?? 0} static channels`),
      ...(f.rdp.dpu ? [ev(f.rdp.dpu, `MCS Disconnect Provider Ultimatum (${f.rdp.dpu.value.reasonName}) instead of a Connect Response`)] : []),
      evidence('observed', `${describeEnd(by)} with no Connect Response`, f.closes[0]),
    ],
    endedBy: by, clientShows: shows, findings: rdpFindings(f),
  };
}

/** Row 29: Attach User or Channel Join refused. */
const channelRefused: Rule = (f) => {
  const bad = f.rdp.domain.find((e) => (e.value.type === 'attachUserConfirm' || e.value.type === 'channelJoinConfirm') && e.value.result !== 0);
  if (!bad) return undefined;
  const v = bad.value as { type: string; result: number; resultName: string; requested?: number };
  return {
    status: 'failed', failedStage: 'channels', row: 29,
    summary: v.type === 'attachUserConfirm' ? `the server refused the MCS Attach User: ${v.resultName}` : `the server refused to join channel ${v.requested}: ${v.resultName}`,
    cause: 'the server refused the channel setup (channel policy, too many channels or users)',
    evidence: [ev(bad, `${bad.name}: result ${v.result} = ${v.resultName}`)],
    endedBy: endedBy(f), clientShows: deniedByServer('a refused channel setup ends the connection; the client sees the socket close'),
  };
};

/** Licensing errors (row 31). */
const licensingError: Rule = (f) => {
  const l = f.rdp.licensing.find((e) => e.value.outcome.outcome === 'error');
  if (!l || l.value.outcome.outcome !== 'error') return undefined;
  const o = l.value.outcome;
  const c = describeCode(CLIENT_DISCONNECT, 0x808);
  return {
    status: 'failed', failedStage: 'licensing', row: 31,
    summary: `licensing failed: ${o.code.name} with ${o.transition.name}`,
    cause: o.code.meaning,
    evidence: [ev(l, `server licensing error alert: dwErrorCode ${o.code.hex} = ${o.code.name}, dwStateTransition ${o.transition.name}`), evidence('observed', describeEnd(endedBy(f)), f.closes[0])],
    endedBy: endedBy(f),
    clientShows: { code: c.hex, codeName: c.name, text: o.clientShows, basis: 'inferred', why: 'the licensing error the server sent' },
  };
};

const lastServer = (f: Facts): PduEvent | undefined => f.rdp.all.filter((e) => e.dir === 's2c').at(-1);
const isJoinPhase = (e: PduEvent | undefined): boolean => e?.name === 'MCS Channel Join Confirm' || e?.name === 'MCS Attach User Confirm';

/**
 * Where a silent close or stall belongs: after the Security Exchange with no server PDU since (row 30:
 * the client's next PDU, the Client Info, is encrypted with keys from it and crosses the close), or
 * right after the channel joins (row 29), or else the stage it interrupted.
 */
function placeOfEnd(f: Facts): { stage: StageName; row?: number; why: string } {
  const sx = f.rdp.securityExchange;
  const srv = lastServer(f);
  if (sx && (!srv || srv.at < sx.at)) {
    return { stage: 'security-exchange', row: 30, why: 'the server sent nothing after the client\'s Security Exchange: it could not decrypt the client random (a bad server RSA key or proprietary certificate)' };
  }
  if (isJoinPhase(srv)) return { stage: 'channels', row: 29, why: `the server's last PDU was the ${srv!.name}: it ended the connection during the channel setup (the client's next PDU may have crossed it)` };
  return { stage: f.stage, why: `the server refused what the client sent in ${f.stage} without saying why (its log has the reason)` };
}

/** A server close inside a decoded stage after MCS with no Set Error Info: 0x904/0x7. */
const closedInSequence: Rule = (f) => {
  if (!after(f) || f.rdp.demandActive || f.entered.includes('capabilities')) return undefined;
  const by = serverClosed(f);
  if (!by) return undefined;
  const place = placeOfEnd(f);
  const last = lastClient(f);
  const encrypted = f.rdp.encrypted.some((e) => e.dir === 'c2s' && last && e.at >= last.at);
  return {
    status: 'failed', failedStage: place.stage, ...(place.row ? { row: place.row } : {}),
    summary: `the server ${by.how === 'rst' ? 'reset' : 'closed'} the connection during ${place.stage}${last ? ` after the client's ${shortName(last)}` : ''}, without Set Error Info`,
    cause: place.why,
    evidence: [
      ...(last ? [ev(last, `the client's last PDU: ${last.name}${encrypted ? ' (encrypted; no keys)' : ''}`)] : []),
      evidence('observed', `${describeEnd(by)} with no Set Error Info`, f.closes[0]),
      ...(place.row ? [evidence('inferred', place.why)] : []),
    ],
    endedBy: by, clientShows: deniedByServer(`the server closes during ${place.stage}; the client sees the socket close`), findings: rdpFindings(f),
  };
};

/** Row 34 after X.224: the server stopped answering inside the connection sequence. */
const stalledInSequence: Rule = (f) => {
  if (!after(f) || f.rdp.demandActive || f.entered.includes('capabilities') || endedBy(f)?.how !== 'timeout') return undefined;
  const last = lastClient(f);
  const srv = lastServer(f);
  if (!last || (srv && srv.at > last.at)) return undefined;
  return {
    status: 'failed', failedStage: f.stage, row: 34,
    summary: `the server stopped answering in ${f.stage}: no reply to the client's ${shortName(last)}`,
    cause: 'an overloaded or hung server (session broker, licensing or logon service), or a middlebox holding the connection',
    evidence: [ev(last, `the client's last PDU: ${last.name}`), evidence('observed', describeEnd(endedBy(f)), f.end)],
    endedBy: endedBy(f), findings: rdpFindings(f),
  };
};

/**
 * The server sent the Demand Active (decoded, or an encrypted PDU in its place): the connection
 * sequence worked through the capabilities exchange, and perhaps on into an active session.
 */
const sequenceComplete: Rule = (f) => {
  const d = f.rdp.demandActive;
  const byPlace = f.rdp.encrypted.find((e) => e.dir === 's2c' && e.value.likely?.startsWith('the Demand Active'));
  if (!d && !byPlace) return undefined;
  const s = rdpSummary(f)!;
  const lic = f.rdp.licensing.at(-1)?.value.outcome;
  const active = f.entered.includes('active');
  const parts = [
    s.serverVersion && `server ${s.serverVersion}`,
    s.encryption && `${s.encryption.method}/${s.encryption.level}`,
    `${s.channels.length} channel${s.channels.length === 1 ? '' : 's'}`,
    lic && `licensing: ${lic.outcome}`,
    s.desktop && `desktop ${s.desktop}`,
  ].filter(Boolean).join(', ');
  const by = endedBy(f);
  const ending = [
    ...f.rdp.setErrorInfo.filter((e) => e.stage === 'active').map((e) => ev(e, `the session ended with Set Error Info ${hex32(e.value.errorInfo)} ${e.value.error.name}`)),
    ...(f.rdp.dpu && f.rdp.dpu.stage === 'active' ? [ev(f.rdp.dpu, `the session ended with an MCS Disconnect Provider Ultimatum (${f.rdp.dpu.value.reasonName})`)] : []),
  ];
  return {
    status: 'ok',
    summary: active
      ? `the connection reached an active session (${parts})`
      : `the server sent the Demand Active: the connection sequence works up to the capabilities exchange (${parts})`,
    evidence: [
      ...(f.rdp.connectResponse ? [ev(f.rdp.connectResponse, 'MCS Connect Response rt-successful')] : []),
      ...(lic ? [ev(f.rdp.licensing.at(-1)!, `licensing: ${lic.summary}`)] : []),
      d ? ev(d, `Demand Active: share ${hex32(d.value.shareId)}, ${d.value.capabilities.length} capability sets${d.value.decrypted ? ' (decrypted)' : ''}`)
        : evidence('inferred', `the server's first encrypted share PDU after licensing (${byPlace!.value.length} bytes) is the Demand Active, by its place in the sequence; without the client random its contents are not visible`, byPlace, byPlace!.head),
      ...(active ? [evidence('observed', 'fast-path or finalization traffic: the session went active')] : []),
      ...ending,
      ...(by ? [evidence('observed', describeEnd(by), f.closes[0])] : []),
    ],
    endedBy: by,
    findings: [...rdpFindings(f), ...credsspFindings(f)],
    ...okRow(f),
  };
};

/**
 * A capture that ends (or loses bytes) inside the sequence after a successful MCS connect, with no
 * failure seen: ok as far as it goes, and it says where the capture stops (row 35 as a note).
 */
const capturedSoFar: Rule = (f) => {
  const cr = f.rdp.connectResponse;
  const by = endedBy(f);
  if (!cr || cr.value.result !== 0 || by?.who !== 'capture') return undefined;
  const srv = lastServer(f)!;
  return {
    status: 'ok',
    summary: `the connection sequence went well as far as the capture goes: the last server PDU is the ${shortName(srv)}; the capture ends in ${f.stage}`,
    evidence: [ev(cr, 'MCS Connect Response rt-successful'), ...(srv !== cr ? [ev(srv, `last server PDU: ${srv.name}`)] : []), evidence('observed', describeEnd(by), f.end ?? f.gaps[0])],
    endedBy: by,
    findings: [...rdpFindings(f), { severity: 'info', row: 35, text: `the capture ends in ${f.stage}: what came after is not known` }],
    ...okRow(f),
  };
};

export const rdpRules: Rule[] = [setErrorInfo, disconnectUltimatum, conferenceRejected, closedAfterConnectInitial, channelRefused, licensingError, closedInSequence, stalledInSequence, sequenceComplete, capturedSoFar];
