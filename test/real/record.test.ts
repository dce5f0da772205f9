// `probe --record` against every real lab server (scripts/lab.sh list: xrdp and FreeRDP shadow): the
// live probe with a recording, the recording replayed by the capture path `rdpscope analyze` uses with
// the keys of its own Decryption Secrets Block: the same PDUs, stages and verdict (where the live
// verdict rests on the probe's stage timer, or on the Standard RDP Security keys of its client random,
// the packets agree and the probe's note in the file says so); tshark opens the file decrypted; the
// file has mode 0600; the lab password is in no byte of it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEFAULT_REQUESTED } from '../../src/probe/client-script.js';
import type { ProbeOptions } from '../../src/probe/live.js';
import { RecordingFile } from '../../src/probe/record.js';
import { cliWith, ndjson } from '../helpers/cli.js';
import { describeWithTools, freePort, LAB_PASSWORD, LAB_SCRIPT, LAB_USER, startLab, type LabServer } from '../helpers/lab.js';
import { assertNoPassword, innerText, probeNotes, recordedProbe, replayReadsProbeNotes, shape, shapes, verdictShape, type Recorded } from '../helpers/recording.js';

interface LabScenario { name: string; kind: string; sec: string }

/** Every scenario lab.sh knows, from `lab.sh list` (name kind port sec ...). */
function labScenarios(): LabScenario[] {
  let out = '';
  try {
    out = execFileSync('bash', [LAB_SCRIPT, 'list'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return [];
  }
  return out.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => {
    const [name, kind, , sec] = l.trim().split(/\s+/);
    return { name: name!, kind: kind!, sec: sec! };
  });
}

const SCENARIOS = labScenarios();
/** the replay takes the probe's notes: then every case must agree in full (see replayReadsProbeNotes) */
const NOTES_READ = replayReadsProbeNotes();
const dir = mkdtempSync(join(tmpdir(), 'rdpscope-real-record-'));
const labs = new Map<string, LabServer>();
/**
 * Where the live verdict rests on the probe's own way of going on: past an expired certificate the
 * probe goes on by design and reports the expiry as the failure (row 16); in a capture, a client that
 * went on accepted the certificate, so the replay is ok with the expiry as an error finding.
 */
const PROBE_ONLY: Record<string, (live: Recorded['live'], replay: Recorded['connections'][number]) => void> = {
  'xrdp-tls-expired': (live, replay) => {
    expect(live.verdict).toMatchObject({ status: 'failed', row: { id: 16 }, endedBy: { how: 'probe-done' } });
    expect(replay.verdict.findings).toContainEqual(expect.objectContaining({ row: 16, severity: 'error' }));
    expect(replay.verdict.stagesReached).toEqual(live.verdict.stagesReached);
  },
};
const CREDENTIALS: Partial<ProbeOptions> = { credentials: { user: LAB_USER, domain: '', password: LAB_PASSWORD }, delegate: true };

/** Frames tshark decodes as CredSSP or T.125, with only the keys in the file (the RDP port given: tshark knows only 3389). */
function tsharkFrames(file: string, port: number): number[] {
  const out = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${port},tls`, '-d', `tls.port==${port},tpkt`, '-Y', 'credssp || t125', '-T', 'fields', '-e', 'frame.number'],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return out.split('\n').filter(Boolean).map(Number);
}

/**
 * Probes the lab with a recording and checks the replay against the live run; writes the file (mode
 * 0600) and, when TLS carried plaintext, checks tshark decodes CredSSP/T.125 where rdpscope does.
 */
async function check(label: string, lab: LabServer, opts: Partial<ProbeOptions>, probeOnly?: (live: Recorded['live'], replay: Recorded['connections'][number]) => void): Promise<Recorded> {
  const r = await recordedProbe({ host: lab.host, port: lab.port, requestedProtocols: DEFAULT_REQUESTED, connectTimeoutMs: 5000, stageTimeoutMs: 5000, ...opts });
  expect(r.issues).toEqual([]);
  expect(r.connections).toHaveLength(1);
  const c = r.connections[0]!;
  const live = r.live;
  const notes = probeNotes(r.file);
  const why = `live: ${live.verdict.summary}\nreplay: ${c.verdict.summary}`;
  expect(c.flow.server).toEqual({ ip: lab.host, port: lab.port });

  const { live: a, replay: b } = shapes(live.events, c.events);
  // Standard RDP Security: the probe's client random is not in the file, what follows the Security Exchange stays encrypted
  const rdpEncrypted = b.wire.c2s.includes('RDP encrypted PDU');
  if (rdpEncrypted) {
    expect(b.stages).toEqual(a.stages);
    for (const d of ['c2s', 's2c'] as const) {
      expect(b.wire[d]).toHaveLength(a.wire[d].length);
      b.wire[d].forEach((n, i) => { if (n !== 'RDP encrypted PDU') expect(n).toBe(a.wire[d][i]); });
    }
  } else {
    expect(b, why).toEqual(a);
  }
  if (probeOnly && !NOTES_READ) {
    probeOnly(live, c);
  } else if (live.verdict.endedBy?.how === 'timeout' && !NOTES_READ) {
    // the capture cannot hold the probe's stage timer: its FIN carries the note
    expect(notes.at(-1)?.note).toMatchObject({ kind: 'end', how: 'timeout' });
  } else if (!rdpEncrypted) {
    expect(verdictShape(c.verdict), why).toEqual(verdictShape(live.verdict));
  } else {
    expect({ status: c.verdict.status, row: c.verdict.row?.id ?? null }, why).toEqual({ status: live.verdict.status, row: live.verdict.row?.id ?? null });
  }

  const file = join(dir, `${label}.pcapng`);
  new RecordingFile(file).commit(r.file);
  expect(statSync(file).mode & 0o777).toBe(0o600);
  const ours = c.events.filter((e) => e.type === 'pdu' && e.lane === 'inner' && e.name !== 'Early User Authorization Result');
  if (ours.length) {
    const frames = tsharkFrames(file, lab.port);
    expect(frames.length, `${label}: tshark decrypted nothing`).toBeGreaterThan(0);
    expect([...new Set(ours.map((e) => e.packet))].sort((x, y) => x! - y!)).toEqual(frames);
  }
  return r;
}

describeWithTools(['xrdp', 'freerdp-shadow-cli', 'Xvfb', 'winpr-hash', 'openssl', 'root', 'tshark'], 'real servers: probe --record replays to the live probe', () => {
  beforeAll(async () => {
    // one at a time: xrdp has a listen backlog of 2 and the shadow servers share an X display
    for (const s of SCENARIOS) labs.set(s.name, await startLab(s.name, { port: await freePort() }));
    labs.set('xrdp-negotiate-v6', await startLab('xrdp-negotiate', { ipv6: true, port: await freePort('::1') }));
  }, 300_000);
  afterAll(async () => {
    await Promise.all([...labs.values()].map((l) => l.stop()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('lab.sh lists xrdp and shadow scenarios', () => {
    expect(SCENARIOS.map((s) => s.kind)).toEqual(expect.arrayContaining(['xrdp', 'shadow']));
    expect(SCENARIOS.length).toBeGreaterThanOrEqual(10);
  });

  for (const s of SCENARIOS) {
    it(`${s.name}: the default request (SSL|HYBRID|HYBRID_EX)`, async () => {
      await check(`${s.name}-default`, labs.get(s.name)!, {}, PROBE_ONLY[s.name]);
    }, 60_000);
    if (s.sec === 'rdp' || s.sec === 'negotiate') {
      it(`${s.name}: --protocols RDP (Standard RDP Security)`, async () => {
        await check(`${s.name}-rdp`, labs.get(s.name)!, { requestedProtocols: 0 });
      }, 60_000);
    }
  }

  it('xrdp-negotiate over IPv6 (::1)', async () => {
    const r = await check('xrdp-negotiate-v6', labs.get('xrdp-negotiate-v6')!, {});
    expect(r.connections[0]!.flow.client.ip).toBe('::1');
  }, 60_000);

  it('shadow-nla with the lab account and --delegate: CredSSP decrypted from the file; the password in no byte of it', async () => {
    const r = await check('shadow-nla-logon', labs.get('shadow-nla')!, CREDENTIALS);
    const c = r.connections[0]!;
    expect(shape(c.events).inner.c2s).toEqual(expect.arrayContaining(['credssp: CredSSP TSRequest']));
    expect(innerText(c.events.filter((e) => e.type === 'pdu' && e.dir === 'c2s' && e.name === 'CredSSP TSRequest'))).toContain('"authInfo"');
    assertNoPassword(r.file, LAB_PASSWORD);
    assertNoPassword(innerText(c.events), LAB_PASSWORD);
  }, 60_000);

  it('the CLI: probe --record --record-credentials, then rdpscope analyze FILE: the same verdict; mode 0600; no password anywhere', async () => {
    const lab = labs.get('shadow-nla')!;
    const file = join(dir, 'cli-shadow-nla.pcapng');
    const env = { env: { RDPSCOPE_PASSWORD: LAB_PASSWORD } };
    const refused = await cliWith(env, 'probe', `127.0.0.1:${lab.port}`, '--user', LAB_USER, '--delegate', '--record', file);
    expect(refused.code).toBe(2);
    const r = await cliWith(env, 'probe', `127.0.0.1:${lab.port}`, '--user', LAB_USER, '--delegate', '--record', file, '--record-credentials', '--json');
    expect(r.code).toBe(0);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const live = JSON.parse(r.out);
    const a = await cliWith({}, 'analyze', file, '--json');
    const [replay] = ndjson(a.out);
    for (const k of ['status', 'row', 'failedStage', 'stagesReached', 'lastCompletedStage'] as const) expect(replay!.verdict[k]).toEqual(live.verdict[k]);
    assertNoPassword(readFileSync(file), LAB_PASSWORD);
    assertNoPassword(r.out + r.err + a.out + a.err, LAB_PASSWORD);
    expect(tsharkFrames(file, lab.port).length).toBeGreaterThan(0);
  }, 60_000);
});
