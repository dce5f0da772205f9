import { describe, expect, it } from 'vitest';
import { HandshakeTracker } from '../../src/analyze/tracker.js';
import type { TrackerInput } from '../../src/analyze/input.js';
import { fromHex } from '../../src/wire/hex.js';
import { CC_4_1_2, CR_4_1_1 } from '../vectors/ms-rdpbcgr.js';

const CR = fromHex(CR_4_1_1);
const CC = fromHex(CC_4_1_2);

function run(inputs: TrackerInput[]) {
  const t = new HandshakeTracker();
  for (const i of inputs) t.push(i);
  return t;
}

/** Strip positions that legitimately differ with chunking (time/packet of the first chunk). */
function shape(t: HandshakeTracker) {
  return t.events.map((e) => ({ ...e, at: 0, packet: undefined }));
}

describe('HandshakeTracker', () => {
  it('decodes request and confirm, then enters the stage for the selected protocol', () => {
    const t = run([
      { kind: 'tcp', what: 'syn', at: 1 },
      { kind: 'tcp', what: 'syn-ack', at: 2 },
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR, at: 3, packet: 4 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC, at: 4, packet: 5 },
    ]);
    expect(t.events.map((e) => (e.type === 'stage' ? `${e.status}:${e.stage}` : e.type))).toEqual([
      'tcp', 'entered:tcp', 'tcp', 'completed:tcp', 'entered:x224', 'pdu', 'pdu', 'completed:x224', 'entered:tls',
    ]);
    const pdus = t.events.filter((e) => e.type === 'pdu');
    expect(pdus.map((p) => [p.name, p.packet, p.offset])).toEqual([
      ['Client X.224 Connection Request', 4, 0],
      ['Server X.224 Connection Confirm', 5, 0],
    ]);
    expect(t.state).toEqual({ requestedProtocols: 0, selectedProtocol: 1 });
  });

  it('gives the same events however the streams are split (every offset)', () => {
    const whole = shape(run([
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR, at: 1 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC, at: 2 },
      { kind: 'close', dir: 's2c', how: 'fin', at: 3 },
    ]));
    for (let i = 0; i <= CR.length; i++) {
      for (let j = 0; j <= CC.length; j += 3) {
        const parts: TrackerInput[] = [
          { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR.subarray(0, i), at: 1 },
          { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR.subarray(i), at: 1 },
          { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC.subarray(0, j), at: 2 },
          { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC.subarray(j), at: 2 },
          { kind: 'close', dir: 's2c', how: 'fin', at: 3 },
        ];
        expect(shape(run(parts))).toEqual(whole);
      }
    }
  });

  it('traces a PDU to the packet carrying its first byte', () => {
    const t = run([
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR, at: 1, packet: 1 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC.subarray(0, 5), at: 2, packet: 7 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC.subarray(5), at: 3, packet: 9 },
    ]);
    const cc = t.events.find((e) => e.type === 'pdu' && e.dir === 's2c');
    expect(cc).toMatchObject({ packet: 7, offset: 0, length: 19 });
  });

  it('reports a non-TPKT reply as a framing error and stops parsing that direction', () => {
    const t = run([
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR, at: 1 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: new TextEncoder().encode('HTTP/1.1 400 Bad Request\r\n'), at: 2, packet: 3 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: CC, at: 3 },
    ]);
    const errs = t.events.filter((e) => e.type === 'decode-error');
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ phase: 'framing', dir: 's2c', packet: 3, error: { layer: 'tpkt', field: 'version', offset: 0 } });
    expect(t.events.some((e) => e.type === 'pdu' && e.dir === 's2c')).toBe(false);
  });

  it('reports a PDU cut short by a close', () => {
    const t = run([
      { kind: 'data', dir: 'c2s', lane: 'wire', bytes: CR, at: 1 },
      { kind: 'data', dir: 's2c', lane: 'wire', bytes: fromHex('03 00 00 2b 00 03 00 80 01'), at: 2, packet: 6 },
      { kind: 'close', dir: 's2c', how: 'fin', at: 3, packet: 7 },
    ]);
    expect(t.events.find((e) => e.type === 'decode-error')).toMatchObject({ error: { code: 'NOT_ENOUGH_BYTES' }, packet: 6 });
    expect(t.done).toBe(false);
  });

  it('bounds what it buffers: a TPKT longer than the limit is an error, not an allocation', () => {
    const t = new HandshakeTracker({ limits: { 'pending-bytes': 1000 } });
    t.push({ kind: 'data', dir: 's2c', lane: 'wire', bytes: fromHex('03 00 ff ff 00'), at: 1 });
    expect(t.events.find((e) => e.type === 'decode-error')).toMatchObject({ error: { code: 'LIMIT_EXCEEDED' } });
  });

  it('counts bytes of stages it does not decode and never throws on random input', () => {
    let seed = 42;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed; };
    for (let n = 0; n < 2000; n++) {
      const t = new HandshakeTracker();
      const prefix = n % 2 ? [CR, CC] : [];
      const chunks = [...prefix, ...Array.from({ length: 3 }, () => Uint8Array.from({ length: rnd() % 40 }, () => rnd() & 0xff))];
      chunks.forEach((bytes, i) => expect(() => t.push({ kind: 'data', dir: i % 2 ? 's2c' : 'c2s', lane: 'wire', bytes, at: i })).not.toThrow());
      expect(() => t.push({ kind: 'end', how: 'capture-end', at: 99 })).not.toThrow();
    }
  });
});
