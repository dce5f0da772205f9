// diagnose() on TLS-stage event sequences produced by the tracker from realistic inputs: real
// transcripts (test/vectors/tls.ts), synthetic records where they stop, certificates generated at
// run time (src/server/pki.ts) and placed in a TLS 1.2 Certificate message or a tls-session input.
import { X509Certificate } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { HandshakeTracker } from '../../src/analyze/tracker.js';
import { diagnose, type DiagnoseOptions } from '../../src/analyze/diagnose.js';
import { tlsSummary } from '../../src/analyze/tls-summary.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import type { Dir, TrackerInput } from '../../src/analyze/input.js';
import { PROTOCOL } from '../../src/x224/index.js';
import { fromHex } from '../../src/wire/hex.js';
import { makeCertificate, type GeneratedCert } from '../../src/server/pki.js';
import { parseTrustBundle } from '../../src/tls/trust.js';
import * as V from '../vectors/tls.js';
import { C0, confirm, CR, S0, T0 } from './tls-connection.js';

// ---------------------------------------------------------------------------------------------
// a connection, input by input; packet n is at t0 + 10n ms


class Conn {
  readonly inputs: TrackerInput[] = [];
  private packet = 0;
  private readonly offsets: Record<Dir, number> = { c2s: 0, s2c: 0 };

  constructor(readonly t0 = T0, selected: number = PROTOCOL.SSL) {
    this.tcp('syn').tcp('syn-ack').data('c2s', CR).data('s2c', confirm(selected));
  }

  /** time of packet n */
  at(n: number): number { return this.t0 + 10 * n; }
  /** the packet number the next input gets */
  get next(): number { return this.packet + 1; }
  /** stream offset the next byte of dir gets */
  offset(dir: Dir): number { return this.offsets[dir]; }

  tcp(what: 'syn' | 'syn-ack'): this {
    const packet = ++this.packet;
    this.inputs.push({ kind: 'tcp', what, at: this.at(packet), packet });
    return this;
  }

  data(dir: Dir, ...chunks: Uint8Array[]): this {
    for (const bytes of chunks) {
      const packet = ++this.packet;
      this.inputs.push({ kind: 'data', dir, lane: 'wire', bytes, at: this.at(packet), packet });
      this.offsets[dir] += bytes.length;
    }
    return this;
  }

  close(dir: Dir, how: 'fin' | 'rst' = 'fin'): this {
    const packet = ++this.packet;
    this.inputs.push({ kind: 'close', dir, how, at: this.at(packet), packet });
    return this;
  }

  end(how: 'timeout' | 'capture-end' | 'probe-done'): this {
    this.inputs.push({ kind: 'end', how, at: this.at(++this.packet) });
    return this;
  }

