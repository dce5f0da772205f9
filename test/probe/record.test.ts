// `rdpscope probe --record FILE` (src/probe/record.ts, src/capture/pcapng-writer.ts): every scenario of
// the scenario server probed live with a recording, the recording replayed through the capture path
// `rdpscope analyze` uses, with the keys of its own Decryption Secrets Block: the same PDUs, stages and
// verdict. Where a capture cannot carry what decided the live verdict (the probe's stage timer, its own
// decision to stop, its pubKeyAuth check, the Standard RDP Security keys of its client random), the
// scenario is listed with the reason, the packets still agree, and the probe's note in the file says
// what it knew. Then the CLI: the file's mode, overwriting, refusals, credentials, enumerations,
// IPv6, fixture record --pcapng, and tshark decrypting the file on its own.
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../src/server/scenarios.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { DEFAULT_REQUESTED } from '../../src/probe/client-script.js';
import type { ProbeOptions } from '../../src/probe/live.js';
import { replayBytes } from '../../src/capture/replay.js';
import { PROTOCOL_PROBES } from '../../src/probe/enumerate.js';
import { scenarioCertificate, type CertKind } from '../../src/server/tls-certs.js';
import { scenarioProprietaryKey } from '../../src/server/rdp-responder-key.js';
import { scenarioServer } from '../server/scenario-probe.js';
import { cli, cliWith, ndjson } from '../helpers/cli.js';
import { describeWithTools, freePort } from '../helpers/lab.js';
import { assertNoPassword, innerText, probeNotes, recordedProbe, replayReadsProbeNotes, shape, shapes, verdictShape, type Recorded } from '../helpers/recording.js';

const PASSWORD = SCENARIO_ACCOUNT.password;
/** the replay takes the probe's notes: then no scenario is an exception (see replayReadsProbeNotes) */
const NOTES_READ = replayReadsProbeNotes();
const CREDENTIALS: Partial<ProbeOptions> = { credentials: { user: SCENARIO_ACCOUNT.user, domain: '', password: PASSWORD }, delegate: true };

/** Standard RDP Security only (as rdp-scenarios.test.ts and hostile-scenarios.test.ts probe these) */
const needsRdp = (name: string): boolean => name.startsWith('mcs-weak') || name.startsWith('mcs-no-enc') || name.startsWith('secx-') || name === 'mcs-fips'
  || name === 'hostile-rst-after-security-exchange';
/** the probe with the scenario account and --delegate (as credssp-scenarios.test.ts) */
const needsAccount = (name: string): boolean => name.startsWith('credssp-') || name === 'hostile-endless-credssp';

function optionsFor(name: string): Partial<ProbeOptions> {
  return {
    ...(needsRdp(name) ? { requestedProtocols: 0 } : {}),
    ...(needsAccount(name) ? CREDENTIALS : {}),
    // slow-confirm drips its 19-byte Confirm over 950 ms: a stage timeout that lets it finish
    ...(name.startsWith('hostile-') || name === 'slow-confirm' ? { stageTimeoutMs: 2000 } : {}),
  };
}

/**
 * The live verdict comes from the probe's stage timer. A capture holds the silence and then the
 * probe's FIN (with a note "end timeout" on it); `analyze` reads a client that closed.
 */
const TIMED_OUT = ['silent', 'ssl-silent', 'mcs-silent-after-connect-initial', 'license-silent-after-client-info', 'hostile-slow-drip', 'hostile-huge-tpkt', 'hostile-zero-window'];
/** The live verdict rests on something only the probe knows; its note in the file says it. */
const PROBE_ONLY: Record<string, { note: Record<string, unknown> }> = {
  // the pubKeyAuth check needs the NTLM session key, which only the password gives
  'credssp-wrong-pubkeyauth': { note: { kind: 'credssp-check', result: 'mismatch' } },
  // after a legacy Confirm the probe stops on purpose; in a capture that is a client closing in mcs-connect
  'legacy-confirm': { note: { kind: 'end', how: 'probe-done' } },
};
/**
 * Standard RDP Security: what follows the Security Exchange is encrypted with keys from the probe's
 * client random, which the recording leaves out (a key outside the Decryption Secrets Block would
 * survive `editcap --discard-all-secrets`): the replay shows those PDUs as "RDP encrypted PDU"; the
 * verdict agrees.
 */
