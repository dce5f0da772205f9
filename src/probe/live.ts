// Live driver: resolves, connects, runs the ClientScript over node:net and feeds every byte both
// ways into the HandshakeTracker. The driver owns the clock and the timeouts; nothing else does.
import { lookup } from 'node:dns/promises';
import { isIP, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';
import { HandshakeTracker } from '../analyze/tracker.js';
import { diagnose, type Verdict } from '../analyze/diagnose.js';
import type { TrackerEvent } from '../analyze/events.js';
import type { TcpWhat, TrackerInput } from '../analyze/input.js';
import type { TLSSocket } from 'node:tls';
import { ClientScript, type ScriptAction, type ScriptOptions, type TlsClientOptions } from './client-script.js';
import { sessionInfo, startTls, TlsTap } from './tls-tap.js';
import { CONNECTION_CONFIRM_NAME } from '../x224/connection-confirm.js';
import type { DiagnoseOptions } from '../analyze/diagnose.js';
import { DEFAULT_LIMITS } from '../limits.js';

/** After a TLS failure, how long to wait for the server's FIN or RST before ending (limit tls-close-grace-ms). */
const TLS_CLOSE_GRACE_MS = DEFAULT_LIMITS['tls-close-grace-ms'];

export interface ProbeOptions extends ScriptOptions {
  host: string;
  port: number;
  /** 4 or 6 to force an address family; 0 (default) takes the resolver's first answer */
  family?: 0 | 4 | 6;
  connectTimeoutMs: number;
  /**
   * longest wait for progress within a stage: the server's next complete PDU (or anything else the
   * tracker reports) after the last one or after the probe's last send. Bytes that never complete a
   * PDU (a server dripping one byte a second) do not extend it.
   */
  stageTimeoutMs: number;
  /** certificate names and trust anchors for the verdict */
  diagnose?: DiagnoseOptions;
  /** each NSS key log line of the TLS session, as node:tls emits it */
  keylog?: (line: Buffer) => void;
  /**
   * A recording of the probe's own traffic (src/probe/record.ts, `probe --record`): called once per
   * TCP connection, before it is opened, with its target.
   */
  record?: (target: { address: string; port: number }) => ConnectionRecorder;
}

/** What a recording sees of one TCP connection of the probe; the driver's clock gives every time. */
export interface ConnectionRecorder {
  /** the connection is up: the socket's own addresses */
  connected(local: { address: string; port: number }, remote: { address: string; port: number }, at: number): void;
  /** every input the tracker is fed, in order: the wire bytes both ways, the server's close, the end */
  input(input: TrackerInput): void;
  /** observation ended and the probe closed its socket */
  released(at: number): void;
}

export interface ProbeResult {
  target: { host: string; port: number; address?: string; family?: 4 | 6 };
  requestedProtocols?: number;
  events: TrackerEvent[];
  verdict: Verdict;
  /** TCP connections opened */
  connections: number;
  startedAt: number;
  durationMs: number;
  /** the certificate options (and the limits, when given) the verdict was made with */
  diagnose?: DiagnoseOptions;
}

const now = (): number => performance.timeOrigin + performance.now();

function tcpFailure(code: string | undefined): TcpWhat {
  if (code === 'ECONNREFUSED') return 'refused';
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EADDRNOTAVAIL') return 'unreachable';
  return 'no-answer';
}

async function resolve(host: string, family: 0 | 4 | 6): Promise<{ ok: true; addresses: string[] } | { ok: false; error: string }> {
  if (isIP(host)) return { ok: true, addresses: [host] };
  try {
    const all = await lookup(host, { all: true, family });
    return all.length ? { ok: true, addresses: all.map((a) => a.address) } : { ok: false, error: 'ENODATA' };
  } catch (e) {
    return { ok: false, error: (e as NodeJS.ErrnoException).code ?? String(e) };
  }
}

export async function probe(opts: ProbeOptions): Promise<ProbeResult> {
  const startedAt = now();
  const tracker = new HandshakeTracker(opts.limits ? { limits: opts.limits } : {});
  // the verdict and the reports read the bounds too (credssp-rounds, cert-chain)
  const diagnoseOpts = opts.limits ? { ...opts.diagnose, limits: opts.limits } : opts.diagnose;
  const script = new ClientScript({ ...opts, random: (n) => new Uint8Array(randomBytes(n)) });
  const result = (target: ProbeResult['target'], connections: number): ProbeResult => ({
    target,
    ...(opts.requestedProtocols === undefined ? {} : { requestedProtocols: opts.requestedProtocols }),
    events: tracker.events,
    verdict: diagnose(tracker.events, diagnoseOpts),
    connections,
    ...(diagnoseOpts ? { diagnose: diagnoseOpts } : {}),
    startedAt,
    durationMs: now() - startedAt,
  });

  const family = opts.family ?? 0;
  const resolved = await resolve(opts.host, family);
  if (!isIP(opts.host)) {
    tracker.push(resolved.ok
      ? { kind: 'resolve', host: opts.host, ok: true, addresses: resolved.addresses, at: now() }
      : { kind: 'resolve', host: opts.host, ok: false, error: resolved.error, at: now() });
  }
  if (!resolved.ok) return result({ host: opts.host, port: opts.port }, 0);
  const address = resolved.addresses[0]!;
  const target = { host: opts.host, port: opts.port, address, family: isIP(address) as 4 | 6 };

  await new Promise<void>((done) => {
    const socket = new Socket();
    let finished = false;
    let connected = false;
    let timer: NodeJS.Timeout | undefined;
    let tap: TlsTap | undefined;
    let secure: TLSSocket | undefined;
    /** TLS failed: only the short wait for the server's close remains, progress no longer extends it */
    let tlsFailed = false;
    /** server bytes since the last progress, and the server's wire stream offset */
    let pendingBytes = 0;
    let s2cOffset = 0;
    const rec = opts.record?.({ address, port: opts.port });
    const feed = (input: TrackerInput): TrackerEvent[] => {
      if (finished) return [];
      rec?.input(input);
      return tracker.push(input);
    };
    const finish = (): void => {
      if (finished) return;
      finished = true;
      rec?.released(now());
      clearTimeout(timer);
      secure?.destroy();
      socket.destroy();
      done();
    };
    const arm = (ms: number, onTimeout: () => void): void => {
      clearTimeout(timer);
      timer = setTimeout(onTimeout, ms);
    };
    /** The stage timer restarts on progress: tracker events from server bytes, or a send by the probe. */
    const progress = (): void => {
      if (tlsFailed || finished) return;
      pendingBytes = 0;
      arm(opts.stageTimeoutMs, stageTimeout);
    };
    const upgrade = (o: TlsClientOptions): void => {
      tap = new TlsTap(socket, (bytes) => { feed({ kind: 'data', dir: 'c2s', lane: 'wire', bytes, at: now() }); });
      secure = startTls(tap, o, opts.keylog);
      // node flushes the client's last handshake flight (Finished) after this event: report the
      // session once those bytes have gone through the tap, so the wire lane stays in order
      secure.on('secureConnect', () => setImmediate(() => {
        const info = sessionInfo(secure!);
        progress();
        act(script.next(feed({ kind: 'tls-session', source: 'tls-library', ...info, at: now() })));
      }));
      secure.on('data', (bytes: Buffer) => {
        const evs = feed({ kind: 'data', dir: 's2c', lane: 'inner', bytes: new Uint8Array(bytes), at: now() });
        if (evs.length) progress();
        act(script.next(evs));
      });
      // an alert or a close ends TLS: the tap has recorded it; wait briefly for the server's FIN
      secure.on('error', () => {
        tlsFailed = true;
        arm(Math.min(opts.limits?.['tls-close-grace-ms'] ?? TLS_CLOSE_GRACE_MS, opts.stageTimeoutMs), () => {
          feed({ kind: 'end', how: 'probe-done', detail: 'TLS handshake failed', at: now() });
          finish();
        });
      });
    };
    const act = (actions: ScriptAction[]): void => {
      for (const a of actions) {
        if (a.kind === 'send') {
          feed({ kind: 'data', dir: 'c2s', lane: 'wire', bytes: a.bytes, at: now() });
          socket.write(a.bytes);
          progress();
        } else if (a.kind === 'send-inner') {
          feed({ kind: 'data', dir: 'c2s', lane: 'inner', bytes: a.bytes, at: now() });
          secure?.write(a.bytes);
          progress();
        } else if (a.kind === 'upgrade-tls') {
          upgrade(a.options);
        } else if (a.kind === 'observe') {
          feed({ ...a.input, at: now() });
        } else {
          // close politely first (a TLS close_notify goes through the tap), then end observation
          if (secure) secure.end(); else socket.end();
          feed({ kind: 'end', how: 'probe-done', detail: a.reason, at: now() });
          finish();
          return;
        }
      }
    };
    const stageTimeout = (): void => {
      const partial = pendingBytes ? `, only ${pendingBytes} bytes that completed nothing` : '';
      feed({ kind: 'end', how: 'timeout', detail: `no progress for ${opts.stageTimeoutMs} ms${partial}`, at: now() });
      finish();
    };

    feed({ kind: 'tcp', what: 'syn', at: now() });
    arm(opts.connectTimeoutMs, () => {
      feed({ kind: 'tcp', what: 'no-answer', detail: `connect timed out after ${opts.connectTimeoutMs} ms`, at: now() });
      finish();
    });
    socket.on('connect', () => {
      connected = true;
      rec?.connected({ address: socket.localAddress ?? '', port: socket.localPort ?? 0 }, { address: socket.remoteAddress ?? address, port: socket.remotePort ?? opts.port }, now());
      feed({ kind: 'tcp', what: 'connected', at: now() });
      arm(opts.stageTimeoutMs, stageTimeout);
      act(script.start());
    });
    socket.on('data', (bytes: Buffer) => {
      if (finished) return;
      const start = s2cOffset;
      s2cOffset += bytes.length;
      pendingBytes += bytes.length;
      const evs = feed({ kind: 'data', dir: 's2c', lane: 'wire', bytes: new Uint8Array(bytes), at: now() });
      if (evs.length) progress();
      const before = tap;
      if (tap) tap.push(bytes);
      act(script.next(evs));
      if (tap && !before) {
        // TLS began in this read: what followed the Confirm in it is the server's first TLS bytes ([MS-RDPBCGR] 5.4.5.1)
        const cc = evs.find((e) => e.type === 'pdu' && e.name === CONNECTION_CONFIRM_NAME);
        const rest = cc?.type === 'pdu' ? bytes.subarray(cc.offset + cc.length - start) : undefined;
        if (rest?.length) tap.push(rest);
      }
    });
    socket.on('end', () => {
      if (finished) return;
      feed({ kind: 'close', dir: 's2c', how: 'fin', at: now() });
      finish();
    });
    socket.on('error', (e: NodeJS.ErrnoException) => {
      if (finished) return;
      if (connected) feed({ kind: 'close', dir: 's2c', how: 'rst', at: now() });
      else feed({ kind: 'tcp', what: tcpFailure(e.code), detail: e.code ?? e.message, at: now() });
      finish();
    });
    socket.connect({ host: address, port: opts.port });
  });
  return result(target, 1);
}
