// Issue 8: a scan of a thousand hostile targets ends every probe within its timeout and keeps memory
// flat. Ten hostile scenario servers on 127.0.0.1 (one port each); the target list names each of
// them 100 times, so 1,000 probes run, 100 at a time, each against a server that drips, stalls,
// claims huge lengths, never ends or resets.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import type { CliIO } from '../../src/cli/io.js';
import { startScenarioServer, type ScenarioServer } from '../../src/server/server.js';
import { gc } from '../helpers/gc.js';

const SCENARIOS = [
  'hostile-slow-drip', 'hostile-huge-tpkt', 'hostile-huge-tls', 'hostile-huge-tls-handshake', 'hostile-huge-der',
  'hostile-endless-tls', 'hostile-zero-window', 'hostile-rst-after-connect-initial', 'hostile-garbage-after-confirm',
  'hostile-garbage-after-server-hello',
];
const TIMEOUT_MS = 2000;
const REPEAT = 100;

let servers: ScenarioServer[] = [];
let dir: string;

beforeAll(async () => {
  servers = await Promise.all(SCENARIOS.map((scenario) => startScenarioServer({ scenario, host: '127.0.0.1', maxConnections: 4096 })));
  dir = mkdtempSync(join(tmpdir(), 'rdpscope-hostile-scan-'));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
  rmSync(dir, { recursive: true, force: true });
});

describe('a scan of 1,000 hostile targets', () => {
  it('ends every probe within its timeout, names each stage, and keeps the live heap flat', async () => {
    const heap = (): number => process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
    const list = join(dir, 'targets.txt');
    const lines: string[] = [];
    for (let i = 0; i < REPEAT; i++) for (const s of servers) lines.push(`127.0.0.1:${s.port}`);
    writeFileSync(list, `${lines.join('\n')}\n`);

    gc();
    const base = heap();
    const live: number[] = []; // after a full GC, at 250 and at 900 results
    const results: { target: string; port: number; verdict: { status: string; failedStage?: string }; durationMs: number }[] = [];
    const io: CliIO = {
      out: (s) => {
        for (const line of s.split('\n').filter(Boolean)) {
          const o = JSON.parse(line) as { schema: string };
          if (o.schema !== 'rdpscope/scan-result/1') continue;
          results.push(o as never);
          if (results.length === 250 || results.length === 900) {
            gc();
            live.push(heap() - base);
          }
        }
      },
      err: () => {}, color: false, interactive: false, env: {}, promptSecret: async () => undefined,
    };
    const t0 = performance.now();
    await main(['scan', '-iL', list, '--concurrency', '100', '--timeout', String(TIMEOUT_MS), '--connect-timeout', String(TIMEOUT_MS), '--json'], io);
    const ms = performance.now() - t0;
    const MiB = 2 ** 20;
    console.log(`1,000 hostile targets: ${(ms / 1000).toFixed(1)} s; live heap growth ${live.map((b) => (b / MiB).toFixed(1)).join(' then ')} MiB at 250 and 900 results`);

    expect(results).toHaveLength(SCENARIOS.length * REPEAT);
    // every probe ended by itself: within the stage timeout plus the TLS close grace and scheduling slack
    for (const r of results) expect(r.durationMs, `${r.target}:${r.port}`).toBeLessThan(TIMEOUT_MS * 4 + 2000);
    // each server gave the same verdict stage to all of its 100 probes
    servers.forEach((s, i) => {
      const mine = results.filter((r) => r.port === s.port);
      const stages = new Set(mine.map((r) => `${r.verdict.status} ${r.verdict.failedStage ?? ''}`));
      expect(mine, SCENARIOS[i]).toHaveLength(REPEAT);
      expect(stages.size, `${SCENARIOS[i]}: ${[...stages].join(', ')}`).toBe(1);
    });
    expect(live[1]! - live[0]!).toBeLessThan(8 * MiB); // flat: 650 more hostile targets, no more memory
  }, 120_000);
});
