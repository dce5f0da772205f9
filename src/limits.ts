// Every bound rdpscope keeps, in one table: the ones `--limit NAME=VALUE` sets (probe, scan, fixture,
// analyze), the ones with an option of their own (--timeout, --concurrency...), and the fixed ones
// (protocol facts with their spec section, and format guards). `rdpscope limits` prints it.
// Pure: no I/O, no imports. The modules that enforce a bound take its default from here.

/** A command a bound applies to. */
export type LimitCommand = 'probe' | 'scan' | 'fixture' | 'analyze' | 'serve';

/** Where a --limit applies: live probes (probe, scan, fixture), capture analysis (analyze), or both. */
export type LimitScope = 'all' | 'live' | 'capture';

const SCOPE_COMMANDS: Record<LimitScope, readonly LimitCommand[]> = {
  all: ['probe', 'scan', 'fixture', 'analyze'],
  live: ['probe', 'scan', 'fixture'],
  capture: ['analyze'],
};

/** The bounds `--limit` sets, in the order `rdpscope limits` lists them. */
export const LIMIT_NAMES = [
  'pending-bytes', 'events', 'handshake-message-bytes', 'handshake-records', 'cert-chain', 'reported-records',
  'tsrequest-bytes', 'credssp-rounds', 'tls-close-grace-ms',
  'flows', 'flow-idle-seconds', 'held-bytes', 'transcript-bytes', 'html-connections',
] as const;
export type LimitName = (typeof LIMIT_NAMES)[number];

/** Resolved values of every configurable bound: plain numbers, handed to the sans-IO core as options. */
export type Limits = Readonly<Record<LimitName, number>>;

interface BoundBase {
  /** kebab-case, as on the command line */
  name: string;
  unit: string;
  /** what it bounds, and what happens past it */
  what: string;
  commands: readonly LimitCommand[];
  /** the code that enforces it */
  where: string;
}

/** Set with --limit NAME=VALUE; a value outside [min, max] is a usage error. */
export interface TunableBound extends BoundBase {
  kind: 'limit';
  name: LimitName;
  scope: LimitScope;
  default: number;
  min: number;
  max: number;
  /** why the range stops where it does */
  range: string;
}

/** Set with an option of its own (kept from before --limit). */
export interface OptionBound extends BoundBase {
  kind: 'option';
  option: string;
  /** null: no bound unless the option is given */
  default: number | null;
  min: number;
  max: number | null;
  range: string;
}

/** Not configurable: a protocol fact (with its spec section) or a format guard (with why). */
export interface FixedBound extends BoundBase {
  kind: 'fixed';
  value: number;
  basis: string;
}

export type Bound = TunableBound | OptionBound | FixedBound;

const KiB = 1024;
const MiB = 1024 * 1024;

type Tunable = Omit<TunableBound, 'kind' | 'name' | 'commands'>;