  session(chain: Uint8Array[]): this {
    this.inputs.push({ kind: 'tls-session', source: 'tls-library', chain, protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', group: 'x25519', at: this.at(++this.packet) });
    return this;
  }

  events(): TrackerEvent[] {
    const t = new HandshakeTracker();
    for (const i of this.inputs) t.push(i);
    return t.events;
  }

  verdict(opts?: DiagnoseOptions) {
    return diagnose(this.events(), opts);
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

function handshake(type: number, body: Uint8Array): Uint8Array {
  return Uint8Array.from([type, body.length >> 16, (body.length >> 8) & 0xff, body.length & 0xff, ...body]);
}

const u24 = (n: number): number[] => [n >> 16, (n >> 8) & 0xff, n & 0xff];

/** TLS 1.2 Certificate message (RFC 5246 §7.4.2) */
function certificateMessage(chain: Uint8Array[]): Uint8Array {
  const list = chain.flatMap((der) => [...u24(der.length), ...der]);
  return handshake(11, Uint8Array.from([...u24(list.length), ...list]));
}

const CLIENT_HELLO_12 = fromHex(V.WIN_TLS12.client.hex);
const SERVER_FLIGHT_12 = fromHex(V.WIN_TLS12.server.hex);
/** the Windows ServerHello message (TLS 1.2, TLS_RSA_WITH_AES_256_GCM_SHA384), without its record header */
const SERVER_HELLO_12 = SERVER_FLIGHT_12.subarray(5, 5 + 85);
const SERVER_HELLO_DONE = handshake(14, new Uint8Array(0));

/** ServerHello, Certificate(chain), ServerHelloDone in one record */
const flight12 = (chain: Uint8Array[]): Uint8Array => rec(22, Uint8Array.from([...SERVER_HELLO_12, ...certificateMessage(chain), ...SERVER_HELLO_DONE]));

const CCS = fromHex('14 03 03 00 01 01');
const CKE = rec(22, Uint8Array.from([0x10, 0x00, 0x01, 0x02, 0x01, 0x00, ...filler(256, 11)]));
const encFinished = (seed: number): Uint8Array => rec(22, filler(40, seed));
const appData = (n: number, seed = 3): Uint8Array => rec(23, filler(n, seed));

/** client CKE + CCS + Finished, server CCS + Finished: the TLS 1.2 handshake completes */
function finish12(c: Conn): Conn {
  return c.data('c2s', CKE, CCS, encFinished(1)).data('s2c', CCS, encFinished(2));
}

/** a few application data records both ways after the handshake */
function traffic(c: Conn): Conn {
  return c.data('c2s', appData(300, 4)).data('s2c', appData(120, 5)).data('c2s', appData(90, 6)).data('s2c', appData(1400, 7));
}

/** FreeRDP → shadow TLS 1.3: ClientHello; ServerHello, CCS, encrypted server flight */
function hello13(selected: number = PROTOCOL.HYBRID_EX): Conn {
  return new Conn(T0, selected)
    .data('c2s', fromHex(V.FREERDP_SHADOW_TLS13.client.hex))
    .data('s2c', fromHex(V.FREERDP_SHADOW_TLS13.server.hex), CCS, appData(2400, 8));
}

const alert = (level: number, description: number): Uint8Array => Uint8Array.of(0x15, 3, 3, 0, 2, level, description);

const DENIED = { code: '0x904', codeName: 'disconnectReasonAtClientWinsockFDCLOSE', extended: '0x7', extendedName: 'exDiscReasonServerDeniedConnection', basis: 'inferred' };
const bases = (v: { evidence: { basis: string }[] }): string[] => v.evidence.map((e) => e.basis);
const texts = (v: { evidence: { text: string }[] }): string => v.evidence.map((e) => e.text).join('\n');

/**
 * Evidence of the Windows ClientHello, as the TLS rules cite it: the handshake message at 44 + 5.
 * Its `bytes` are left out here: they are the PDU event's head, checked in tls-tracker.test.ts.
 */
const CLIENT_HELLO_EVIDENCE = (packet: number, at: number) => expect.objectContaining({
  basis: 'observed', text: 'client sent a ClientHello offering up to TLS 1.2; 21 cipher suites, no SNI',
  packet, dir: 'c2s', offset: C0 + 5, at,
});

// ---------------------------------------------------------------------------------------------
// certificates made at run time

const iso = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
let expired: GeneratedCert;
let ca: GeneratedCert;
let leaf: GeneratedCert;
let selfSigned: GeneratedCert;

beforeAll(() => {
  expired = makeCertificate({ cn: 'rdp.example.test', dnsNames: ['rdp.example.test'], notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2021-01-01T00:00:00Z'), keyId: 'leaf' });
  ca = makeCertificate({ cn: 'RDP Test CA', isCA: true, notBefore: new Date('2020-01-01T00:00:00Z'), notAfter: new Date('2040-01-01T00:00:00Z'), keyId: 'ca' });
  leaf = makeCertificate({ cn: 'rdp.example.test', dnsNames: ['rdp.example.test'], issuer: ca, notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z'), keyId: 'leaf' });
  selfSigned = makeCertificate({ cn: 'rdp.example.test', dnsNames: ['rdp.example.test'], notBefore: new Date('2024-01-01T00:00:00Z'), notAfter: new Date('2030-01-01T00:00:00Z'), keyId: 'leaf' });
}, 120_000);

// ---------------------------------------------------------------------------------------------

describe('row 13: the server closes during the handshake without an alert', () => {
  it.each([['fin', 'closed'], ['rst', 'reset']] as const)('%s right after the ClientHello: 0x904/0x7', (how, word) => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).close('s2c', how);
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 13, title: 'Closed after the ClientHello' },
      summary: `the server ${word} the connection right after the ClientHello, without a TLS alert`,
      endedBy: { who: 'server', how, packet: 6, at: c.at(6) },
    });
    expect(v.clientShows).toMatchObject(DENIED);
    expect(v.evidence[0]).toEqual(CLIENT_HELLO_EVIDENCE(5, c.at(5)));
    expect(v.evidence[1]).toMatchObject({ basis: 'observed', dir: 's2c', packet: 6 });
    expect(v.evidence[1]!.text).toBe(`the server ${how === 'fin' ? 'closed the connection (FIN)' : 'reset the connection (RST)'} (packet 6) after the ClientHello, with no TLS alert`);
    expect(bases(v)).toEqual(['observed', 'observed', 'inferred']);
    expect(v.stagesReached).toEqual(['tcp', 'x224', 'tls']);
  });

  it('after the ServerHello, in the middle of the handshake', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12).close('s2c', 'rst');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', row: { id: 13 }, endedBy: { who: 'server', how: 'rst', packet: 7 },
      summary: 'the server reset the connection in the middle of the TLS handshake, without an alert',
    });
    expect(v.clientShows).toMatchObject(DENIED);
    expect(v.evidence[1]).toMatchObject({ basis: 'observed', text: 'server answered with TLS 1.2 TLS_RSA_WITH_AES_256_GCM_SHA384', packet: 6, dir: 's2c', offset: S0 + 5 });
    expect(bases(v)).toEqual(['observed', 'observed', 'observed', 'inferred']);
  });

