// Handshake options shared by probe and scan: what the probe requests and offers, how far it goes,
// the account for the NLA check (password from the environment or a prompt, never argv), timeouts
// and the other bounds (--limit; their ranges are in src/limits.ts).
import { isIP } from 'node:net';
import type { Argv } from 'yargs';
import type { CliIO } from './io.js';
import { certOptions, type CertArgs } from './tls-options.js';
import { DEFAULT_PASSWORD_ENV } from './password.js';
import type { ProbeOptions } from '../probe/live.js';
import { DEFAULT_REQUESTED, type TlsClientOptions } from '../probe/client-script.js';
import type { DiagnoseOptions } from '../analyze/diagnose.js';
import { parseProtocols } from '../x224/codes.js';
import { OPENSSL_VERSION_NAME, parseVersion } from '../tls/versions.js';
import { optionBound, type OptionBound } from '../limits.js';
import { limitOption, type LimitArgs } from './limit-options.js';

export interface HandshakeArgs extends CertArgs, LimitArgs {
  port: number;
  protocols?: string;
  legacy?: boolean;
  cookie?: string;
  'routing-token'?: string;
  'tls-min'?: string;
  'tls-max'?: string;
  'tls-ciphers'?: string;
  sni?: string;
  credssp: boolean;
  mcs: boolean;
  user?: string;
  domain?: string;
  delegate?: boolean;
  'password-env': string;
  'connect-timeout': number;
  timeout: number;
  ipv4?: boolean;
  ipv6?: boolean;
}

const STAGE_TIMEOUT = optionBound('stage-timeout-ms');
const CONNECT_TIMEOUT = optionBound('connect-timeout-ms');

/** A whole number within an option bound's range; throws the usage error otherwise. */
function inRange(b: OptionBound, v: number): number {
  if (!Number.isInteger(v) || v < b.min || (b.max !== null && v > b.max)) throw new Error(`${b.option} ${v}: give ${b.min} to ${b.max} ${b.unit}`);
  return v;
}

export function handshakeOptions<T>(y: Argv<T>): Argv<T & HandshakeArgs> {
  return certOptions(y)
    .option('port', { type: 'number', default: 3389, describe: 'port when the target has none' })
    .option('protocols', { type: 'string', describe: 'requested protocols, e.g. SSL|HYBRID|HYBRID_EX (default), RDP, 0x0b' })
    .option('legacy', { type: 'boolean', describe: 'send a Connection Request without RDP_NEG_REQ' })
    .option('cookie', { type: 'string', describe: 'mstshash cookie to send (e.g. a user name)' })
    .option('routing-token', { type: 'string', describe: 'routing token line to send instead of a cookie' })
    .option('tls-min', { type: 'string', describe: 'lowest TLS version the probe offers (1.0-1.3)' })
    .option('tls-max', { type: 'string', describe: 'highest TLS version the probe offers, e.g. 1.2 to act like an older client' })
    .option('tls-ciphers', { type: 'string', describe: 'OpenSSL cipher list the probe offers for TLS ≤ 1.2 (default: all, any security level)' })
    .option('sni', { type: 'string', describe: 'server name to send (default: the target when it is a name; none for an address)' })
    .option('credssp', { type: 'boolean', default: true, describe: 'when NLA is selected, open CredSSP with an NTLM NEGOTIATE and report the CHALLENGE (--no-credssp stops after TLS)' })
    .option('mcs', { type: 'boolean', default: true, describe: 'go on through MCS, channels, licensing to the Demand Active (--no-mcs stops after X.224, TLS or CredSSP)' })
    .option('user', { type: 'string', describe: 'NLA check with this account (USER, DOMAIN\\USER or USER@DOMAIN): NTLMv2 AUTHENTICATE, and the server must prove its TLS key; the password comes from $RDPSCOPE_PASSWORD or a prompt' })
    .option('domain', { type: 'string', describe: 'domain of --user (default: none, a local account)' })
    .option('delegate', { type: 'boolean', describe: 'with --user: once the server proved its key, send the credentials (TSCredentials) as a client that logs on does' })
    .option('password-env', { type: 'string', default: DEFAULT_PASSWORD_ENV, describe: 'environment variable holding the password for --user (never give it on the command line)' })
    .option('connect-timeout', { type: 'number', default: CONNECT_TIMEOUT.default!, describe: `TCP connect timeout, ms (${CONNECT_TIMEOUT.min}-${CONNECT_TIMEOUT.max})` })
    .option('timeout', { type: 'number', default: STAGE_TIMEOUT.default!, describe: `longest silence within a stage, ms (${STAGE_TIMEOUT.min}-${STAGE_TIMEOUT.max})` })
    .option('limit', limitOption('live'))
    .option('ipv4', { alias: '4', type: 'boolean', describe: 'use IPv4' })
    .option('ipv6', { alias: '6', type: 'boolean', describe: 'use IPv6' })
    .conflicts('ipv4', 'ipv6')
    .implies('delegate', 'user')
    .implies('domain', 'user')
    .conflicts('legacy', 'protocols') as unknown as Argv<T & HandshakeArgs>;
}

