// diagnose() on CredSSP-stage event sequences built input by input through the HandshakeTracker:
// captures without TLS keys (TLS 1.2 records only: sizes, content types and who closed; rows 19-21 by
// inference) and live-probe-like connections whose plaintext (inner lane) comes from the probe's
// CredsspClient talking to the scenario server's CredsspResponder, sans-IO, with the client's
// credssp-check input (rows 20, 24, 25, the logon accepted).
import { describe, expect, it } from 'vitest';
import { HandshakeTracker } from '../../src/analyze/tracker.js';
import { diagnose } from '../../src/analyze/diagnose.js';
import { credsspSummary } from '../../src/analyze/credssp-summary.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import type { Dir, TrackerInput } from '../../src/analyze/input.js';
import { PROTOCOL } from '../../src/x224/index.js';
import { fromHex } from '../../src/wire/hex.js';
import { CredsspClient, type CredsspClientStep, type PubKeyAuthCheck } from '../../src/credssp/credssp-client.js';
import { CredsspResponder, SCENARIO_ACCOUNT, type CredsspAction, type CredsspResponderOptions } from '../../src/server/credssp-responder.js';
import { decodeTsRequest, encodeTsRequest } from '../../src/credssp/ts-request.js';
import { decodeNtlm, type NtlmChallenge } from '../../src/credssp/ntlm.js';
import type { NtlmCredentials } from '../../src/credssp/ntlm-client.js';
import * as V from '../vectors/tls.js';
import { confirm, CR, T0 } from './tls-connection.js';

// ---------------------------------------------------------------------------------------------
// a connection, input by input: wire inputs are packets (packet n at t0 + 10n ms); the live probe's
// inner-lane, tls-session, credssp-check and end inputs carry no packet number

class Conn {
  readonly inputs: TrackerInput[] = [];
  private packet = 0;
  private t = 0;

  constructor(selected: number = PROTOCOL.HYBRID_EX) {
    this.tcp('syn').tcp('syn-ack').data('c2s', CR).data('s2c', confirm(selected));
  }

  private now(): number { return T0 + 10 * ++this.t; }

  tcp(what: 'syn' | 'syn-ack'): this {
    this.inputs.push({ kind: 'tcp', what, at: this.now(), packet: ++this.packet });
    return this;
  }

  data(dir: Dir, ...chunks: Uint8Array[]): this {
    for (const bytes of chunks) this.inputs.push({ kind: 'data', dir, lane: 'wire', bytes, at: this.now(), packet: ++this.packet });
    return this;
  }

  inner(dir: Dir, bytes: Uint8Array): this {
    this.inputs.push({ kind: 'data', dir, lane: 'inner', bytes, at: this.now() });
    return this;
  }

  close(dir: Dir, how: 'fin' | 'rst' = 'fin'): this {
    this.inputs.push({ kind: 'close', dir, how, at: this.now(), packet: ++this.packet });
    return this;
  }

  session(): this {
    this.inputs.push({ kind: 'tls-session', source: 'tls-library', chain: [], protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'x25519', at: this.now() });
    return this;
  }

  check(c: PubKeyAuthCheck): this {
    this.inputs.push({ kind: 'credssp-check', ...c, at: this.now() });
    return this;
  }

  end(how: 'timeout' | 'capture-end' | 'probe-done', detail?: string): this {
    this.inputs.push({ kind: 'end', how, at: this.now(), ...(detail ? { detail } : {}) });
    return this;
  }

  events(): TrackerEvent[] {
    const t = new HandshakeTracker();
    for (const i of this.inputs) t.push(i);
    return t.events;
  }

  verdict() {
    return diagnose(this.events());
  }
}

function filler(n: number, seed = 1): Uint8Array {
  let s = seed;
  return Uint8Array.from({ length: n }, () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s >> 16;
  });
}

function rec(type: number, fragment: Uint8Array): Uint8Array {
  return Uint8Array.from([type, 3, 3, fragment.length >> 8, fragment.length & 0xff, ...fragment]);
}