const TUNABLE: Record<LimitName, Tunable> = {
  'pending-bytes': {
    scope: 'all', default: MiB, min: 64 * KiB, max: 16 * MiB, unit: 'bytes',
    what: 'bytes held per direction and lane while a PDU is incomplete, so the largest PDU followed; a longer one is refused (LIMIT_EXCEEDED) and that direction is no longer decoded',
    range: 'the minimum holds one whole TPKT (64 KiB)',
    where: 'src/analyze/tracker.ts',
  },
  events: {
    scope: 'all', default: 10_000, min: 1_000, max: 1_000_000, unit: 'events',
    what: 'events kept per connection; past it runs of bytes rdpscope does not decode stop being reported (PDUs, errors and closes still are)',
    range: 'the maximum bounds memory per connection',
    where: 'src/analyze/tracker.ts',
  },
  'handshake-message-bytes': {
    scope: 'all', default: 256 * KiB, min: 512, max: 16 * MiB - 1, unit: 'bytes',
    what: 'one TLS handshake message (a Certificate chain, say) reassembled across records; a longer one is refused (LIMIT_EXCEEDED) from its header, before any of it is held',
    range: 'the maximum is the largest 24-bit handshake length (RFC 8446 §4)',
    where: 'src/tls/handshake.ts, src/analyze/stages/tls-state.ts',
  },
  'handshake-records': {
    scope: 'all', default: 1024, min: 16, max: 65_536, unit: 'records',
    what: 'TLS records one side sends before the handshake completes (a 64 KiB chain in 512-byte fragments takes 128); past it that side is stopped (LIMIT_EXCEEDED)',
    range: 'a real handshake takes a few records, but one-byte records are legal (RFC 5246 §6.2.1)',
    where: 'src/analyze/stages/tls.ts',
  },
  'cert-chain': {
    scope: 'all', default: 16, min: 1, max: 256, unit: 'certificates',
    what: 'certificates parsed and checked per Certificate message (real chains have 1-4); later ones are listed unparsed',
    range: 'the maximum bounds the parsing per connection',
    where: 'src/analyze/stages/tls.ts, src/analyze/certificate.ts, src/tls/decrypt/connection-decryptor.ts',
  },
  'reported-records': {
    scope: 'all', default: 16, min: 0, max: 10_000, unit: 'records',
    what: 'encrypted TLS records after the handshake reported one by one per direction; later ones are counted',
    range: 'the maximum bounds the events per connection',
    where: 'src/analyze/stages/tls.ts',
  },
  'tsrequest-bytes': {
    scope: 'all', default: 64 * KiB, min: KiB, max: MiB, unit: 'bytes',
    what: 'one CredSSP TSRequest (DER, at most 4 length octets); a longer one is refused (LIMIT_EXCEEDED) from its length, before any of it is held. A Kerberos ticket with a large PAC stays below 64 KiB',
    range: 'the maximum is the default pending-bytes, which bounds every PDU too',
    where: 'src/credssp/ts-request.ts, src/analyze/stages/credssp.ts',
  },
  'credssp-rounds': {
    scope: 'all', default: 8, min: 2, max: 64, unit: 'TSRequests',
    what: 'server TSRequests in one CredSSP exchange (NTLM takes 2, Kerberos 1-2, [MS-CSSP] 3.1.5); past it the probe stops and the verdict says CredSSP does not end',
    range: 'the minimum is the 2 rounds of an NTLM logon',
    where: 'src/probe/client-script.ts, src/analyze/rules/limits.ts',
  },
  'tls-close-grace-ms': {
    scope: 'live', default: 300, min: 0, max: 10_000, unit: 'ms',
    what: 'after a TLS failure, how long the probe waits for the server\'s FIN or RST before it ends (at most the stage timeout)',
    range: 'the maximum bounds the time per probe',
    where: 'src/probe/live.ts',
  },
  flows: {
    scope: 'capture', default: 100_000, min: 1, max: 10_000_000, unit: 'connections',
    what: 'TCP connections a capture analysis tracks at once, RDP or not; past it the least recently active one is ended early (its verdict and a capture issue say so)',
    range: 'the maximum bounds memory',
    where: 'src/capture/flows.ts',
  },
  'flow-idle-seconds': {
    scope: 'capture', default: 300, min: 1, max: 604_800, unit: 'seconds',
    what: 'a connection with no packet for this long in capture time is taken as ended (its verdict is given then) and forgotten, so memory stays flat however long the capture',
    range: 'the maximum is a week of capture time',
    where: 'src/capture/flows.ts',
  },
  'held-bytes': {
    scope: 'capture', default: MiB, min: 64 * KiB, max: 64 * MiB, unit: 'bytes',
    what: 'out-of-order bytes held per direction of a connection until the hole before them fills; past it the hole is given up as a gap',
    range: 'the minimum holds a 64 KiB TCP window',
    where: 'src/capture/reassembly.ts',
  },
  'transcript-bytes': {
    scope: 'capture', default: MiB, min: 64 * KiB, max: 16 * MiB, unit: 'bytes',
    what: 'with --server-key: handshake bytes kept for the extended master secret (RFC 7627 session hash); past it that session stays encrypted',
    range: 'the maximum bounds memory per connection',
    where: 'src/tls/decrypt/connection-decryptor.ts',
  },
  'html-connections': {
    scope: 'capture', default: 500, min: 1, max: 10_000, unit: 'connections',
    what: 'connections kept whole for the --html page until the capture ends; past it a failed one displaces an ok one',
    range: 'the maximum bounds memory: each is kept with all its events',
    where: 'src/cli/commands/analyze.ts',
  },
};

