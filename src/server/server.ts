// Scenario server: runs one scenario script per TCP connection on loopback (docs/architecture.md,
// src/server/; failure-catalogue rows 4-12). Bounded: connection cap, per-connection idle limit.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findScenario, SCENARIOS } from './scenarios.js';
import { ScriptRun, type Effect } from './script.js';
import tls from 'node:tls';
import { scenarioCertificate, type TlsServerSpec } from './tls-certs.js';
import { CredsspResponder } from './credssp-responder.js';
import { randomBytes } from 'node:crypto';
import { subjectPublicKey } from '../tls/x509.js';
import { bestProtocol } from './replies.js';
import { PROTOCOL } from '../x224/codes.js';
import type { ConnectionRequest } from '../x224/connection-request.js';

/**
 * Takes the connection over with a TLS server whose plaintext goes to a CredsspResponder (the
 * scenario's `credssp` behaviour); what it does not answer is read and dropped, the connection stays open.
 */
function startTls(socket: net.Socket, spec: TlsServerSpec, request: ConnectionRequest | undefined): void {
  socket.removeAllListeners('data');
  const { cert, context } = scenarioCertificate(spec.cert);
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
  secure.on('error', () => socket.destroy());
  // the CredSSP scenarios' Confirm selects bestProtocol (src/server/scenarios-credssp.ts)
  const credssp = new CredsspResponder({
    now: () => Date.now(), random: (n) => new Uint8Array(randomBytes(n)), serverPublicKey: subjectPublicKey(cert.der),
    hybridEx: request !== undefined && bestProtocol(request) === PROTOCOL.HYBRID_EX, ...(spec.credssp ? { behaviour: spec.credssp } : {}),
  });
  // actions run in order: a close waits until the bytes before it were handed to the TCP socket
  let queue = Promise.resolve();
  const act = async (a: ReturnType<CredsspResponder['receive']>[number]): Promise<void> => {
    if (socket.destroyed) return;
    if ('write' in a) await new Promise<void>((done) => secure.write(a.write, () => done()));
    else if (a.close === 'fin') socket.end(); // TCP FIN under TLS, no close_notify
    else if (a.close === 'rst') socket.resetAndDestroy();
    // node:tls cannot send an arbitrary (fatal) alert; ending TLS sends close_notify, then FIN. That is
    // what a TLS-layer alert looks like to anyone without the keys, and what the row 21 rule reads: in
    // TLS 1.3 an encrypted 19-byte record (1 content type + 2 alert + 16 tag), in TLS ≤ 1.2 a record of
    // content type 21 after ChangeCipherSpec, where a TSRequest was expected
    else secure.end();
  };
  secure.on('data', (chunk: Buffer) => {
    for (const a of credssp.receive(new Uint8Array(chunk))) queue = queue.then(() => act(a));
  });
}

export interface ScenarioServerOptions {
  /** scenario name (see SCENARIOS) */
  scenario: string;
  host?: string;
  /** 0 picks a free port */
  port?: number;
  /** bind addresses outside 127.0.0.0/8 and ::1 (only for network namespaces tests create) */
  allowNonLoopback?: boolean;
  /** concurrent connections beyond this are closed on accept */
  maxConnections?: number;
  /** a connection with no traffic either way for this long is destroyed */
  idleMs?: number;
}

export interface ScenarioServer {
  host: string;
  port: number;
  /** connections open right now */
  readonly connections: number;
  /** stops listening and destroys every open connection */
  close(): Promise<void>;
}

export const DEFAULT_MAX_CONNECTIONS = 1024;
export const DEFAULT_IDLE_MS = 60_000;

const LOOPBACK = new net.BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  const family = net.isIP(host);
  return family !== 0 && LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

async function perform(socket: net.Socket, effects: Effect[]): Promise<void> {
  for (const e of effects) {
    if (socket.destroyed) return;
    if ('sleep' in e) await sleep(e.sleep);
    else if ('write' in e) socket.write(e.write);
    else if ('startTls' in e) startTls(socket, e.startTls, e.request);
    else if (e.close === 'rst') socket.resetAndDestroy();
    else socket.end();
  }
}

function serve(socket: net.Socket, run: ScriptRun, idleMs: number): void {
  // effects run strictly in order, even when client bytes arrive during a paced send
  let queue = Promise.resolve();
  const enqueue = (effects: Effect[]): void => {
    if (effects.length) queue = queue.then(() => perform(socket, effects));
  };
  socket.setTimeout(idleMs, () => socket.destroy());
  socket.on('error', () => { /* ECONNRESET/EPIPE: the client left; 'close' follows */ });
  socket.on('data', (chunk: Buffer) => enqueue(run.receive(chunk)));
  enqueue(run.start());
}

export function startScenarioServer(opts: ScenarioServerOptions): Promise<ScenarioServer> {
  const scenario = findScenario(opts.scenario);
  if (!scenario) {
    return Promise.reject(new Error(`unknown scenario "${opts.scenario}" (known: ${SCENARIOS.map((s) => s.name).join(', ')})`));
  }
  const host = opts.host ?? '127.0.0.1';
  if (!opts.allowNonLoopback && !isLoopback(host)) {
    return Promise.reject(new Error(`refusing to bind ${host}: the scenario server listens on loopback only (127.0.0.0/8, ::1, localhost)`));
  }
  const idleMs = opts.idleMs ?? DEFAULT_IDLE_MS;
  // make the scenario's certificates before listening: generating one blocks for a moment
  for (const step of scenario.behaviour) if ('tls' in step) scenarioCertificate(step.tls.cert);
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    serve(socket, new ScriptRun(scenario.behaviour), idleMs);
  });
  server.maxConnections = opts.maxConnections ?? DEFAULT_MAX_CONNECTIONS;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      const addr = server.address() as net.AddressInfo;
      resolve({
        host: addr.address,
        port: addr.port,
        get connections() { return sockets.size; },
        close: () => new Promise<void>((done) => {
          server.close(() => done());
          for (const s of sockets) s.destroy();
        }),
      });
    });
  });
}
