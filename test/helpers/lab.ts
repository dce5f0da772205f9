// Test helpers for the real-server lab (scripts/lab.sh): start/stop real RDP servers on loopback,
// run xfreerdp under a capture, and gate suites on the tools they need.
//
// Every server is stopped by PID: stop() sends SIGTERM to the lab process, whose EXIT trap stops the
// server (and a shadow server's Xvfb) by the PIDs it recorded. A process 'exit' hook and the
// LAB_WATCH_PID handshake (lab.sh stops itself when this Node process is gone) cover tests that
// forget to call stop() or a worker that dies.
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

export const REPO_DIR = fileURLToPath(new URL('../../', import.meta.url));
export const LAB_SCRIPT = join(REPO_DIR, 'scripts', 'lab.sh');
export const LAB_DIR = process.env.LAB_DIR ?? join(REPO_DIR, '.lab');
export const CI = process.env.CI === 'true';

/** NLA account of the shadow-* scenarios (FreeRDP SAM file). */
export const LAB_USER = 'labuser';
export const LAB_PASSWORD = 'Lab#Pass1';

export interface LabOptions {
  port?: number;
  ipv6?: boolean;
  /** how long to wait for READY (lab.sh itself gives up after 10 s) */
  timeoutMs?: number;
}

export interface LabServer {
  scenario: string;
  host: string;
  port: number;
  /** PID of the server process (xrdp or freerdp-shadow-cli) */
  pid: number;
  /** PID of the `lab.sh start` process that owns the server */
  labPid: number;
  startupMs: number;
  /** $LAB_DIR/run/<scenario>[-ipv6]-<port>: ini, logs, server.pid, xvfb.pid (while running) */
  runDir: string;
  /** SIGTERM to the lab process, resolves once it has exited (the server is stopped by then). Idempotent. */
  stop(): Promise<void>;
}

export interface ReadyLine {
  scenario: string;
  host: string;
  port: number;
  pid: number;
  startupMs: number;
}

/** Parses `READY scenario=NAME host=HOST port=PORT pid=PID startup_ms=N`. */
export function parseReadyLine(line: string): ReadyLine | undefined {
  const m = /^READY scenario=(\S+) host=(\S+) port=(\d+) pid=(\d+) startup_ms=(\d+)\s*$/.exec(line);
  if (!m) return undefined;
  return { scenario: m[1]!, host: m[2]!, port: Number(m[3]), pid: Number(m[4]), startupMs: Number(m[5]) };
}

// ---- safety net: whatever is still running when this process exits gets SIGTERM (sync only)

const live = new Set<{ labPid: number; pid?: number }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const entry of live) {
      // the lab's trap stops the server; the server gets TERM too in case the lab is wedged
      for (const pid of [entry.labPid, entry.pid]) {
        if (pid === undefined) continue;
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* already gone */
        }
      }
    }
  });
}

/** true if the process exists and is not a zombie */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function labRunDir(scenario: string, port: number, ipv6 = false): string {
  return join(LAB_DIR, 'run', `${scenario}${ipv6 ? '-ipv6' : ''}-${port}`);
}

/**
 * Starts `bash scripts/lab.sh start SCENARIO [--port P] [--ipv6]` and resolves once it printed READY.
 * Rejects with lab.sh's stderr if it exits first or READY does not come within timeoutMs.
 */
export async function startLab(scenario: string, opts: LabOptions = {}): Promise<LabServer> {
  installExitHook();
  const args = [LAB_SCRIPT, 'start', scenario];
  if (opts.port !== undefined) args.push('--port', String(opts.port));
  if (opts.ipv6) args.push('--ipv6');
  const child = spawn('bash', args, {
    cwd: REPO_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LAB_WATCH_PID: String(process.pid) },
  });
  if (child.pid === undefined) {
    await new Promise((resolve) => child.once('error', resolve));
    throw new Error(`lab ${scenario}: cannot spawn bash`);
  }
  const labPid = child.pid;
  const entry: { labPid: number; pid?: number } = { labPid };
  live.add(entry);

  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    stderr = (stderr + d).slice(-16_384);
  });
  const exited = new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });

  let ready: ReadyLine;
  try {
    ready = await waitForReady(child, scenario, opts.timeoutMs ?? 30_000, () => stderr);
  } catch (err) {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
    live.delete(entry);
    throw err;
  }
  entry.pid = ready.pid;

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      // lab.sh allows the server 5 s after SIGTERM before SIGKILL; give it that plus margin
      const hardKill = setTimeout(() => {
        for (const pid of [labPid, ready.pid]) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            /* gone */
          }
        }
      }, 15_000);
      await exited;
      clearTimeout(hardKill);
      live.delete(entry);
    })();
    return stopping;
  };

  return {
    scenario: ready.scenario,
    host: ready.host,
    port: ready.port,
    pid: ready.pid,
    labPid,
    startupMs: ready.startupMs,
    runDir: labRunDir(scenario, ready.port, opts.ipv6 ?? false),
    stop,
  };
}

