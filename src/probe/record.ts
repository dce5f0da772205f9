// `rdpscope probe --record FILE`: the probe's own traffic as a pcapng file (src/capture/pcapng-writer.ts),
// with the TLS key log of the run in a Decryption Secrets Block, so that `rdpscope analyze FILE` (and
// Wireshark) see what the live probe saw. The probe driver (live.ts) reports each connection: its
// addresses and every input its tracker is fed, which holds every TCP payload byte both ways, in
// order, with the driver's time; this module turns that into TCP events. Every connection of a run is
// recorded (enumerations open several, each its own TCP flow with its own client port).
//
// The file holds the key log, so it is written with mode 0600, through a temporary file in the same
// directory renamed over FILE at the end (no symlink is followed, an existing file is replaced).
import { randomBytes, randomInt } from 'node:crypto';
import { closeSync, fchmodSync, fstatSync, lstatSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isIP } from 'node:net';
import type { TrackerInput } from '../analyze/input.js';
import { encodeProbeNote, writePcapng, type TcpConnectionRecord, type TcpEvent } from '../capture/pcapng-writer.js';
import type { ConnectionRecorder, ProbeOptions } from './live.js';

/**
 * Probe observations the packets do not show, kept as packet comments (see encodeProbeNote): why the
 * probe ended the connection, and its CredSSP pubKeyAuth check. Comments hold no secret: the Standard
 * RDP Security client random (a key to that session) is not recorded, since a key outside the
 * Decryption Secrets Block would survive `editcap --discard-all-secrets`.
 */
type Note = Extract<TrackerInput, { kind: 'end' | 'credssp-check' }>;

interface Entry { event: TcpEvent; notes: Note[] }

class RecordedConnection implements ConnectionRecorder {
  private readonly entries: Entry[] = [];
  private local: { address: string; port: number };
  private remote: { address: string; port: number };
  private established = false;
  /** the connection is over on the wire: refused, reset, or closed by the probe */
  private over = false;
  private serverClosed = false;
  private end: Note | undefined;
  /** observations made before the first packet */
  private pending: Note[] = [];

  constructor(target: { address: string; port: number }) {
    this.remote = { ...target };
    // until connected the client's address is not known: the unspecified one, an ephemeral port
    this.local = { address: isIP(target.address) === 6 ? '::' : '0.0.0.0', port: randomInt(49152, 65536) };
  }

  connected(local: { address: string; port: number }, remote: { address: string; port: number }): void {
    if (isIP(local.address) !== 0 && isIP(local.address) === isIP(remote.address)) {
      this.local = { ...local };
      this.remote = { ...remote };
    }
  }

  private push(event: TcpEvent): void {
    this.entries.push({ event, notes: this.pending });
    this.pending = [];
  }

  /** An observation goes with the packet it followed. */
  private note(n: Note): void {
    const last = this.entries.at(-1);
    if (last) last.notes.push(n);
    else this.pending.push(n);
  }

  input(i: TrackerInput): void {
    switch (i.kind) {
      case 'tcp':
        if (this.over) break;
        if (i.what === 'syn') this.push({ kind: 'syn', at: i.at });
        else if (i.what === 'connected') {
          this.established = true;
          this.push({ kind: 'established', at: i.at });
        } else if (i.what === 'refused') {
          this.push({ kind: 'rst', dir: 's2c', at: i.at });
          this.over = true;
        }
        // no-answer, unreachable: the SYN stays unanswered in the file
        break;
      case 'data':
        if (!this.over && i.lane === 'wire' && i.bytes.length) this.push({ kind: 'data', dir: i.dir, bytes: i.bytes.slice(), at: i.at });
        break;
      case 'close':
        if (this.over || i.dir !== 's2c') break;
        this.push({ kind: i.how, dir: 's2c', at: i.at });
        if (i.how === 'rst') this.over = true;
        else this.serverClosed = true;
        break;
      case 'end':
        this.end = i;
        break;
      case 'credssp-check':
        this.note(i);
        break;
      default:
        break;
    }
  }

  /** The probe closed its socket: its FIN, after the server's or first (then with the end's note). */
  released(at: number): void {
    if (this.over) return;
    this.over = true;
    if (this.established) this.push({ kind: 'fin', dir: 'c2s', at });
    // why observation ended, when it was not the server's doing
    if (this.end && !this.serverClosed) this.note(this.end);
  }