const RDP_ENCRYPTED = ['mcs-weak-40bit-low', 'mcs-weak-56bit', 'mcs-fips', 'secx-close-after-security-exchange', 'hostile-rst-after-security-exchange'];

async function recordScenario(name: string): Promise<Recorded> {
  const s = await scenarioServer(name);
  return recordedProbe({ host: s.host, port: s.port, requestedProtocols: DEFAULT_REQUESTED, connectTimeoutMs: 2000, stageTimeoutMs: 800, ...optionsFor(name) });
}

/** One connection, no issue (the DSB's keys decrypt it all), packets in the file as the replay numbers them. */
function single(r: Recorded) {
  expect(r.issues).toEqual([]);
  expect(r.connections).toHaveLength(1);
  return r.connections[0]!;
}

describe('scenario lists', () => {
  it('every listed exception is a scenario', () => {
    const names = new Set(SCENARIOS.map((s) => s.name));
    for (const n of [...TIMED_OUT, ...Object.keys(PROBE_ONLY), ...RDP_ENCRYPTED]) expect(names.has(n), n).toBe(true);
  });
});

describe.concurrent('every scenario: the recording replays to the live probe\'s PDUs, stages and verdict', () => {
  // keys and servers first: an RSA key generated while other probes wait would stall their timers
  beforeAll(async () => {
    for (const k of ['ok', 'expired', 'not-yet-valid', 'wrong-name', 'weak-key', 'sha1', 'no-server-auth'] as CertKind[]) scenarioCertificate(k);
    scenarioProprietaryKey();
    for (const s of SCENARIOS) await scenarioServer(s.name);
  });
  for (const s of SCENARIOS) {
    const gap = RDP_ENCRYPTED.includes(s.name) ? 'rdp-encrypted' : NOTES_READ ? undefined : TIMED_OUT.includes(s.name) ? 'timeout' : PROBE_ONLY[s.name] ? 'probe-only' : undefined;
    it(`${s.name}${gap ? ` (${gap})` : ''}`, async () => {
      const r = await recordScenario(s.name);
      const c = single(r);
      const live = r.live;
      const notes = probeNotes(r.file);
      const lastPacket = c.lastPacket;
      expect(c.flow.server.port).toBe((await scenarioServer(s.name)).port);

      const { live: a, replay: b } = shapes(live.events, c.events);
      if (gap === 'rdp-encrypted') {
        expect(b.stages).toEqual(a.stages);
        expect(b.inner).toEqual(a.inner);
        for (const dir of ['c2s', 's2c'] as const) {
          expect(b.wire[dir]).toHaveLength(a.wire[dir].length);
          b.wire[dir].forEach((n, i) => { if (n !== 'RDP encrypted PDU') expect(n).toBe(a.wire[dir][i]); });
        }
        expect(b.wire.c2s).toContain('RDP encrypted PDU');
      } else {
        expect(b).toEqual(a);
      }

      if (gap === 'timeout') {
        expect(live.verdict.endedBy?.how).toBe('timeout');
        expect(notes.at(-1)).toEqual({ packet: lastPacket, note: expect.objectContaining({ kind: 'end', how: 'timeout', detail: expect.stringMatching(/^no progress for \d+ ms/) }) });
        expect(c.verdict.endedBy).toMatchObject({ who: 'client', how: 'fin', packet: lastPacket });
        return;
      }
      if (gap === 'probe-only') {
        expect(notes.map((n) => n.note)).toContainEqual(expect.objectContaining(PROBE_ONLY[s.name]!.note));
        return;
      }
      expect(verdictShape(c.verdict), `live: ${live.verdict.summary}\nreplay: ${c.verdict.summary}`).toEqual(verdictShape(live.verdict));
      const by = live.verdict.endedBy;
      if (NOTES_READ) {
        expect({ who: c.verdict.endedBy?.who, how: c.verdict.endedBy?.how }).toEqual({ who: by?.who, how: by?.how });
      } else if (by?.who === 'probe') {
        // the probe's own close: its FIN, and the note of why on it
        expect(c.verdict.endedBy).toMatchObject({ who: 'client', how: 'fin', packet: lastPacket });
        expect(notes.at(-1)).toEqual({ packet: lastPacket, note: expect.objectContaining({ kind: 'end', how: 'probe-done' }) });
      } else if (by) {
        expect({ who: c.verdict.endedBy?.who, how: c.verdict.endedBy?.how }).toEqual({ who: by.who, how: by.how });
      }
    });
  }
});

