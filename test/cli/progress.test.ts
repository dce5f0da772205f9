// The progress line (src/cli/progress.ts) and `rdpscope analyze` drawing it on a terminal only.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { bar, captureProgressText, formatBytes, formatDuration, ProgressLine } from '../../src/cli/progress.js';

/** A CliIO whose writes are kept in order, stream by stream. */
function fakeIO(interactive: boolean): { io: CliIO; log: { to: 'out' | 'err'; text: string }[] } {
  const log: { to: 'out' | 'err'; text: string }[] = [];
  const io: CliIO = {
    out: (text) => { log.push({ to: 'out', text }); }, err: (text) => { log.push({ to: 'err', text }); },
    color: false, interactive, env: {}, promptSecret: async () => undefined,
  };
  return { io, log };
}

const CLEAR = '\r\x1b[K';
const draws = (log: { to: string; text: string }[]) => log.filter((l) => l.to === 'err' && l.text.startsWith(CLEAR) && l.text.length > CLEAR.length);
const errText = (log: { to: string; text: string }[]) => log.filter((l) => l.to === 'err').map((l) => l.text).join('');
const outText = (log: { to: string; text: string }[]) => log.filter((l) => l.to === 'out').map((l) => l.text).join('');

describe('ProgressLine', () => {
  it('draws at most once per interval, and only computes the text it draws', () => {
    const { io, log } = fakeIO(true);
    let t = 1000;
    const line = new ProgressLine(io, { now: () => t });
    const made: number[] = [];
    for (const at of [1000, 1050, 1099, 1100, 1150, 1250, 1251]) {
      t = at;
      line.update(() => {
        made.push(at);
        return `at ${at}`;
      });
    }
    expect(made).toEqual([1000, 1100, 1250]);
    expect(log.map((l) => l.text)).toEqual([`${CLEAR}at 1000`, `${CLEAR}at 1100`, `${CLEAR}at 1250`]);
    line.clear();
    line.clear();
    expect(log.at(-1)!.text).toBe(CLEAR);
    expect(log).toHaveLength(4); // a second clear writes nothing
  });

  it('never draws when stderr is not a terminal, or when turned off', () => {
    for (const [interactive, enabled] of [[false, undefined], [true, false], [false, true]] as const) {
      const { io, log } = fakeIO(interactive);
      const line = new ProgressLine(io, enabled === undefined ? {} : { enabled });
      expect(line.enabled).toBe(false);
      line.update(() => 'x');
      line.clear();
      expect(log).toEqual([]);
    }
  });

  it('formats bytes, durations, bars and the capture line', () => {
    expect([0, 999, 1000, 12_345, 999_999, 5_242_880, 1.5e9].map(formatBytes)).toEqual(['0 B', '999 B', '1.0 kB', '12 kB', '1000 kB', '5.2 MB', '1.5 GB']);
    expect([0, 0.2, 59, 61, 3599, 3600, 7322].map(formatDuration)).toEqual(['0:00', '0:01', '0:59', '1:01', '59:59', '1:00:00', '2:02:02']);
    expect(bar(0.5, 10)).toBe('[#####.....]');
    expect(bar(2, 4)).toBe('[####]');
    expect(captureProgressText({ file: '/data/big.pcap', index: 1, files: 1, read: 50e6, size: 200e6, connections: 12, elapsedMs: 2000 }))
      .toBe('big.pcap [#####...............] 25% 50 MB/200 MB, 25 MB/s, 12 connections, ETA 0:06');
    expect(captureProgressText({ file: '-', index: 2, files: 3, read: 3e6, connections: 1, elapsedMs: 1000 }))
      .toBe('[2/3] stdin 3.0 MB, 3.0 MB/s, 1 connection');
    expect(captureProgressText({ file: 'a-very-long-capture-file-name-indeed.pcapng', index: 1, files: 1, read: 0, size: 10, connections: 0, elapsedMs: 0 }))
      .toMatch(/^a-very-long-capture-fil… \[\.{20}\] 0% 0 B\/10 B, 0 B\/s, 0 connections$/);
  });
});