  it('a server record cut short by the FIN is cited with its offset', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12.subarray(0, 300)).close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 13 }, endedBy: { who: 'server', how: 'fin', packet: 7 } });
    const cut = v.evidence.find((e) => e.text.startsWith('the server\'s last TLS record was cut short'));
    expect(cut).toMatchObject({ basis: 'observed', dir: 's2c', offset: S0, packet: 6 });
    expect(cut!.text).toContain('300 bytes of an incomplete PDU');
  });
});

describe('rows 14 and 15: the server refuses with an alert', () => {
  it.each([[40, 'handshake_failure'], [71, 'insufficient_security']])('row 14: alert %i (%s), evidence lists the suites the client offered', (d, name) => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', alert(2, d)).close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 14, title: 'No common cipher suite' },
      summary: `the server refused every cipher suite the client offered (alert ${name})`,
      endedBy: { who: 'server', how: 'fin', packet: 7 },
    });
    expect(v.clientShows).toMatchObject(DENIED);
    expect(v.evidence).toContainEqual({
      basis: 'observed', text: `server sent TLS alert fatal ${name} (${d}): ${d === 40 ? 'no acceptable set of parameters: no cipher suite, group or signature algorithm in common' : 'the peer requires stronger cipher suites than offered'}`,
      packet: 6, dir: 's2c', offset: S0, at: c.at(6), bytes: `15 03 03 00 02 02 ${d.toString(16)}`,
    });
    expect(v.evidence).toContainEqual({
      basis: 'observed',
      text: 'the client offered: TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, '
        + 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384, '
        + 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384, TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256, '
        + 'TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384, TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256, TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, '
        + 'TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA and 9 more',
    });
    expect(bases(v)).toEqual(['observed', 'observed', 'observed', 'observed', 'inferred']);
    expect(v.remedy[0]).toMatch(/Get-TlsCipherSuite/);
  });

  it('row 14 without a close: the alert itself ends the handshake', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', alert(2, 40));
    expect(c.verdict()).toMatchObject({ row: { id: 14 }, endedBy: { who: 'server', how: 'tls-alert', at: c.at(6) } });
  });

  it('row 15: OPENSSL_ALERT_PROTOCOL_VERSION (a TLS 1.3-only client, a TLS 1.2-only server)', () => {
    const c = new Conn()
      .data('c2s', fromHex(V.OPENSSL_ALERT_PROTOCOL_VERSION.client.hex))
      .data('s2c', fromHex(V.OPENSSL_ALERT_PROTOCOL_VERSION.server.hex))
      .close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', row: { id: 15, title: 'TLS version mismatch' },
      summary: 'the server refused the client\'s TLS versions (alert protocol_version, client offered TLS 1.3)',
      endedBy: { who: 'server', how: 'fin', packet: 7 },
    });
    expect(v.clientShows).toMatchObject(DENIED);
    expect(v.evidence[1]).toMatchObject({ basis: 'observed', packet: 6, offset: S0, bytes: '15 03 03 00 02 02 46' });
    expect(v.evidence.at(-1)).toEqual({ basis: 'inferred', text: 'the server accepts none of the offered TLS versions (TLS 1.3)' });
  });

  it('another server alert (internal_error 80): failed in tls, 0x904/0x7, no catalogue row', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12, alert(2, 80)).close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tls', summary: 'the server aborted the TLS handshake with alert internal_error (80)', endedBy: { who: 'server', how: 'fin', packet: 8 } });
    expect(v.row).toBeUndefined();
    expect(v.clientShows).toMatchObject(DENIED);
    expect(v.cause).toMatch(/certificate private key/);
  });
});