/** The probe of HOST:PORT these options ask for (no credentials: see handshakeAccount). Throws on a bad value. */
export function handshakeSettings(a: HandshakeArgs, host: string, port: number, diagnose: DiagnoseOptions): ProbeOptions {
  const o: ProbeOptions = {
    host, port, family: a.ipv4 ? 4 : a.ipv6 ? 6 : 0,
    connectTimeoutMs: inRange(CONNECT_TIMEOUT, a['connect-timeout']), stageTimeoutMs: inRange(STAGE_TIMEOUT, a.timeout),
  };
  if (a.limit) o.limits = a.limit;
  if (!a.legacy) o.requestedProtocols = a.protocols !== undefined ? parseProtocols(a.protocols) : DEFAULT_REQUESTED;
  if (a.cookie !== undefined) o.cookie = a.cookie;
  if (a['routing-token'] !== undefined) o.routingToken = a['routing-token'];
  o.tls = tlsClient(a, host);
  if (!a.credssp) o.noCredssp = true;
  if (!a.mcs) o.noMcs = true;
  o.diagnose = diagnose;
  return o;
}

/**
 * With --user: the account and its password ($--password-env, else a prompt) for the NLA check.
 * Throws, with the message for a usage error, when there is no password to be had.
 */
export async function handshakeAccount(a: HandshakeArgs, io: CliIO): Promise<Pick<ProbeOptions, 'credentials' | 'delegate'>> {
  if (a.user === undefined) return {};
  const password = io.env[a['password-env']] || await io.promptSecret(`password for ${a.user}: `);
  if (password === undefined) throw new Error(`--user needs a password: set ${a['password-env']}, or run in a terminal to be prompted`);
  return { credentials: { ...account(a.user, a.domain), password }, delegate: a.delegate ?? false };
}

/** USER, DOMAIN\\USER or USER@DOMAIN (--domain wins when given). */
function account(user: string, domain: string | undefined): { user: string; domain: string } {
  const slash = user.indexOf('\\');
  if (slash >= 0) return { domain: domain ?? user.slice(0, slash), user: user.slice(slash + 1) };
  const at = user.lastIndexOf('@');
  if (at > 0) return { user: user.slice(0, at), domain: domain ?? user.slice(at + 1) };
  return { user, domain: domain ?? '' };
}

function nodeVersion(flag: string, v: string | undefined): TlsClientOptions['maxVersion'] {
  if (v === undefined) return undefined;
  const n = OPENSSL_VERSION_NAME[parseVersion(v) ?? -1];
  if (!n) throw new Error(`--${flag} ${v}: give 1.0, 1.1, 1.2 or 1.3 (SSL 3.0 is only tested by --enumerate-tls)`);
  return n;
}

function tlsClient(a: HandshakeArgs, host: string): TlsClientOptions {
  const t: TlsClientOptions = {};
  const min = nodeVersion('tls-min', a['tls-min']);
  const max = nodeVersion('tls-max', a['tls-max']);
  if (min) t.minVersion = min;
  if (max) t.maxVersion = max;
  if (a['tls-ciphers'] !== undefined) t.ciphers = a['tls-ciphers'];
  const sni = a.sni ?? (isIP(host) ? undefined : host);
  if (sni) t.servername = sni;
  return t;
}