describe('rdpscope analyze progress', () => {
  let dir: string;
  let big: string;
  let bigSize: number;

  beforeAll(() => {
    // rdp-proprietary-encryption.pcap (2 connections) and ~5 MB of non-IP frames after it: six 1 MiB reads
    dir = mkdtempSync(join(tmpdir(), 'rdpscope-progress-'));
    const base = readFileSync('fixtures/pcaps/rdp-proprietary-encryption.pcap');
    const frame = Buffer.alloc(16 + 1500);
    base.copy(frame, 0, 24, 32); // the first record's timestamp
    frame.writeUInt32LE(1500, 8);
    frame.writeUInt32LE(1500, 12);
    frame.writeUInt16BE(0x88b5, 16 + 12); // IEEE local experimental EtherType: not IP
    big = join(dir, 'big.pcap');
    const file = Buffer.concat([base, ...new Array<Buffer>(3500).fill(frame)]);
    writeFileSync(big, file);
    bigSize = file.length;
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  afterEach(() => {
    vi.restoreAllMocks();
  });

  const run = async (interactive: boolean, ...argv: string[]) => {
    const { io, log } = fakeIO(interactive);
    const code = await main(['analyze', ...argv], io);
    return { code, log };
  };

  it('on a terminal: a bar with bytes, size, rate, connections and ETA on stderr, cleared at the end; stdout as without it', async () => {
    const plain = await run(false, big);
    const shown = await run(true, big);
    expect(shown.code).toBe(plain.code);
    expect(outText(shown.log)).toBe(outText(plain.log));
    const d = draws(shown.log);
    expect(d.length).toBeGreaterThanOrEqual(1);
    const mb = formatBytes(bigSize).replace('.', '\\.');
    expect(d[0]!.text).toMatch(new RegExp(`^\\r\\x1b\\[Kbig\\.pcap \\[[#.]{20}\\] \\d+% [\\d.]+ [kM]?B/${mb}, [\\d.]+ [kMG]?B/s, \\d+ connections?(, ETA \\d+:\\d\\d)?$`));
    expect(errText(shown.log).endsWith(CLEAR)).toBe(true);
    // whatever goes to stdout goes on a cleared line
    let drawn = false;
    for (const l of shown.log) {
      if (l.to === 'err') drawn = l.text !== CLEAR;
      else expect(drawn, `stdout written over the bar: ${l.text.slice(0, 40)}`).toBe(false);
    }
  });

  it('is throttled: with the clock stopped, one draw for six reads; with a second between calls, one per read', async () => {
    const frozen = vi.spyOn(performance, 'now').mockReturnValue(5000);
    const stopped = await run(true, big);
    expect(draws(stopped.log)).toHaveLength(1);
    frozen.mockRestore();
    let t = 0;
    vi.spyOn(performance, 'now').mockImplementation(() => (t += 1000));
    const moving = await run(true, big);
    const d = draws(moving.log);
    expect(d.length).toBeGreaterThanOrEqual(Math.floor(bigSize / (1 << 20)));
    expect(d.at(-1)!.text).toMatch(/ 100% /);
    expect(d.at(-1)!.text).toMatch(/, 2 connections$/); // both reported by then, no ETA left
  });

  it('none when stderr is not a terminal, or with --no-progress; --json keeps stdout pure NDJSON', async () => {
    const notTty = await run(false, big);
    expect(errText(notTty.log)).toBe('');
    const off = await run(true, '--no-progress', big);
    expect(errText(off.log)).toBe('');
    const json = await run(true, '--json', big);
    expect(draws(json.log).length).toBeGreaterThanOrEqual(1);
    for (const line of outText(json.log).trim().split('\n')) expect(() => JSON.parse(line)).not.toThrow();
  });

  it('standard input of unknown size: bytes and rate only', async () => {
    const bytes = readFileSync(big);
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([bytes.subarray(0, 3 << 20), bytes.subarray(3 << 20)]) as unknown as typeof process.stdin);
    const r = await run(true, '-');
    const d = draws(r.log);
    expect(d.length).toBeGreaterThanOrEqual(1);
    expect(d[0]!.text).toMatch(/^\r\x1b\[Kstdin [\d.]+ MB, [\d.]+ [kMG]?B\/s, \d+ connections?$/);
    expect(errText(r.log).endsWith(CLEAR)).toBe(true);
  });
});