describe('row 16: certificate outside its validity, checked at the time it was seen', () => {
  it('an expired certificate in the TLS 1.2 Certificate message; the summary names the date', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([expired.der]));
    finish12(c).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 16, title: 'Certificate outside its validity' },
      endedBy: { who: 'client', how: 'fin', packet: 12 },
    });
    // the Certificate arrived in packet 6, at t0 + 60 ms
    expect(v.summary).toBe(`certificate "CN=rdp.example.test" expired on 2021-01-01T00:00:00Z (checked at ${iso(c.at(6))}, 1475 days ago; valid from 2020-01-01T00:00:00Z)`);
    expect(v.evidence[1]).toMatchObject({ basis: 'observed', packet: 6, at: c.at(6) });
    expect(v.evidence[1]!.text).toContain('from the Certificate message');
    expect(v.evidence[1]!.text).toContain('CN=rdp.example.test (issuer CN=rdp.example.test, valid 2020-01-01T00:00:00Z to 2021-01-01T00:00:00Z)');
    expect(v.clientShows).toMatchObject({ text: 'a certificate warning; blocked when policy forbids warnings', basis: 'inferred' });
    expect(v.clientShows!.code).toBeUndefined();
  });

  it('the same capture at a time inside the validity is not expired (the check time is the event time, not the clock)', () => {
    const c = new Conn(Date.UTC(2020, 6, 1)).data('c2s', CLIENT_HELLO_12).data('s2c', flight12([expired.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict({ names: ['rdp.example.test'] });
    expect(v.status).toBe('ok');
    expect(v.row?.id).not.toBe(16);
    expect(v.findings.filter((f) => f.row === 16)).toEqual([]);
    // still self-signed: the hygiene row
    expect(v.row).toEqual({ id: 17, title: 'Certificate not trusted or weak' });
    const s = tlsSummary(c.events(), { names: ['rdp.example.test'] });
    expect(s?.certificate?.findings.map((f) => f.code)).toEqual(['self-signed']);
  });

  it('not yet valid at capture time', () => {
    const c = new Conn(Date.UTC(2019, 5, 1)).data('c2s', CLIENT_HELLO_12).data('s2c', flight12([expired.der]));
    finish12(c).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 16 } });
    expect(v.summary).toMatch(/^certificate "CN=rdp.example.test" is not valid until 2020-01-01T00:00:00Z \(checked at 2019-06-01T00:00:00Z/);
  });

  it('an expired certificate reported by the TLS library (tls-session) after a TLS 1.3 handshake', () => {
    const c = hello13().data('c2s', CCS, appData(53, 9)).session([expired.der]).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 16 }, endedBy: { who: 'client', how: 'fin' } });
    const sessionAt = (c.inputs.find((i) => i.kind === 'tls-session') as { at: number }).at;
    expect(v.summary).toContain('expired on 2021-01-01T00:00:00Z');
    expect(v.summary).toContain(`checked at ${iso(sessionAt)}`);
    expect(v.evidence[1]!.text).toContain('from the TLS library after the handshake');
    expect(v.evidence[1]!.at).toBe(sessionAt);
  });

  it('a client that goes on with an expired certificate is not a failure', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([expired.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v.status).toBe('ok');
    expect(v.findings).toContainEqual(expect.objectContaining({ severity: 'error', row: 16 }));
  });
});

