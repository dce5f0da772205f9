// Records fixtures/pcaps/decrypt/: a real rdpscope probe (dist/probe/live.js, as `rdpscope probe
// 127.0.0.1:PORT --user rdpscope --delegate` with the case's --tls-* options) against the scenario
// server's `ok` scenario (TLS, NLA for the scenario account, MCS to the Demand Active), captured by
// dumpcap on lo. Per case it writes NAME.pcap, NAME.keys (the probe's NSS key log, from node:tls's
// 'keylog' event through the probe's `keylog` option) and NAME.live.json (what the live probe's
// tracker saw, for the replay tests); scenario-server.key is the server's RSA key (--server-key).
// The password is the scenario server's test-only account password.
//
//   npm run build && node test/tls/decrypt/record-fixtures.mjs     (as root: dumpcap on lo)
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { probe } from '../../../dist/probe/live.js';
import { startScenarioServer } from '../../../dist/server/server.js';
import { scenarioCertificate } from '../../../dist/server/tls-certs.js';

const OUT = fileURLToPath(new URL('../../../fixtures/pcaps/decrypt/', import.meta.url));
const PASSWORD = 'Scenario#Pass1';

export const CASES = [
  { name: 'tls13-aes128gcm', tls: { minVersion: 'TLSv1.3', ciphers: 'TLS_AES_128_GCM_SHA256' } },
  { name: 'tls13-chacha20', tls: { minVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' } },
  { name: 'tls12-aes256gcm', tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' } },
  { name: 'tls12-chacha20', tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' } },
  { name: 'tls12-cbc-sha', tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' } },
  { name: 'tls12-cbc-sha256', tls: { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256' } },
  { name: 'tls12-rsa-kx', tls: { maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' } },
];

function startDumpcap(file, port) {
  const p = spawn('dumpcap', ['-q', '-i', 'lo', '-f', `tcp port ${port}`, '-P', '-w', file], { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolve, reject) => {
    let err = '';
    p.stderr.on('data', (d) => {
      err += d;
      if (/^File: /m.test(err)) resolve(p);
    });
    p.once('exit', (code) => reject(new Error(`dumpcap exited ${code}: ${err}`)));
  });
}

const summary = (events) => events.map((e) => ({ type: e.type, ...(e.stage ? { stage: e.stage } : {}), ...(e.dir ? { dir: e.dir } : {}), ...(e.lane ? { lane: e.lane } : {}), ...(e.name ? { name: e.name } : {}) }));

mkdirSync(OUT, { recursive: true });
const server = await startScenarioServer({ scenario: 'ok', host: '127.0.0.1', port: 0 });
writeFileSync(join(OUT, 'scenario-server.key'), scenarioCertificate('ok').cert.keyPem);
try {
  for (const c of CASES) {
    const pcap = join(OUT, `${c.name}.pcap`);
    const dumpcap = await startDumpcap(pcap, server.port);
    const lines = [];
    const r = await probe({
      host: '127.0.0.1', port: server.port, connectTimeoutMs: 5000, stageTimeoutMs: 5000, requestedProtocols: 0x1 | 0x2 | 0x8,
      tls: c.tls, credentials: { user: 'rdpscope', domain: '', password: PASSWORD }, delegate: true,
      keylog: (line) => lines.push(line.toString('latin1')),
    });
    await new Promise((done) => setTimeout(done, 500));
    await new Promise((done) => {
      dumpcap.once('exit', done);
      dumpcap.kill('SIGTERM');
    });
    writeFileSync(join(OUT, `${c.name}.keys`), lines.join(''));
    const tls = r.events.find((e) => e.type === 'tls-session');
    writeFileSync(join(OUT, `${c.name}.live.json`), `${JSON.stringify({
      protocol: tls?.protocol, cipher: tls?.cipher,
      verdict: { status: r.verdict.status, summary: r.verdict.summary, lastCompletedStage: r.verdict.lastCompletedStage },
      events: summary(r.events),
    }, null, 1)}\n`);
    console.log(`${c.name}: ${tls?.protocol} ${tls?.cipher}: ${r.verdict.status}: ${r.verdict.summary}`);
  }
} finally {
  await server.close();
}