/** The default of every configurable bound. */
export const DEFAULT_LIMITS: Limits = Object.freeze(
  Object.fromEntries(LIMIT_NAMES.map((n) => [n, TUNABLE[n].default])) as Record<LimitName, number>,
);

const LIVE = SCOPE_COMMANDS.live;
const ALL = SCOPE_COMMANDS.all;
const CAPTURE = SCOPE_COMMANDS.capture;

/** Bounds with an option of their own; scan's --concurrency range is enforced from here. */
const OPTIONS: readonly OptionBound[] = [
  {
    kind: 'option', name: 'stage-timeout-ms', option: '--timeout', default: 5000, min: 1, max: 3_600_000, unit: 'ms', commands: LIVE,
    what: 'longest wait within a stage for the server\'s next complete PDU; bytes that complete nothing (a server dripping a byte a second) do not extend it',
    range: 'an hour at most', where: 'src/probe/live.ts',
  },
  {
    kind: 'option', name: 'connect-timeout-ms', option: '--connect-timeout', default: 5000, min: 1, max: 3_600_000, unit: 'ms', commands: LIVE,
    what: 'TCP connect timeout', range: 'an hour at most', where: 'src/probe/live.ts',
  },
  {
    kind: 'option', name: 'concurrency', option: '--concurrency', default: 64, min: 1, max: 1024, unit: 'probes', commands: ['scan'],
    what: 'targets probed at once', range: 'the maximum bounds open sockets and memory', where: 'src/scan/scheduler.ts',
  },
  {
    kind: 'option', name: 'rate', option: '--rate', default: null, min: 0, max: null, unit: 'connections/s', commands: ['scan'],
    what: 'new connections per second (default: no bound beyond --concurrency)', range: 'any rate above 0', where: 'src/scan/scheduler.ts',
  },
];