function waitForReady(child: ChildProcess, scenario: string, timeoutMs: number, stderr: () => string): Promise<ReadyLine> {
  return new Promise<ReadyLine>((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => finish(() => reject(new Error(`lab ${scenario}: no READY within ${timeoutMs} ms\n${stderr()}`))),
      timeoutMs,
    );
    // keep reading stdout after READY so the lab never blocks on a full pipe
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const r = parseReadyLine(line);
      if (r) finish(() => resolve(r));
    });
    child.once('exit', (code, signal) =>
      finish(() =>
        // give stderr's last chunk a moment to arrive
        setTimeout(() => reject(new Error(`lab ${scenario} exited (${code ?? signal}) before READY:\n${stderr()}`)), 20),
      ),
    );
    child.once('error', (err) => finish(() => reject(err)));
  });
}

// ---- tool gating

function onPath(name: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      /* next */
    }
  }
  return false;
}

/**
 * Checks executables on PATH. The pseudo-name 'root' requires running as root
 * (dumpcap on lo, network namespaces).
 */
export function requireTools(...names: string[]): { ok: boolean; missing: string[] } {
  const missing = names.filter((n) => (n === 'root' ? process.getuid?.() !== 0 : !onPath(n)));
  return { ok: missing.length === 0, missing };
}

/**
 * describe() when every tool is there. Otherwise: under CI=true a suite with one failing test naming
 * the missing tools (CI must not silently skip real-server tests); locally describe.skip with the reason.
 */
export function describeWithTools(names: string[], title: string, fn: () => void): void {
  const { ok, missing } = requireTools(...names);
  if (ok) {
    describe(title, fn);
  } else if (CI) {
    describe(title, () => {
      it(`requires ${missing.join(', ')}`, () => {
        throw new Error(`missing tools under CI=true: ${missing.join(', ')} (run: bash scripts/lab.sh install, as root)`);
      });
    });
  } else {
    describe.skip(`${title} [skipped: missing ${missing.join(', ')}; run scripts/lab.sh install]`, fn);
  }
}

// ---- clients and captures

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `lab.sh capture PCAP PORT -- lab.sh client --timeout T -- ...clientArgs`: xfreerdp on the lab's
 * private Xvfb display, captured on lo with filter `tcp port PORT`. exitCode is xfreerdp's
 * (124 = killed by timeout). Needs root (dumpcap) plus xfreerdp, Xvfb and dumpcap. `env` adds to
 * xfreerdp's environment, e.g. SSL_CERT_FILE=<lab certificate> to make FreeRDP trust a self-signed
 * lab certificate (real-servers.md section 5).
 */
export function captureClient(
  pcapPath: string,
  port: number,
  clientArgs: string[],
  timeoutSec: number,
  env: Record<string, string> = {},
  client: 'xfreerdp' | 'rdesktop' = 'xfreerdp',
): Promise<CommandResult> {
  return runLab(
    ['capture', pcapPath, String(port), '--', 'bash', LAB_SCRIPT, 'client', '--timeout', String(timeoutSec), ...(client === 'rdesktop' ? ['--rdesktop'] : []), '--', ...clientArgs],
    (timeoutSec + 20) * 1000,
    env,
  );
}

/** Runs any command (e.g. rdpscope itself) under `lab.sh capture`: dumpcap on lo, filtered to the port. */
export function captureCommand(pcapPath: string, port: number, command: string[], timeoutSec: number, env: Record<string, string> = {}): Promise<CommandResult> {
  return runLab(['capture', pcapPath, String(port), '--', 'timeout', String(timeoutSec), ...command], (timeoutSec + 20) * 1000, env);
}

/** Runs xfreerdp through `lab.sh client` without a capture. */
export function runClient(clientArgs: string[], timeoutSec: number): Promise<CommandResult> {
  return runLab(['client', '--timeout', String(timeoutSec), '--', ...clientArgs], (timeoutSec + 15) * 1000);
}

function runLab(args: string[], killAfterMs: number, env: Record<string, string> = {}): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve, reject) => {
    const child = spawn('bash', [LAB_SCRIPT, ...args], { cwd: REPO_DIR, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // lab.sh's TERM trap stops the client and dumpcap by PID
    const guard = setTimeout(() => child.kill('SIGTERM'), killAfterMs);
    child.once('error', (err) => {
      clearTimeout(guard);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(guard);
      resolve({ exitCode: code ?? 128 + signalNumber(signal), stdout, stderr });
    });
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15;
}

/** A currently free TCP port on host (the lab's own port check still guards against races). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