describe('what the recording holds', () => {
  it('ok with the scenario account and --delegate: CredSSP and MCS decrypted from the file alone; no password, in clear or decrypted', async () => {
    const s = await scenarioServer('ok');
    const logon = await recordedProbe({ host: s.host, port: s.port, requestedProtocols: DEFAULT_REQUESTED, connectTimeoutMs: 2000, stageTimeoutMs: 800, ...CREDENTIALS });
    const c = single(logon);
    const { live: a, replay: b } = shapes(logon.live.events, c.events);
    expect(b).toEqual(a);
    expect(verdictShape(c.verdict)).toEqual(verdictShape(logon.live.verdict));
    expect(shape(c.events).inner.c2s).toEqual(expect.arrayContaining(['credssp: CredSSP TSRequest', 'mcs-connect: MCS Connect Initial', 'client-info: RDP Client Info']));
    expect(shape(c.events).inner.s2c).toContain('licensing: RDP Demand Active');
    expect(c.events.find((e) => e.type === 'tls-session')).toMatchObject({ source: 'key-log' });
    // the TSCredentials went out (sealed by CredSSP inside TLS): the password is in no byte of the file, nor in what the keys decrypt
    expect(innerText(c.events.filter((e) => e.type === 'pdu' && e.dir === 'c2s' && e.name === 'CredSSP TSRequest'))).toContain('"authInfo"');
    assertNoPassword(logon.file, PASSWORD);
    assertNoPassword(innerText(c.events), PASSWORD);
    // the key log lines are all in the file, and only there as the DSB
    expect(logon.recording.keyLogLineCount).toBeGreaterThanOrEqual(5);
    expect(Buffer.from(logon.file).includes(Buffer.from(logon.recording.keyLog()))).toBe(true);
  });

  it('the real addresses and ports of the socket; a fresh client port per connection', async () => {
    const a = await recordScenario('neg-failure-1');
    const b = await recordScenario('neg-failure-1');
    const [ca, cb] = [single(a), single(b)];
    expect(ca.flow.client.ip).toBe('127.0.0.1');
    expect(ca.flow.server).toEqual({ ip: '127.0.0.1', port: (await scenarioServer('neg-failure-1')).port });
    expect(ca.flow.client.port).not.toBe(cb.flow.client.port);
  });

  it('the notes carry no secret (why the probe ended, its pubKeyAuth check); without keys the TLS stays encrypted in the replay', async () => {
    const r = await recordScenario('credssp-wrong-pubkeyauth');
    expect(probeNotes(r.file).map((n) => n.note)).toEqual([
      { kind: 'credssp-check', result: 'mismatch', version: expect.any(Number), method: expect.any(String), detail: expect.any(String), at: expect.any(Number) },
      { kind: 'end', how: 'probe-done', detail: expect.any(String), at: expect.any(Number) },
    ]);
    const rdp = await recordScenario('mcs-weak-56bit');
    expect(probeNotes(rdp.file).map((n) => n.note.kind)).toEqual(['end']);
    const t = await recordScenario('credssp-error-logon-failure');
    const items = replayBytes(t.recording.pcapng({ keys: false }));
    const conn = items.find((i) => i.type === 'connection');
    expect(conn?.type === 'connection' && conn.events.some((e) => e.type === 'pdu' && e.lane === 'inner')).toBe(false);
  });

  it('a refused port: the SYN and the server\'s RST, the same verdict (row 2) once analyze is told the port is RDP', async () => {
    const port = await freePort();
    const r = await recordedProbe({ host: '127.0.0.1', port, connectTimeoutMs: 2000, stageTimeoutMs: 800 });
    // no payload says RDP on a port other than 3389: analyze --port P
    expect(r.connections).toEqual([]);
    const items = replayBytes(r.file, { rdpPorts: [port] });
    const c = items.find((i) => i.type === 'connection')!;
    if (c.type !== 'connection') throw new Error('no connection');
    expect(verdictShape(c.verdict)).toEqual(verdictShape(r.live.verdict));
    expect(c.verdict.row?.id).toBe(2);
    expect(c.lastPacket).toBe(2);
  });
});