/** Protocol facts and format guards: documented, not configurable. */
const FIXED: readonly FixedBound[] = [
  {
    kind: 'fixed', name: 'tpkt-bytes', value: 65_535, unit: 'bytes', commands: ALL, where: 'src/x224/tpkt.ts',
    what: 'one TPKT, which carries every X.224, MCS and RDP PDU',
    basis: 'RFC 1006 §6: the TPKT length is 16 bits',
  },
  {
    kind: 'fixed', name: 'tls-record-bytes', value: 16_384 + 2048, unit: 'bytes', commands: ALL, where: 'src/tls/record.ts (MAX_RECORD_FRAGMENT)',
    what: 'one TLS record\'s fragment; a longer length is refused (LIMIT_EXCEEDED) from the record header',
    basis: 'RFC 5246 §6.2.3: TLSCiphertext.length is at most 2^14 + 2048 (RFC 8446 §5.2 allows less)',
  },
  {
    kind: 'fixed', name: 'mcs-connect-bytes', value: 65_536, unit: 'bytes', commands: ALL, where: 'src/mcs/connect-common.ts (MAX_CONNECT_PDU_SIZE)',
    what: 'an MCS Connect Initial or Connect Response',
    basis: '[MS-RDPBCGR] 2.2.1.3, 2.2.1.4: sent in one X.224 Data TPDU, so within one TPKT',
  },
  {
    kind: 'fixed', name: 'channels', value: 31, unit: 'channels', commands: ALL, where: 'src/gcc/client-data.ts (MAX_CHANNELS)',
    what: 'static virtual channels in the Client Network Data',
    basis: '[MS-RDPBCGR] 2.2.1.3.4: channelCount is at most 31',
  },
  {
    kind: 'fixed', name: 'monitors', value: 16, unit: 'monitors', commands: ALL, where: 'src/gcc/client-data.ts (MAX_MONITORS)',
    what: 'monitors in the Client Monitor Data',
    basis: '[MS-RDPBCGR] 2.2.1.3.6: monitorCount is at most 16',
  },
  {
    kind: 'fixed', name: 'cert-blobs', value: 200, unit: 'certificates', commands: ALL, where: 'src/gcc/certificate.ts (MAX_CERT_BLOBS)',
    what: 'certificates in a server\'s X.509 certificate chain (Standard RDP Security, licensing)',
    basis: '[MS-RDPELE] 2.2.1.4.2: NumCertBlobs is 2 to 200',
  },
  {
    kind: 'fixed', name: 'auto-reconnect-cookie-bytes', value: 128, unit: 'bytes', commands: ALL, where: 'src/rdp/client-info.ts (MAX_AUTO_RECONNECT_COOKIE)',
    what: 'the auto-reconnect cookie in a Client Info PDU',
    basis: '[MS-RDPBCGR] 2.2.1.11.1.1.1, 2.2.5.1.1: servers accept at most 128 bytes',
  },
  {
    kind: 'fixed', name: 'rsa-modulus-bits', value: 4096, unit: 'bits', commands: ALL, where: 'src/rdpsec/rsa.ts (MAX_MODULUS_BITS)',
    what: 'a Standard RDP Security server key (the probe encrypts its client random with it)',
    basis: 'Format guard: [MS-RDPBCGR] 5.3.3.1 proprietary keys are 512 bits, X.509 ones 2048; larger keys would only cost CPU',
  },
  {
    kind: 'fixed', name: 'encrypted-random-bytes', value: 512 + 8, unit: 'bytes', commands: ALL, where: 'src/rdp/security-exchange.ts (MAX_ENCRYPTED_RANDOM)',
    what: 'the encrypted client random of a Security Exchange PDU',
    basis: '[MS-RDPBCGR] 5.3.4.1: the modulus size (rsa-modulus-bits) plus 8 bytes of padding',
  },
  {
    kind: 'fixed', name: 'length-octets', value: 4, unit: 'octets', commands: ALL, where: 'src/credssp/der.ts, src/mcs/ber.ts, src/tls/x509.ts',
    what: 'octets of a DER/BER length (TSRequest, SPNEGO, X.509, MCS)',
    basis: 'Format guard: 4 octets already say 4 GiB, and every PDU is bounded far below by the limits above',
  },
  {
    kind: 'fixed', name: 'x509-nesting', value: 32, unit: 'levels', commands: ALL, where: 'src/tls/x509.ts (MAX_DEPTH)',
    what: 'DER nesting depth in a certificate',
    basis: 'Format guard: real certificates nest under 10 levels; bounds the parser\'s recursion',
  },
  {
    kind: 'fixed', name: 'token-line-bytes', value: 1024, unit: 'bytes', commands: ALL, where: 'src/x224/connection-request.ts (MAX_TOKEN_LINE)',
    what: 'the cookie or routing token line of an X.224 Connection Request',
    basis: 'Format guard: the line sits inside one TPKT; Windows truncates cookies to 9 characters',
  },
  {
    kind: 'fixed', name: 'share-pdus', value: 256, unit: 'PDUs', commands: ALL, where: 'src/rdp/share.ts (decodeSharePdus)',
    what: 'share PDUs decoded from one MCS Send Data',
    basis: 'Format guard: each is at least 6 bytes inside one TPKT; a server sends a few',
  },
  {
    kind: 'fixed', name: 'tls-enumeration-attempts', value: 400, unit: 'connections', commands: ['probe'], where: 'src/probe/enumerate-tls.ts',
    what: '--enumerate-tls: connections per TLS version at most',
    basis: 'Derived: one per cipher suite rdpscope knows, plus the final refusal',
  },
  {
    kind: 'fixed', name: 'socks-handshake-bytes', value: 2 + 255 + 3 + 255 + 255 + 7 + 255, unit: 'bytes', commands: CAPTURE, where: 'src/capture/socks.ts (MAX_SOCKS_BYTES)',
    what: 'a SOCKS proxy handshake followed per direction before the connection is taken as no tunnel',
    basis: 'RFC 1928, RFC 1929: the largest SOCKS5 greeting, authentication and CONNECT request',
  },
  {
    kind: 'fixed', name: 'capture-record-bytes', value: 256 * MiB, unit: 'bytes', commands: CAPTURE, where: 'src/capture/types.ts (MAX_RECORD_BYTES)',
    what: 'one pcap record or pcapng block; a longer length is taken as corruption',
    basis: 'Format guard: a record holds one packet (snap lengths are at most 256 KiB)',
  },
  {
    kind: 'fixed', name: 'clock-jump-ms', value: 86_400_000, unit: 'ms', commands: CAPTURE, where: 'src/capture/flows.ts',
    what: 'the capture clock of flow-idle-seconds follows the smaller of the last two timestamps, so one packet never moves it; a move further than this needs 16 packets in a row that agree',
    basis: 'Format guard: captures are continuous; one bad timestamp must not end every connection',
  },
  {
    kind: 'fixed', name: 'packet-issues', value: 100, unit: 'issues', commands: CAPTURE, where: 'src/capture/types.ts (MAX_PACKET_ISSUES)',
    what: 'problems with single packets listed one by one per capture, by the reader (skipped blocks, timestamps) and by the connection table (malformed packets); the rest are counted in a last issue',
    basis: 'Report size: the count is exact',
  },
  {
    kind: 'fixed', name: 'keylog-line-bytes', value: 1024, unit: 'bytes', commands: CAPTURE, where: 'src/tls/decrypt/keylog.ts (MAX_KEYLOG_LINE)',
    what: 'a key log line (--keylog, pcapng Decryption Secrets Blocks); longer lines are skipped',
    basis: 'Format guard: the longest valid NSS key log line is about 230 characters',
  },
  {
    kind: 'fixed', name: 'keylog-issues', value: 20, unit: 'issues', commands: CAPTURE, where: 'src/tls/decrypt/keylog.ts (MAX_KEYLOG_ISSUES)',
    what: 'bad key log lines listed one by one per key log; the rest are counted',
    basis: 'Report size: the count is exact',
  },
  {
    kind: 'fixed', name: 'serve-connections', value: 1024, unit: 'connections', commands: ['serve'], where: 'src/server/server.ts (DEFAULT_MAX_CONNECTIONS)',
    what: 'connections the scenario server accepts at once',
    basis: 'Test fixture on loopback; tests set it through startScenarioServer',
  },
  {
    kind: 'fixed', name: 'serve-idle-ms', value: 60_000, unit: 'ms', commands: ['serve'], where: 'src/server/server.ts (DEFAULT_IDLE_MS)',
    what: 'a scenario server connection silent this long is closed',
    basis: 'Test fixture on loopback; tests set it through startScenarioServer',
  },
];

