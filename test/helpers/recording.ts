// Test helper for `probe --record` (src/probe/record.ts): a live probe with a recording, the recording
// replayed through the capture path `rdpscope analyze` uses (src/capture/replay.ts, keys from the
// file's own Decryption Secrets Block), and what must agree between the two.
import { expect } from 'vitest';
import type { TrackerEvent } from '../../src/analyze/events.js';
import type { Verdict } from '../../src/analyze/verdict.js';
import { decodeProbeNote, encodeProbeNote, PCAPNG_EPB, writePcapng } from '../../src/capture/pcapng-writer.js';
import { encodeConnectionRequest } from '../../src/x224/connection-request.js';
import { replayBytes, type ReplayItem } from '../../src/capture/replay.js';
import { probe, type ProbeOptions, type ProbeResult } from '../../src/probe/live.js';
import { ProbeRecording } from '../../src/probe/record.js';

export type Connection = Extract<ReplayItem, { type: 'connection' }>;

export interface Recorded {
  live: ProbeResult;
  recording: ProbeRecording;
  file: Uint8Array;
  connections: Connection[];
  issues: string[];
}

/**
 * Whether the capture replay takes the probe's notes (why it ended, its pubKeyAuth check, its Standard
 * RDP Security client random) as tracker inputs: then a recording replays to the live verdict in every
 * case, and the tests ask for that; until then they ask for the rest and for the notes to be there.
 */
export function replayReadsProbeNotes(): boolean {
  const cr = encodeConnectionRequest({ header: { dstRef: 0, srcRef: 0, classOption: 0 }, negotiation: { flags: 0, requestedProtocols: 0 } });
  const file = writePcapng({ connections: [{ client: { ip: '127.0.0.1', port: 50000 }, server: { ip: '127.0.0.1', port: 3389 }, events: [
    { kind: 'syn', at: 1 }, { kind: 'established', at: 2 }, { kind: 'data', dir: 'c2s', bytes: cr, at: 3 },
    { kind: 'fin', dir: 'c2s', at: 4, comments: [encodeProbeNote({ kind: 'end', how: 'timeout', detail: 'no progress', at: 4 })] },
  ] }] });
  const c = replayBytes(file).find((i): i is Connection => i.type === 'connection');
  return c?.verdict.endedBy?.how === 'timeout';
}

/** Probes with a recording, writes the pcapng (with keys) in memory and replays it. */
export async function recordedProbe(opts: ProbeOptions): Promise<Recorded> {
  const recording = new ProbeRecording();
  const live = await probe({ ...opts, ...recording.options(opts) });
  const file = recording.pcapng({ keys: true });
  const items = replayBytes(file);
  return {
    live, recording, file,
    connections: items.filter((i): i is Connection => i.type === 'connection'),
    issues: items.flatMap((i) => (i.type === 'issue' ? [i.issue.reason] : [])),
  };
}

/**
 * What must agree between the live probe and the replay of its recording: the PDU names per lane and
 * direction (TLS plaintext with its stage; on the wire without, since which stage an encrypted record
 * is counted in depends on whether its plaintext came before it, live, or after it, from the capture),
 * and the stages entered.
 */
export function shape(events: readonly TrackerEvent[]) {
  const pdus = (lane: string, dir: string, staged: boolean) => events.flatMap((e) => (e.type === 'pdu' && e.lane === lane && e.dir === dir ? [staged ? `${e.stage}: ${e.name}` : e.name] : []));
  return {
    wire: { c2s: pdus('wire', 'c2s', false), s2c: pdus('wire', 's2c', false) },
    inner: { c2s: pdus('inner', 'c2s', true), s2c: pdus('inner', 's2c', true) },
    stages: [...new Set(events.filter((e) => e.type === 'stage').map((e) => (e.type === 'stage' ? e.stage : '')))],
  };
}

/**
 * The two shapes to compare. One allowance: the probe's last words over TLS (its Disconnect Provider
 * Ultimatum as it stops) reach its tracker as plaintext, but the driver destroys the socket right after,
 * so node:tls may never write the record: the wire, and so the recording, does not have it.
 */
export function shapes(live: readonly TrackerEvent[], replay: readonly TrackerEvent[]) {
  const a = shape(live);
  const b = shape(replay);
  const extra = a.inner.c2s.slice(b.inner.c2s.length);
  if (extra.length && extra.every((n) => n.endsWith(': MCS Disconnect Provider Ultimatum')) && a.inner.c2s.slice(0, b.inner.c2s.length).join('\n') === b.inner.c2s.join('\n')
    && a.wire.c2s.length === b.wire.c2s.length) {
    a.inner.c2s = b.inner.c2s.slice();
  }
  return { live: a, replay: b };
}

/** The verdict's outline: status, catalogue row, failed stage, stages reached, last completed. */
export function verdictShape(v: Verdict) {
  return { status: v.status, row: v.row?.id ?? null, failedStage: v.failedStage, stagesReached: v.stagesReached, lastCompletedStage: v.lastCompletedStage };
}

/** The rdpscope probe notes in the file's packet comments: 1-based packet number and the note. */
export function probeNotes(file: Uint8Array): { packet: number; note: Record<string, unknown> }[] {
  const dv = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const out: { packet: number; note: Record<string, unknown> }[] = [];
  let packet = 0;
  for (let off = 0; off < file.length;) {
    const type = dv.getUint32(off, true);
    const len = dv.getUint32(off + 4, true);
    if (type === PCAPNG_EPB) {
      packet++;
      const cap = dv.getUint32(off + 20, true);
      for (let o = off + 28 + cap + ((4 - (cap % 4)) % 4); o + 4 <= off + len - 4;) {
        const code = dv.getUint16(o, true);
        const n = dv.getUint16(o + 2, true);
        if (code === 0) break;
        const note = code === 1 ? decodeProbeNote(Buffer.from(file.subarray(o + 4, o + 4 + n)).toString('utf8')) : undefined;
        if (note) out.push({ packet, note });
        o += 4 + n + ((4 - (n % 4)) % 4);
      }
    }
    off += len;
  }
  return out;
}

/** Both encodings a leaked password could take in bytes. */
export function assertNoPassword(bytes: Uint8Array | string, password: string): void {
  const hay = typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const enc of ['utf8', 'utf16le'] as const) expect(hay.includes(Buffer.from(password, enc)), `password (${enc}) in the recording`).toBe(false);
}

/** The decrypted plaintext PDUs of a replay as JSON text (what anyone with the file can read). */
export function innerText(events: readonly TrackerEvent[]): string {
  return events.flatMap((e) => (e.type === 'pdu' && e.lane === 'inner' ? [JSON.stringify(e.value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))] : [])).join('\n');
}
