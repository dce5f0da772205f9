// The scenario server's I/O shell: robustness against bad clients, concurrency, bounds, loopback only.
import net from 'node:net';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { isLoopback, startScenarioServer, type ScenarioServer, type ScenarioServerOptions } from '../../src/server/server.js';
import { decodeConnectionConfirm } from '../../src/x224/connection-confirm.js';
import { connectionRequest, drive } from './drive.js';

const started: ScenarioServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((s) => s.close()));
});

async function start(opts: ScenarioServerOptions): Promise<ScenarioServer> {
  const s = await startScenarioServer(opts);
  started.push(s);
  return s;
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 5));
  }
}

async function connect(s: ScenarioServer): Promise<net.Socket> {
  const socket = net.connect(s.port, s.host);
  socket.on('error', () => {});
  await once(socket, 'connect');
  return socket;
}

/** Resolves with what the server sent once it ended the connection. */
async function closedBy(socket: net.Socket): Promise<Buffer> {
  const got: Buffer[] = [];
  socket.on('data', (c: Buffer) => got.push(c));
  await once(socket, 'close');
  return Buffer.concat(got);
}

describe('startScenarioServer', () => {
  it('closes a client whose first bytes are not a Connection Request, and keeps serving', async () => {
    const s = await start({ scenario: 'ok' });
    const bad = await connect(s);
    bad.write('GET / HTTP/1.1\r\nHost: x\r\n\r\n');
    expect(await closedBy(bad)).toHaveLength(0);
    expect((await drive(s.port)).verdict.status).toBe('ok');
  });

  it('survives clients that leave mid-request (FIN and RST)', async () => {
    const s = await start({ scenario: 'ok' });
    const half = connectionRequest().subarray(0, 10);
    const a = await connect(s);
    a.end(half);
    const b = await connect(s);
    b.write(half);
    await until(() => s.connections === 2);
    b.resetAndDestroy();
    await until(() => s.connections === 0);
    expect((await drive(s.port)).verdict.status).toBe('ok');
  });

  it('gives 50 concurrent clients their own Confirm', async () => {
    const s = await start({ scenario: 'ok' });
    const runs = await Promise.all(Array.from({ length: 50 }, () => drive(s.port)));
    for (const r of runs) {
      expect(r.verdict.status).toBe('ok');
      expect(decodeConnectionConfirm(r.received).negotiation?.type).toBe('response');
    }
    await until(() => s.connections === 0);
  });

  it('destroys a connection idle for idleMs', async () => {
    const s = await start({ scenario: 'silent', idleMs: 100 });
    const c = await connect(s);
    c.write(connectionRequest());
    const t0 = Date.now();
    await closedBy(c);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    await until(() => s.connections === 0);
  });

  it('closes connections beyond maxConnections on accept', async () => {
    const s = await start({ scenario: 'silent', maxConnections: 2 });
    const kept = [await connect(s), await connect(s)];
    await until(() => s.connections === 2);
    const extra = await connect(s);
    await closedBy(extra);
    expect(kept.every((k) => !k.destroyed)).toBe(true);
    expect(s.connections).toBe(2);
  });

  it('close() ends open connections and stops listening', async () => {
    const s = await startScenarioServer({ scenario: 'silent' });
    const c = await connect(s);
    await until(() => s.connections === 1);
    await Promise.all([s.close(), closedBy(c)]);
    expect(s.connections).toBe(0);
    const refused = net.connect(s.port, s.host);
    const [err] = (await once(refused, 'error')) as [NodeJS.ErrnoException];
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('rejects an unknown scenario, naming the known ones', async () => {
    await expect(startScenarioServer({ scenario: 'nope' })).rejects.toThrow(/unknown scenario "nope".*close-after-request/);
  });
});

describe('loopback only', () => {
  it.each(['0.0.0.0', '::', '192.0.2.2', 'fd00::2', '128.0.0.1', 'example.com'])('refuses to bind %s', async (host) => {
    await expect(startScenarioServer({ scenario: 'ok', host })).rejects.toThrow(/loopback only/);
  });

  it.each(['127.0.0.1', '127.0.0.2', '::1', '::ffff:127.0.0.1', 'localhost'])('binds %s', async (host) => {
    const s = await start({ scenario: 'ok', host });
    expect(isLoopback(s.host)).toBe(true);
    expect((await drive(s.port, s.host)).verdict.status).toBe('ok');
  });

  it('recognises 127.0.0.0/8 and ::1 in any spelling, nothing else', () => {
    expect(['127.255.255.254', '0:0:0:0:0:0:0:1', '::0001', '::ffff:127.1.2.3', 'localhost'].map(isLoopback)).toEqual([true, true, true, true, true]);
    expect(['126.255.255.255', '::2', '::ffff:10.0.0.1', '', 'loopback', '127.0.0.1.nip.io'].map(isLoopback)).toEqual([false, false, false, false, false, false]);
  });
});
