// `rdpscope scan` end to end, in-process, against scenario servers on 127.0.0.x (and ::1) sharing
// one port, so a CIDR covers listeners and refused addresses alike.
import net from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import { ndjson } from '../helpers/cli.js';
import { gc } from '../helpers/gc.js';

let port: number;
let refused: number;
let servers: ScenarioServer[] = [];
let v6: ScenarioServer;
/** counts connections: a scan refused for usage must make none */
let counter: net.Server;
let counted = 0;
let dir: string;

/** 127.0.0.0/29 on `port`: .2 ok, .3 neg-failure-5, .4 tls-expired, .5 close-after-request; .0 .1 .6 .7 refuse. */
const SCENARIOS: Record<string, string> = {
  '127.0.0.2': 'ok', '127.0.0.3': 'neg-failure-5', '127.0.0.4': 'tls-expired', '127.0.0.5': 'close-after-request',
};
const ROW: Record<string, number> = {
  '127.0.0.0': 2, '127.0.0.1': 2, '127.0.0.3': 7, '127.0.0.4': 16, '127.0.0.5': 4, '127.0.0.6': 2, '127.0.0.7': 2,
};

async function freePort(host: string): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const p = (s.address() as net.AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return p;
}

beforeAll(async () => {
  const first = await startScenarioServer({ scenario: 'ok', host: '127.0.0.2' });
  port = first.port;
  servers = [first];
  for (const [host, scenario] of Object.entries(SCENARIOS).slice(1)) servers.push(await startScenarioServer({ scenario, host, port }));
  v6 = await startScenarioServer({ scenario: 'neg-failure-5', host: '::1' });
  counter = net.createServer((s) => { counted++; s.destroy(); });
  await new Promise<void>((r) => counter.listen(0, '127.0.0.9', r));
  refused = await freePort('127.0.0.2');
  dir = mkdtempSync(join(tmpdir(), 'rdpscope-scan-'));
});

afterAll(async () => {
  await Promise.all([...servers, v6].map((s) => s?.close()));
  await new Promise<void>((r) => counter.close(() => r()));
  rmSync(dir, { recursive: true, force: true });
});

interface Run { code: number; out: string; err: string; lines: { at: number; text: string }[]; ms: number }

async function scan(o: { interactive?: boolean; stdin?: string[]; env?: Record<string, string> }, ...argv: string[]): Promise<Run> {
  const run: Run = { code: -1, out: '', err: '', lines: [], ms: 0 };
  const t0 = performance.now();
  const io: CliIO = {
    out: (t) => { run.out += t; run.lines.push({ at: performance.now() - t0, text: t }); },
    err: (t) => { run.err += t; },
    color: false, interactive: o.interactive ?? false, env: o.env ?? {},
    promptSecret: async () => undefined,
    ...(o.stdin ? { stdinLines: async function* () { yield* o.stdin!; } } : {}),
  };
  run.code = await main(['scan', ...argv], io);
  run.ms = performance.now() - t0;
  return run;
}

const FAST = ['--timeout', '1500', '--connect-timeout', '1500'];
const byTarget = (objs: Record<string, any>[]): Map<string, Record<string, any>> =>
  new Map(objs.filter((o) => o.schema === 'rdpscope/scan-result/1').map((o) => [`${o.target}:${o.port}`, o]));

