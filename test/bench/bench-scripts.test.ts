// Smoke test of the live benchmarks (bench/probe-vs-peers.mjs, bench/scan-vs-nmap.mjs): they refuse
// ports outside their range and bad options before starting any server. The benchmarks themselves
// need real servers and take minutes; they are run by hand (bench/README.md).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function run(script: string, args: string[]): Promise<{ code: number; err: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(ROOT, 'bench', script), ...args], { timeout: 20_000 }, (e, _out, err) => {
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : -1) : 0, err });
    });
  });
}

describe('live benchmarks: argument checks', () => {
  it('probe-vs-peers: ports outside 35000-35099 and unknown options are refused', async () => {
    const low = await run('probe-vs-peers.mjs', ['--base-port', '33891']);
    expect(low.code).not.toBe(0);
    expect(low.err).toMatch(/port 33891 outside 35000-35099/);
    const high = await run('probe-vs-peers.mjs', ['--base-port', '35098']); // 5 servers: the last would be 35102
    expect(high.err).toMatch(/port 35100 outside 35000-35099/);
    expect((await run('probe-vs-peers.mjs', ['--bogus'])).err).toMatch(/unknown option --bogus/);
  });

  it('scan-vs-nmap: ports outside 35000-35099, bad target counts and nmap variants are refused', async () => {
    expect((await run('scan-vs-nmap.mjs', ['--port', '3389'])).err).toMatch(/--port: 35000-35099/);
    expect((await run('scan-vs-nmap.mjs', ['--targets', '300'])).err).toMatch(/--targets: a power of 2/);
    expect((await run('scan-vs-nmap.mjs', ['--targets', '16', '--xrdp', '8'])).err).toMatch(/more real servers/);
    expect((await run('scan-vs-nmap.mjs', ['--nmap', 'fast'])).err).toMatch(/--nmap: default, t4, t4-parallel, ntlm-only; not fast/);
    expect((await run('scan-vs-nmap.mjs', ['--bogus', '1'])).err).toMatch(/unknown option --bogus/);
  });
});