describe('row 17: certificate hygiene (a finding; the connection is ok)', () => {
  it('name mismatch: a CA-issued certificate checked against another name', () => {
    const trust = parseTrustBundle(ca.certPem, 'test-ca.pem');
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([leaf.der, ca.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict({ names: ['host.example'], trust });
    expect(v).toMatchObject({ status: 'ok', lastCompletedStage: 'tls', row: { id: 17 } });
    expect(v.findings.filter((f) => f.severity !== 'info')).toEqual([
      { severity: 'warning', row: 17, text: 'certificate: certificate does not match "host.example": it names DNS:rdp.example.test' },
    ]);
    expect(v.clientShows).toMatchObject({ text: 'a certificate warning ("The identity of the remote computer cannot be verified")', basis: 'inferred' });
  });

  it('self-signed, no trust store', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([selfSigned.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict({ names: ['rdp.example.test'] });
    expect(v).toMatchObject({ status: 'ok', row: { id: 17 } });
    expect(v.findings).toEqual([{ severity: 'warning', row: 17, text: 'certificate: certificate "CN=rdp.example.test" is self-signed (no trust store checked)' }]);
  });

  it('trusted through parseTrustBundle, name matches: ok without a row', () => {
    const trust = parseTrustBundle(ca.certPem, 'test-ca.pem');
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([leaf.der, ca.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict({ names: ['rdp.example.test'], trust });
    expect(v.status).toBe('ok');
    expect(v.row).toBeUndefined();
    expect(v.findings).toEqual([]);
    expect(v.clientShows).toBeUndefined();
    const s = tlsSummary(c.events(), { names: ['rdp.example.test'], trust });
    expect(s?.certificate).toMatchObject({ source: 'wire', trust: 'trusted', trustedBy: 'CN=RDP Test CA', nameChecked: ['rdp.example.test'], nameMatch: true, findings: [] });
  });

  it('without --expect-name the SNI is the name checked (OPENSSL_TLS12_ECDHE: SNI rdp.example.test, certificate CN=rdpscope-test)', () => {
    // the transcript's certificate is valid from 2026-11-21 to 2036-11-18
    const c = new Conn(Date.UTC(2027, 0, 1)).data('c2s', fromHex(V.OPENSSL_TLS12_ECDHE.client.hex)).data('s2c', fromHex(V.OPENSSL_TLS12_ECDHE.server.hex));
    traffic(c.data('c2s', CKE, CCS, encFinished(1)).data('s2c', CCS, encFinished(2))).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'ok', row: { id: 17 } });
    expect(v.findings).toEqual([
      { severity: 'warning', row: 17, text: 'certificate: certificate does not match "rdp.example.test": it names CN=rdpscope-test' },
      { severity: 'warning', row: 17, text: 'certificate: certificate "CN=rdpscope-test" is self-signed (no trust store checked)' },
    ]);
    expect(v.summary).toBe('X.224 negotiation succeeded: selected SSL; TLS established (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, x25519); the connection went on into mcs-connect');
    expect(tlsSummary(c.events())).toMatchObject({ handshake: 'completed', group: 'x25519', offered: { serverName: 'rdp.example.test' }, certificate: { nameChecked: ['rdp.example.test'], nameMatch: false } });
  });

  it('a self-signed leaf with a trust store that does not hold it', () => {
    const trust = parseTrustBundle(ca.certPem, 'test-ca.pem');
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', flight12([selfSigned.der]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict({ names: ['rdp.example.test'], trust });
    expect(v).toMatchObject({ status: 'ok', row: { id: 17 } });
    expect(v.findings).toEqual([{ severity: 'warning', row: 17, text: 'certificate: certificate "CN=rdp.example.test" is self-signed and not in test-ca.pem' }]);
  });
});

describe('row 18: the client rejects the certificate', () => {
  it('observed: client alert bad_certificate (42) in the clear after the server Certificate (TLS 1.2)', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12).data('c2s', alert(2, 42)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 18, title: 'Client rejected the certificate' },
      summary: 'the client rejected the server\'s certificate: alert bad_certificate',
      endedBy: { who: 'client', how: 'fin', packet: 8 },
    });
    expect(v.evidence).toEqual([
      CLIENT_HELLO_EVIDENCE(5, c.at(5)),
      { basis: 'observed', text: 'client sent TLS alert fatal bad_certificate (42): a certificate was corrupt or its signature did not verify', packet: 7, dir: 'c2s', offset: C0 + 147, at: c.at(7), bytes: '15 03 03 00 02 02 2a' },
      { basis: 'observed', text: 'the certificate the client refused: CN=CLK-456040-D.one.phoenix.gov, issued by CN=CLK-456040-D.one.phoenix.gov, valid 2024-11-02T23:19:19Z to 2025-05-04T23:19:19Z' },
    ]);
    expect(v.clientShows).toMatchObject({ text: 'a certificate error', basis: 'inferred' });
  });

  it('inferred: TLS 1.3, the client answers the server flight with a 19-byte record, then FIN', () => {
    const c = hello13().data('c2s', CCS, appData(19, 9)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 18 },
      summary: 'the client ended the TLS handshake with an encrypted alert: it most likely rejected the certificate',
      cause: 'the client does not accept the server certificate (the alert is encrypted)',
      endedBy: { who: 'client', how: 'fin', packet: 11 },
    });
    expect(bases(v)).toEqual(['observed', 'observed', 'inferred']);
    expect(v.evidence[1]).toMatchObject({ dir: 'c2s', packet: 10, offset: C0 + fromHex(V.FREERDP_SHADOW_TLS13.client.hex).length + 6 });
    expect(v.evidence[1]!.text).toBe('client sent a 19-byte encrypted record that is alert (by its size) instead of its Finished, then the client closed the connection (FIN) (packet 11)');
  });

  it('inferred: TLS 1.3 completed, then a close_notify-sized record and FIN before any data', () => {
    const c = hello13().data('c2s', CCS, appData(53, 9), appData(19, 10)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 18 },
      summary: 'the client closed the TLS session right after the handshake: it most likely rejected the certificate',
      endedBy: { who: 'client', how: 'fin', packet: 12 },
    });
    expect(v.stagesReached).toEqual(['tcp', 'x224', 'tls', 'credssp']);
    expect(bases(v)).toEqual(['observed', 'observed', 'inferred']);
    expect(v.evidence[1]).toMatchObject({ packet: 11, dir: 'c2s' });
    expect(v.evidence[1]!.text).toMatch(/^client sent a 19-byte encrypted record that is alert \(by its size\) right after the handshake completed/);
  });

  it('inferred, with the certificate the TLS library reported: the cause names its problems', () => {
    const c = hello13().data('c2s', CCS, appData(53, 9)).session([expired.der]).data('c2s', appData(19, 10)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 18 } });
    expect(v.cause).toMatch(/^the client does not accept the certificate \(expired/);
    expect(texts(v)).toContain('certificate problems found: certificate "CN=rdp.example.test" expired on 2021-01-01T00:00:00Z');
  });

  it('inferred: TLS 1.2 completed, then an encrypted alert record (type 21) and FIN', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12);
    finish12(c).data('c2s', rec(21, filler(26, 5))).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'tls', row: { id: 18 },
      summary: 'the client closed the TLS session right after the handshake: it most likely rejected the certificate',
      endedBy: { who: 'client', how: 'fin', packet: 13 },
    });
    expect(v.evidence[1]).toMatchObject({ basis: 'observed', packet: 12, dir: 'c2s' });
    expect(v.evidence[1]!.text).toMatch(/^client sent a 26-byte encrypted record that is alert \(encrypted\) right after the handshake completed/);
    // the Windows certificate is self-signed: named as the likely reason
    expect(v.cause).toBe('the client does not accept the certificate (self-signed)');
  });

  it('inferred: TLS 1.3, the client\'s 19-byte record comes first, then the server closes before the client does', () => {
    // the server reads the client's alert and closes; the client's own FIN follows
    const c = hello13().data('c2s', CCS, appData(19, 9)).close('s2c', 'fin').close('c2s', 'fin');
    const v = c.verdict();
    expect(v.row?.id).toBe(18);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tls' });
    expect(texts(v)).not.toContain('with no TLS alert');
  });

  it('a client that used the session before closing did not reject it', () => {
    const c = hello13().data('c2s', CCS, appData(53, 9), appData(400, 10)).data('s2c', appData(300, 11)).data('c2s', appData(19, 12)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v.status).toBe('ok');
    expect(v.row).toBeUndefined();
  });
});

