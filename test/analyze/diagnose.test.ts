import { describe, expect, it } from 'vitest';
import { HandshakeTracker } from '../../src/analyze/tracker.js';
import { diagnose } from '../../src/analyze/diagnose.js';
import type { TrackerInput } from '../../src/analyze/input.js';
import { encodeConnectionConfirm, encodeConnectionRequest, encodeDisconnectRequest, PROTOCOL } from '../../src/x224/index.js';
import { fromHex } from '../../src/wire/hex.js';
import { CONNECT_INITIAL_4_1_3 } from '../vectors/mcs.js';

const REQ = encodeConnectionRequest({ header: { dstRef: 0, srcRef: 0, classOption: 0 }, cookie: 'tester', negotiation: { flags: 0, requestedProtocols: 0x0b } });
const hdr = { dstRef: 0, srcRef: 0x1234, classOption: 0 };
const failure = (code: number) => encodeConnectionConfirm({ header: hdr, negotiation: { type: 'failure', flags: 0, failureCode: code } });
const response = (p: number) => encodeConnectionConfirm({ header: hdr, negotiation: { type: 'response', flags: 0, selectedProtocol: p } });

let t = 0;
const at = () => ++t;
const connected: TrackerInput[] = [{ kind: 'tcp', what: 'syn', at: 0, packet: 1 }, { kind: 'tcp', what: 'syn-ack', at: 1, packet: 2 }];
const request: TrackerInput = { kind: 'data', dir: 'c2s', lane: 'wire', bytes: REQ, at: 2, packet: 4 };
const reply = (bytes: Uint8Array): TrackerInput => ({ kind: 'data', dir: 's2c', lane: 'wire', bytes, at: at(), packet: 5 });
const close = (dir: 'c2s' | 's2c', how: 'fin' | 'rst'): TrackerInput => ({ kind: 'close', dir, how, at: at(), packet: 6 });

function verdictOf(inputs: TrackerInput[]) {
  const tr = new HandshakeTracker();
  inputs.forEach((i) => tr.push(i));
  return diagnose(tr.events);
}