const CCS = fromHex('14 03 03 00 01 01');
const CKE = rec(22, Uint8Array.from([0x10, 0x00, 0x01, 0x02, 0x01, 0x00, ...filler(256, 11)]));
const encFinished = (seed: number): Uint8Array => rec(22, filler(40, seed));
/** an encrypted TLS 1.2 application data record with n bytes of ciphertext */
const appData = (n: number, seed = 3): Uint8Array => rec(23, filler(n, seed));
/** an encrypted TLS 1.2 alert: content type 21, 26 bytes (8 explicit nonce + 2 + 16 tag), as in nDPI rdp_over_tls.pcap */
const encAlert = (): Uint8Array => rec(21, filler(26, 21));

/** A capture of a Windows TLS 1.2 handshake (HYBRID_EX selected) that completes; CredSSP follows, encrypted. */
function tls12(): Conn {
  return new Conn()
    .data('c2s', fromHex(V.WIN_TLS12.client.hex)).data('s2c', fromHex(V.WIN_TLS12.server.hex))
    .data('c2s', CKE, CCS, encFinished(1)).data('s2c', CCS, encFinished(2));
}

/** A live TLS 1.3 handshake (FreeRDP transcript), completed, and the TLS library's session report. */
function tls13(selected: number = PROTOCOL.HYBRID_EX): Conn {
  return new Conn(selected)
    .data('c2s', fromHex(V.FREERDP_SHADOW_TLS13.client.hex))
    .data('s2c', fromHex(V.FREERDP_SHADOW_TLS13.server.hex), CCS, rec(23, filler(2400, 8)))
    .data('c2s', CCS, rec(23, filler(53, 9)))
    .session();
}

const bases = (v: { evidence: { basis: string }[] }): string[] => v.evidence.map((e) => e.basis);

// ---------------------------------------------------------------------------------------------

