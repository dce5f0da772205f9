// `rdpscope limits` and `--limit NAME=VALUE` end to end, in-process: the table's text and JSON, usage
// errors (exit 2, nothing contacted), and lowered limits taking effect on a capture and on live
// probes and scans of the scenario server's hostile servers.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { BOUNDS } from '../../src/limits.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { SCENARIO_ACCOUNT } from '../../src/server/credssp-responder.js';
import { cli, cliWith, ndjson } from '../helpers/cli.js';

const BIN = join(__dirname, '../../bin/rdpscope.js');

describe('rdpscope limits', () => {
  it('lists every bound: the --limit ones with default and range, those with their own option, the fixed ones with their basis', async () => {
    const r = await cli('limits');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^SET WITH --limit NAME=VALUE/);
    expect(r.out).toContain('\nSET WITH THEIR OWN OPTION\n');
    expect(r.out).toContain('\nFIXED (protocol facts, with their spec section, and format guards)\n');
    for (const b of BOUNDS) expect(r.out).toMatch(new RegExp(`^  ${b.name} `, 'm'));
    expect(r.out).toMatch(/^ {2}credssp-rounds +8 +2-64 +TSRequests +probe scan fixture analyze$/m);
    expect(r.out).toMatch(/^ {2}pending-bytes +1MiB +64KiB-16MiB +bytes +probe scan fixture analyze$/m);
    expect(r.out).toMatch(/^ {2}flows +100000 +1-10000000 +connections +analyze$/m);
    expect(r.out).toMatch(/^ {2}stage-timeout-ms +--timeout +5000 +1-3600000 +ms +probe scan fixture$/m);
    expect(r.out).toMatch(/^ {2}tls-record-bytes +18432 +bytes +probe scan fixture analyze$/m);
    expect(r.out).toContain('RFC 5246 §6.2.3: TLSCiphertext.length is at most 2^14 + 2048');
    for (const line of r.out.split('\n')) expect(line.length, line).toBeLessThanOrEqual(120);
  });

  it('--json is the table itself; names narrow it; an unknown name is a usage error naming them all', async () => {
    const all = await cli('limits', '--json');
    expect(all.code).toBe(0);
    expect(JSON.parse(all.out)).toEqual(JSON.parse(JSON.stringify(BOUNDS)));
    const some = await cli('limits', 'credssp-rounds', 'channels', '--json');
    expect(JSON.parse(some.out).map((b: { name: string; kind: string }) => [b.name, b.kind])).toEqual([['credssp-rounds', 'limit'], ['channels', 'fixed']]);
    const one = await cli('limits', 'flows');
    expect(one.out.split('\n')[0]).toMatch(/^SET WITH --limit/);
    expect(one.out).not.toContain('THEIR OWN OPTION');
    const bad = await cli('limits', 'flow');
    expect(bad.code).toBe(2);
    expect(bad.out).toBe('');
    expect(bad.err).toMatch(/^rdpscope limits: unknown bound "flow"; the bounds are pending-bytes, /);
  });
});

