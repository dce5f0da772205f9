// Scan speed: `rdpscope scan` against nmap with rdp-enum-encryption + rdp-ntlm-info, over the same
// hundreds of loopback targets, in one run.
// Targets: every address of 127.50.0.0/P (256 by default), all on one port (35050; the tests' default
// lab ports are left alone). Every address but a few left closed is served, each by its own listening
// socket bound to that address (nothing binds 0.0.0.0, so nothing is reachable from outside):
// - real servers, xrdp (TLS negotiate and Standard RDP Security: each process listening on up to 32
//   addresses, which xrdp.ini's `port=` allows) and FreeRDP shadow servers with NLA (one process per
//   address, sharing one Xvfb), configured as scripts/lab.sh does (shared/docs/real-servers.md);
// - the scenario server (src/server, the code behind `rdpscope serve`), one listener per address with
//   a mix of scenarios (TLS+NLA ok, NLA required, TLS alerts, expired certificate, old CredSSP,
//   licensing and MCS errors, non-RDP replies...), run by two child processes of this script.
// In each round every variant scans the whole block (order reversed every other round): rdpscope scan
// at each --concurrency, and with --no-mcs (stops after X.224, TLS or the NTLM CHALLENGE: the closest
// to nmap's rdp-ntlm-info alone); nmap with its defaults, with -T4, with every target in one host group
// and --max-parallelism N (NSE lets only 20 script threads hold sockets otherwise), and that with
// rdp-ntlm-info alone (one connection a target). Each run's wall time is measured here (spawn to exit),
// its CPU time by /usr/bin/time, and the servers' CPU time from /proc. A run counts only when the tool
// reported every address once, the served ones open and the others closed (rdpscope: refused); how
// many targets got nmap script output is printed.
// Usage: npm run build && node bench/scan-vs-nmap.mjs [--targets N (256, a power of 2)] [--port P (35050)]
//          [--runs N (3)] [--xrdp N (an eighth of the targets, each kind)] [--shadow N (targets/32)]
//          [--closed N (targets/16)] [--concurrency 64,256] [--skip-no-mcs] [--nmap default,t4,t4-parallel,ntlm-only]
//          [--json FILE] [--keep-output DIR (tool outputs, xrdp.ini files)] [--cpu-prof DIR (one more rdpscope run, profiled)]
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir, loadavg, cpus } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = new URL('..', import.meta.url).pathname;
const RDPSCOPE = join(ROOT, 'bin/rdpscope.js');
const LAB = join(ROOT, 'scripts/lab.sh');
const LAB_DIR = process.env.LAB_DIR ?? join(ROOT, '.lab');
const PKI = join(LAB_DIR, 'pki');
const NET = '127.50.0.0';
const LAB_USER = 'labuser';
const LAB_PASS = 'Lab#Pass1';

// scenarios that end by themselves (no silent server: both tools would only measure their timeouts)
const SCENARIOS = [
  'ok', 'ok', 'ok', 'neg-failure-5', 'neg-failure-1', 'neg-failure-2', 'legacy-confirm', 'tls-alert-handshake-failure',
  'tls-expired', 'tls-wrong-name', 'credssp-version-4', 'credssp-close-after-request', 'close-after-request',
  'reset-after-request', 'http-reply', 'ssh-banner', 'mcs-result-user-rejected', 'license-error-no-license-server',
  'errinfo-0x7-after-client-info', 'channel-join-io-no-such-channel',
];

// ---------------------------------------------------------------------------------------------
// internal mode: a child process serving a list of { scenario, host } on one port