describe('rdpscope probe --record', () => {
  const servers = new Map<string, ScenarioServer>();
  const port = (name: string) => servers.get(name)!.port;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-record-'));
    for (const s of ['ok', 'neg-failure-5', 'credssp-error-logon-failure']) servers.set(s, await startScenarioServer({ scenario: s }));
    servers.set('ok6', await startScenarioServer({ scenario: 'ok', host: '::1' }));
  });
  afterAll(async () => {
    await Promise.all([...servers.values()].map((s) => s.close()));
    rmSync(dir, { recursive: true, force: true });
  });
  const mode = (f: string) => statSync(f).mode & 0o777;

  it('writes FILE with mode 0600 whatever the umask, says so on stderr; analyze FILE gives the live verdict', async () => {
    const file = join(dir, 'ok.pcapng');
    const old = process.umask(0);
    let r;
    try {
      r = await cli('probe', `127.0.0.1:${port('ok')}`, '--record', file, '--json');
    } finally {
      process.umask(old);
    }
    expect(r.code).toBe(0);
    expect(mode(file)).toBe(0o600);
    expect(r.err).toMatch(new RegExp(`^recording written to ${file} \\(mode 0600\\): 1 TCP connection, \\d+ TLS key log lines: whoever holds the file can decrypt the session\\n$`));
    const live = JSON.parse(r.out);
    const a = await cli('analyze', file, '--json');
    expect(a.err).toBe('');
    const [replay] = ndjson(a.out);
    for (const k of ['status', 'row', 'failedStage', 'stagesReached', 'lastCompletedStage'] as const) expect(replay!.verdict[k]).toEqual(live.verdict[k]);
    expect(replay!.tls.certificate.source).toBe('key-log');
    expect(replay!.credssp).toMatchObject({ serverVersion: live.credssp.serverVersion, ntlm: { nbComputerName: 'SCENARIO' } });
    // the text report is the probe's as without --record
    expect((await cli('probe', `127.0.0.1:${port('ok')}`, '--record', file)).out).toMatch(/1 TCP connection used/);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('an existing file is replaced (mode 0600 even if it was 0644); a symlink is replaced, not followed', async () => {
    const file = join(dir, 'old.pcapng');
    writeFileSync(file, 'old contents', { mode: 0o644 });
    expect(mode(file)).toBe(0o644);
    expect((await cli('probe', `127.0.0.1:${port('neg-failure-5')}`, '--record', file)).code).toBe(1);
    expect(mode(file)).toBe(0o600);
    expect(readFileSync(file).subarray(0, 4)).toEqual(Buffer.from([0x0a, 0x0d, 0x0d, 0x0a]));
    const target = join(dir, 'target.txt');
    writeFileSync(target, 'untouched', { mode: 0o644 });
    const link = join(dir, 'link.pcapng');
    symlinkSync(target, link);
    expect((await cli('probe', `127.0.0.1:${port('neg-failure-5')}`, '--record', link)).code).toBe(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(false);
    expect(mode(link)).toBe(0o600);
    expect(readFileSync(target, 'utf8')).toBe('untouched');
  });

  it('refused before probing: an unwritable path, standard output, a directory', async () => {
    for (const [path, why] of [[join(dir, 'no', 'such', 'dir.pcapng'), 'ENOENT'], ['-', 'standard output'], [dir, 'is a directory']] as const) {
      const r = await cli('probe', `127.0.0.1:${port('ok')}`, '--record', path);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`rdpscope probe: --record ${path}: `);
      expect(r.err).toContain(why);
    }
  });

  it('--user without --record-credentials is refused before any prompt or connection; no file', async () => {
    const file = join(dir, 'user.pcapng');
    const r = await cliWith({ env: { RDPSCOPE_PASSWORD: PASSWORD } }, 'probe', `127.0.0.1:${port('credssp-error-logon-failure')}`, '--user', SCENARIO_ACCOUNT.user, '--delegate', '--record', file);
    expect(r.code).toBe(2);
    expect(r.prompts).toEqual([]);
    expect(r.err).toMatch(/^rdpscope probe: --record with --user: the TLS keys in the file would let whoever holds it read the NTLM AUTHENTICATE .*give --record-credentials/);
    expect(() => statSync(file)).toThrow();
    expect(readdirSync(dir).filter((f) => f.startsWith('.user'))).toEqual([]);
  });

  it('--user --delegate --record-credentials: recorded; the password in no byte of the file nor in its decrypted CredSSP', async () => {
    const file = join(dir, 'logon.pcapng');
    const r = await cliWith({ env: { RDPSCOPE_PASSWORD: PASSWORD } }, 'probe', `127.0.0.1:${port('ok')}`, '--user', SCENARIO_ACCOUNT.user, '--delegate', '--record', file, '--record-credentials', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).credssp.logon).toMatchObject({ credentialsDelegated: true, pubKeyAuth: 'match' });
    const bytes = readFileSync(file);
    assertNoPassword(bytes, PASSWORD);
    assertNoPassword(r.out + r.err, PASSWORD);
    const a = await cli('analyze', file, '--json');
    const [j] = ndjson(a.out);
    expect(j!.verdict.status).toBe('ok');
    expect(j!.timeline.map((e: { what: string }) => e.what)).toContain('CredSSP TSRequest');
    assertNoPassword(a.out, PASSWORD);
    const items = replayBytes(new Uint8Array(bytes));
    const conn = items.find((i) => i.type === 'connection');
    assertNoPassword(conn?.type === 'connection' ? innerText(conn.events) : '', PASSWORD);
  });

  it('--enumerate-protocols: every connection recorded, each its own flow with its own client port', async () => {
    const file = join(dir, 'enum.pcapng');
    const r = await cli('probe', `127.0.0.1:${port('ok')}`, '--enumerate-protocols', '--record', file, '--json');
    expect(r.code).toBe(0);
    const live = JSON.parse(r.out);
    expect(r.err).toMatch(new RegExp(`recording written to .*: ${live.connections} TCP connections, `));
    const conns = replayBytes(new Uint8Array(readFileSync(file))).filter((i) => i.type === 'connection');
    expect(conns).toHaveLength(live.connections);
    const ports = conns.map((c) => (c.type === 'connection' ? c.flow.client.port : 0));
    expect(new Set(ports).size).toBe(conns.length);
    // one connection per protocol set the enumeration asks for
    const requested = conns.map((c) => {
      const cr = c.type === 'connection' ? c.events.find((e) => e.type === 'pdu' && e.name === 'Client X.224 Connection Request') : undefined;
      return cr?.type === 'pdu' ? (cr.value as { negotiation?: { requestedProtocols: number } }).negotiation?.requestedProtocols : undefined;
    });
    expect(requested.sort()).toEqual(PROTOCOL_PROBES.map((p) => p.requested).sort());
  });

  it('IPv6: [::1] recorded with the socket\'s IPv6 addresses', async () => {
    const file = join(dir, 'v6.pcapng');
    const r = await cli('probe', `[::1]:${port('ok6')}`, '--record', file, '--json');
    expect(r.code).toBe(0);
    const [j] = ndjson((await cli('analyze', file, '--json')).out);
    expect(j!.client.ip).toBe('::1');
    expect(j!.server).toEqual({ ip: '::1', port: port('ok6') });
    expect(j!.verdict.status).toBe(JSON.parse(r.out).verdict.status);
  });

  it('a name that does not resolve: nothing to record, no file', async () => {
    const file = join(dir, 'nx.pcapng');
    const r = await cli('probe', 'no-such-host.invalid', '--record', file);
    expect(r.code).toBe(1);
    expect(r.err).toBe(`rdpscope probe: --record ${file}: not written, no TCP connection was opened\n`);
    expect(() => statSync(file)).toThrow();
  });

  it('fixture record --pcapng: the fixture\'s probes in one file, mode 0600', async () => {
    const file = join(dir, 'fixture.pcapng');
    const out = join(dir, 'fixture.json');
    const r = await cli('fixture', 'record', `127.0.0.1:${port('ok')}`, '-o', out, '--no-tls-enumeration', '--pcapng', file);
    expect(r.code).toBe(0);
    expect(mode(file)).toBe(0o600);
    const conns = replayBytes(new Uint8Array(readFileSync(file))).filter((i) => i.type === 'connection');
    expect(r.out).toMatch(new RegExp(`${conns.length} TCP connections used`));
    expect(conns.length).toBeGreaterThanOrEqual(5);
    const v = await cli('fixture', 'verify', out, '--pcapng', file);
    expect([v.code, v.err]).toEqual([2, 'rdpscope fixture verify: -o and --pcapng are record options\n']);
    const u = await cliWith({ env: { RDPSCOPE_PASSWORD: PASSWORD } }, 'fixture', 'record', `127.0.0.1:${port('ok')}`, '--user', SCENARIO_ACCOUNT.user, '--pcapng', join(dir, 'f2.pcapng'));
    expect(u.code).toBe(2);
    expect(u.err).toMatch(/^rdpscope fixture record: --pcapng with --user: /);
  });
});

