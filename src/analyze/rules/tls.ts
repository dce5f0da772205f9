// TLS stage rules: catalogue rows 13-18 (plus the row 34/35 forms of the TLS stage).
// Alerts in the clear are observed; encrypted alerts are recognised by type (TLS ≤ 1.2) or by
// size (TLS 1.3) and are labelled inferred.
import { describeCode, CLIENT_DISCONNECT, EXTENDED_REASON } from '../../codes/index.js';
import { protocolName } from '../../x224/codes.js';
import { cipherSuiteName } from '../../tls/cipher-suites.js';
import { versionName } from '../../tls/versions.js';
import type { ClientHello } from '../../tls/client-hello.js';
import type { PduEvent } from '../events.js';
import type { Facts } from '../facts.js';
import { bytesIn } from '../facts.js';
import type { ClientShows, Evidence } from '../verdict.js';
import type { Rule, RuleResult } from './rule.js';
import { describeEnd, endedBy, errorEvidence, evidence, keysFor, pduEvidence } from './rule.js';
import { sniffReply } from './sniff.js';

const ALERT = { closeNotify: 0, handshakeFailure: 40, protocolVersion: 70, insufficientSecurity: 71, internalError: 80, userCanceled: 90 } as const;
/** Alerts a client sends when it does not accept the server's certificate (RFC 8446 §6.2). */
const CERTIFICATE_ALERTS = new Set([42, 43, 44, 45, 46, 48, 49]);

const tlsDone = (f: Facts): boolean => f.completed.includes('tls');
const inTls = (f: Facts): boolean => f.entered.includes('tls');

/** 0x904/0x7: how a Windows client reports a server close during the handshake (catalogue §1). */
export function deniedByServer(why: string): ClientShows {
  const code = describeCode(CLIENT_DISCONNECT, 0x904);
  const ext = describeCode(EXTENDED_REASON, 0x7);
  return { code: code.hex, codeName: code.name, extended: ext.hex, extendedName: ext.name, text: 'socket closed, "the server denied the connection"', basis: 'inferred', why };
}

/** "TLS 1.0-1.3, 31 cipher suites, SNI host" */
export function describeOffer(ch: ClientHello): string {
  const versions = ch.supportedVersions?.length
    ? ch.supportedVersions.map(versionName).filter((v) => !v.startsWith('GREASE')).join(', ')
    : `up to ${versionName(ch.legacyVersion)}`;
  const suites = ch.cipherSuites.map(cipherSuiteName).filter((n) => !n.startsWith('GREASE') && !n.includes('SCSV'));
  const sni = ch.serverName ? `, SNI ${ch.serverName}` : ', no SNI';
  return `${versions}; ${suites.length} cipher suites${sni}`;
}

function helloEvidence(f: Facts): Evidence[] {
  const ch = f.tls.clientHello;
  if (!ch) return [];
  return [pduEvidence('observed', `client sent a ClientHello offering ${describeOffer(ch.value)}`, ch)];
}