if (process.argv[2] === '--serve-internal') {
  const { startScenarioServer } = await import(join(ROOT, 'dist/server/server.js'));
  const port = Number(process.argv[3]);
  const plan = JSON.parse(process.argv[4]);
  const servers = [];
  for (const { scenario, host } of plan) servers.push(await startScenarioServer({ scenario, host, port }));
  console.log(`READY ${servers.length}`);
  const stop = async () => { await Promise.all(servers.map((s) => s.close())); process.exit(0); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  process.stdin.on('end', stop); // the parent is gone
  process.stdin.resume();
} else {
  await main();
}

async function main() {
  const opts = { targets: 256, port: 35050, runs: 3, xrdp: undefined, shadow: undefined, closed: undefined, concurrency: '64,256', nmap: 'default,t4,t4-parallel,ntlm-only', json: undefined, keep: undefined, cpuProf: undefined, noMcs: true, serverProcs: 2 };
  for (const a = process.argv.slice(2); a.length;) {
    const k = a.shift();
    if (k === '--skip-no-mcs') { opts.noMcs = false; continue; }
    const v = a.shift();
    if (k === '--targets') opts.targets = Number(v);
    else if (k === '--port') opts.port = Number(v);
    else if (k === '--runs') opts.runs = Number(v);
    else if (k === '--xrdp') opts.xrdp = Number(v);
    else if (k === '--shadow') opts.shadow = Number(v);
    else if (k === '--closed') opts.closed = Number(v);
    else if (k === '--concurrency') opts.concurrency = v;
    else if (k === '--nmap') opts.nmap = v;
    else if (k === '--json') opts.json = v;
    else if (k === '--keep-output') opts.keep = v;
    else if (k === '--cpu-prof') opts.cpuProf = v;
    else throw new Error(`unknown option ${k} (see the usage at the top of ${import.meta.url})`);
  }
  const N = opts.targets;
  const bits = Math.log2(N);
  if (!Number.isInteger(bits) || N < 8 || N > 4096) throw new Error('--targets: a power of 2, 8-4096');
  if (!(opts.port >= 35000 && opts.port <= 35099)) throw new Error('--port: 35000-35099 (the range this benchmark may use)');
  const cidr = `${NET}/${32 - bits}`;
  const addr = (i) => `127.50.${i >> 8}.${i & 255}`;
  const nXrdp = opts.xrdp ?? N / 8;
  const nShadow = opts.shadow ?? Math.max(1, N / 32);
  const nClosed = opts.closed ?? N / 16;
  const nScenario = N - 2 * nXrdp - nShadow - nClosed;
  if (nScenario < 0) throw new Error('more real servers and closed addresses than targets');

  // who serves which address: a fixed shuffle, so every kind is spread over the block
  const kinds = [
    ...Array(nXrdp).fill('xrdp-negotiate'), ...Array(nXrdp).fill('xrdp-rdp'), ...Array(nShadow).fill('shadow-nla'),
    ...Array(nClosed).fill('closed'), ...Array.from({ length: nScenario }, (_, i) => `serve:${SCENARIOS[i % SCENARIOS.length]}`),
  ];
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = kinds.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [kinds[i], kinds[j]] = [kinds[j], kinds[i]];
  }
  const plan = kinds.map((kind, i) => ({ kind, host: addr(i) }));
  const served = plan.filter((p) => p.kind !== 'closed').length;

  const started = []; // { label, pid?, stop }
  let cleaning;
  const cleanup = () => (cleaning ??= (async () => {
    for (const s of started.reverse()) {
      try { await s.stop(); } catch (e) { console.error(`bench: stopping ${s.label}: ${e.message}`); }
    }
  })());
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(sig, () => { console.error(`bench: ${sig}, stopping the servers`); cleanup().finally(() => process.exit(130)); });
  }
  for (const ev of ['uncaughtException', 'unhandledRejection']) {
    process.on(ev, (e) => { console.error('bench:', e); cleanup().finally(() => process.exit(1)); });
  }
  // last resort (process.exit from anywhere): SIGTERM to every server we started, by PID
  process.on('exit', () => { for (const s of started) if (s.child?.exitCode === null && s.child.signalCode === null) s.child.kill('SIGTERM'); });
  if (opts.keep) mkdirSync(opts.keep, { recursive: true });

  const version = (cmd, args, re) => { try { return re.exec(execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }))?.[1] ?? '?'; } catch { return '?'; } };
  const pkg = (p) => version('dpkg-query', ['-W', '-f', '${Version}', p], /(.+)/);
  console.log(`date ${new Date().toISOString()}, node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model}), load ${loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  console.log(`nmap ${version('nmap', ['--version'], /Nmap version (\S+)/)}, xrdp ${pkg('xrdp')}, freerdp-shadow-cli ${pkg('freerdp2-shadow-x11')}`);
  console.log(`targets ${cidr} port ${opts.port}: ${N} addresses, ${served} served (xrdp TLS ${nXrdp}, xrdp RDP ${nXrdp}, shadow NLA ${nShadow}, scenario server ${nScenario}), ${nClosed} closed`);

  const results = [];
  const variants = [
    ...opts.concurrency.split(',').filter(Boolean).map((c) => rdpscopeVariant(Number(c))),
    // closest to nmap's rdp-ntlm-info alone: stop after X.224, TLS or the NTLM CHALLENGE (no MCS)
    ...(opts.noMcs ? [rdpscopeVariant(Number(opts.concurrency.split(',')[0]), ['--no-mcs'])] : []),
    ...opts.nmap.split(',').filter((n) => n && n !== 'none').map(nmapVariant),
  ];
  const dir = mkdtempSync(join(tmpdir(), 'rdpscope-bench-scan-'));
  try {
    await startServers();
    for (let round = 0; round < opts.runs; round++) {
      const order = round % 2 ? [...variants].reverse() : variants;
      for (const v of order) {
        const r = await runVariant(v);
        results.push({ round: round + 1, variant: v.name, args: v.args.join(' '), ...r });
        console.log(`round ${round + 1} ${v.name}: ${r.seconds.toFixed(2)} s wall, CPU ${r.cpu.toFixed(2)} s, servers CPU ${r.serverCpu.toFixed(2)} s, ${r.valid ? 'ok' : 'INVALID'}: ${r.note}`);
      }
    }
    if (opts.cpuProf) {
      // one more, untimed rdpscope run under the V8 profiler (open the .cpuprofile in Chrome DevTools)
      const v = rdpscopeVariant(Number(opts.concurrency.split(',')[0]));
      v.args.unshift('--cpu-prof', '--cpu-prof-dir', opts.cpuProf);
      const r = await runVariant(v);
      console.log(`profiled run (not counted): ${r.seconds.toFixed(2)} s wall, CPU ${r.cpu.toFixed(2)} s, profile in ${opts.cpuProf}`);
    }
  } finally {
    await cleanup();
    if (opts.keep) for (const f of readdirSync(dir).filter((x) => x.endsWith('.ini'))) copyFileSync(join(dir, f), join(opts.keep, f));
    rmSync(dir, { recursive: true, force: true });
  }

  // ------------------------------------------------------------------------------------------
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
  const rows = [];
  const summary = {};
  for (const name of [...new Set(results.map((r) => r.variant))]) {
    const all = results.filter((r) => r.variant === name);
    const ok = all.filter((r) => r.valid);
    const s = ok.length ? median(ok.map((r) => r.seconds)) : NaN;
    summary[name] = s;
    rows.push({
      tool: name, valid: `${ok.length}/${all.length}`, 'median wall s': s.toFixed(2),
      'wall min-max': ok.length ? `${Math.min(...ok.map((r) => r.seconds)).toFixed(2)}-${Math.max(...ok.map((r) => r.seconds)).toFixed(2)}` : '-',
      'targets/s': (N / s).toFixed(1), 'median CPU s': ok.length ? median(ok.map((r) => r.cpu)).toFixed(2) : '-',
      'servers CPU s': ok.length ? median(ok.map((r) => r.serverCpu)).toFixed(2) : '-',
      'targets/CPU s': ok.length ? (N / median(ok.map((r) => r.cpu))).toFixed(0) : '-',
    });
  }
  console.log(`\n${N} targets (${cidr}:${opts.port}), medians of the valid runs`);
  console.table(rows);
  for (const r of results.filter((x) => x.round === 1)) console.log(`  ${r.variant}: ${r.cmd}`);
  const nmapDefault = summary['nmap'];
  const ratios = Object.entries(summary).filter(([n]) => n.startsWith('rdpscope')).flatMap(([n, s]) =>
    Object.entries(summary).filter(([m]) => m.startsWith('nmap')).map(([m, t]) => ({ rdpscope: n, nmap: m, 'throughput ratio (rdpscope / nmap)': (t / s).toFixed(1) })));
  console.log(`throughput ratios (goal: rdpscope at least 10x nmap${Number.isFinite(nmapDefault) ? '' : '; nmap default had no valid run'})`);
  console.table(ratios);
  if (opts.json) writeFileSync(opts.json, JSON.stringify({ opts, cidr, plan, results: results.map(({ cmd, ...r }) => ({ cmd, ...r })), ratios }, null, 1));

  // ------------------------------------------------------------------------------------------
  // servers

  async function startServers() {
    if (!existsSync(join(PKI, 'selfsigned.pem'))) {
      // the lab makes its certificates on first start; start one lab briefly to get them
      const lab = spawn('bash', [LAB, 'start', 'xrdp-negotiate', '--port', String(opts.port)], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
      await new Promise((resolve) => createInterface({ input: lab.stdout }).on('line', (l) => { if (l.startsWith('READY')) resolve(); }).on('close', resolve));
      lab.kill('SIGTERM');
      await new Promise((resolve) => (lab.exitCode !== null ? resolve() : lab.once('exit', resolve)));
    }
    const inUse = listeners();
    if (inUse > 0) throw new Error(`port ${opts.port} already has ${inUse} listeners`);
    const byKind = (k) => plan.filter((p) => p.kind === k).map((p) => p.host);

    // xrdp: one listener per address, several addresses a process (xrdp.ini's `port=` takes a list, but
    // the ini reader drops what is past about 1 KB of a line: 32 addresses a process)
    for (const [kind, sec] of [['xrdp-negotiate', 'negotiate'], ['xrdp-rdp', 'rdp']]) for (let k = 0; k < byKind(kind).length; k += 32) {
      const hosts = byKind(kind).slice(k, k + 32);
      const name = `${kind}${k ? `-${k / 32 + 1}` : ''}`;
      const ini = join(dir, `${name}.ini`);
      writeFileSync(ini, [
        '[Globals]', 'ini_version=1', 'fork=false', `port=${hosts.map((h) => `tcp://${h}:${opts.port}`).join(' ')}`, 'use_vsock=false',
        'tcp_nodelay=true', 'tcp_keepalive=true', `security_layer=${sec}`, 'crypt_level=high',
        `certificate=${PKI}/selfsigned.pem`, `key_file=${PKI}/selfsigned.key`, ...(sec === 'negotiate' ? ['ssl_protocols=TLSv1.2, TLSv1.3'] : []),
        'autorun=', 'allow_channels=true', 'max_bpp=32', 'new_cursors=true', 'use_fastpath=both',
        '', '[Logging]', `LogFile=${dir}/${name}.log`, 'LogLevel=INFO', 'EnableSyslog=false',
        '', '[Channels]', 'rdpdr=true', 'rdpsnd=true', 'drdynvc=true', 'cliprdr=true', 'rail=true', 'xrdpvr=true', 'tcutils=true',
        '', '[Xorg]', 'name=Xorg', 'lib=libxup.so', 'username=ask', 'password=ask', 'ip=127.0.0.1', 'port=-1', 'code=20', '',
      ].join('\n'));
      track(name, spawn('xrdp', ['--nodaemon', '--config', ini], { stdio: 'ignore' }));
    }

    // FreeRDP shadow servers with NLA: one process per address, one Xvfb for all of them
    const shadowHosts = byKind('shadow-nla');
    if (shadowHosts.length) {
      const display = await startXvfb();
      const home = join(dir, 'shadow-home');
      mkdirSync(join(home, '.config/freerdp/shadow'), { recursive: true });
      copyFileSync(join(PKI, 'selfsigned.pem'), join(home, '.config/freerdp/shadow/shadow.crt'));
      copyFileSync(join(PKI, 'selfsigned.key'), join(home, '.config/freerdp/shadow/shadow.key'));
      const hash = execFileSync('winpr-hash', ['-u', LAB_USER, '-p', LAB_PASS], { encoding: 'utf8' }).trim();
      writeFileSync(join(dir, 'sam'), `${LAB_USER}:::${hash}:::\n`);
      for (const h of shadowHosts) {
        track(`shadow ${h}`, spawn('freerdp-shadow-cli', [`/bind-address:${h}`, `/port:${opts.port}`, '/sec:nla', `/sam-file:${join(dir, 'sam')}`],
          { stdio: 'ignore', env: { ...process.env, HOME: home, DISPLAY: display } }));
      }
    }

    // the scenario server: listeners split over child processes
    const scen = plan.filter((p) => p.kind.startsWith('serve:')).map((p) => ({ scenario: p.kind.slice(6), host: p.host }));
    for (let k = 0; k < opts.serverProcs; k++) {
      const part = scen.filter((_, i) => i % opts.serverProcs === k);
      if (!part.length) continue;
      const child = spawn(process.execPath, [new URL(import.meta.url).pathname, '--serve-internal', String(opts.port), JSON.stringify(part)], { stdio: ['pipe', 'pipe', 'inherit'] });
      track(`scenario server ${k + 1}`, child);
      await new Promise((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (l) => { if (l.startsWith('READY')) resolve(); });
        child.once('exit', (c) => reject(new Error(`scenario server exited ${c}`)));
      });
    }

    // ready once every served address has its listener on the port
    for (let t = 0; ; t += 50) {
      const n = listeners();
      if (n === served) break;
      for (const s of started) if (s.child && s.child.exitCode !== null) throw new Error(`${s.label} exited ${s.child.exitCode}`);
      if (t > 20_000) {
        const by = {};
        for (const l of execFileSync('ss', ['-Hltnp', `sport = :${opts.port}`], { encoding: 'utf8' }).split('\n')) {
          const m = /users:\(\("([^"]+)",pid=(\d+)/.exec(l);
          if (m) by[`${m[1]} ${m[2]}`] = (by[`${m[1]} ${m[2]}`] ?? 0) + 1;
        }
        throw new Error(`${n} of ${served} listeners after 20 s: ${JSON.stringify(by)}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`servers: ${started.map((s) => `${s.label} pid ${s.child?.pid}`).join(', ')}`);
  }

  function listeners() {
    return execFileSync('ss', ['-Hltn', `sport = :${opts.port}`], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(`:${opts.port}`)).length;
  }

  function track(label, child) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.on('error', (e) => console.error(`bench: ${label}: ${e.message}`));
    started.push({
      label, child,
      stop: async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        child.kill('SIGTERM');
        const t = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(t);
      },
    });
    return child;
  }

  async function startXvfb() {
    const alive = execFileSync('ss', ['-Hxl'], { encoding: 'utf8' });
    for (let d = 240; d < 300; d++) {
      if (new RegExp(`/tmp/\\.X11-unix/X${d}\\s`).test(alive)) continue;
      const child = spawn('Xvfb', [`:${d}`, '-displayfd', '3', '-screen', '0', '1024x768x24', '-nolisten', 'tcp', '-noreset'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe'] });
      const ok = await new Promise((resolve) => {
        const timer = setTimeout(() => resolve(false), 10_000);
        child.stdio[3].once('data', () => { clearTimeout(timer); resolve(true); });
        child.once('exit', () => { clearTimeout(timer); resolve(false); });
      });
      if (ok) { track(`Xvfb :${d}`, child); return `:${d}`; }
      if (child.exitCode === null) { child.kill('SIGKILL'); }
    }
    throw new Error('no free X display in :240-:299');
  }

  /** user + system CPU seconds of every server process so far (utime + stime, /proc/PID/stat) */
  function serverCpu() {
    let ticks = 0;
    for (const s of started) {
      try {
        const st = readFileSync(`/proc/${s.child.pid}/stat`, 'utf8');
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        ticks += Number(f[11]) + Number(f[12]); // fields 14, 15: utime, stime
      } catch { /* gone */ }
    }
    return ticks / 100;
  }

  // ------------------------------------------------------------------------------------------
  // the tools

  function rdpscopeVariant(c, extra = []) {
    return {
      name: `rdpscope scan --concurrency ${c}${extra.length ? ` ${extra.join(' ')}` : ''}`,
      cmd: process.execPath,
      args: [RDPSCOPE, 'scan', cidr, '--port', String(opts.port), '--json', '--concurrency', String(c), ...extra],
      check: (out) => {
        const lines = out.trim().split('\n').map((l) => JSON.parse(l));
        const res = lines.filter((l) => l.schema === 'rdpscope/scan-result/1');
        const sum = lines.find((l) => l.schema === 'rdpscope/scan-summary/1');
        const seen = new Set(res.map((r) => r.address));
        const refused = res.filter((r) => r.verdict?.row?.id === 2).length;
        const valid = res.length === N && seen.size === N && sum?.targets === N && plan.every((p) => seen.has(p.host)) && refused === nClosed;
        return { valid, note: `${res.length} results (${seen.size} addresses), summary ${sum?.targets} targets: ${Object.entries(sum?.status ?? {}).map(([k, v]) => `${v} ${k}`).join(', ')}; ${refused} refused (expected ${nClosed})` };
      },
    };
  }

  function nmapVariant(name) {
    const scripts = name === 'ntlm-only' ? '+rdp-ntlm-info' : '+rdp-enum-encryption,+rdp-ntlm-info';
    // NSE lets at most 20 script threads hold open sockets unless --max-parallelism says more
    // (MAX_PARALLELISM in nse_nsock.cc); --min-hostgroup puts every target in one group
    const wide = ['-T4', '--min-hostgroup', String(N), '--max-parallelism', String(N)];
    const extra = { default: [], t4: ['-T4'], 't4-parallel': wide, 'ntlm-only': wide }[name];
    if (!extra) throw new Error(`--nmap: default, t4, t4-parallel, ntlm-only; not ${name}`);
    return {
      name: name === 'default' ? 'nmap' : `nmap ${name}`,
      cmd: 'nmap',
      // '+' runs the scripts on a port other than 3389 (their portrule wants 3389 or ms-wbt-server)
      args: ['-Pn', '-n', ...extra, '-p', String(opts.port), '--script', scripts, '-oX', '-', cidr],
      check: (out) => {
        const hosts = [...out.matchAll(/<host [\s\S]*?<\/host>/g)].map((m) => m[0]);
        const open = hosts.filter((h) => /<state state="open"/.test(h));
        const closed = hosts.filter((h) => /<state state="closed"/.test(h)).length;
        const enumOut = hosts.filter((h) => /script id="rdp-enum-encryption"/.test(h)).length;
        const ntlmOut = hosts.filter((h) => /script id="rdp-ntlm-info"/.test(h)).length;
        const addrs = new Set(hosts.map((h) => /addr="([\d.]+)"/.exec(h)?.[1]));
        const valid = hosts.length === N && addrs.size === N && open.length === served && closed === nClosed && /<finished [^>]*exit="success"/.test(out);
        return { valid, note: `${hosts.length} hosts: ${open.length} open (expected ${served}), ${closed} closed; script output on ${enumOut} (rdp-enum-encryption), ${ntlmOut} (rdp-ntlm-info)` };
      },
    };
  }

  function runVariant(v) {
    const timeFile = join(dir, 'time');
    const cpuBefore = serverCpu();
    return new Promise((resolve, reject) => {
      const start = process.hrtime.bigint();
      const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', timeFile, v.cmd, ...v.args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      const out = [];
      let err = '';
      child.stdout.on('data', (d) => out.push(d));
      child.stderr.on('data', (d) => { err = (err + d).slice(-2000); });
      child.on('error', reject);
      child.on('close', (code) => { try {
        const seconds = Number(process.hrtime.bigint() - start) / 1e9;
        const serverCpuS = serverCpu() - cpuBefore;
        const [u, s] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1).split(' ').map(Number);
        const text = Buffer.concat(out).toString();
        if (opts.keep) writeFileSync(join(opts.keep, `${v.name.replace(/\W+/g, '_')}.out`), text);
        let c;
        try { c = v.check(text); } catch (e) { c = { valid: false, note: `unreadable output: ${e.message}` }; }
        const okCode = v.cmd === 'nmap' ? code === 0 : code === 0 || code === 1;
        if (!okCode) c = { valid: false, note: `exit ${code}: ${err.trim().split('\n').at(-1)}; ${c.note}` };
        resolve({ seconds, cpu: u + s, serverCpu: serverCpuS, valid: c.valid, note: c.note, cmd: [v.cmd === process.execPath ? 'node' : v.cmd, ...v.args.map((a) => a.replace(ROOT, ''))].join(' ') });
      } catch (e) { reject(e); } });
    });
  }
}
