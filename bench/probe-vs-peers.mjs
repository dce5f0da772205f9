// Live probe speed: `rdpscope probe` against nmap's rdp-enum-encryption + rdp-ntlm-info and against
// `xfreerdp /auth-only`, on the same local servers, in one run.
// Servers (each on its own port in 35000-35099, so the tests' default lab ports are left alone):
// real ones started by `scripts/lab.sh start SCENARIO --port P` (xrdp TLS, xrdp Standard RDP Security,
// xrdp FIPS, FreeRDP shadow NLA) and the scenario server (`rdpscope serve --scenario ok`).
// Every round runs every tool once against every server, in an order rotated each round; a warm-up
// round comes first and is not counted. Each run's wall time is measured here (spawn to exit); its
// CPU time (user + system of the tool and its children) by /usr/bin/time. A run counts only when the
// tool succeeded (exit status and output checked); a tool that fails its warm-up run on a server is
// not run again there (e.g. xfreerdp against a server it cannot finish a connection with). Each
// round also times `rdpscope --version`: the fixed start-up cost every rdpscope run pays.
// Usage: npm run build && node bench/probe-vs-peers.mjs [--runs N (5)] [--warmup N (1)] [--base-port P (35000)]
//          [--servers xrdp-negotiate,xrdp-rdp,xrdp-rdp-fips,shadow-nla,serve:ok] [--json FILE] [--verbose]
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = new URL('..', import.meta.url).pathname;
const LAB = join(ROOT, 'scripts/lab.sh');
const RDPSCOPE = join(ROOT, 'bin/rdpscope.js');
const PORT_MIN = 35000;
const PORT_MAX = 35099;

const opts = { runs: 5, warmup: 1, basePort: 35000, servers: 'xrdp-negotiate,xrdp-rdp,xrdp-rdp-fips,shadow-nla,serve:ok', json: undefined, verbose: false };
for (let a = process.argv.slice(2); a.length;) {
  const k = a.shift();
  if (k === '--runs') opts.runs = Number(a.shift());
  else if (k === '--warmup') opts.warmup = Number(a.shift());
  else if (k === '--base-port') opts.basePort = Number(a.shift());
  else if (k === '--servers') opts.servers = a.shift();
  else if (k === '--json') opts.json = a.shift();
  else if (k === '--verbose') opts.verbose = true;
  else throw new Error(`unknown option ${k} (see the usage at the top of ${import.meta.url})`);
}
const SERVERS = opts.servers.split(',').filter(Boolean).map((name, i) => ({ name, port: opts.basePort + i }));
for (const s of SERVERS) {
  if (!(s.port >= PORT_MIN && s.port <= PORT_MAX)) throw new Error(`port ${s.port} outside ${PORT_MIN}-${PORT_MAX} (the range this benchmark may use)`);
}

// NLA accounts: the lab's FreeRDP SAM file, and the scenario server's account (src/server/credssp-responder.ts)
const LAB_ACCOUNT = ['labuser', 'Lab#Pass1'];
const SCENARIO_ACCOUNT = ['rdpscope', 'Scenario#Pass1'];
const TIMEOUT_S = 60;

// ---------------------------------------------------------------------------------------------
// processes we started: stopped by PID on every way out

const started = []; // { label, child, stop: async () => void }
let cleaning;
function cleanup() {
  cleaning ??= (async () => {
    for (const s of started.reverse()) {
      try { await s.stop(); } catch (e) { console.error(`bench: stopping ${s.label}: ${e.message}`); }
    }
  })();
  return cleaning;
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => { console.error(`bench: ${sig}, stopping the servers`); cleanup().finally(() => process.exit(130)); });
}

for (const ev of ['uncaughtException', 'unhandledRejection']) {
  process.on(ev, (e) => { console.error('bench:', e); cleanup().finally(() => process.exit(1)); });
}
// last resort (process.exit from anywhere): SIGTERM to every server we started, by PID; lab.sh
// also stops itself once this process is gone (LAB_WATCH_PID)
process.on('exit', () => { for (const s of started) if (s.child?.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM'); });

function exited(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

/** SIGTERM, wait up to `ms`, then SIGKILL. */
async function stopChild(child, ms = 10_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), ms);
  await exited(child);
  clearTimeout(t);
}

/** Spawns a long-running process and resolves with the first stdout line matching `re`. */
function startUntil(label, cmd, args, re, env = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let err = '';
  child.stderr.on('data', (d) => { err = (err + d).slice(-4000); });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { child.kill('SIGTERM'); reject(new Error(`${label}: not ready after 30 s: ${err}`)); }, 30_000);
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = re.exec(line);
      if (m) { clearTimeout(timer); resolve({ child, match: m }); }
    });
    child.once('exit', (code) => { clearTimeout(timer); reject(new Error(`${label}: exited ${code} before it was ready: ${err.trim()}`)); });
    child.once('error', reject);
  });
}

