// Offline analysis speed: `rdpscope analyze` against `tshark` on one large capture, in one run.
// The capture is built from every bundled classic pcap (fixtures/pcaps, fixtures/lab: RDP handshakes
// of every kind mixed with Modbus, DCE-RPC, HTTP, TLS, S7 and SOCKS traffic), repeated with the
// addresses of each copy rewritten so every copy is a set of new connections, and timestamps laid
// end to end.
// Two mixes: 'handshakes' (every bundled pcap: ~47 RDP connections per MB, the worst case for a
// per-connection analysis) and 'sessions' (the three real captures with long RDP sessions, plus the
// Modbus/DCE-RPC/HTTP and Arkime multi-protocol traces: what a capture of a network looks like).
// Then the floor (bench/analyze-floor.mjs): reading and demultiplexing the same file with nothing
// decoded, plus serialising rdpscope's own report; tshark's time over the floor is the highest ratio
// any analysis printing that report could reach here.
// Usage: npm run build && node bench/analyze-vs-tshark.mjs [--mix handshakes|sessions] [megabytes, default 150] [more sizes...]
//        node bench/analyze-vs-tshark.mjs [--mix M] --write FILE [megabytes]   only writes the capture (profiling)
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = new URL('..', import.meta.url).pathname;
const argv = process.argv.slice(2);
const MIX = argv[0] === '--mix' ? argv.splice(0, 2)[1] : 'handshakes';
const WRITE = argv[0] === '--write' ? argv.splice(0, 2)[1] : undefined;
const SIZES = argv.map(Number).filter((n) => n > 0);
const SESSIONS = ['rdp-to-ssl.pcap', 'rdp-proprietary-encryption.pcap', 'RDP-003.pcap', 'modbus-and-non-modbus-p502.pcap', 'arkime_synthetic.pcap'];
if (MIX !== 'handshakes' && MIX !== 'sessions') throw new Error(`--mix handshakes|sessions, not ${MIX}`);
if (SIZES.length === 0) SIZES.push(150);

// tshark dissects every packet and prints the RDP fields rdpscope reports (Wireshark 4.0 names)
const TSHARK_FIELDS = [
  'frame.number', 'tcp.stream', 'rdp.rt_cookie', 'rdp.negReq.requestedProtocols', 'rdp.negReq.selectedProtocol',
  'rdp.negFailure.failureCode', 'tls.handshake.type', 'tls.handshake.ciphersuite', 'rdp.encryptionMethod', 'rdp.encryptionLevel',
];
const TSHARK_FILTER = 'rdp || tls.handshake || t124 || t125';

/** Classic little-endian µs pcap records of one file, Ethernet only. */
function records(path) {
  const b = readFileSync(path);
  if (b.readUInt32LE(0) !== 0xa1b2c3d4 || b.readUInt32LE(20) !== 1) return [];
  const out = [];
  for (let at = 24; at + 16 <= b.length;) {
    const incl = b.readUInt32LE(at + 8);
    out.push({ sec: b.readUInt32LE(at), usec: b.readUInt32LE(at + 4), orig: b.readUInt32LE(at + 12), data: b.subarray(at + 16, at + 16 + incl) });
    at += 16 + incl;
  }
  return out;
}

/** XORs bytes 2-3 of both IPv4 or IPv6 addresses with `k`: copy k of a flow is a new flow. */
function rewrite(frame, k) {
  let off = 12;
  let type = frame.readUInt16BE(off);
  if (type === 0x8100) type = frame.readUInt16BE((off += 4));
  const ip = off + 2;
  const pairs = type === 0x0800 ? [ip + 12 + 1, ip + 16 + 1] : type === 0x86dd ? [ip + 8 + 2, ip + 24 + 2] : [];
  for (const p of pairs) {
    if (p + 2 > frame.length) continue;
    frame[p] ^= k >> 8;
    frame[p + 1] ^= k & 0xff;
  }
}

function buildCapture(file, megabytes) {
  const files = ['fixtures/pcaps', 'fixtures/lab'].flatMap((d) => readdirSync(join(ROOT, d))
    .filter((f) => f.endsWith('.pcap') && (MIX === 'handshakes' || SESSIONS.includes(f))).map((f) => join(ROOT, d, f)));
  const sets = files.map(records).filter((r) => r.length);
  const header = Buffer.alloc(24);
  header.writeUInt32LE(0xa1b2c3d4, 0);
  header.writeUInt16LE(2, 4);
  header.writeUInt16LE(4, 6);
  header.writeUInt32LE(65535, 16);
  header.writeUInt32LE(1, 20);
  const parts = [header];
  let size = 24;
  let packets = 0;
  let clock = 1_700_000_000 * 1e6;
  for (let k = 1; size < megabytes * 1e6; k++) {
    for (const recs of sets) {
      // offsets within a file clamped to 10 min: some synthetic traces jump years
      const first = recs[0].sec * 1e6 + recs[0].usec;
      const offset = (r) => Math.min(Math.max(r.sec * 1e6 + r.usec - first, 0), 600e6);
      for (const r of recs) {
        const t = clock + offset(r);
        const rec = Buffer.alloc(16 + r.data.length);
        rec.writeUInt32LE(Math.floor(t / 1e6), 0);
        rec.writeUInt32LE(t % 1e6, 4);
        rec.writeUInt32LE(r.data.length, 8);
        rec.writeUInt32LE(r.orig, 12);
        r.data.copy(rec, 16);
        rewrite(rec.subarray(16), k & 0xffff);
        parts.push(rec);
        size += rec.length;
        packets++;
      }
      clock += offset(recs.at(-1)) + 1e6;
    }
  }
  writeFileSync(file, Buffer.concat(parts));
  return { bytes: size, packets };
}