describeWithTools(['tshark', 'editcap'], 'tshark opens the recording decrypted, with the keys of its DSB alone', () => {
  let server: ScenarioServer;
  let dir: string;
  beforeAll(async () => {
    server = await startScenarioServer({ scenario: 'ok' });
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-record-tshark-'));
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function frames(file: string, filter: string): number[] {
    const out = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${server.port},tls`, '-d', `tls.port==${server.port},tpkt`, '-Y', filter, '-T', 'fields', '-e', 'frame.number'],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean).map(Number);
  }

  it('CredSSP and T.125 in the frames where rdpscope decodes them; nothing once the secrets are stripped', async () => {
    const file = join(dir, 'ok.pcapng');
    const r = await cliWith({ env: { RDPSCOPE_PASSWORD: PASSWORD } }, 'probe', `127.0.0.1:${server.port}`, '--user', SCENARIO_ACCOUNT.user, '--delegate', '--record', file, '--record-credentials');
    expect(r.code).toBe(0);
    const credssp = frames(file, 'credssp');
    const t125 = frames(file, 't125');
    expect(credssp.length).toBeGreaterThanOrEqual(4);
    expect(t125.length).toBeGreaterThanOrEqual(5);
    const conn = replayBytes(new Uint8Array(readFileSync(file))).find((i) => i.type === 'connection')!;
    const ours = conn.type === 'connection' ? conn.events.filter((e) => e.type === 'pdu' && e.lane === 'inner' && e.name !== 'Early User Authorization Result') : [];
    expect([...new Set(ours.map((e) => e.packet))].sort((a, b) => a! - b!)).toEqual([...credssp, ...t125].sort((a, b) => a - b).filter((x, i, all) => all.indexOf(x) === i));
    const stripped = join(dir, 'stripped.pcapng');
    execFileSync('editcap', ['--discard-all-secrets', file, stripped], { stdio: 'ignore' });
    expect(frames(stripped, 'credssp || t125')).toEqual([]);
    // no key is left once the DSB is gone: the comments hold none
    const secrets = readFileSync(file, 'latin1').match(/[0-9a-f]{64,}/g) ?? [];
    expect(secrets.length).toBeGreaterThanOrEqual(5);
    for (const k of secrets) expect(readFileSync(stripped, 'latin1')).not.toContain(k);
    // the password is in neither file, and not in what tshark decrypts
    assertNoPassword(readFileSync(file), PASSWORD);
    const text = execFileSync('tshark', ['-r', file, '-d', `tcp.port==${server.port},tls`, '-d', `tls.port==${server.port},tpkt`, '-V', '-x'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 << 20 });
    assertNoPassword(text, PASSWORD);
  });
});