async function startServer({ name, port }) {
  if (name.startsWith('serve:')) {
    const scenario = name.slice(6);
    const label = `rdpscope serve --scenario ${scenario} --port ${port}`;
    const { child } = await startUntil(label, process.execPath, [RDPSCOPE, 'serve', '--scenario', scenario, '--port', String(port)], /^listening /);
    started.push({ label, child, stop: () => stopChild(child) });
    return { account: SCENARIO_ACCOUNT, pid: child.pid };
  }
  const label = `lab.sh start ${name} --port ${port}`;
  // LAB_WATCH_PID: the lab stops itself once this process is gone, even after a SIGKILL
  const { child, match } = await startUntil(label, 'bash', [LAB, 'start', name, '--port', String(port)], /^READY .* pid=(\d+)/, { LAB_WATCH_PID: String(process.pid) });
  started.push({
    label,
    child,
    stop: async () => {
      await stopChild(child, 15_000);
      // belt and braces: stops whatever the run directory still records (by PID, never by name)
      try { execFileSync('bash', [LAB, 'stop', name, '--port', String(port)], { cwd: ROOT, stdio: 'ignore' }); } catch { /* already stopped */ }
    },
  });
  return { account: LAB_ACCOUNT, pid: Number(match[1]) };
}

/** Our own Xvfb for xfreerdp (it needs a display even with /auth-only), on a free display :240-:299. */
async function startXvfb() {
  const alive = execFileSync('ss', ['-Hxl'], { encoding: 'utf8' });
  for (let d = 240; d < 300; d++) {
    if (alive.includes(`/tmp/.X11-unix/X${d} `) || alive.includes(`/tmp/.X11-unix/X${d}\n`)) continue;
    const child = spawn('Xvfb', [`:${d}`, '-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-noreset'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
    const ok = await new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), 10_000);
      child.stdio[3].once('data', () => { clearTimeout(timer); resolve(true); });
      child.once('exit', () => { clearTimeout(timer); resolve(false); });
    });
    if (ok) {
      started.push({ label: `Xvfb :${d}`, child, stop: () => stopChild(child) });
      return `:${d}`;
    }
    await stopChild(child);
  }
  throw new Error('no free X display in :240-:299');
}

// ---------------------------------------------------------------------------------------------
// one timed run

/**
 * Runs `cmd args` under /usr/bin/time (CPU: user + system of the command and the children it waited
 * for) and `timeout`; wall time from spawn to exit, measured here.
 */
function measure(cmd, args, env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'rdpscope-bench-'));
  const timeFile = join(dir, 'time');
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, 'timeout', '-k', '2', String(TIMEOUT_S), cmd, ...args], {
      cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { err += d; });
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      let cpuMs = NaN;
      try {
        const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        cpuMs = (u + s) * 1000;
      } catch { /* killed */ }
      rmSync(dir, { recursive: true, force: true });
      resolve({ code, ms, cpuMs, out, err });
    });
  });
}

const json = (s) => { try { return JSON.parse(s); } catch { return undefined; } };