/** Every bound: the configurable ones, then those with their own option, then the fixed ones. */
export const BOUNDS: readonly Bound[] = [
  ...LIMIT_NAMES.map((name): TunableBound => ({ kind: 'limit', name, commands: SCOPE_COMMANDS[TUNABLE[name].scope], ...TUNABLE[name] })),
  ...OPTIONS,
  ...FIXED,
];

export function findBound(name: string): Bound | undefined {
  return BOUNDS.find((b) => b.name === name);
}

/** The bound of an option (e.g. 'concurrency'); throws if the table has none of that name. */
export function optionBound(name: string): OptionBound {
  const b = findBound(name);
  if (b?.kind !== 'option') throw new Error(`no option bound ${name}`);
  return b;
}

/** A bad --limit value: the message is the usage error to print. */
export class LimitError extends Error {}

/** `what` for a scope, as in "flows applies to analyze only". */
function commandList(c: readonly LimitCommand[]): string {
  return c.length === 1 ? `${c[0]} only` : `${c.slice(0, -1).join(', ')} and ${c[c.length - 1]}`;
}

/**
 * One `NAME=VALUE`, checked: a known configurable bound, applying to `scope` (the command's: 'live'
 * for probe/scan/fixture, 'capture' for analyze), a whole number within its range.
 */