/**
 * Runs a command with stdout discarded: wall time, CPU time (user + system, from bash's `times`, so
 * a busy machine weighs on both tools alike) and peak RSS (VmHWM, sampled every 10 ms).
 */
function measure(cmd, args) {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn('bash', ['-c', '"$@" >/dev/null 2>"$ERR"; rc=$?; times; exit $rc', 'measure', cmd, ...args], {
      stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ERR: '/dev/null' },
    });
    let hwm = 0;
    let out = '';
    const sample = () => {
      try {
        for (const pid of readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
          const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
          if (m) hwm = Math.max(hwm, Number(m[1]));
        }
      } catch { /* not started yet, or exited */ }
    };
    const timer = setInterval(sample, 10);
    child.stdout.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('exit', (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      // times: shell user/sys, then children's user/sys, as 0m1.234s
      const t = out.trim().split('\n').at(-1).split(/\s+/).map((x) => { const m = /(\d+)m([\d.]+)s/.exec(x); return m ? Number(m[1]) * 60 + Number(m[2]) : 0; });
      if (code !== 0 && code !== 1) reject(new Error(`${cmd} exited ${code}`));
      else resolve({ seconds, cpu: t[0] + t[1], rssMB: hwm / 1024 });
    });
  });
}

/** The floor's two parts: reading (timed as a process) and serialising rdpscope's NDJSON for this file (timed inside). */
async function floorOf(file) {
  const script = join(ROOT, 'bench/analyze-floor.mjs');
  const read = await measure(process.execPath, [script, 'read', file]);
  const ndjson = `${file}.ndjson`;
  const fd = openSync(ndjson, 'w');
  spawnSync(process.execPath, [join(ROOT, 'bin/rdpscope.js'), 'analyze', '--json', file], { stdio: ['ignore', fd, 'ignore'] });
  closeSync(fd);
  const r = spawnSync(process.execPath, [script, 'json', ndjson], { encoding: 'utf8' });
  rmSync(ndjson);
  if (r.status !== 0) throw new Error(`analyze-floor.mjs json: ${r.stderr}`);
  const json = JSON.parse(r.stdout);
  return { read, json, seconds: read.seconds + json.ms / 1e3 };
}

if (WRITE) {
  const { bytes, packets } = buildCapture(WRITE, SIZES[0]);
  console.log(`${WRITE}: ${bytes} bytes, ${packets} packets`);
  process.exit(0);
}

const dir = mkdtempSync(join(tmpdir(), 'rdpscope-bench-'));
try {
  const rows = [];
  for (const mb of SIZES) {
    const file = join(dir, `mixed-${mb}MB.pcap`);
    const { bytes, packets } = buildCapture(file, mb);
    console.log(`capture (${MIX}): ${(bytes / 1e6).toFixed(0)} MB, ${packets.toLocaleString('en')} packets (${statSync(file).size} bytes on disk)`);
    const ours = await measure(process.execPath, [join(ROOT, 'bin/rdpscope.js'), 'analyze', '--json', file]);
    const theirs = await measure('tshark', ['-n', '-r', file, '-Y', TSHARK_FILTER, '-T', 'fields', ...TSHARK_FIELDS.flatMap((f) => ['-e', f])]);
    for (const [tool, r] of [['rdpscope analyze --json', ours], ['tshark -Y ... -T fields', theirs]]) {
      rows.push({
        capture: `${mb} MB`, tool, 'wall s': r.seconds.toFixed(2), 'CPU s': r.cpu.toFixed(2), 'MB/s (CPU)': (bytes / 1e6 / r.cpu).toFixed(1),
        'packets/s (CPU)': Math.round(packets / r.cpu).toLocaleString('en'), 'peak RSS MB': r.rssMB.toFixed(0),
      });
    }
    rows.push({ capture: `${mb} MB`, tool: 'ratio tshark / rdpscope', 'wall s': `${(theirs.seconds / ours.seconds).toFixed(1)}x`, 'CPU s': `${(theirs.cpu / ours.cpu).toFixed(1)}x` });
    const floor = await floorOf(file);
    rows.push(
      { capture: `${mb} MB`, tool: 'floor: read + headers + flow lookup', 'wall s': floor.read.seconds.toFixed(2), 'CPU s': floor.read.cpu.toFixed(2), 'peak RSS MB': floor.read.rssMB.toFixed(0) },
      { capture: `${mb} MB`, tool: `floor: JSON of the report (${(floor.json.bytes / 1e6).toFixed(0)} MB)`, 'wall s': (floor.json.ms / 1e3).toFixed(2) },
      { capture: `${mb} MB`, tool: 'ceiling tshark / floor', 'wall s': `${(theirs.seconds / floor.seconds).toFixed(1)}x` },
      { capture: `${mb} MB`, tool: 'left for the analysis at 25x', 'wall s': (theirs.seconds / 25 - floor.seconds).toFixed(2) },
    );
    rmSync(file);
  }
  console.table(rows);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