/** The tools, each with its command and the check that makes a run valid ({ ok, note }). */
function tools(server, display) {
  const target = `127.0.0.1:${server.port}`;
  const probe = (extra, schema, check) => ({
    cmd: process.execPath, args: [RDPSCOPE, 'probe', target, '--json', ...extra],
    check: (r) => {
      const j = json(r.out);
      if (!(r.code === 0 || r.code === 1) || j?.schema !== schema) return { ok: false, note: `exit ${r.code}: ${(r.err || r.out).trim().split('\n')[0]}` };
      return check(j);
    },
  });
  return {
    'rdpscope probe': probe([], 'rdpscope/probe/1', (j) => ({ ok: j.verdict?.status === 'ok' || j.verdict?.status === 'failed', note: `${j.verdict?.status}, ${j.verdict?.lastCompletedStage ?? j.verdict?.failedStage}` })),
    'rdpscope probe --enumerate-protocols': probe(['--enumerate-protocols'], 'rdpscope/enumeration/1',
      (j) => ({ ok: j.protocols?.length >= 5, note: `${j.connections} connections, supported: ${j.protocols.filter((p) => p.supported).map((p) => p.protocol).join(' ')}` })),
    'rdpscope probe --enumerate-rdp-security': probe(['--enumerate-rdp-security'], 'rdpscope/rdp-security-enumeration/1',
      (j) => ({ ok: Array.isArray(j.methods), note: `${j.connections} connections, ${j.refusedAtX224 ? `refused: ${j.refusedAtX224}` : `methods: ${j.methods.filter((m) => m.accepted ?? m.supported).map((m) => m.method ?? m.name).join(' ') || '-'}`}` })),
    // '+' runs the scripts on a port other than 3389 (their portrule wants 3389 or ms-wbt-server)
    nmap: {
      cmd: 'nmap', args: ['-Pn', '-n', '-p', String(server.port), '--script', '+rdp-enum-encryption,+rdp-ntlm-info', '127.0.0.1'],
      check: (r) => ({
        ok: r.code === 0 && /\| rdp-enum-encryption:/.test(r.out) && /1 host up/.test(r.out),
        note: `${/rdp-ntlm-info:/.test(r.out) ? 'enum-encryption + ntlm-info' : 'enum-encryption only (no NTLM)'}`,
      }),
    },
    'xfreerdp /auth-only': {
      cmd: 'xfreerdp', args: ['/auth-only', `/v:${target}`, `/u:${server.account[0]}`, `/p:${server.account[1]}`, '/cert:ignore'],
      env: () => ({ DISPLAY: display, HOME: mkdtempSync(join(tmpdir(), 'rdpscope-bench-home-')) }),
      check: (r) => {
        const ok = r.code === 0 && /Authentication only, exit status 0/.test(r.out + r.err);
        const why = /(ERRCONNECT_\w+|ERRINFO_\w+|Timeout waiting for activation|MAC checksum error[^\n]*)/.exec(r.out + r.err)?.[1];
        return { ok, note: ok ? 'exit 0' : `exit ${r.code}${why ? `: ${why}` : ''}` };
      },
    },
  };
}

async function runTool(name, t) {
  const env = t.env?.() ?? {};
  const r = await measure(t.cmd, t.args, env);
  if (env.HOME) rmSync(env.HOME, { recursive: true, force: true });
  const c = t.check(r);
  return { ms: r.ms, cpuMs: r.cpuMs, ok: c.ok, note: c.note, code: r.code };
}

// ---------------------------------------------------------------------------------------------

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : NaN; };
const version = (cmd, args, re) => { try { return re.exec(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))?.[1] ?? '?'; } catch { return '?'; } };
const pkg = (p) => version('dpkg-query', ['-W', '-f', '${Version}', p], /(.+)/);