describe('rdpscope scan, text', () => {
  it('a CIDR with some listeners and a refused port: one line per target, the right row each, then the summary', async () => {
    const r = await scan({}, '127.0.0.0/29', `127.0.0.2:${refused}`, '--port', String(port), ...FAST);
    expect(r.code).toBe(1);
    expect(r.err).toBe(''); // stderr is no terminal: no progress bar
    const [results, summary] = r.out.split('\n\n') as [string, string];
    const lines = results.split('\n');
    expect(lines).toHaveLength(9);
    for (const [host, row] of Object.entries(ROW)) {
      const line = lines.find((l) => l.includes(` ${host}:${port} `));
      expect(line, host).toMatch(new RegExp(`^failed\\s+${host.replace(/\./g, '\\.')}:${port}\\s+\\S+\\s+row ${row}\\s+\\S`));
    }
    expect(lines.find((l) => l.includes(` 127.0.0.2:${port} `))).toMatch(/^ok\s+127\.0\.0\.2:\d+\s+tls\s+row 17\s+NLA: the server answered/);
    expect(lines.find((l) => l.includes(` 127.0.0.2:${refused} `))).toMatch(/^failed\s+\S+\s+tcp\s+row 2\s+nothing listens on this port/);
    expect(lines.find((l) => l.includes('127.0.0.3:'))).toMatch(/\sx224\s+row 7\s+the server requires CredSSP/);
    expect(summary).toMatch(/^9 targets in \d+\.\d s: 1 ok, 8 failed, 0 undetermined\n/);
    expect(summary).toMatch(/\n {2}row {2}2 +5 {2}Connection refused\n/);
    expect(summary).toMatch(/\n {2}row {2}7 +1 {2}Server requires NLA\n/);
    expect(summary).toContain('1 required (HYBRID_REQUIRED_BY_SERVER), 2 selected (HYBRID/HYBRID_EX), 0 absent (RDP/SSL), 6 unknown');
    expect(summary).toContain('certificates  1 expired, 0 expiring within 30 days');
  });

  it('exit 0 when every target is ok', async () => {
    expect((await scan({}, `127.0.0.2:${port}`, ...FAST)).code).toBe(0);
  });

  it('--concurrency 1: one target at a time, so the lines come in list order', async () => {
    const r = await scan({}, '127.0.0.0/29', '--port', String(refused), '--concurrency', '1');
    const order = r.out.split('\n\n')[0]!.split('\n').map((l) => l.split(/\s+/)[1]);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => `127.0.0.${i}:${refused}`));
  });

  it('a progress bar on stderr only when stderr is a terminal, cleared at the end; stdout unchanged', async () => {
    const quiet = await scan({}, '127.0.0.0/29', '--port', String(refused), ...FAST);
    const shown = await scan({ interactive: true }, '127.0.0.0/29', '--port', String(refused), ...FAST);
    expect(quiet.err).toBe('');
    expect(shown.err).toMatch(/\r\x1b\[K\[[#.]{20}\] \d\/8 \d+%, \d+ in flight, \d+\/s/);
    expect(shown.err.endsWith('\r\x1b[K')).toBe(true);
    const strip = (s: string): string => s.replace(/ in \d+\.\d s/, '');
    expect(strip(shown.out).split('\n').sort()).toEqual(strip(quiet.out).split('\n').sort());
  });
});

describe('rdpscope scan --json', () => {
  it('one rdpscope/scan-result/1 per target with the verdict fields of a probe, then rdpscope/scan-summary/1', async () => {
    const r = await scan({}, '127.0.0.0/29', `127.0.0.2:${refused}`, `[::1]:${v6.port}`, '--port', String(port), '--json', '--expiry-warning', '400', ...FAST);
    expect(r.code).toBe(1);
    const objs = ndjson(r.out);
    expect(objs).toHaveLength(11);
    expect(objs.slice(0, -1).every((o) => o.schema === 'rdpscope/scan-result/1')).toBe(true);
    const results = byTarget(objs);
    for (const [host, row] of Object.entries(ROW)) {
      const o = results.get(`${host}:${port}`)!;
      expect(o, host).toMatchObject({ address: host, port, verdict: { status: 'failed', row: { id: row } } });
    }
    expect(results.get(`127.0.0.2:${refused}`)).toMatchObject({
      nla: 'unknown', negotiation: {},
      verdict: { status: 'failed', failedStage: 'tcp', row: { id: 2, title: 'Connection refused' }, endedBy: { who: 'server', how: 'refused' }, clientShows: { code: '0x204' } },
    });
    expect(results.get(`127.0.0.3:${port}`)).toMatchObject({
      nla: 'required', negotiation: { failureCode: { code: 5, name: 'HYBRID_REQUIRED_BY_SERVER' } },
      verdict: { failedStage: 'x224', lastCompletedStage: 'tcp', clientShows: { code: '0xB09' } },
    });
    expect(results.get(`::1:${v6.port}`)).toMatchObject({ address: '::1', nla: 'required', verdict: { row: { id: 7 } } });
    const ok = results.get(`127.0.0.2:${port}`)!;
    expect(ok).toMatchObject({
      nla: 'selected', negotiation: { selectedProtocol: { name: 'HYBRID_EX' } },
      tls: { handshake: 'completed', certificate: { subject: 'localhost', trust: 'self-signed' } },
      verdict: { status: 'ok' },
    });
    expect(ok.tls.certificate.findings).toContain('expiring-soon'); // a one-year certificate, --expiry-warning 400
    expect(results.get(`127.0.0.4:${port}`)!.tls.certificate.findings).toContain('expired');
    expect(Date.parse(ok.startedAt)).toBeGreaterThan(0);
    expect(ok.durationMs).toBeGreaterThan(0);
    expect(ok.verdict.evidence).toBeUndefined(); // picked fields only; `rdpscope probe` gives the rest

    expect(objs.at(-1)).toEqual({
      schema: 'rdpscope/scan-summary/1', targets: 10, durationMs: expect.any(Number),
      status: { ok: 1, failed: 9, undetermined: 0 },
      rows: [
        { id: 2, title: 'Connection refused', targets: 5 },
        { id: 4, title: expect.any(String), targets: 1 },
        { id: 7, title: 'Server requires NLA', targets: 2 },
        { id: 16, title: expect.any(String), targets: 1 },
        { id: 17, title: 'Certificate not trusted or weak', targets: 2 }, // ok's row, and a finding of tls-expired
      ],
      nla: { required: 2, selected: 2, absent: 0, unknown: 6 }, // ok and tls-expired select HYBRID_EX
      certificates: { expired: 1, expiringSoon: 1, expiryWarningDays: 400 },
    });
  });

  it('streams: each line is written when its target finishes, not at the end', async () => {
    const silent = await startScenarioServer({ scenario: 'silent', host: '127.0.0.6', port });
    try {
      const r = await scan({}, `127.0.0.6:${port}`, `127.0.0.2:${refused}`, `127.0.0.3:${port}`, '--json', '--timeout', '1500');
      const silentLine = r.lines.findIndex((l) => l.text.includes('"127.0.0.6"'));
      expect(silentLine).toBe(2); // the silent server times out last
      expect(r.lines[0]!.at).toBeLessThan(r.lines[silentLine]!.at - 1000);
      expect(ndjson(r.out)[2]).toMatchObject({ verdict: { row: { id: 6 } } });
    } finally {
      await silent.close();
    }
  });
});

describe('target lists, shards, rate', () => {
  const expected = (): string[] => [...Object.keys(ROW), '127.0.0.2'].map((h) => `${h}:${port}`).sort();

  it('-iL FILE (comments, blank lines, several a line) and - on standard input give the same targets', async () => {
    const file = join(dir, 'targets.txt');
    writeFileSync(file, `# lab\n127.0.0.0/30   127.0.0.4-5 # three forms\n\n127.0.0.6-127.0.0.7\n`);
    const fromFile = await scan({}, '-iL', file, '--port', String(port), '--json', ...FAST);
    const fromStdin = await scan({ stdin: ['127.0.0.0/30 # lab', '', '127.0.0.4-5', '127.0.0.6-127.0.0.7'] }, '-', '--port', String(port), '--json', ...FAST);
    const fromBoth = await scan({ stdin: ['127.0.0.6-7'] }, '127.0.0.0/30', '--iL', '-', '127.0.0.4-5', '--port', String(port), '--json', ...FAST);
    for (const r of [fromFile, fromStdin, fromBoth]) expect([...byTarget(ndjson(r.out)).keys()].sort()).toEqual(expected());
  });

  it('--shard K/N: the shards are disjoint and together cover every target', async () => {
    const shards = [];
    for (let k = 1; k <= 3; k++) shards.push(await scan({}, '127.0.0.0/29', '--port', String(port), '--shard', `${k}/3`, '--json', ...FAST));
    const keys = shards.map((r) => [...byTarget(ndjson(r.out)).keys()]);
    expect(keys.map((k) => k.length)).toEqual([3, 3, 2]);
    expect(keys.flat().sort()).toEqual(expected());
    expect(ndjson(shards[0]!.out).at(-1)!.targets).toBe(3);
    // the i-th target is in shard (i mod 3) + 1
    expect(keys[0]!.sort()).toEqual(['127.0.0.0', '127.0.0.3', '127.0.0.6'].map((h) => `${h}:${port}`));
  });

  it('--rate 20: ten refused targets take at least 450 ms however high the concurrency', async () => {
    const r = await scan({}, '127.0.0.0/29', '127.0.0.8-9', '--port', String(refused), '--rate', '20', '--concurrency', '100');
    expect(r.out.split('\n\n')[0]!.split('\n')).toHaveLength(10);
    expect(r.ms).toBeGreaterThanOrEqual(450);
  });
});

describe('credentials', () => {
  it('--user: the password from the environment, the NLA logon checked on every target, the password never shown', async () => {
    const r = await scan({ env: { RDPSCOPE_PASSWORD: SCENARIO_ACCOUNT.password } }, `127.0.0.2:${port}`, '--user', SCENARIO_ACCOUNT.user, '--json', ...FAST);
    expect(r.code).toBe(0);
    expect(ndjson(r.out)[0]).toMatchObject({ verdict: { status: 'ok' } });
    expect(ndjson(r.out)[0]!.verdict.summary).toMatch(/NLA logon accepted/);
    expect(r.out + r.err).not.toContain(SCENARIO_ACCOUNT.password);
  });

  it('--user without a password: exit 2 before any connection', async () => {
    const before = counted;
    const r = await scan({}, `127.0.0.9:${(counter.address() as net.AddressInfo).port}`, '--user', 'someone');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--user needs a password: set RDPSCOPE_PASSWORD/);
    expect(counted).toBe(before);
  });
});

describe('usage errors: exit 2, nothing contacted', () => {
  const cases: [string[], RegExp][] = [
    [['10.0.0.300'], /bad target "10\.0\.0\.300": not an IPv4 address/],
    [['2001:db8::/64'], /bad target "2001:db8::\/64": an IPv6 CIDR may cover at most 65536 addresses/],
    [['--port', '0'], /--port 0: give 1 to 65535/],
    [['--concurrency', '0'], /--concurrency 0: give 1 to 1024/],
    [['--concurrency', '5000'], /--concurrency 5000/],
    [['--rate', '0'], /--rate 0/],
    [['--shard', '3/2'], /bad shard "3\/2"/],
    [['--tls-max', '2.0'], /--tls-max 2\.0/],
    [['-iL', '/nonexistent/targets.txt'], /ENOENT/],
    [['-', '--iL', '-'], /standard input \(-\) can be read once/],
    [['--user', 'x', '--no-credssp'], /--user needs the CredSSP exchange/],
  ];
  it.each(cases)('%j', async (args, why) => {
    const before = counted;
    const good = `127.0.0.9:${(counter.address() as net.AddressInfo).port}`;
    const r = await scan({ stdin: [] }, good, ...args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(why);
    expect(r.out).toBe('');
    expect(counted).toBe(before);
  });

  it('no targets at all', async () => {
    const r = await scan({});
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/name targets, -iL FILE, or -/);
  });

  it('a bad line on standard input stops the scan there: the targets before it are reported, then exit 2', async () => {
    const r = await scan({ stdin: [`127.0.0.3:${port}`, 'bad!target', `127.0.0.5:${port}`] }, '-', '--json', ...FAST);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/bad target "bad!target"/);
    const objs = ndjson(r.out);
    expect(objs.map((o) => o.schema)).toEqual(['rdpscope/scan-result/1', 'rdpscope/scan-summary/1']);
    expect(objs[0]).toMatchObject({ target: '127.0.0.3', verdict: { row: { id: 7 } } });
  });
});