describe('rows 34, 35 and 11 in the TLS stage', () => {
  it('row 34: no answer to the ClientHello before the timeout', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).end('timeout');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', row: { id: 34, title: 'Server stopped answering' },
      summary: 'the server never answered the ClientHello', endedBy: { who: 'network', how: 'timeout', at: c.at(6) },
    });
    expect(v.clientShows).toMatchObject({ code: '0x108', basis: 'inferred' });
    expect(v.evidence.at(-1)).toEqual({ basis: 'observed', text: 'no answer to the ClientHello before the timeout', at: c.at(6) });
  });

  it('row 34: the server stops in the middle of its flight (whole records received)', () => {
    const sh = fromHex(V.FREERDP_SHADOW_TLS13.server.hex);
    const c = new Conn(T0, PROTOCOL.HYBRID_EX).data('c2s', fromHex(V.FREERDP_SHADOW_TLS13.client.hex)).data('s2c', sh, CCS).end('timeout');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 34 }, summary: 'the server stopped answering in the middle of the TLS handshake' });
    // on the wire: the 127-byte ServerHello record and the 6-byte ChangeCipherSpec
    expect(v.evidence.at(-1)!.text).toBe(`the server sent ${sh.length + CCS.length} bytes of its handshake, then nothing before the timeout`);
  });

  it('row 34: the server stops inside its certificate record (the MTU black hole case)', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12.subarray(0, 500)).end('timeout');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'failed', row: { id: 34 }, summary: 'the server stopped answering in the middle of the TLS handshake' });
    expect(texts(v)).toContain('the server sent 500 bytes of its handshake, then nothing before the timeout');
  });

  it('row 35: the capture ends mid-handshake', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12).end('capture-end');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'undetermined', row: { id: 35, title: 'Capture incomplete' }, summary: 'observation ended during the TLS handshake',
      endedBy: { who: 'capture', how: 'capture-end', at: c.at(7) }, lastCompletedStage: 'x224',
    });
    expect(v.failedStage).toBeUndefined();
    expect(v.clientShows).toBeUndefined();
    expect(v.evidence.at(-1)).toEqual({ basis: 'observed', text: 'the capture ended before the TLS handshake completed', at: c.at(7) });
  });

  it('row 35: a TLS 1.3 HelloRetryRequest handshake with its compatibility ChangeCipherSpec records is still in progress when the capture ends', () => {
    // OpenSSL's order (RFC 8446 D.4): ClientHello; HRR, CCS; CCS, second ClientHello; ServerHello
    const ch = fromHex(V.OPENSSL_TLS13_HRR.client.hex);
    const sv = fromHex(V.OPENSSL_TLS13_HRR.server.hex);
    const c = new Conn(T0, PROTOCOL.HYBRID_EX)
      .data('c2s', ch.subarray(0, 5 + 0xcc))
      .data('s2c', sv.subarray(0, 5 + 0x58), CCS)
      .data('c2s', CCS, ch.subarray(5 + 0xcc))
      .data('s2c', sv.subarray(5 + 0x58))
      .end('capture-end');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'undetermined', row: { id: 35 }, lastCompletedStage: 'x224', stagesReached: ['tcp', 'x224', 'tls'] });
    expect(tlsSummary(c.events())).toMatchObject({ handshake: 'incomplete', helloRetryRequest: true, version: 'TLS 1.3' });
  });

  it('row 11: the server answers the ClientHello with a TPKT', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', fromHex('03 00 00 09 02 f0 80 21 80')).close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'failed', failedStage: 'tls', lastCompletedStage: 'x224', row: { id: 11 },
      endedBy: { who: 'server', how: 'fin', packet: 7 }, clientShows: { text: 'a protocol error' },
    });
    expect(v.summary).toMatch(/^the server selected SSL in its Confirm but answered the ClientHello with an X.224 Data TPDU \(RDP in the clear, not TLS\)/);
    expect(v.evidence.at(-1)).toEqual({
      basis: 'observed', text: 'server bytes are not a TLS record: 0x03 is not a TLS content type (20-24)',
      packet: 6, dir: 's2c', offset: S0, at: c.at(6), bytes: '03 00 00 09 02 f0 80 21 80',
    });
  });
});