describe('--limit usage errors: exit 2 before anything is contacted or read', () => {
  const commands: [string, string[]][] = [
    ['probe', ['probe', '127.0.0.1:9']],
    ['scan', ['scan', '127.0.0.1:9']],
    ['fixture', ['fixture', 'record', '127.0.0.1:9']],
    ['analyze', ['analyze', 'no-such-file.pcap']],
  ];
  for (const [name, argv] of commands) {
    it(`${name}: unknown name, out of range, malformed, fixed, an option's`, async () => {
      const cases: [string, RegExp][] = [
        ['credssp-round=3', /unknown limit "credssp-round"; the limits are pending-bytes, events, /],
        ['credssp-rounds=100', /--limit credssp-rounds=100: out of range: give 2 to 64 TSRequests \(default 8\)/],
        ['credssp-rounds', /--limit credssp-rounds: give NAME=VALUE/],
        ['tpkt-bytes=1000', /tpkt-bytes is fixed at 65535 bytes \(RFC 1006 §6/],
        ['stage-timeout-ms=10', /stage-timeout-ms is set with --timeout/],
      ];
      for (const [value, message] of cases) {
        const r = await cli(...argv, '--limit', value);
        expect(r.code, value).toBe(2);
        expect(r.out, value).toBe('');
        expect(r.err, value).toMatch(message);
        expect(r.err, value).toContain('(run \'rdpscope --help\' for usage)');
      }
    });
  }

  it('a capture limit on a live command and a live one on analyze say where they apply', async () => {
    const live = await cli('probe', '127.0.0.1:9', '--limit', 'flows=10');
    expect([live.code, live.err.split('\n')[0]]).toEqual([2, 'rdpscope: --limit flows=10: flows applies to analyze only']);
    const capture = await cli('analyze', 'x.pcap', '--limit', 'tls-close-grace-ms=0');
    expect([capture.code, capture.err.split('\n')[0]]).toEqual([2, 'rdpscope: --limit tls-close-grace-ms=0: tls-close-grace-ms applies to probe, scan and fixture']);
  });

  it('--timeout and --connect-timeout outside their range are usage errors too', async () => {
    const r = await cli('probe', '127.0.0.1:9', '--timeout', '0');
    expect([r.code, r.err]).toEqual([2, 'rdpscope probe: --timeout 0: give 1 to 3600000 ms\n']);
    const s = await cli('scan', '127.0.0.1:9', '--connect-timeout', '99999999');
    expect([s.code, s.err]).toEqual([2, 'rdpscope scan: --connect-timeout 99999999: give 1 to 3600000 ms\n']);
  });

  it('every command with --limit documents it in --help', async () => {
    // yargs prints its help with console.log
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      for (const c of ['probe', 'scan', 'fixture', 'analyze']) {
        log.mockClear();
        expect((await cli(c, '--help')).code, c).toBe(0);
        expect(log.mock.calls.flat().join('\n'), c).toMatch(/--limit +set a bound, e\.g\. --limit credssp-rounds=4/);
      }
    } finally {
      log.mockRestore();
    }
  });
});

