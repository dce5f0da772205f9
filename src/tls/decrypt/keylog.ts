// NSS key log (the SSLKEYLOGFILE text; draft-ietf-tls-keylogfile §2): one
// "<label> <client_random hex> <secret hex>" per line, '#' starts a comment. TLS ≤ 1.2 logs
// CLIENT_RANDOM with the 48-byte master secret (with extended master secret too: it is the result);
// TLS 1.3 logs the handshake and first application traffic secrets (RFC 8446 §7.1).
import { fromHex, toHex } from '../../wire/hex.js';

/** The labels used for decryption; other labels (EXPORTER_SECRET, early data, RSA) are skipped. */
export const KEYLOG_LABELS = [
  'CLIENT_RANDOM',
  'CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET',
  'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0',
] as const;
export type KeyLogLabel = (typeof KEYLOG_LABELS)[number];

/** Longer lines are no key log lines (the longest valid one is about 230 characters). */
export const MAX_KEYLOG_LINE = 1024;
/** Problems listed one by one per key log; the rest are counted in a last one. */
export const MAX_KEYLOG_ISSUES = 20;

const CLIENT_RANDOM_BYTES = 32;
const MASTER_SECRET_BYTES = 48;
/** TLS 1.3 traffic secrets are Hash.length: SHA-256 or SHA-384 (RFC 8446 §7.1). */
const TRAFFIC_SECRET_BYTES = new Set([32, 48]);
const HEX = /^[0-9a-fA-F]+$/;

export interface KeyLogIssue {
  /** 1-based line number; absent for a summary */
  line?: number;
  reason: string;
}

export type ConnectionSecrets = Partial<Record<KeyLogLabel, Uint8Array>>;

const isLabel = (s: string): s is KeyLogLabel => (KEYLOG_LABELS as readonly string[]).includes(s);

/** Secrets by client random, from any number of key logs (files, pcapng Decryption Secrets Blocks). */
export class KeyLog {
  private readonly byRandom = new Map<string, ConnectionSecrets>();

  /** Client randoms with at least one secret. */
  get size(): number {
    return this.byRandom.size;
  }

  /** Adds the lines of one key log. Bad lines are skipped and reported; the good ones are kept. */
  add(text: string): KeyLogIssue[] {
    const issues: KeyLogIssue[] = [];
    let hidden = 0;
    const report = (line: number, reason: string): void => {
      if (issues.length < MAX_KEYLOG_ISSUES) issues.push({ line, reason });
      else hidden++;
    };
    let start = 0;
    for (let n = 1; start <= text.length; n++) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      // measured before slicing: a runaway line is never copied
      if (end - start > MAX_KEYLOG_LINE) report(n, `longer than ${MAX_KEYLOG_LINE} characters: not a key log line`);
      else {
        const why = this.line(text.slice(start, end).trim());
        if (why) report(n, why);
      }
      start = end + 1;
    }
    if (hidden) issues.push({ reason: `${hidden} more bad lines not listed` });
    return issues;
  }

  lookup(clientRandom: Uint8Array): ConnectionSecrets | undefined {
    return this.byRandom.get(toHex(clientRandom, ''));
  }

  /** One line: undefined when it was taken or skipped on purpose, else why it is wrong. */
  private line(line: string): string | undefined {
    if (line === '' || line.startsWith('#')) return undefined;
    const f = line.split(/\s+/);
    if (f.length !== 3) return `expected "LABEL CLIENT_RANDOM SECRET", found ${f.length} field${f.length === 1 ? '' : 's'}`;
    const [label, random, secret] = f as [string, string, string];
    if (!isLabel(label)) return /^[A-Z0-9_]+$/.test(label) ? undefined : `"${label.slice(0, 40)}" is not a key log label`;
    if (random.length !== 2 * CLIENT_RANDOM_BYTES || !HEX.test(random)) return `the client random must be ${CLIENT_RANDOM_BYTES} bytes in hex`;
    if (secret.length % 2 !== 0 || !HEX.test(secret)) return `the ${label} secret is not hex`;
    const n = secret.length / 2;
    if (label === 'CLIENT_RANDOM' ? n !== MASTER_SECRET_BYTES : !TRAFFIC_SECRET_BYTES.has(n)) {
      return `a ${label} secret of ${n} bytes (expected ${label === 'CLIENT_RANDOM' ? MASTER_SECRET_BYTES : '32 or 48'})`;
    }
    const key = random.toLowerCase();
    const entry = this.byRandom.get(key) ?? {};
    entry[label] = fromHex(secret);
    this.byRandom.set(key, entry);
    return undefined;
  }
}