describe('diagnose: resolve and TCP rows', () => {
  it('row 1: name does not resolve', () => {
    const v = verdictOf([{ kind: 'resolve', host: 'nosuch.invalid', ok: false, error: 'ENOTFOUND', at: 1 }]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'resolve', row: { id: 1 }, endedBy: { who: 'resolver' } });
    expect(v.clientShows?.code).toBe('0x104');
  });

  it('row 2: SYN answered by RST', () => {
    const v = verdictOf([{ kind: 'tcp', what: 'syn', at: 0, packet: 1 }, { kind: 'tcp', what: 'refused', at: 1, packet: 2 }]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tcp', row: { id: 2 }, endedBy: { how: 'refused', packet: 2 } });
    expect(v.clientShows?.code).toBe('0x204');
  });

  it('row 3: SYN unanswered', () => {
    const v = verdictOf([{ kind: 'tcp', what: 'syn', at: 0, packet: 1 }, { kind: 'tcp', what: 'no-answer', at: 9 }]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tcp', row: { id: 3 } });
  });
});

describe('diagnose: X.224 rows', () => {
  it('row 4: server FIN right after the request, 0x904/0x7', () => {
    const v = verdictOf([...connected, request, close('s2c', 'fin')]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'x224', row: { id: 4 }, endedBy: { who: 'server', how: 'fin', packet: 6 } });
    expect(v.clientShows).toMatchObject({ code: '0x904', extended: '0x7', basis: 'inferred' });
    expect(v.evidence[0]).toMatchObject({ basis: 'observed', packet: 4, offset: 0 });
    expect(v.remedy.length).toBeGreaterThan(0);
    expect(v.lastCompletedStage).toBe('tcp');
  });

  it('row 4: server RST, and an X.224 Disconnect Request', () => {
    expect(verdictOf([...connected, request, close('s2c', 'rst')])).toMatchObject({ row: { id: 4 }, endedBy: { how: 'rst' } });
    expect(verdictOf([...connected, request, reply(encodeDisconnectRequest({ dstRef: 0, srcRef: 0, reason: 0 }))]))
      .toMatchObject({ row: { id: 4 }, endedBy: { how: 'disconnect-request' } });
  });

  it('row 5: the reply is not TPKT, and names what it looks like', () => {
    const v = verdictOf([...connected, request, reply(new TextEncoder().encode('SSH-2.0-OpenSSH_9.2\r\n'))]);
    expect(v).toMatchObject({ status: 'failed', row: { id: 5 } });
    expect(v.summary).toMatch(/SSH banner/);
  });

  it('row 5: a TPKT-looking reply cut short (zeek modbus-and-non-modbus-p502.pcap)', () => {
    const v = verdictOf([...connected, request, reply(fromHex('03 00 00 2b 00 03 00 80 01')), close('s2c', 'fin')]);
    expect(v).toMatchObject({ status: 'failed', row: { id: 5 } });
  });

  it('row 6: silence until the timeout', () => {
    const v = verdictOf([...connected, request, { kind: 'end', how: 'timeout', at: 99 }]);
    expect(v).toMatchObject({ status: 'failed', row: { id: 6 }, endedBy: { how: 'timeout' } });
  });

  it.each([[5, 7], [1, 8], [2, 9], [3, 10], [4, 11], [6, 11], [0x99, 11]])('failure code %i → row %i', (code, row) => {
    const v = verdictOf([...connected, request, reply(failure(code))]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'x224', row: { id: row }, endedBy: { who: 'server', how: 'negotiation-failure', packet: 5 } });
  });

  it('row 11: a protocol the client did not request', () => {
    const v = verdictOf([...connected, request, reply(response(PROTOCOL.RDSTLS)), close('s2c', 'fin')]);
    expect(v).toMatchObject({ status: 'failed', row: { id: 11 } });
    expect(v.summary).toMatch(/RDSTLS.*did not request/);
  });

  it('row 11 is a warning, not the verdict, when the client goes on after the unrequested selection (rdesktop does)', () => {
    const ci = fromHex(CONNECT_INITIAL_4_1_3);
    const v = verdictOf([...connected, request, reply(response(PROTOCOL.RDP)), { kind: 'data', dir: 'c2s', lane: 'wire', bytes: ci, at: at(), packet: 7 }, close('s2c', 'fin')]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'mcs-connect', row: { id: 26 } });
    expect(v.findings).toContainEqual(expect.objectContaining({ severity: 'warning', row: 11, text: expect.stringMatching(/selected RDP .*did not request.*the client went on/) }));
  });

  it('row 11: a malformed Confirm names the field and offset', () => {
    const v = verdictOf([...connected, request, reply(fromHex('03 00 00 13 0e d0 00 00 12 34 00 02 00 09 00 01 00 00 00'))]);
    expect(v).toMatchObject({ status: 'failed', row: { id: 11 } });
    expect(v.evidence.at(-1)).toMatchObject({ offset: 13, packet: 5 });
  });

  it('row 12: a legacy Confirm is not a failure, but is noted', () => {
    const v = verdictOf([...connected, request, reply(fromHex('03 00 00 0b 06 d0 00 00 12 34 00')), { kind: 'end', how: 'probe-done', at: 50 }]);
    expect(v.status).toBe('ok');
    expect(v.findings).toEqual([expect.objectContaining({ row: 12 })]);
    expect(v.stagesReached).toEqual(['tcp', 'x224', 'mcs-connect']);
  });

  it('a negotiation selecting HYBRID_EX followed by bytes that are not TLS fails the TLS stage (row 11)', () => {
    const v = verdictOf([...connected, request, reply(response(PROTOCOL.HYBRID_EX)),
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: new Uint8Array(900), at: 61 },
      close('c2s', 'fin')]);
    expect(v).toMatchObject({ status: 'failed', failedStage: 'tls', row: { id: 11 }, lastCompletedStage: 'x224' });
  });

  it('a capture that ends before the Confirm is undetermined (row 35)', () => {
    const v = verdictOf([...connected, request, { kind: 'end', how: 'capture-end', at: 70 }]);
    expect(v).toMatchObject({ status: 'undetermined', row: { id: 35 } });
  });

  it('the client giving up is not blamed on the server', () => {
    const v = verdictOf([...connected, request, close('c2s', 'fin')]);
    expect(v.status).toBe('undetermined');
    expect(v.endedBy).toMatchObject({ who: 'client' });
  });
});