export function parseLimit(text: string, scope: LimitScope = 'all'): [LimitName, number] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new LimitError(`--limit ${text}: give NAME=VALUE, e.g. --limit credssp-rounds=4 ('rdpscope limits' lists them)`);
  const name = text.slice(0, eq).trim();
  const raw = text.slice(eq + 1).trim();
  const b = findBound(name);
  if (!b) throw new LimitError(`--limit ${text}: unknown limit "${name}"; the limits are ${LIMIT_NAMES.join(', ')}`);
  if (b.kind === 'option') throw new LimitError(`--limit ${text}: ${name} is set with ${b.option}${b.commands.length < 4 ? ` (${commandList(b.commands)})` : ''}`);
  if (b.kind === 'fixed') throw new LimitError(`--limit ${text}: ${name} is fixed at ${b.value} ${b.unit} (${b.basis}), not configurable`);
  if (scope !== 'all' && b.scope !== 'all' && b.scope !== scope) {
    throw new LimitError(`--limit ${text}: ${name} applies to ${commandList(SCOPE_COMMANDS[b.scope])}`);
  }
  const range = `give ${formatValue(b.min, b.unit)} to ${formatValue(b.max, b.unit)} ${b.unit} (default ${formatValue(b.default, b.unit)})`;
  const m = /^(\d{1,15})(KiB|MiB)?$/.exec(raw);
  if (!m || (m[2] && b.unit !== 'bytes')) {
    throw new LimitError(`--limit ${text}: not a whole number${b.unit === 'bytes' ? ' (of bytes; KiB and MiB suffixes allowed)' : ''}: ${range}`);
  }
  const value = Number(m[1]) * (m[2] === 'MiB' ? MiB : m[2] === 'KiB' ? KiB : 1);
  if (value < b.min || value > b.max) throw new LimitError(`--limit ${text}: out of range: ${range}`);
  return [b.name, value];
}

/** A value as `--limit` takes it: byte counts in KiB or MiB when exact (1MiB), else the number. */
export function formatValue(v: number, unit: string): string {
  if (unit !== 'bytes' || v === 0) return String(v);
  if (v % MiB === 0) return `${v / MiB}MiB`;
  if (v % KiB === 0) return `${v / KiB}KiB`;
  return String(v);
}

/** Every `NAME=VALUE` (a later one for the same name wins) over the defaults. Throws LimitError. */
export function parseLimits(texts: readonly string[], scope: LimitScope = 'all'): Limits {
  const out: Record<LimitName, number> = { ...DEFAULT_LIMITS };
  for (const t of texts) {
    const [name, value] = parseLimit(t, scope);
    out[name] = value;
  }
  return Object.freeze(out);
}

/** The defaults with `given` over them (undefined entries ignored); `given` itself when it has them all. */
export function resolveLimits(given?: Partial<Limits>): Limits {
  if (!given) return DEFAULT_LIMITS;
  if (LIMIT_NAMES.every((n) => given[n] !== undefined)) return given as Limits;
  const out: Record<LimitName, number> = { ...DEFAULT_LIMITS };
  for (const n of LIMIT_NAMES) if (given[n] !== undefined) out[n] = given[n]!;
  return out;
}