describe('captures without TLS keys: CredSSP by record position (TLS 1.2)', () => {
  // nDPI rdp_over_tls.pcap's sizes: the client's NEGOTIATE 81 bytes, the server's CHALLENGE 215, the
  // client's AUTHENTICATE 633, then the server's encrypted alert (26 bytes)
  const upToAlert = (): Conn => tls12().data('c2s', appData(81, 10)).data('s2c', appData(215, 11)).data('c2s', appData(633, 12)).data('s2c', encAlert());

  it('a whole NLA session inside TLS (more client records than CredSSP has) that the server closes first is no CredSSP failure', () => {
    // xfreerdp /auth-only: NEGOTIATE, AUTHENTICATE, TSCredentials, then MCS records; the server's FIN may come before the client's
    let c = tls12().data('c2s', appData(81, 10)).data('s2c', appData(215, 11)).data('c2s', appData(633, 12)).data('s2c', appData(60, 13)).data('c2s', appData(120, 14));
    for (let i = 0; i < 4; i++) c = c.data('c2s', appData(300 + i, 20 + i));
    const v = c.close('s2c', 'fin').verdict();
    expect(v.row?.id).not.toBe(20);
    expect(v.row?.id).not.toBe(19);
    expect(v.failedStage).not.toBe('credssp');
  });

  it('an encrypted alert after the 2nd client record, then the server\'s FIN: row 20 by inference, the alert cited', () => {
    const c = upToAlert().close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'credssp', row: { id: 20 }, lastCompletedStage: 'tls',
      summary: 'the server closed the connection after the client\'s NTLM AUTHENTICATE, without a CredSSP errorCode: most likely the logon was refused',
      endedBy: { who: 'server', how: 'fin', packet: 16 },
    });
    expect(bases(v)).toEqual(['inferred', 'inferred', 'observed', 'inferred']);
    expect(v.evidence[0]).toMatchObject({ text: expect.stringMatching(/^the client's CredSSP record number 2 \(encrypted; no TLS keys\): its second TSRequest \(the NTLM AUTHENTICATE and pubKeyAuth\), by its position; a key log \(--keylog\) for this connection's client random [0-9a-f]{16}… or the server's RSA private key \(--server-key\) would settle it$/), packet: 14, dir: 'c2s' });
    expect(v.evidence[1]).toMatchObject({ text: 'the server\'s last record is 26 bytes, alert (encrypted): it ended TLS (close_notify or an alert; encrypted) before closing TCP', packet: 15, dir: 's2c' });
    expect(v.evidence[1]!.text).toMatch(/alert/);
    expect(v.evidence[2]!.text).toBe('the server closed the connection (FIN) (packet 16) with no TSRequest in answer');
    expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7' });
    expect(v.cause).toMatch(/wrong password/);
  });

  it('the same, but the client resets the connection after the alert (nDPI rdp_over_tls.pcap): row 21', () => {
    const c = upToAlert().data('c2s', appData(61, 13), appData(33, 14)).close('c2s', 'rst');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'credssp', row: { id: 21 },
      summary: 'the server answered the client\'s second TSRequest (the NTLM AUTHENTICATE and pubKeyAuth) with a TLS alert instead of a TSRequest: most likely the logon was refused',
      endedBy: { who: 'client', how: 'rst' },
    });
    expect(bases(v)).toEqual(['inferred', 'inferred']);
    // the client's records after the alert are not counted: they do not answer anything
    expect(v.evidence[0]!.text).toBe('the client sent 2 encrypted CredSSP records (81, 633 bytes); the last is its second TSRequest (the NTLM AUTHENTICATE and pubKeyAuth), by its position');
    expect(v.evidence[1]).toMatchObject({ text: expect.stringMatching(/^the server's next record is 26 bytes, alert \(encrypted\): a TLS alert where a TSRequest was expected \(no TLS keys/), packet: 15 });
  });

  it('the client closes (FIN) after the alert: row 21 as well', () => {
    const v = upToAlert().close('c2s', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 21 }, endedBy: { who: 'client', how: 'fin' } });
  });

  it('an encrypted alert after the 1st client record and the server\'s FIN: row 21 (no logon was tried)', () => {
    const v = tls12().data('c2s', appData(81, 10)).data('s2c', encAlert()).close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 21 }, endedBy: { who: 'server', how: 'fin' } });
    expect(v.summary).toBe('the server answered the client\'s first TSRequest (the NTLM NEGOTIATE) with a TLS alert instead of a TSRequest');
  });

  it('the server closes after the 1st client record without an alert: row 19, inferred', () => {
    const v = tls12().data('c2s', appData(81, 10)).close('s2c', 'rst').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 19 }, summary: 'the server reset the connection right after the client\'s first TSRequest', endedBy: { who: 'server', how: 'rst' } });
    expect(bases(v)).toEqual(['inferred', 'observed']);
  });

  it('the server closes after the 2nd client record without an alert: row 20, no alert evidence', () => {
    const v = tls12().data('c2s', appData(81, 10)).data('s2c', appData(215, 11)).data('c2s', appData(633, 12)).close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 20 }, endedBy: { who: 'server', how: 'fin' } });
    expect(bases(v)).toEqual(['inferred', 'observed', 'inferred']);
    expect(v.evidence.some((e) => /alert/.test(e.text))).toBe(false);
  });

  it('the server closes after the 3rd client record (TSCredentials), after its pubKeyAuth: row 20 for the credentials', () => {
    const v = tls12().data('c2s', appData(81, 10)).data('s2c', appData(215, 11)).data('c2s', appData(633, 12)).data('s2c', appData(300, 13))
      .data('c2s', appData(120, 14)).data('s2c', encAlert()).close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 20 } });
    expect(v.summary).toBe('the server closed the connection after the client\'s credentials (TSCredentials), without a CredSSP errorCode: most likely the logon was refused');
    expect(v.evidence[0]!.text).toMatch(/record number 3 .*its third TSRequest \(the encrypted credentials, TSCredentials\)/);
  });

  it('the server answered the 2nd record and the client closed: not a server failure', () => {
    const v = tls12().data('c2s', appData(81, 10)).data('s2c', appData(215, 11)).data('c2s', appData(633, 12)).data('s2c', appData(300, 13)).close('c2s', 'fin').verdict();
    // ok (the self-signed Windows certificate is row 17, a warning); no CredSSP row
    expect(v).toMatchObject({ status: 'ok', endedBy: { who: 'client', how: 'fin' }, summary: expect.stringMatching(/the connection went on into credssp$/) });
    expect(v.failedStage).toBeUndefined();
    expect(v.row?.id).toBe(17);
  });
});

// ---------------------------------------------------------------------------------------------
// live-probe-like connections: the plaintext both ways, from the real client and responder

const SERVER_KEY = filler(270, 77);
const ACCOUNT: NtlmCredentials = { user: SCENARIO_ACCOUNT.user, domain: 'DOM', password: SCENARIO_ACCOUNT.password };
let seed = 1;
const random = (n: number): Uint8Array => filler(n, seed++);

