// Smoke tests of the real-server lab: real xrdp and FreeRDP shadow servers answer an X.224
// Connection Request on loopback (IPv4 and IPv6), and stop() leaves no process behind.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import {
  captureClient,
  describeWithTools,
  freePort,
  LAB_PASSWORD,
  LAB_USER,
  pidAlive,
  startLab,
  type LabServer,
} from '../helpers/lab.js';

// TPKT + X.224 Connection Request + RDP_NEG_REQ (PROTOCOL_SSL | PROTOCOL_HYBRID), 19 bytes
const X224_CR = Buffer.from('030000130ee000000000000100080003000000', 'hex');

/** Sends the Connection Request and resolves with the first complete TPKT the server returns. */
function x224Exchange(host: string, port: number, timeoutMs = 5000): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const sock = connect({ host, port });
    let buf = Buffer.alloc(0);
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new Error(`no X.224 reply from ${host}:${port} within ${timeoutMs} ms`));
    }, timeoutMs);
    sock.once('connect', () => sock.write(X224_CR));
    sock.on('data', (d) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length >= 4 && buf.length >= buf.readUInt16BE(2)) {
        clearTimeout(timer);
        sock.destroy();
        resolve(buf.subarray(0, buf.readUInt16BE(2)));
      }
    });
    sock.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sock.once('close', () => {
      clearTimeout(timer);
      reject(new Error(`connection closed after ${buf.length} bytes`));
    });
  });
}

function connectRefused(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = connect({ host, port });
    sock.once('connect', () => {
      sock.destroy();
      resolve(false);
    });
    sock.once('error', (err: NodeJS.ErrnoException) => resolve(err.code === 'ECONNREFUSED'));
  });
}

const started: LabServer[] = [];
afterAll(async () => {
  await Promise.all(started.map((lab) => lab.stop()));
});

async function checkScenario(scenario: string, ipv6: boolean, expectSelected: number): Promise<void> {
  const host = ipv6 ? '::1' : '127.0.0.1';
  const port = await freePort(host);
  const lab = await startLab(scenario, { port, ipv6 });
  started.push(lab);
  expect(lab.scenario).toBe(scenario);
  expect(lab.host).toBe(host);
  expect(lab.port).toBe(port);
  expect(lab.startupMs).toBeGreaterThanOrEqual(0);
  expect(pidAlive(lab.pid)).toBe(true);
  expect(pidAlive(lab.labPid)).toBe(true);
  expect(readFileSync(join(lab.runDir, 'server.pid'), 'utf8').trim()).toBe(String(lab.pid));
  const xvfbPidFile = join(lab.runDir, 'xvfb.pid');
  const xvfbPid = existsSync(xvfbPidFile) ? Number(readFileSync(xvfbPidFile, 'utf8').trim()) : undefined;
  if (scenario.startsWith('shadow-')) expect(xvfbPid && pidAlive(xvfbPid)).toBe(true);

  const reply = await x224Exchange(lab.host, lab.port);
  expect(reply.subarray(0, 6).toString('hex')).toBe('030000130ed0');
  // RDP_NEG_RSP (type 2) with the protocol the server picked from SSL|HYBRID
  expect(reply.length).toBe(19);
  expect(reply[11]).toBe(0x02);
  expect(reply.readUInt32LE(15)).toBe(expectSelected);

  await lab.stop();
  await lab.stop(); // idempotent
  expect(pidAlive(lab.labPid)).toBe(false);
  expect(pidAlive(lab.pid)).toBe(false);
  if (xvfbPid !== undefined) expect(pidAlive(xvfbPid)).toBe(false);
  expect(await connectRefused(host, port)).toBe(true);
}

describeWithTools(['bash', 'ss', 'openssl', 'xrdp'], 'lab: xrdp-negotiate', () => {
  it('answers the X.224 Connection Request on 127.0.0.1 (SSL selected) and stops cleanly', async () => {
    await checkScenario('xrdp-negotiate', false, 1);
  });
  it('does the same on ::1', async () => {
    await checkScenario('xrdp-negotiate', true, 1);
  });
  it('rejects a port that is already in use', async () => {
    const port = await freePort();
    const first = await startLab('xrdp-negotiate', { port });
    started.push(first);
    await expect(startLab('xrdp-negotiate', { port })).rejects.toThrow(/already in use/);
    await first.stop();
  });
});

describeWithTools(['bash', 'ss', 'openssl', 'freerdp-shadow-cli', 'Xvfb'], 'lab: shadow-nla', () => {
  it('answers the X.224 Connection Request on 127.0.0.1 (HYBRID selected) and stops cleanly, Xvfb included', async () => {
    await checkScenario('shadow-nla', false, 2);
  });
  it('does the same on ::1', async () => {
    await checkScenario('shadow-nla', true, 2);
  });
});

describeWithTools(['bash', 'ss', 'openssl', 'xrdp', 'xfreerdp', 'Xvfb', 'dumpcap', 'root'], 'lab: captureClient', () => {
  it('captures a full xfreerdp /auth-only handshake against xrdp-negotiate without leaking the password', async () => {
    const port = await freePort();
    const lab = await startLab('xrdp-negotiate', { port });
    started.push(lab);
    const dir = mkdtempSync(join(tmpdir(), 'rdpscope-lab-'));
    try {
      const pcap = join(dir, 'auth-only.pcap');
      const res = await captureClient(
        pcap,
        port,
        [`/v:127.0.0.1:${port}`, `/u:${LAB_USER}`, `/p:${LAB_PASSWORD}`, '/auth-only', '/cert:ignore'],
        15,
      );
      expect(res.exitCode, res.stdout + res.stderr).toBe(0);
      expect(res.stdout + res.stderr).toContain('Authentication only, exit status 0');
      const bytes = readFileSync(pcap);
      expect(bytes.readUInt32LE(0)).toBe(0xa1b2c3d4); // libpcap, microseconds
      expect(bytes.length).toBeGreaterThan(4000);
      expect(bytes.includes(Buffer.from(`Cookie: mstshash=${LAB_USER}\r\n`))).toBe(true);
      expect(bytes.includes(Buffer.from(LAB_PASSWORD, 'utf8'))).toBe(false);
      expect(bytes.includes(Buffer.from(LAB_PASSWORD, 'utf16le'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await lab.stop();
    }
  });
});