describe('who ended it, and success', () => {
  it('a warning alert (unrecognized_name 112) before a handshake that completes is not a failure', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', Uint8Array.from([...alert(1, 112), ...SERVER_FLIGHT_12]));
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'ok', lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'mcs-connect'] });
    expect(v.failedStage).toBeUndefined();
  });

  it('the client closes after the Confirm without a ClientHello: undetermined, not the server\'s fault, even with a server alert after', () => {
    const c = new Conn(T0, PROTOCOL.HYBRID_EX).close('c2s', 'fin').data('s2c', alert(2, 10)).close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'undetermined', summary: 'X.224 negotiation succeeded (selected HYBRID_EX); the client closed before starting TLS',
      endedBy: { who: 'client', how: 'fin', packet: 5 }, lastCompletedStage: 'x224',
    });
    expect(v.failedStage).toBeUndefined();
    expect(v.row).toBeUndefined();
    expect(v.clientShows).toBeUndefined();
    expect(v.evidence).toEqual([
      { basis: 'observed', text: 'the client closed the connection (FIN) (packet 5) right after the Confirm, without sending a ClientHello', packet: 5, dir: 'c2s', at: c.at(5) },
      { basis: 'observed', text: 'the server then sent TLS alert unexpected_message (10), its TLS layer\'s reaction to the close', packet: 6, dir: 's2c', offset: S0, at: c.at(6), bytes: '15 03 03 00 02 02 0a' },
    ]);
  });

  it('the client abandons the handshake after the server flight: undetermined, ended by the client', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'undetermined', summary: 'the client abandoned the TLS handshake without an alert', endedBy: { who: 'client', how: 'fin', packet: 7 } });
    expect(v.row).toBeUndefined();
  });

  it('the server closes after the Confirm before any ClientHello: the verdict does not call TLS undecoded', () => {
    const c = new Conn().close('s2c', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ endedBy: { who: 'server', how: 'fin', packet: 5 }, analysedThrough: 'active' });
    expect(v.summary).not.toMatch(/does not decode/);
    expect(texts(v)).not.toMatch(/decoded from a later version/);
  });

  it('a client that speaks something else than TLS after the Confirm: the verdict cites those client bytes', () => {
    const c = new Conn().data('c2s', fromHex('03 00 00 08 02 f0 80 7f')).close('s2c', 'fin');
    const v = c.verdict();
    expect(v.endedBy).toMatchObject({ who: 'server', how: 'fin', packet: 6 });
    expect(v.summary).not.toMatch(/does not decode/);
    expect(v.evidence).toContainEqual(expect.objectContaining({ basis: 'observed', dir: 'c2s', offset: C0, packet: 5 }));
  });

  it('TLS 1.3 completed and traffic both ways (HYBRID_EX): ok, last completed stage tls', () => {
    const c = hello13().data('c2s', CCS, appData(53, 9), appData(400, 10)).data('s2c', appData(300, 11)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({
      status: 'ok', lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'credssp'], analysedThrough: 'active',
      summary: 'X.224 negotiation succeeded: selected HYBRID_EX; TLS established (TLS 1.3, TLS_AES_256_GCM_SHA384, x25519); the connection went on into credssp',
      endedBy: { who: 'client', how: 'fin' },
    });
    expect(v.failedStage).toBeUndefined();
    expect(v.row).toBeUndefined();
    expect(v.findings).toEqual([{ severity: 'info', text: expect.stringMatching(/^certificate not checked: TLS 1\.3 encrypts it; probe the server live, or give a key log \(--keylog\) for this connection's client random [0-9a-f]{16}…, to read it$/) }]);
    expect(v.evidence).toContainEqual(expect.objectContaining({ basis: 'observed', text: 'TLS handshake completed: TLS 1.3, TLS_AES_256_GCM_SHA384, x25519', packet: 6, offset: S0 + 5 }));
  });

  it('TLS 1.2 completed and traffic both ways (SSL): ok, into mcs-connect, with the Windows certificate named', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12);
    traffic(finish12(c)).close('c2s', 'fin');
    const v = c.verdict();
    expect(v).toMatchObject({ status: 'ok', lastCompletedStage: 'tls', stagesReached: ['tcp', 'x224', 'tls', 'mcs-connect'] });
    expect(v.summary).toBe('X.224 negotiation succeeded: selected SSL; TLS established (TLS 1.2, TLS_RSA_WITH_AES_256_GCM_SHA384); the connection went on into mcs-connect');
    expect(texts(v)).toContain('server certificate CN=CLK-456040-D.one.phoenix.gov, issuer CN=CLK-456040-D.one.phoenix.gov, RSA 2048, sha256WithRSAEncryption, valid to 2025-05-04T23:19:19Z');
  });
});

