// Scenario server: runs one scenario script per TCP connection on loopback (docs/architecture.md,
// src/server/; failure-catalogue rows 4-34), then TLS, CredSSP and the RDP connection sequence. Bounded: connection cap, per-connection idle limit.
import net from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { findScenario, SCENARIOS } from './scenarios.js';
import { ScriptRun, type Effect } from './script.js';
import tls from 'node:tls';
import { scenarioCertificate } from './tls-certs.js';
import { CredsspResponder, type CredsspAction } from './credssp-responder.js';
import { RdpResponder, type RdpAction, type RdpBehaviour } from './rdp-responder.js';
import { scenarioProprietaryKey } from './rdp-responder-key.js';
import { randomBytes } from 'node:crypto';
import { subjectPublicKey } from '../tls/x509.js';
import { bestProtocol } from './replies.js';
import { PROTOCOL } from '../x224/codes.js';
import type { ConnectionRequest } from '../x224/connection-request.js';

/** Writes bytes again and again, everyMs apart (each write handed to the socket first), until the connection is gone. */
async function repeat(socket: net.Socket, out: net.Socket, bytes: Uint8Array, everyMs: number): Promise<void> {
  while (!socket.destroyed && out.writable) {
    await new Promise<void>((done) => out.write(bytes, () => done()));
    await sleep(everyMs);
  }
}

/** Runs actions in order on this socket: a close waits until the bytes before it were handed to the TCP socket. */
function actor(socket: net.Socket, out: net.Socket): (actions: readonly (CredsspAction | RdpAction)[]) => void {
  let queue = Promise.resolve();
  const act = async (a: CredsspAction | RdpAction): Promise<void> => {
    if (socket.destroyed) return;
    if ('write' in a) await new Promise<void>((done) => out.write(a.write, () => done()));
    else if ('repeat' in a) await repeat(socket, out, a.repeat, a.everyMs);
    else if (a.close === 'fin') socket.end(); // TCP FIN (under TLS: no close_notify)
    else if (a.close === 'rst') socket.resetAndDestroy();
    // node:tls cannot send an arbitrary (fatal) alert; ending TLS sends close_notify, then FIN. That is
    // what a TLS-layer alert looks like to anyone without the keys, and what the row 21 rule reads: in
    // TLS 1.3 an encrypted 19-byte record (1 content type + 2 alert + 16 tag), in TLS ≤ 1.2 a record of
    // content type 21 after ChangeCipherSpec, where a TSRequest was expected
    else out.end();
  };
  return (actions) => {
    for (const a of actions) queue = queue.then(() => act(a));
  };
}

function rdpResponder(request: ConnectionRequest | undefined, selectedProtocol: number, behaviour: RdpBehaviour): RdpResponder {
  return new RdpResponder({
    selectedProtocol, requestedProtocols: request?.negotiation?.requestedProtocols, behaviour, random: (n) => new Uint8Array(randomBytes(n)),
  });
}

/**
 * Takes the connection over with a TLS server whose plaintext goes to a CredsspResponder (the
 * scenario's `credssp` behaviour) for HYBRID/HYBRID_EX, then to an RdpResponder once NLA completed
 * (right away for SSL): `rdp` from an `rdp` step, else the default (the sequence to the Demand Active),
 * as a real server goes on to MCS. After a CredSSP failure the rest is read and dropped, the connection
 * stays open.
 */
function startTls(socket: net.Socket, e: Extract<Effect, { startTls: unknown }>): void {
  socket.removeAllListeners('data');
  const { cert, context } = scenarioCertificate(e.startTls.cert);
  const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
  secure.on('error', () => socket.destroy());
  const selected = e.selectedProtocol ?? (e.request ? bestProtocol(e.request) : PROTOCOL.SSL);
  const nla = (selected & (PROTOCOL.HYBRID | PROTOCOL.HYBRID_EX)) !== 0;
  const behaviour = e.rdp ?? {};
  let credssp = nla ? new CredsspResponder({
    now: () => Date.now(), random: (n) => new Uint8Array(randomBytes(n)), serverPublicKey: subjectPublicKey(cert.der),
    hybridEx: selected === PROTOCOL.HYBRID_EX, ...(e.startTls.credssp ? { behaviour: e.startTls.credssp } : {}),
  }) : undefined;
  let rdp = credssp ? undefined : rdpResponder(e.request, selected, behaviour);
  const run = actor(socket, secure);
  secure.on('data', (chunk: Buffer) => {
    let bytes: Uint8Array = new Uint8Array(chunk);
    if (credssp) {
      run(credssp.receive(bytes));
      if (!credssp.complete) return;
      // NLA done: the client's next bytes (maybe already read) are the MCS Connect Initial
      bytes = credssp.takeRest();
      credssp = undefined;
      rdp = rdpResponder(e.request, selected, behaviour);
    }
    if (rdp) run(rdp.receive(bytes));
  });
}

/** Standard RDP Security: the raw stream after the Confirm goes to an RdpResponder. */
function startRdp(socket: net.Socket, e: Extract<Effect, { startRdp: unknown }>): void {
  socket.removeAllListeners('data');
  const rdp = rdpResponder(e.request, PROTOCOL.RDP, e.startRdp);
  const run = actor(socket, socket);
  socket.on('data', (chunk: Buffer) => run(rdp.receive(new Uint8Array(chunk))));
  if (e.rest.length > 0) run(rdp.receive(e.rest));
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
    else if ('startTls' in e) startTls(socket, e);
    else if ('startRdp' in e) startRdp(socket, e);
    else if ('repeat' in e) await repeat(socket, socket, e.repeat, e.everyMs);
    else if ('stopReading' in e) socket.pause();
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
  for (const step of scenario.behaviour) {
    if ('tls' in step) scenarioCertificate(step.tls.cert);
    if ('rdp' in step) scenarioCertificate(step.rdp.tls?.cert ?? 'ok');
    if ('tls' in step || 'rdp' in step) scenarioProprietaryKey();
  }
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