console.log(`date ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
console.log(`nmap ${version('nmap', ['--version'], /Nmap version (\S+)/)}, xfreerdp (freerdp2-x11) ${pkg('freerdp2-x11')}, xrdp ${pkg('xrdp')}, freerdp-shadow-cli ${pkg('freerdp2-shadow-x11')}`);
console.log(`runs ${opts.runs} (+${opts.warmup} warm-up), servers: ${SERVERS.map((s) => `${s.name}@${s.port}`).join(', ')}`);

const results = {}; // server -> tool -> [{ms, cpuMs, ok, note}]
const skipped = {}; // server -> tool -> note
try {
  const display = await startXvfb();
  for (const s of SERVERS) Object.assign(s, await startServer(s));
  const names = Object.keys(tools(SERVERS[0], display));
  for (let round = -opts.warmup; round < opts.runs; round++) {
    const order = names.map((_, i) => names[(i + round + opts.warmup) % names.length]);
    // the fixed cost of every rdpscope run: Node start-up and module loading, no network
    const boot = await runTool('rdpscope --version', { cmd: process.execPath, args: [RDPSCOPE, '--version'], check: (r) => ({ ok: r.code === 0, note: 'start-up only' }) });
    if (round >= 0) ((results['(no server)'] ??= {})['rdpscope --version'] ??= []).push(boot);
    for (const s of SERVERS) {
      const ts = tools(s, display);
      for (const name of order) {
        if (skipped[s.name]?.[name]) continue;
        const r = await runTool(name, ts[name]);
        if (opts.verbose || !r.ok) console.log(`${round < 0 ? 'warm-up' : `round ${round + 1}`} ${s.name} ${name}: ${r.ms.toFixed(0)} ms, CPU ${r.cpuMs.toFixed(0)} ms, ${r.ok ? 'ok' : 'FAILED'} (${r.note})`);
        if (round < 0) {
          if (!r.ok) (skipped[s.name] ??= {})[name] = `failed in the warm-up run (${r.note}), not timed`;
          continue;
        }
        ((results[s.name] ??= {})[name] ??= []).push(r);
      }
    }
  }
} finally {
  await cleanup();
}

const rows = [];
const med = {}; // server -> tool -> median ms (valid runs only)
const best = {}; // server -> tool -> min ms
const cpu = {}; // server -> tool -> median CPU ms
for (const s of [{ name: '(no server)' }, ...SERVERS]) {
  for (const [tool, note] of Object.entries(skipped[s.name] ?? {})) rows.push({ server: s.name, tool, valid: `0/${opts.runs}`, note });
  for (const [tool, runs] of Object.entries(results[s.name] ?? {})) {
    const ok = runs.filter((r) => r.ok);
    (med[s.name] ??= {})[tool] = ok.length ? median(ok.map((r) => r.ms)) : NaN;
    (best[s.name] ??= {})[tool] = ok.length ? Math.min(...ok.map((r) => r.ms)) : NaN;
    (cpu[s.name] ??= {})[tool] = ok.length ? median(ok.map((r) => r.cpuMs)) : NaN;
    rows.push({
      server: s.name, tool, valid: `${ok.length}/${runs.length}`,
      'median wall ms': ok.length ? Math.round(median(ok.map((r) => r.ms))) : '-',
      'min-max ms': ok.length ? `${Math.round(Math.min(...ok.map((r) => r.ms)))}-${Math.round(Math.max(...ok.map((r) => r.ms)))}` : '-',
      'median CPU ms': ok.length ? Math.round(median(ok.map((r) => r.cpuMs))) : '-',
      note: [...new Set(runs.map((r) => r.note))].join(' | ').slice(0, 90),
    });
  }
}
console.table(rows);

const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? (a / b).toFixed(3) : 'n/a');
const ratios = SERVERS.map(({ name }) => {
  const m = med[name] ?? {};
  const b = best[name] ?? {};
  const c = cpu[name] ?? {};
  const enumerations = m['rdpscope probe --enumerate-protocols'] + m['rdpscope probe --enumerate-rdp-security'];
  const all3 = enumerations + m['rdpscope probe'];
  return {
    server: name,
    'probe / nmap': ratio(m['rdpscope probe'], m.nmap),
    'probe / nmap (fastest runs)': ratio(b['rdpscope probe'], b.nmap),
    'probe / nmap (CPU)': ratio(c['rdpscope probe'], c.nmap),
    'probe / xfreerdp': ratio(m['rdpscope probe'], m['xfreerdp /auth-only']),
    '(enum-protocols + enum-rdp-security) / nmap': ratio(enumerations, m.nmap),
    '(probe + both enumerations) / nmap': ratio(all3, m.nmap),
  };
});
console.log('medians, unless said otherwise; "fastest runs": the least disturbed run of each tool');
console.log(`commands (for ${SERVERS[0].name}; each under /usr/bin/time -f '%U %S' and timeout -k 2 ${TIMEOUT_S}; xfreerdp with DISPLAY=<our Xvfb> and a fresh HOME):`);
for (const [name, t] of Object.entries(tools(SERVERS[0], ':N'))) {
  console.log(`  ${name}: ${[t.cmd === process.execPath ? 'node' : t.cmd, ...t.args.map((a) => a.replace(ROOT, ''))].join(' ')}`);
}
console.log('ratios of median wall times (goal: probe / nmap <= 0.15)');
console.table(ratios);
if (opts.json) {
  const { writeFileSync } = await import('node:fs');
  writeFileSync(opts.json, JSON.stringify({ opts, servers: SERVERS.map(({ name, port }) => ({ name, port })), results, skipped, ratios }, null, 1));
}