describe('tlsSummary', () => {
  // The leaf DER of WIN_TLS12 (stream bytes 10..778 of the Certificate message) written to a file and
  // read with `openssl x509 -inform der -noout -subject -issuer -fingerprint -sha256 -nameopt RFC2253`
  // (OpenSSL 3.0): subject=issuer=CN=CLK-456040-D.one.phoenix.gov, SHA-256 fingerprint below.
  const WIN_TLS12_SHA256 = '2F:24:FA:5E:FE:1C:62:44:7B:32:AA:41:AF:38:C4:17:6D:03:A6:2C:A9:C3:C8:D4:91:94:6E:D2:83:B8:6C:CA';

  it('the Windows TLS 1.2 transcript: subject, issuer and SHA-256 fingerprint of the real certificate', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12).end('capture-end');
    const s = tlsSummary(c.events());
    expect(s).toMatchObject({
      handshake: 'incomplete', version: 'TLS 1.2', cipherSuite: { id: 0x009d, name: 'TLS_RSA_WITH_AES_256_GCM_SHA384' },
      offered: { versions: ['TLS 1.2'], cipherSuites: 21 }, alerts: [],
    });
    const leafInfo = s!.certificate!.chain[0]!;
    expect(leafInfo).toMatchObject({
      subject: 'CN=CLK-456040-D.one.phoenix.gov', issuer: 'CN=CLK-456040-D.one.phoenix.gov', serialNumber: '785897AEAAABC0BD4AC73F6EB275D540',
      notBefore: '2024-11-02T23:19:19Z', notAfter: '2025-05-04T23:19:19Z', sha256: WIN_TLS12_SHA256,
    });
    expect(s!.certificate).toMatchObject({ source: 'wire', trust: 'self-signed' });
    // and OpenSSL (through node:crypto) agrees on the DER the tracker extracted
    const ev = c.events().find((e) => e.type === 'pdu' && e.name === 'TLS Certificate') as { value: { certificates: { der: Uint8Array }[] } };
    expect(new X509Certificate(ev.value.certificates[0]!.der).fingerprint256).toBe(WIN_TLS12_SHA256);
  });

  it('a capture that ends inside a server record: the handshake is incomplete (as row 35 says), not failed', () => {
    const c = new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', SERVER_FLIGHT_12.subarray(0, 500)).end('capture-end');
    expect(c.verdict()).toMatchObject({ status: 'undetermined', row: { id: 35 } });
    expect(tlsSummary(c.events())?.handshake).toBe('incomplete');
  });

  it('a HelloRetryRequest is reported, with the group it asked for', () => {
    const c = new Conn().data('c2s', fromHex(V.OPENSSL_TLS13_HRR.client.hex)).data('s2c', fromHex(V.OPENSSL_TLS13_HRR.server.hex)).end('capture-end');
    expect(tlsSummary(c.events())).toMatchObject({ handshake: 'incomplete', helloRetryRequest: true, version: 'TLS 1.3', group: 'secp256r1', cipherSuite: { id: 0x1302 } });
  });

  it('alerts in the clear and encrypted ones, and the TLS 1.3 certificate note', () => {
    const c = hello13().data('c2s', CCS, appData(19, 9)).close('c2s', 'fin');
    const s = tlsSummary(c.events());
    expect(s).toMatchObject({ handshake: 'incomplete', version: 'TLS 1.3', group: 'x25519', certificateNote: expect.stringContaining('TLS 1.3 encrypts the certificate') });
    expect(s!.alerts).toEqual([{ dir: 'c2s', level: 'unknown', description: -1, name: 'alert (by its size)', encrypted: true }]);
    const r = tlsSummary(new Conn().data('c2s', CLIENT_HELLO_12).data('s2c', alert(2, 40)).events());
    expect(r).toMatchObject({ handshake: 'failed', alerts: [{ dir: 's2c', level: 'fatal', description: 40, name: 'handshake_failure', encrypted: false }] });
  });
});
