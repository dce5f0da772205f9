// One redrawn progress line on stderr, only on a terminal, at most ten times a second (scan, analyze).
// Commands clear it before writing anything else, since stdout may share the terminal.
import { basename } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { CliIO } from './io.js';

/** Minimum time between two draws. */
export const PROGRESS_INTERVAL_MS = 100;

export interface ProgressOptions {
  /** false: never draw (e.g. --no-progress); default: when stderr is a terminal */
  enabled?: boolean;
  intervalMs?: number;
  /** milliseconds, monotonic; default performance.now() */
  now?: () => number;
}

export class ProgressLine {
  private drawn = -Infinity;
  private shown = false;
  readonly enabled: boolean;
  private readonly intervalMs: number;
  private readonly clock: () => number;

  constructor(private readonly io: Pick<CliIO, 'err' | 'interactive'>, o: ProgressOptions = {}) {
    this.enabled = io.interactive && o.enabled !== false;
    this.intervalMs = o.intervalMs ?? PROGRESS_INTERVAL_MS;
    this.clock = o.now ?? (() => performance.now());
  }

  now(): number {
    return this.clock();
  }

  /** Draws the line `text` makes, unless off or drawn less than the interval ago (text is then not computed). */
  update(text: () => string): void {
    if (!this.enabled) return;
    const now = this.clock();
    if (now - this.drawn < this.intervalMs) return;
    this.drawn = now;
    this.io.err(`\r\x1b[K${text()}`);
    this.shown = true;
  }

  /** Clears the line if drawn (before other output, and at the end). */
  clear(): void {
    if (this.shown) this.io.err('\r\x1b[K');
    this.shown = false;
  }
}

/** "[#####...............]" for a fraction from 0 to 1. */
export function bar(fraction: number, width = 20): string {
  const f = Math.min(Math.max(fraction, 0), 1);
  return `[${'#'.repeat(Math.round(f * width)).padEnd(width, '.')}]`;
}

/** Decimal units, as file managers and `ls -h --si` show them. */
export function formatBytes(n: number): string {
  if (n < 1000) return `${n} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let v = n;
  let u = -1;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 ? v.toFixed(1) : v.toFixed(0)} ${units[u]}`;
}

/** m:ss, or h:mm:ss from an hour. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.ceil(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

export interface CaptureProgress {
  file: string;
  /** 1-based, of `files` */
  index: number;
  files: number;
  /** bytes read and analysed so far */
  read: number;
  /** the file's size, when known (not a pipe) */
  size?: number;
  /** RDP connections reported so far, all files */
  connections: number;
  elapsedMs: number;
}

const MAX_NAME = 24;

/** analyze's line: "[2/3] big.pcap [####....] 45% 1.2/2.7 GB, 85 MB/s, 12 connections, ETA 0:18"; without a size, bytes and rate only. */
export function captureProgressText(p: CaptureProgress): string {
  let name = p.file === '-' ? 'stdin' : basename(p.file);
  if (name.length > MAX_NAME) name = `${name.slice(0, MAX_NAME - 1)}…`;
  const which = p.files > 1 ? `[${p.index}/${p.files}] ` : '';
  const seconds = Math.max(p.elapsedMs, 1) / 1000;
  const rate = p.read / seconds;
  const parts: string[] = [];
  if (p.size !== undefined && p.size > 0) {
    const f = Math.min(p.read / p.size, 1);
    parts.push(`${bar(f)} ${Math.floor(f * 100)}% ${formatBytes(p.read)}/${formatBytes(p.size)}`);
  } else parts.push(formatBytes(p.read));
  parts.push(`${formatBytes(rate)}/s`);
  parts.push(`${p.connections} connection${p.connections === 1 ? '' : 's'}`);
  if (p.size !== undefined && p.size > 0 && rate > 0 && p.read < p.size) parts.push(`ETA ${formatDuration((p.size - p.read) / rate)}`);
  return `${which}${name} ${parts.join(', ')}`;
}