// Bounded in time: about 5 s here (2 cores); the 30 s limit leaves room for a loaded machine.
describe('10,000 targets', () => {
  it('scans 127.1.0.0-127.1.39.15 against a closed port with flat memory', async () => {
    const heap = (): number => process.memoryUsage().heapUsed;
    gc();
    const base = heap();
    let peak = 0;
    const live: number[] = []; // after a full GC, at 1,000 and at 9,000 targets
    let count = 0;
    const io: CliIO = {
      out: () => {
        count++;
        peak = Math.max(peak, heap() - base);
        if (count === 1000 || count === 9000) {
          gc();
          live.push(heap() - base);
        }
      },
      err: () => {}, color: false, interactive: false, env: {}, promptSecret: async () => undefined,
    };
    const t0 = performance.now();
    const code = await main(['scan', '127.1.0.0-127.1.39.15', '--port', String(refused), '--concurrency', '256', '--json'], io);
    const ms = performance.now() - t0;
    gc();
    const retained = heap() - base;
    const MiB = 2 ** 20;
    console.log(`10,000 targets: ${(ms / 1000).toFixed(1)} s; heap growth: peak ${(peak / MiB).toFixed(1)} MiB (garbage included), `
      + `live ${live.map((b) => (b / MiB).toFixed(1)).join(' then ')} MiB at 1,000 and 9,000 targets, ${(retained / MiB).toFixed(1)} MiB after`);
    expect(code).toBe(1);
    expect(count).toBe(10_001);
    expect(ms).toBeLessThan(30_000);
    expect(Math.max(...live)).toBeLessThan(50 * MiB);
    expect(live[1]! - live[0]!).toBeLessThan(5 * MiB); // flat: 8,000 more targets, no more memory
    expect(retained).toBeLessThan(5 * MiB);
  }, 60_000);
});
