// Parses HOST, HOST:PORT, [IPv6]:PORT and bare IPv6 targets, and writes them back.
import { isIP } from 'node:net';

export function parseTarget(spec: string, defaultPort: number): { host: string; port: number } {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(spec);
  if (bracket) return { host: bracket[1]!, port: bracket[2] ? portOf(bracket[2]) : defaultPort };
  if (isIP(spec) === 6) return { host: spec, port: defaultPort };
  const m = /^([^:]+):(\d+)$/.exec(spec);
  if (m) return { host: m[1]!, port: portOf(m[2]!) };
  if (!spec || spec.includes(':')) throw new Error(`bad target "${spec}": use HOST, HOST:PORT or [IPv6]:PORT`);
  return { host: spec, port: defaultPort };
}

function portOf(s: string): number {
  const p = Number(s);
  if (!Number.isInteger(p) || p < 1 || p > 65535) throw new Error(`bad port "${s}"`);
  return p;
}

/** HOST:PORT, with an IPv6 address in brackets ([::1]:3389). */
export function formatTarget(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
