// `rdpscope serve`: listing, usage errors, and a served scenario stopped by a signal.
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand, type ServeArgs } from '../../src/cli/commands/serve.js';
import type { CliIO } from '../../src/cli/io.js';
import { SCENARIOS } from '../../src/server/scenarios.js';
import { drive } from './drive.js';

function fakeIO(onOut?: (text: string) => void) {
  const io = { out: '', err: '' };
  const cli: CliIO = {
    out: (t) => { io.out += t; onOut?.(t); },
    err: (t) => { io.err += t; },
    color: false,
    interactive: false,
    env: {},
    promptSecret: async () => undefined,
  };
  return { io, cli };
}

const args = (a: Partial<ServeArgs>): ServeArgs => ({ port: 0, host: '127.0.0.1', list: false, json: false, ...a });

afterEach(() => {
  expect(process.listenerCount('SIGINT') + process.listenerCount('SIGTERM')).toBe(0);
});

describe('rdpscope serve --list', () => {
  it('prints every scenario with its row, in aligned columns', async () => {
    const { io, cli } = fakeIO();
    expect(await serveCommand.run(args({ list: true }), cli)).toBe(0);
    const lines = io.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SCENARIO\s+ROW\s+BEHAVIOUR$/);
    expect(lines).toHaveLength(SCENARIOS.length + 1);
    const column = lines[0]!.indexOf('BEHAVIOUR');
    SCENARIOS.forEach((s, i) => {
      const line = lines[i + 1]!;
      expect(line.startsWith(`${s.name} `)).toBe(true);
      expect(line.slice(column - 5, column).trim()).toBe(s.row === null ? '-' : String(s.row));
      expect(line.slice(column)).toBe(s.describe);
    });
  });

  it('prints JSON with --json', async () => {
    const { io, cli } = fakeIO();
    expect(await serveCommand.run(args({ list: true, json: true }), cli)).toBe(0);
    const list = JSON.parse(io.out) as { name: string; row: number | null; describe: string }[];
    expect(list).toEqual(SCENARIOS.map(({ name, row, describe }) => ({ name, row, describe })));
  });
});

describe('rdpscope serve --scenario', () => {
  it('exits 2 with the list of names for an unknown or missing scenario', async () => {
    for (const scenario of ['nope', undefined]) {
      const { io, cli } = fakeIO();
      expect(await serveCommand.run(args(scenario === undefined ? {} : { scenario }), cli)).toBe(2);
      expect(io.err).toContain('close-after-request, reset-after-request');
      expect(io.out).toBe('');
    }
  });

  it('exits 2 for a non-loopback host', async () => {
    const { io, cli } = fakeIO();
    expect(await serveCommand.run(args({ scenario: 'ok', host: '0.0.0.0' }), cli)).toBe(2);
    expect(io.err).toMatch(/refusing to listen on 0\.0\.0\.0/);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('serves until %s, then closes cleanly with exit 0', async (signal) => {
    let listening!: (line: string) => void;
    const line = new Promise<string>((r) => { listening = r; });
    const { cli } = fakeIO(listening);
    const exit = serveCommand.run(args({ scenario: 'neg-failure-5' }), cli);
    const m = /^listening scenario=neg-failure-5 host=127\.0\.0\.1 port=(\d+) row=7\n$/.exec(await line);
    expect(m).not.toBeNull();
    const port = Number(m![1]);
    expect((await drive(port)).verdict.row?.id).toBe(7);
    process.emit(signal, signal);
    expect(await exit).toBe(0);
    const again = net.connect(port, '127.0.0.1');
    const [err] = (await once(again, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('prints the listening line as JSON with --json', async () => {
    let listening!: (line: string) => void;
    const line = new Promise<string>((r) => { listening = r; });
    const { cli } = fakeIO(listening);
    const exit = serveCommand.run(args({ scenario: 'ok', json: true }), cli);
    const { listening: l } = JSON.parse(await line) as { listening: { scenario: string; host: string; port: number; row: null } };
    expect(l).toMatchObject({ scenario: 'ok', host: '127.0.0.1', row: null });
    expect(l.port).toBeGreaterThan(0);
    process.emit('SIGINT', 'SIGINT');
    expect(await exit).toBe(0);
  });

  it('exits 1 when the port is taken', async () => {
    let listening!: (line: string) => void;
    const line = new Promise<string>((r) => { listening = r; });
    const first = serveCommand.run(args({ scenario: 'ok' }), fakeIO(listening).cli);
    const port = Number(/port=(\d+)/.exec(await line)![1]);
    const { io, cli } = fakeIO();
    expect(await serveCommand.run(args({ scenario: 'ok', port }), cli)).toBe(1);
    expect(io.err).toMatch(/cannot listen on 127\.0\.0\.1:\d+: .*EADDRINUSE/);
    process.emit('SIGTERM', 'SIGTERM');
    expect(await first).toBe(0);
  });
});