describe('a lowered limit takes effect', () => {
  it('analyze --limit flows=1: the connections ended early are reported (a capture issue, and their end)', async () => {
    const r = await cli('analyze', '--json', 'fixtures/pcaps/RDP-003.pcap', '--limit', 'flows=1');
    const objs = ndjson(r.out);
    const issue = objs.find((o) => o.schema === 'rdpscope/capture-issue/1' && /ended early/.test(o.reason));
    expect(issue?.reason).toMatch(/^\d+ RDP connections? ended early, verdicts? cut short: more than 1 TCP connection open at once \(limit flows; raise it with --limit flows=N\)$/);
    const ended = objs.filter((o) => o.schema === 'rdpscope/connection/1' && o.timeline.some((t: { detail?: string }) => t.detail?.includes('evicted: more than 1 connections open at once')));
    expect(ended.length).toBe(Number(/^(\d+)/.exec(issue.reason)![1]));
    const text = await cli('analyze', 'fixtures/pcaps/RDP-003.pcap', '--limit', 'flows=1');
    expect(text.err).toMatch(/^fixtures\/pcaps\/RDP-003\.pcap: \d+ RDP connections? ended early/m);
  });

  describe('live, against the scenario server', () => {
    const servers: Record<string, ScenarioServer> = {};
    const NAMES = ['hostile-endless-credssp', 'hostile-endless-tls', 'ok'];
    beforeAll(async () => {
      for (const n of NAMES) servers[n] = await startScenarioServer({ scenario: n, port: 0 });
    });
    afterAll(async () => {
      await Promise.all(Object.values(servers).map((s) => s.close()));
    });
    const target = (n: string): string => `127.0.0.1:${servers[n]!.port}`;
    const ACCOUNT = { env: { RDPSCOPE_PASSWORD: SCENARIO_ACCOUNT.password } };
    const serverTsRequests = (o: { timeline: { what: string; dir?: string }[] }): number => o.timeline.filter((t) => t.what === 'CredSSP TSRequest' && t.dir === 's2c').length;

    it('probe --limit credssp-rounds=3: an endless CredSSP exchange ends after 3 rounds (default: 8)', async () => {
      const r = await cliWith(ACCOUNT, 'probe', target('hostile-endless-credssp'), '--user', SCENARIO_ACCOUNT.user, '--delegate', '--timeout', '2000', '--json', '--limit', 'credssp-rounds=3');
      expect(r.code).toBe(1);
      const [o] = ndjson(r.out);
      expect(o!.verdict).toMatchObject({ status: 'failed', failedStage: 'credssp', summary: 'CredSSP does not end: the server sent more than 3 TSRequests' });
      expect(o!.verdict.evidence[0].text).toBe('server TSRequest 4 (beyond the 3-round limit, credssp-rounds)');
      expect(o!.verdict.cause).toMatch(/^the bound was lowered with --limit credssp-rounds=3 \(default 8\)/);
      expect(serverTsRequests(o!)).toBe(4);
      const plain = ndjson((await cliWith(ACCOUNT, 'probe', target('hostile-endless-credssp'), '--user', SCENARIO_ACCOUNT.user, '--delegate', '--timeout', '2000', '--json')).out)[0]!;
      expect(plain.verdict.summary).toBe('CredSSP does not end: the server sent more than 8 TSRequests');
      expect(serverTsRequests(plain)).toBe(9);
    });

    it('scan passes --limit to every probe', async () => {
      const r = await cliWith(ACCOUNT, 'scan', target('hostile-endless-credssp'), '--user', SCENARIO_ACCOUNT.user, '--delegate', '--timeout', '2000', '--json', '--limit', 'credssp-rounds=3');
      const [result] = ndjson(r.out);
      expect(result!.verdict.summary).toBe('CredSSP does not end: the server sent more than 3 TSRequests');
    });

    it('probe --limit handshake-records=100: a never-ending TLS handshake is stopped after 100 records', async () => {
      const r = await cli('probe', target('hostile-endless-tls'), '--timeout', '2000', '--json', '--limit', 'handshake-records=100');
      const [o] = ndjson(r.out);
      expect(o!.verdict).toMatchObject({ status: 'failed', failedStage: 'tls' });
      expect(o!.verdict.summary).toContain('100 records without completing the handshake');
    });

    it('probe --limit handshake-message-bytes=700: the server\'s real Certificate message is refused with LIMIT_EXCEEDED', async () => {
      const ok = await cli('probe', target('ok'), '--tls-max', '1.2', '--json');
      expect(ndjson(ok.out)[0]!.verdict.status).toBe('ok');
      const r = await cli('probe', target('ok'), '--tls-max', '1.2', '--json', '--limit', 'handshake-message-bytes=700');
      expect(r.code).toBe(1);
      const [o] = ndjson(r.out);
      expect(o!.verdict).toMatchObject({ status: 'failed', failedStage: 'tls' });
      expect(o!.verdict.summary).toMatch(/^the server's TLS handshake exceeds a limit: length at byte \d+: certificate of \d+ bytes exceeds the 700-byte limit$/);
      expect(o!.verdict.evidence[0].text).toMatch(/\(LIMIT_EXCEEDED\)$/);
      expect(o!.verdict.remedy).toContain('If this server is genuine and needs more, raise the bound: --limit handshake-message-bytes=VALUE (now 700; \'rdpscope limits\' gives the range)');
    });
  });
});

it('each bound with an option of its own names an option its commands take (from their --help)', () => {
  const help = new Map<string, string>();
  const options = BOUNDS.filter((b) => b.kind === 'option');
  expect(options.length).toBeGreaterThan(0);
  for (const b of options) {
    for (const c of b.commands) {
      // yargs prints --help on the process's stdout itself, so the real CLI is run
      if (!help.has(c)) help.set(c, execFileSync(process.execPath, [BIN, c, '--help'], { encoding: 'utf8' }));
      expect(help.get(c), `${c} --help`).toMatch(new RegExp(`^\\s+${b.option}\\b`, 'm'));
    }
  }
});