interface Exchange {
  c: Conn;
  client: CredsspClient;
  server: CredsspResponder;
  /** the client's steps in answer to the server's last TSRequest */
  steps: CredsspClientStep[];
}

const written = (a: CredsspAction[]): Uint8Array[] => a.flatMap((x) => ('write' in x ? [x.write] : []));
const sent = (steps: CredsspClientStep[]): Uint8Array | undefined => steps.find((x): x is { send: Uint8Array } => 'send' in x)?.send;
const checkOf = (steps: CredsspClientStep[]): PubKeyAuthCheck | undefined => steps.find((x): x is { check: PubKeyAuthCheck } => 'check' in x)?.check;

function toClient(client: CredsspClient, bytes: Uint8Array): CredsspClientStep[] {
  const request = decodeTsRequest(bytes);
  const token = request.negoTokens?.[0];
  const ntlm = token ? decodeNtlm(token) : undefined;
  return client.receive(request, ntlm?.type === 2 ? (ntlm as NtlmChallenge) : undefined, T0);
}

/** TLS 1.3, NEGOTIATE, the server's CHALLENGE, the client's AUTHENTICATE with pubKeyAuth, and the server's answer. */
function throughAuthenticate(o: Partial<CredsspResponderOptions> = {}, credentials = ACCOUNT, delegate = true, selected: number = PROTOCOL.HYBRID_EX): Exchange & { answer: CredsspAction[] } {
  const c = tls13(selected);
  const client = new CredsspClient({ credentials, delegate, serverPublicKey: SERVER_KEY, random });
  const server = new CredsspResponder({ now: () => T0, random, serverPublicKey: SERVER_KEY, hybridEx: selected === PROTOCOL.HYBRID_EX, ...o });
  const negotiate = client.start();
  c.inner('c2s', negotiate);
  const [challenge] = written(server.receive(negotiate));
  c.inner('s2c', challenge!);
  const steps = toClient(client, challenge!);
  const authenticate = sent(steps)!;
  c.inner('c2s', authenticate);
  const answer = server.receive(authenticate);
  return { c, client, server, steps, answer };
}

/** ... then the server's pubKeyAuth reaches the client, which reports its check (and delegates, if asked). */
function throughPubKeyAuth(o: Partial<CredsspResponderOptions> = {}, delegate = true, alter = false, selected: number = PROTOCOL.HYBRID_EX): Exchange {
  const x = throughAuthenticate(o, ACCOUNT, delegate, selected);
  let [reply] = written(x.answer);
  if (alter) {
    const r = decodeTsRequest(reply!);
    reply = encodeTsRequest({ ...r, pubKeyAuth: r.pubKeyAuth!.map((b, i) => (i === 20 ? b ^ 0x80 : b)) });
  }
  x.c.inner('s2c', reply!);
  const steps = toClient(x.client, reply!);
  x.c.check(checkOf(steps)!);
  const creds = sent(steps);
  if (creds) x.c.inner('c2s', creds);
  return { ...x, steps };
}