function suiteList(ch: PduEvent<ClientHello> | undefined, max = 12): string {
  if (!ch) return 'unknown (no ClientHello seen)';
  const names = ch.value.cipherSuites.map(cipherSuiteName).filter((n) => !n.startsWith('GREASE') && !n.includes('SCSV'));
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** The server answered the ClientHello with something that is not TLS. */
const notTls: Rule = (f) => {
  const err = f.decodeErrors.find((e) => e.stage === 'tls' && e.dir === 's2c' && e.phase === 'framing' && e.error.code !== 'NOT_ENOUGH_BYTES');
  if (!err) return undefined;
  // after a fatal alert xrdp also sends an MCS Disconnect Provider Ultimatum in the clear: the alert is what counts
  if (f.tls.alerts.some((a) => a.dir === 's2c' && a.offset < err.error.offset)) return undefined;
  const sh = f.tls.serverHello;
  if (sh) {
    // the handshake began, then the server's stream stopped being TLS: the client's alert (if any) answers that
    if (err.error.offset < sh.offset) return undefined;
    return {
      status: 'failed', failedStage: 'tls',
      summary: `the server's TLS stream breaks after its ServerHello: ${err.error.field} at byte ${err.error.offset}: ${err.error.reason}`,
      cause: 'the server (or a middlebox) corrupts the TLS handshake: bytes that are not a TLS record follow the ServerHello',
      evidence: [...helloEvidence(f), errorEvidence('observed', `server bytes after the ServerHello are not a TLS record: ${err.error.field} at byte ${err.error.offset}: ${err.error.reason}`, err)],
      endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
    };
  }
  const looks = sniffReply(err.head);
  const sel = f.cc?.value.negotiation?.type === 'response' ? protocolName(f.cc.value.negotiation.selectedProtocol) : 'TLS';
  return {
    status: 'failed', failedStage: 'tls', row: 11,
    summary: `the server selected ${sel} in its Confirm but answered the ClientHello with ${looks}, not TLS`,
    cause: 'the server (or a middlebox rewriting the Confirm) claims a TLS-based protocol it does not speak',
    evidence: [...helloEvidence(f), errorEvidence('observed', `server bytes are not a TLS record: ${err.error.reason}`, err)],
    endedBy: endedBy(f) ?? { who: 'server', how: 'protocol-error', at: err.at },
  };
};

/** Row 18: the client refused (an alert in the clear). */
const clientAlert: Rule = (f) => {
  const a = f.tls.alerts.find((x) => x.dir === 'c2s' && x.value.description !== ALERT.closeNotify);
  if (!a) return undefined;
  const cert = CERTIFICATE_ALERTS.has(a.value.description);
  const text = `client sent TLS alert ${a.value.levelName} ${a.value.name} (${a.value.description}): ${a.value.meaning}`;
  const ev = [...helloEvidence(f), pduEvidence('observed', text, a)];
  const leaf = f.tls.check?.report.chain[0];
  if (cert && leaf) ev.push(evidence('observed', `the certificate the client refused: ${leaf.subject}, issued by ${leaf.issuer}, valid ${leaf.notBefore} to ${leaf.notAfter}`));
  return {
    status: 'failed', failedStage: 'tls', row: cert ? 18 : undefined,
    summary: cert ? `the client rejected the server's certificate: alert ${a.value.name}` : `the client aborted the TLS handshake: alert ${a.value.name}`,
    cause: a.value.meaning,
    evidence: ev,
    endedBy: f.closes[0] ? endedBy(f) : { who: 'client', how: 'protocol-error', at: a.at, ...(a.packet === undefined ? {} : { packet: a.packet }) },
  };
};

/**
 * Row 18, inferred: the client sent an encrypted alert during or right after the handshake and
 * closed, with no application data (TLS 1.3 encrypts alerts; FreeRDP checks the certificate only
 * after the handshake and then sends close_notify).
 */
const clientRejectedEncrypted: Rule = (f) => {
  const a = f.tls.encryptedAlerts.find((x) => x.dir === 'c2s');
  const by = endedBy(f);
  const firstClose = f.closes[0];
  // the client's alert must come first: whatever the server did after it is a reaction
  if (!a || by?.who === 'probe' || (!firstClose && by?.who !== 'client') || (firstClose && firstClose.at < a.at)) return undefined;
  const after = f.tls.records.filter((r) => r.dir === 'c2s' && r.at < a.at && r.value.likely !== 'Finished' && r.value.likely !== 'server handshake flight');
  if (after.length > 0) return undefined; // the client used the connection before closing it
  const done = tlsDone(f);
  const ev = [...helloEvidence(f),
    pduEvidence('observed', `client sent a ${a.value.length}-byte encrypted record that is ${a.value.likely} ${done ? 'right after the handshake completed' : 'instead of its Finished'}, then ${describeEnd(by)}`, a),
    evidence('inferred', done
      ? 'a client that ends a fresh TLS session before sending anything has refused it; FreeRDP and mstsc check the certificate after the handshake and close with close_notify when they reject it'
      : `an alert in place of the client Finished means the client refused the server's handshake, most often its certificate; ${keysFor(f)} would show the alert`),
  ];
  const problems = f.tls.check?.report.findings.filter((x) => x.severity !== 'info') ?? [];
  if (problems.length) ev.push(evidence('observed', `certificate problems found: ${problems.map((p) => p.text).join('; ')}`));
  return {
    status: 'failed', failedStage: 'tls', row: 18,
    summary: done ? 'the client closed the TLS session right after the handshake: it most likely rejected the certificate' : 'the client ended the TLS handshake with an encrypted alert: it most likely rejected the certificate',
    cause: problems.length ? `the client does not accept the certificate (${problems.map((p) => p.code).join(', ')})` : 'the client does not accept the server certificate (the alert is encrypted)',
    evidence: ev, endedBy: by,
  };
};

/** The client left after the Confirm without starting TLS (scanners do); what the server sent then answers that. */
const clientLeftBeforeTls: Rule = (f) => {
  const first = f.closes[0];
  if (!inTls(f) || f.tls.clientHello || bytesIn(f, 'tls', 'c2s') > 0 || first?.dir !== 'c2s') return undefined;
  const sel = f.cc?.value.negotiation?.type === 'response' ? protocolName(f.cc.value.negotiation.selectedProtocol) : 'TLS';
  const ev = [evidence('observed', `${describeEnd(endedBy(f))} right after the Confirm, without sending a ClientHello`, first)];
  const a = f.tls.alerts.find((x) => x.dir === 's2c');
  if (a) ev.push(pduEvidence('observed', `the server then sent TLS alert ${a.value.name} (${a.value.description}), its TLS layer's reaction to the close`, a));
  return {
    status: 'undetermined', summary: `X.224 negotiation succeeded (selected ${sel}); the client closed before starting TLS`,
    evidence: ev, endedBy: endedBy(f),
  };
};

/** The server closed after its own Confirm, before the client's ClientHello arrived. */
const serverClosedBeforeHello: Rule = (f) => {
  const first = f.closes[0];
  if (!inTls(f) || f.tls.clientHello || bytesIn(f, 'tls', 'c2s') > 0 || first?.dir !== 's2c') return undefined;
  const sel = f.cc?.value.negotiation?.type === 'response' ? protocolName(f.cc.value.negotiation.selectedProtocol) : 'TLS';
  return {
    status: 'failed', failedStage: 'tls', row: 13,
    summary: `the server selected ${sel}, then ${first.how === 'rst' ? 'reset' : 'closed'} the connection before the TLS handshake began`,
    cause: 'the server cannot start TLS (certificate or private key unusable) or dropped the connection right after negotiating',
    evidence: [evidence('observed', `${describeEnd(endedBy(f))} right after the Confirm, before any ClientHello`, first)],
    endedBy: endedBy(f),
  };
};

/** The client answered a Confirm selecting TLS with something that is not TLS. */
const clientNotTls: Rule = (f) => {
  const err = f.decodeErrors.find((e) => e.stage === 'tls' && e.dir === 'c2s' && e.phase === 'framing' && e.error.code !== 'NOT_ENOUGH_BYTES');
  if (!err || f.tls.clientHello) return undefined;
  const sel = f.cc?.value.negotiation?.type === 'response' ? protocolName(f.cc.value.negotiation.selectedProtocol) : 'TLS';
  return {
    status: 'failed', failedStage: 'tls',
    summary: `the server selected ${sel}, but the client sent ${sniffReply(err.head)} instead of a TLS ClientHello`,
    cause: 'the client ignores the negotiated protocol (a broken client or a middlebox rewriting the Confirm)',
    evidence: [errorEvidence('observed', `client bytes after the Confirm are not TLS: ${err.error.reason}`, err)],
    endedBy: endedBy(f) ?? { who: 'client', how: 'protocol-error', at: err.at },
  };
};

/** Rows 14, 15 and other server alerts before the handshake completed. */
const serverAlert: Rule = (f) => {
  const WARNING = 1;
  const a = f.tls.alerts.find((x) => x.dir === 's2c' && x.value.description !== ALERT.closeNotify && !(x.value.level === WARNING && tlsDone(f)));
  if (!a || (tlsDone(f) && f.tls.serverHello && a.at > f.tls.serverHello.at)) return undefined;
  const d = a.value.description;
  const ch = f.tls.clientHello;
  const ev = [...helloEvidence(f), pduEvidence('observed', `server sent TLS alert ${a.value.levelName} ${a.value.name} (${d}): ${a.value.meaning}`, a)];
  const by = endedBy(f);
  if (by) ev.push(evidence('observed', describeEnd(by), f.closes[0]));
  const after = f.decodeErrors.find((e) => e.stage === 'tls' && e.dir === 's2c' && e.phase === 'framing' && e.error.offset > a.offset);
  if (after) ev.push(errorEvidence('observed', `after the alert the server sent ${sniffReply(after.head)}`, after));
  // the server ended the handshake with its alert, whoever closed the socket first
  const ended = by?.who === 'server' ? by : { who: 'server' as const, how: 'tls-alert' as const, at: a.at, ...(a.packet === undefined ? {} : { packet: a.packet }) };
  const base = { status: 'failed' as const, failedStage: 'tls' as const, evidence: ev, endedBy: ended };
  if (d === ALERT.handshakeFailure || d === ALERT.insufficientSecurity) {
    ev.push(evidence('observed', `the client offered: ${suiteList(ch)}`));
    ev.push(evidence('inferred', 'none of these is enabled on the server; `rdpscope probe --enumerate-tls` lists what it accepts'));
    return { ...base, row: 14, summary: `the server refused every cipher suite the client offered (alert ${a.value.name})`, cause: 'no cipher suite both sides accept' };
  }
  if (d === ALERT.protocolVersion) {
    const offered = ch ? describeOffer(ch.value).split(';')[0] : 'unknown';
    ev.push(evidence('inferred', `the server accepts none of the offered TLS versions (${offered})`));
    return { ...base, row: 15, summary: `the server refused the client's TLS versions (alert protocol_version, client offered ${offered})`, cause: 'TLS version mismatch: the versions the client offers are disabled on the server' };
  }
  return {
    ...base,
    summary: `the server aborted the TLS handshake with alert ${a.value.name} (${d})`,
    cause: d === ALERT.internalError ? 'the server\'s TLS stack failed internally, often an unusable certificate private key (as in row 13)' : a.value.meaning,
    clientShows: deniedByServer('the server ends the connection during the handshake; the client sees the socket close'),
  };
};

/** Row 13: the server closed during the handshake without an alert. */
const serverClosed: Rule = (f) => {
  if (!inTls(f) || tlsDone(f)) return undefined;
  const by = endedBy(f);
  if (by?.who !== 'server') return undefined;
  if (!f.tls.clientHello && bytesIn(f, 'tls', 'c2s') === 0) return undefined; // the client never started TLS
  const sh = f.tls.serverHello;
  const cut = f.decodeErrors.find((e) => e.stage === 'tls' && e.dir === 's2c' && e.error.code === 'NOT_ENOUGH_BYTES');
  const ev = [...helloEvidence(f)];
  if (sh) ev.push(pduEvidence('observed', `server answered with ${versionName(sh.value.version)} ${cipherSuiteName(sh.value.cipherSuite)}`, sh));
  if (cut) ev.push(errorEvidence('observed', `the server's last TLS record was cut short: ${cut.error.reason}`, cut));
  ev.push(evidence('observed', `${describeEnd(by)} ${sh ? 'during the TLS handshake' : 'after the ClientHello'}, with no TLS alert`, f.closes[0]));
  ev.push(evidence('inferred', sh
    ? 'a close without an alert after the ServerHello means the server\'s TLS layer gave up (key or certificate failure) or a middlebox cut the connection'
    : 'a server that cannot start TLS at all (unusable certificate private key, every offered version disabled) closes without an alert'));
  return {
    status: 'failed', failedStage: 'tls', row: 13,
    summary: sh ? `the server ${by.how === 'rst' ? 'reset' : 'closed'} the connection in the middle of the TLS handshake, without an alert` : `the server ${by.how === 'rst' ? 'reset' : 'closed'} the connection right after the ClientHello, without a TLS alert`,
    cause: 'the server\'s TLS stack cannot complete the handshake: certificate private key unusable, or all offered protocols disabled',
    evidence: ev, endedBy: by,
  };
};

/** Wire bytes the server sent after its Confirm, whole records or not (a stall can cut one). */
function serverTlsBytes(f: Facts): number {
  const start = f.cc ? f.cc.offset + f.cc.length : 0;
  const end = f.end?.wire.s2c ?? f.closes.find((c) => c.dir === 's2c')?.streamOffset;
  return end === undefined ? bytesIn(f, 'tls', 's2c') : Math.max(0, end - start);
}

/** Rows 34/35 in the TLS stage, and a client that gave up. */
const tlsUnfinished: Rule = (f) => {
  if (!inTls(f) || tlsDone(f) || f.stage !== 'tls') return undefined;
  const by = endedBy(f);
  const ev = [...helloEvidence(f)];
  const s2c = serverTlsBytes(f);
  if (!f.tls.clientHello && bytesIn(f, 'tls', 'c2s') === 0) {
    // TLS never began: the probe stopped after X.224 (reachedUndecoded says so), or nobody spoke
    if (by?.how === 'probe-done') return undefined;
    ev.push(evidence('observed', `the client sent no ClientHello after the Confirm; then ${describeEnd(by)}`, f.end ?? f.gaps[0]));
    return { status: 'undetermined', row: by?.who === 'capture' ? 35 : undefined, summary: 'X.224 negotiation succeeded, but the client never started TLS before observation ended', evidence: ev, endedBy: by };
  }
  if (by?.how === 'timeout') {
    ev.push(evidence('observed', s2c ? `the server sent ${s2c} bytes of its handshake, then nothing before the timeout` : 'no answer to the ClientHello before the timeout', f.end));
    return {
      status: 'failed', failedStage: 'tls', row: 34,
      summary: s2c ? 'the server stopped answering in the middle of the TLS handshake' : 'the server never answered the ClientHello',
      cause: s2c ? 'overload, a middlebox idle timeout, or an MTU black hole dropping the large certificate flight' : 'the server does not speak TLS after all, or a middlebox holds the connection',
      evidence: ev, endedBy: by,
    };
  }
  if (by?.who === 'client') {
    ev.push(evidence('observed', `${describeEnd(by)} before the TLS handshake completed, without an alert`, f.closes[0]));
    return { status: 'undetermined', summary: 'the client abandoned the TLS handshake without an alert', evidence: ev, endedBy: by };
  }
  if (by?.who === 'capture' || by?.how === 'probe-done') {
    ev.push(evidence('observed', `${describeEnd(by)} before the TLS handshake completed`, f.end ?? f.gaps[0]));
    return { status: 'undetermined', row: by.who === 'capture' ? 35 : undefined, summary: 'observation ended during the TLS handshake', evidence: ev, endedBy: by };
  }
  return undefined;
};

/** Row 16: handshake done, certificate outside its validity, and the client did not go on. */
const certificateValidity: Rule = (f): RuleResult | undefined => {
  const check = f.tls.check;
  if (!check || !tlsDone(f)) return undefined;
  const bad = check.report.findings.filter((x) => x.row === 16 && x.severity === 'error');
  if (!bad.length) return undefined;
  const next = f.stage;
  // a real client that went on accepted it anyway; the probe goes on by design and still reports it
  if (f.end?.how !== 'probe-done' && bytesIn(f, next, 'c2s') > 0 && f.tls.encryptedAlerts.every((a) => a.dir !== 'c2s')) return undefined;
  const leaf = check.report.chain[0];
  return {
    status: 'failed', failedStage: 'tls', row: 16,
    summary: bad[0]!.text,
    cause: 'the certificate is not valid at the time it was checked: not renewed, issued for a later date, or a clock on one side is wrong',
    evidence: [...helloEvidence(f),
      evidence('observed', `certificate ${leaf ? `${leaf.subject} (issuer ${leaf.issuer}, valid ${leaf.notBefore} to ${leaf.notAfter})` : ''} from ${check.source === 'wire' ? 'the Certificate message' : 'the TLS library after the handshake'}`, check),
      ...bad.map((b) => evidence('observed', b.text, check))],
    endedBy: endedBy(f),
  };
};

export const tlsRules: Rule[] = [notTls, clientNotTls, clientAlert, clientRejectedEncrypted, clientLeftBeforeTls, serverClosedBeforeHello, serverAlert, serverClosed, tlsUnfinished, certificateValidity];