  /** The connection for the writer. */
  record(): TcpConnectionRecord {
    const isn = new Uint32Array(randomBytes(8).buffer);
    return {
      client: { ip: this.local.address, port: this.local.port },
      server: { ip: this.remote.address, port: this.remote.port },
      isn: { client: isn[0]!, server: isn[1]! },
      events: this.entries.map(({ event, notes }) => {
        const comments = notes.map((n) => encodeProbeNote(n));
        return comments.length ? { ...event, comments } : event;
      }),
    };
  }
}

/** The traffic of one run (a probe, an enumeration, a fixture's probes), and its TLS key log. */
export class ProbeRecording {
  private readonly conns: RecordedConnection[] = [];
  private readonly keyLogLines: Buffer[] = [];

  /**
   * The options that make a probe report to this recording, to spread into its ProbeOptions (the
   * enumerations pass them on to each of their probes). `base` keeps an existing key log listener.
   */
  options(base: Pick<ProbeOptions, 'keylog'> = {}): Pick<ProbeOptions, 'record' | 'keylog'> {
    const previous = base.keylog;
    return {
      record: (target) => {
        const c = new RecordedConnection(target);
        this.conns.push(c);
        return c;
      },
      keylog: (line) => {
        this.keyLogLines.push(Buffer.from(line));
        previous?.(line);
      },
    };
  }

  /** TCP connections recorded */
  get connections(): number {
    return this.conns.length;
  }

  /** NSS key log lines received */
  get keyLogLineCount(): number {
    return this.keyLogLines.length;
  }

  /** The NSS key log text of the run (each line as node:tls gave it, newline-terminated). */
  keyLog(): Uint8Array {
    const text = Buffer.concat(this.keyLogLines.map((l) => (l.at(-1) === 0x0a ? l : Buffer.concat([l, Buffer.of(0x0a)]))));
    return new Uint8Array(text.buffer, text.byteOffset, text.length);
  }

  /** The pcapng file: every connection, and the key log in a Decryption Secrets Block when `keys`. */
  pcapng(o: { keys: boolean; application?: string }): Uint8Array {
    return writePcapng({
      ...(o.application ? { application: o.application } : {}),
      interfaceName: 'rdpscope probe',
      ...(o.keys ? { keyLog: this.keyLog() } : {}),
      connections: this.conns.map((c) => c.record()),
    });
  }
}

/**
 * A recording file being made: opened before the probe runs (so an unwritable path fails at once),
 * written and renamed over `path` at the end.
 */
export class RecordingFile {
  private fd: number | undefined;
  private readonly temp: string;

  /** Throws (with the path and the error code) when `path` cannot be written. */
  constructor(readonly path: string) {
    if (path === '-' || path === '') throw new Error(`${path === '-' ? '-: standard output cannot take it' : 'needs a file name'}`);
    let existing;
    try {
      existing = lstatSync(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    if (existing?.isDirectory()) throw new Error(`${path}: is a directory`);
    this.temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      this.fd = openSync(this.temp, 'wx', 0o600);
    } catch (e) {
      throw new Error(`${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /** Writes `bytes`, makes the mode 0600 whatever the umask, and puts the file in place. */
  commit(bytes: Uint8Array): void {
    const fd = this.fd;
    if (fd === undefined) throw new Error(`${this.path}: already written`);
    try {
      fchmodSync(fd, 0o600);
      for (let off = 0; off < bytes.length;) off += writeSync(fd, bytes, off, bytes.length - off);
      if ((fstatSync(fd).mode & 0o777) !== 0o600) throw new Error('mode is not 0600');
      closeSync(fd);
      this.fd = undefined;
      renameSync(this.temp, this.path);
    } catch (e) {
      this.abort();
      throw new Error(`${this.path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  }

  /** Drops the temporary file (the probe did not finish, or writing failed). */
  abort(): void {
    if (this.fd !== undefined) {
      try { closeSync(this.fd); } catch { /* closed */ }
      this.fd = undefined;
    }
    try { unlinkSync(this.temp); } catch { /* gone */ }
  }
}