describe('live CredSSP with credentials: the credssp-check input and the server\'s answers', () => {
  it('the pubKeyAuth matches, credentials not delegated, probe done: ok, logon accepted', () => {
    const { c } = throughPubKeyAuth({}, false);
    const v = c.end('probe-done', 'logon accepted; credentials not delegated (--delegate sends them)').verdict();
    expect(v).toMatchObject({ status: 'ok', endedBy: { who: 'probe', how: 'probe-done' } });
    expect(v.row).toBeUndefined();
    expect(v.summary).toBe('NLA logon accepted for DOM\\rdpscope: the server took the NTLM AUTHENTICATE and proved it holds this TLS session\'s key; credentials not delegated (--delegate sends them and continues)');
    expect(v.evidence.map((e) => [e.basis, e.text])).toEqual([
      ['observed', 'client sent the NTLM AUTHENTICATE for DOM\\rdpscope with pubKeyAuth'],
      ['observed', expect.stringMatching(/^CredSSP v6 \(sha256-binding-hash\): the server's pubKeyAuth is SHA-256/)],
    ]);
    expect(v.findings).toContainEqual({ severity: 'info', text: 'CredSSP version 6 (includes the CVE-2018-0886 fix)' });
    expect(credsspSummary(c.events())?.logon).toEqual({ user: 'DOM\\rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: false });
  });

  it('delegated, then the Early User Authorization Result AUTHZ_SUCCESS: ok, credentials delegated', () => {
    const x = throughPubKeyAuth();
    const [eua] = written(x.server.receive(sent(x.steps)!));
    const v = x.c.inner('s2c', eua!).end('probe-done', 'Early User Authorization Result received').verdict();
    expect(v).toMatchObject({ status: 'ok', summary: expect.stringMatching(/; credentials delegated, Early User Authorization AUTHZ_SUCCESS$/) });
    expect(v.evidence.map((e) => e.text).slice(2)).toEqual(['client sent the sealed credentials (TSCredentials)', 'Early User Authorization Result 0 = AUTHZ_SUCCESS']);
    expect(credsspSummary(x.c.events())).toMatchObject({ earlyUserAuth: { value: 0, name: 'AUTHZ_SUCCESS' }, logon: { credentialsDelegated: true } });
  });

  it('delegated over HYBRID (no Early User Authorization Result): ok, credentials delegated', () => {
    const x = throughPubKeyAuth({}, true, false, PROTOCOL.HYBRID);
    expect(x.server.receive(sent(x.steps)!)).toEqual([]);
    const v = x.c.end('probe-done', 'credentials delegated; the server now expects MCS Connect Initial').verdict();
    expect(v).toMatchObject({ status: 'ok', summary: expect.stringMatching(/; credentials delegated$/) });
  });

  it('Early User Authorization Result ACCESS_DENIED after the TSCredentials: row 24', () => {
    const x = throughPubKeyAuth({ behaviour: 'eua-denied' });
    const actions = x.server.receive(sent(x.steps)!);
    expect(actions.at(-1)).toEqual({ close: 'fin' });
    const v = x.c.inner('s2c', written(actions)[0]!).close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', failedStage: 'credssp', row: { id: 24 }, endedBy: { who: 'server', how: 'fin' } });
    expect(v.evidence).toEqual([expect.objectContaining({ basis: 'observed', text: 'Early User Authorization Result 5 = AUTHZ_ACCESS_DENIED' })]);
  });

  it('credssp-check mismatch (the pubKeyAuth binds another TLS key): row 25, a client shows a security error', () => {
    const { c, steps } = throughPubKeyAuth({ behaviour: 'wrong-pubkeyauth' });
    expect(checkOf(steps)?.result).toBe('mismatch');
    const v = c.end('probe-done', 'the server did not prove it holds the TLS key: credentials withheld').verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'credssp', row: { id: 25 }, endedBy: { who: 'probe', how: 'probe-done' },
      summary: 'the server\'s pubKeyAuth does not match the TLS key: TLS is intercepted between client and server',
    });
    expect(v.clientShows?.text).toContain('security error');
    expect(v.clientShows?.basis).toBe('inferred');
    expect(v.cause).toMatch(/the credentials were not sent/);
    expect(v.evidence.map((e) => [e.basis, e.text])).toEqual([
      ['observed', expect.stringMatching(/^server TSRequest \(version 6\) carries a \d+-byte pubKeyAuth$/)],
      ['observed', expect.stringMatching(/^CredSSP v6 check \(sha256-binding-hash\): the server's pubKeyAuth unseals .* but is not /)],
    ]);
    expect(credsspSummary(c.events())?.logon).toMatchObject({ pubKeyAuth: 'mismatch', credentialsDelegated: false });
  });

  it('credssp-check bad-signature (the pubKeyAuth does not unseal): row 25, not sealed with this session\'s key', () => {
    const { c, steps } = throughPubKeyAuth({}, true, true);
    expect(checkOf(steps)?.result).toBe('bad-signature');
    const v = c.end('probe-done').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 25 }, summary: 'the server\'s pubKeyAuth is not sealed with this NTLM session\'s key' });
    expect(v.clientShows?.text).toContain('security error');
    expect(v.cause).toMatch(/relaying middlebox/);
  });

  it('a credssp-check mismatch decides row 25 even when the server then closes', () => {
    const x = throughAuthenticate();
    x.c.inner('s2c', written(x.answer)[0]!).check({ result: 'mismatch', version: 6, method: 'sha256-binding-hash', detail: 'test' }).close('s2c', 'fin');
    expect(x.c.verdict()).toMatchObject({ status: 'failed', row: { id: 25 }, endedBy: { who: 'server', how: 'fin' } });
  });

  it('only the first credssp-check counts', () => {
    const { c } = throughPubKeyAuth({}, false);
    const v = c.check({ result: 'mismatch', version: 6, method: 'sha256-binding-hash', detail: 'second' }).end('probe-done').verdict();
    expect(v.status).toBe('ok');
  });

  it('a matching check but the server closes after the TSCredentials: not accepted, row 20 for the credentials', () => {
    const x = throughPubKeyAuth();
    const v = x.c.close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 20 }, endedBy: { who: 'server', how: 'fin' } });
    expect(v.summary).toBe('the server closed the connection after the client\'s credentials (TSCredentials), without a CredSSP errorCode: most likely the logon was refused');
  });

  it('a wrong password: the CHALLENGE, then errorCode STATUS_LOGON_FAILURE: row 20, 0x807', () => {
    const x = throughAuthenticate({}, { ...ACCOUNT, password: 'not it' });
    const [reply] = written(x.answer);
    expect(toClient(x.client, reply!)).toEqual([{ done: 'server sent a CredSSP errorCode' }]);
    const v = x.c.inner('s2c', reply!).end('probe-done', 'server sent a CredSSP errorCode').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 20 }, summary: 'the server refused the logon: CredSSP errorCode 0xC000006D STATUS_LOGON_FAILURE', endedBy: { who: 'probe' } });
    expect(v.clientShows).toMatchObject({ code: '0x807' });
    expect(credsspSummary(x.c.events())?.logon).toEqual({ user: 'DOM\\rdpscope', workstation: 'RDPSCOPE', credentialsDelegated: false });
  });

  it('the server ends TLS (encrypted alert) and TCP after the AUTHENTICATE, plaintext known: row 20 (observed), not row 21', () => {
    const x = throughAuthenticate({ behaviour: 'close-after-authenticate' });
    expect(x.answer).toEqual([{ close: 'fin' }]);
    // what FreeRDP's server does on a wrong password: close_notify (TLS 1.3: a 19-byte record), FIN
    const v = x.c.data('s2c', rec(23, filler(19, 5))).close('s2c', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 20 }, endedBy: { who: 'server', how: 'fin' } });
    expect(v.summary).toBe('the server closed the connection after the client\'s NTLM AUTHENTICATE, without a CredSSP errorCode: most likely the logon was refused');
    expect(bases(v)).toEqual(['observed', 'inferred', 'observed', 'inferred']);
    expect(v.evidence[0]!.text).toBe('client sent its second TSRequest (the NTLM AUTHENTICATE and pubKeyAuth)');
    expect(v.evidence[1]!.text).toMatch(/^the server's last record is 19 bytes, alert \(by its size\): it ended TLS/);
  });

  it('the same with the client closing first: row 21 (the alert answered the AUTHENTICATE)', () => {
    const x = throughAuthenticate({ behaviour: 'close-after-authenticate' });
    const v = x.c.data('s2c', rec(23, filler(19, 5))).close('c2s', 'fin').verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 21 }, endedBy: { who: 'client' } });
    expect(bases(v)).toEqual(['observed', 'inferred']);
  });

  it('no credentials: NEGOTIATE, CHALLENGE, probe done: ok at the CHALLENGE', () => {
    const c = tls13();
    const client = new CredsspClient({ credentials: ACCOUNT, delegate: false, serverPublicKey: SERVER_KEY, random });
    const server = new CredsspResponder({ now: () => T0, random, serverPublicKey: SERVER_KEY, hybridEx: true });
    const negotiate = client.start();
    const v = c.inner('c2s', negotiate).inner('s2c', written(server.receive(negotiate))[0]!).end('probe-done').verdict();
    expect(v.status).toBe('ok');
    expect(v.summary).toMatch(/^NLA: the server answered the NTLM NEGOTIATE with a CHALLENGE \(CredSSP v6, RDPSCOPE\\SCENARIO, Windows 10\.0\.17763\); no credentials given/);
    expect(credsspSummary(c.events())?.logon).toBeUndefined();
  });
});
