// The bounds table (src/limits.ts): --limit parsing and its errors, the table's own consistency
// (defaults unchanged, fixed values equal to the code that enforces them), and lowered limits taking
// effect in the sans-IO core and in capture replay.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  BOUNDS, DEFAULT_LIMITS, findBound, formatValue, LIMIT_NAMES, LimitError, optionBound, parseLimit, parseLimits, resolveLimits,
  type Bound, type Limits,
} from '../src/limits.js';
import { replayBytes, type ReplayItem } from '../src/capture/replay.js';
import { HandshakeTracker } from '../src/analyze/tracker.js';
import { tlsStage, MAX_CHAIN, MAX_HANDSHAKE_RECORDS } from '../src/analyze/stages/tls.js';
import { credsspStage, MAX_CREDSSP_ROUNDS } from '../src/analyze/stages/credssp.js';
import { newTlsState } from '../src/analyze/stages/tls-state.js';
import type { ConnectionState } from '../src/analyze/stage-handler.js';
import { DecodeError } from '../src/wire/errors.js';
import { IDLE_TIMEOUT_MS, MAX_CLOCK_JUMP_MS, MAX_FLOWS, MAX_PACKET_ISSUES } from '../src/capture/flows.js';
import { MAX_HELD_BYTES } from '../src/capture/reassembly.js';
import { TS_REQUEST_MAX_SIZE } from '../src/credssp/ts-request.js';
import { DEFAULT_MAX_HANDSHAKE_MESSAGE } from '../src/tls/handshake.js';
import { MAX_RECORD_FRAGMENT } from '../src/tls/record.js';
import { MAX_CONNECT_PDU_SIZE } from '../src/mcs/connect-common.js';
import { MAX_CHANNELS, MAX_MONITORS } from '../src/gcc/client-data.js';
import { MAX_CERT_BLOBS } from '../src/gcc/certificate.js';
import { MAX_AUTO_RECONNECT_COOKIE } from '../src/rdp/client-info.js';
import { MAX_MODULUS_BITS } from '../src/rdpsec/rsa.js';
import { MAX_ENCRYPTED_RANDOM } from '../src/rdp/security-exchange.js';
import { MAX_DEPTH } from '../src/tls/x509.js';
import { MAX_TOKEN_LINE } from '../src/x224/connection-request.js';
import { MAX_SHARE_PDUS } from '../src/rdp/share.js';
import { MAX_ATTEMPTS_PER_VERSION } from '../src/probe/enumerate-tls.js';
import { MAX_SOCKS_BYTES } from '../src/capture/socks.js';
import { MAX_RECORD_BYTES } from '../src/capture/types.js';
import { MAX_KEYLOG_ISSUES, MAX_KEYLOG_LINE } from '../src/tls/decrypt/keylog.js';
import { DEFAULT_IDLE_MS, DEFAULT_MAX_CONNECTIONS } from '../src/server/server.js';
import { MAX_CONCURRENCY } from '../src/cli/commands/scan.js';

const KiB = 1024;
const MiB = 1024 * KiB;

function limitError(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof LimitError) return e.message;
    throw e;
  }
  throw new Error('no LimitError');
}

describe('the bounds table', () => {
  it('names every bound once, in kebab-case, with a unit, a description and the commands it applies to', () => {
    const names = BOUNDS.map((b) => b.name);
    expect(new Set(names).size).toBe(names.length);
    for (const b of BOUNDS) {
      expect(b.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(b.unit.length, b.name).toBeGreaterThan(0);
      expect(b.what.length, b.name).toBeGreaterThan(15);
      expect(b.commands.length, b.name).toBeGreaterThan(0);
      expect(b.where, b.name).toMatch(/^src\//);
    }
    expect(BOUNDS.filter((b) => b.kind === 'limit').map((b) => b.name)).toEqual([...LIMIT_NAMES]);
  });

  it('keeps each default within its range, and the ranges sane', () => {
    for (const b of BOUNDS) {
      if (b.kind === 'fixed') continue;
      if (b.default !== null) expect(b.default, b.name).toBeGreaterThanOrEqual(b.min);
      if (b.default !== null && b.max !== null) expect(b.default, b.name).toBeLessThanOrEqual(b.max);
      if (b.max !== null) expect(b.max, b.name).toBeGreaterThan(b.min);
      if (b.kind === 'limit') expect(b.range.length, b.name).toBeGreaterThan(10);
    }
  });

  it('has the defaults rdpscope always had', () => {
    expect(DEFAULT_LIMITS).toEqual({
      'pending-bytes': MiB, events: 10_000, 'handshake-message-bytes': 256 * KiB, 'handshake-records': 1024, 'cert-chain': 16,
      'reported-records': 16, 'tsrequest-bytes': 64 * KiB, 'credssp-rounds': 8, 'tls-close-grace-ms': 300,
      flows: 100_000, 'flow-idle-seconds': 300, 'held-bytes': MiB, 'transcript-bytes': MiB, 'html-connections': 500,
    });
    // the constants the code kept are the table's defaults
    expect([MAX_HANDSHAKE_RECORDS, MAX_CHAIN, MAX_CREDSSP_ROUNDS, TS_REQUEST_MAX_SIZE, DEFAULT_MAX_HANDSHAKE_MESSAGE, MAX_FLOWS, IDLE_TIMEOUT_MS, MAX_HELD_BYTES])
      .toEqual([1024, 16, 8, 64 * KiB, 256 * KiB, 100_000, 300_000, MiB]);
    expect([optionBound('stage-timeout-ms').default, optionBound('connect-timeout-ms').default, optionBound('concurrency').default]).toEqual([5000, 5000, 64]);
    expect(MAX_CONCURRENCY).toBe(1024);
  });

  it('states the fixed bounds as the code enforces them', () => {
    const code: Record<string, number> = {
      'tpkt-bytes': 0xffff, 'tls-record-bytes': MAX_RECORD_FRAGMENT, 'mcs-connect-bytes': MAX_CONNECT_PDU_SIZE,
      channels: MAX_CHANNELS, monitors: MAX_MONITORS, 'cert-blobs': MAX_CERT_BLOBS, 'auto-reconnect-cookie-bytes': MAX_AUTO_RECONNECT_COOKIE,
      'rsa-modulus-bits': MAX_MODULUS_BITS, 'encrypted-random-bytes': MAX_ENCRYPTED_RANDOM, 'length-octets': 4, 'x509-nesting': MAX_DEPTH,
      'token-line-bytes': MAX_TOKEN_LINE, 'share-pdus': MAX_SHARE_PDUS, 'tls-enumeration-attempts': MAX_ATTEMPTS_PER_VERSION,
      'socks-handshake-bytes': MAX_SOCKS_BYTES, 'capture-record-bytes': MAX_RECORD_BYTES, 'clock-jump-ms': MAX_CLOCK_JUMP_MS,
      'packet-issues': MAX_PACKET_ISSUES, 'keylog-line-bytes': MAX_KEYLOG_LINE, 'keylog-issues': MAX_KEYLOG_ISSUES,
      'serve-connections': DEFAULT_MAX_CONNECTIONS, 'serve-idle-ms': DEFAULT_IDLE_MS,
    };
    const fixed = BOUNDS.filter((b): b is Extract<Bound, { kind: 'fixed' }> => b.kind === 'fixed');
    expect(Object.fromEntries(fixed.map((b) => [b.name, b.value]))).toEqual(code);
    for (const b of fixed) expect(b.basis, b.name).toMatch(/^(RFC \d+|\[MS-[A-Z]+\]|Format guard|Derived|Report size|Test fixture)/);
  });

  it('formats byte counts as --limit takes them', () => {
    expect([formatValue(MiB, 'bytes'), formatValue(64 * KiB, 'bytes'), formatValue(16 * MiB - 1, 'bytes'), formatValue(1024, 'records'), formatValue(0, 'bytes')])
      .toEqual(['1MiB', '64KiB', '16777215', '1024', '0']);
  });
});

describe('--limit NAME=VALUE', () => {
  it('takes a whole number within the range, byte counts also in KiB or MiB; a later value wins', () => {
    expect(parseLimit('credssp-rounds=3')).toEqual(['credssp-rounds', 3]);
    expect(parseLimit('pending-bytes=2MiB')).toEqual(['pending-bytes', 2 * MiB]);
    expect(parseLimit(' held-bytes = 64KiB ')).toEqual(['held-bytes', 64 * KiB]);
    const l = parseLimits(['flows=10', 'credssp-rounds=4', 'flows=20'], 'capture');
    expect(l).toEqual({ ...DEFAULT_LIMITS, flows: 20, 'credssp-rounds': 4 });
    expect(parseLimits([])).toEqual(DEFAULT_LIMITS);
    // the extremes are allowed
    for (const b of BOUNDS) if (b.kind === 'limit') expect(parseLimits([`${b.name}=${b.min}`, `${b.name}=${b.max}`])[b.name]).toBe(b.max);
  });

  it('refuses an unknown name with the list of names', () => {
    const m = limitError(() => parseLimit('credssp-round=3'));
    expect(m).toContain('unknown limit "credssp-round"');
    for (const n of LIMIT_NAMES) expect(m).toContain(n);
  });

  it('refuses a value out of range, or not a whole number, with the range and the default', () => {
    expect(limitError(() => parseLimit('credssp-rounds=1'))).toBe('--limit credssp-rounds=1: out of range: give 2 to 64 TSRequests (default 8)');
    expect(limitError(() => parseLimit('pending-bytes=32MiB'))).toBe('--limit pending-bytes=32MiB: out of range: give 64KiB to 16MiB bytes (default 1MiB)');
    expect(limitError(() => parseLimit('flows=-1'))).toMatch(/not a whole number: give 1 to 10000000 connections \(default 100000\)$/);
    expect(limitError(() => parseLimit('flows=1.5'))).toMatch(/not a whole number/);
    expect(limitError(() => parseLimit('flows=2KiB'))).toMatch(/not a whole number/);
    expect(limitError(() => parseLimit('flows='))).toMatch(/not a whole number/);
    expect(limitError(() => parseLimit('flows=99999999999999999999'))).toMatch(/not a whole number/);
  });

  it('says NAME=VALUE when the = is missing', () => {
    expect(limitError(() => parseLimit('flows'))).toMatch(/^--limit flows: give NAME=VALUE/);
    expect(limitError(() => parseLimit('=3'))).toMatch(/give NAME=VALUE/);
  });

  it('sends a bound with its own option to that option, and refuses a fixed one with its spec section', () => {
    expect(limitError(() => parseLimit('stage-timeout-ms=100'))).toBe('--limit stage-timeout-ms=100: stage-timeout-ms is set with --timeout (probe, scan and fixture)');
    expect(limitError(() => parseLimit('concurrency=8'))).toBe('--limit concurrency=8: concurrency is set with --concurrency (scan only)');
    expect(limitError(() => parseLimit('tls-record-bytes=100'))).toMatch(/tls-record-bytes is fixed at 18432 bytes \(RFC 5246 §6\.2\.3.*\), not configurable$/);
    expect(limitError(() => parseLimit('channels=64'))).toMatch(/\[MS-RDPBCGR\] 2\.2\.1\.3\.4/);
  });

  it('refuses a limit of capture analysis on a live probe, and one of live probes on analyze', () => {
    expect(limitError(() => parseLimits(['flows=3'], 'live'))).toBe('--limit flows=3: flows applies to analyze only');
    expect(limitError(() => parseLimits(['tls-close-grace-ms=3'], 'capture'))).toBe('--limit tls-close-grace-ms=3: tls-close-grace-ms applies to probe, scan and fixture');
    expect(parseLimits(['credssp-rounds=3'], 'live')['credssp-rounds']).toBe(3);
    expect(parseLimits(['credssp-rounds=3'], 'capture')['credssp-rounds']).toBe(3);
  });

  it('resolves partial limits over the defaults', () => {
    expect(resolveLimits()).toBe(DEFAULT_LIMITS);
    expect(resolveLimits({ flows: 5, events: undefined } as Partial<Limits>)).toEqual({ ...DEFAULT_LIMITS, flows: 5 });
    expect(findBound('flows')?.kind).toBe('limit');
  });
});

/** The DecodeError a stage's frame() throws, or its size. */
function frame(f: () => number | undefined): number | undefined | DecodeError {
  try {
    return f();
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
}

describe('a lowered limit takes effect in the core', () => {
  const withLimits = (l: Partial<Limits>, more: Partial<ConnectionState> = {}): ConnectionState => ({ limits: resolveLimits(l), ...more });

  it('handshake-records: the TLS stage stops a side at the configured count', () => {
    const record = Uint8Array.of(22, 3, 3, 0, 1, 0);
    const st = newTlsState();
    st.s2c.handshakeRecords = 100;
    expect(frame(() => tlsStage.frame(record, 's2c', 40, withLimits({}, { tls: st })))).toBe(6);
    const e = frame(() => tlsStage.frame(record, 's2c', 40, withLimits({ 'handshake-records': 100 }, { tls: st })));
    expect(e).toBeInstanceOf(DecodeError);
    expect((e as DecodeError).toJSON()).toMatchObject({ code: 'LIMIT_EXCEEDED', offset: 40, reason: '100 records without completing the handshake' });
  });

  it('tsrequest-bytes: the CredSSP stage refuses a longer TSRequest from its length', () => {
    const head = Uint8Array.of(0x30, 0x82, 0x07, 0xd0); // a 2000-byte TSRequest
    expect(frame(() => credsspStage.frame(head, 's2c', 0, withLimits({})))).toBe(2004);
    const e = frame(() => credsspStage.frame(head, 's2c', 0, withLimits({ 'tsrequest-bytes': 1024 })));
    expect((e as DecodeError).toJSON()).toMatchObject({ code: 'LIMIT_EXCEEDED', field: 'TSRequest length', reason: '2004 bytes exceed 1024' });
  });

  it('pending-bytes and events: the tracker takes them from its limits', () => {
    const t = new HandshakeTracker({ limits: { 'pending-bytes': 64 * KiB } });
    expect(t.state.limits?.['pending-bytes']).toBe(64 * KiB);
    t.push({ kind: 'data', dir: 's2c', lane: 'wire', bytes: Uint8Array.of(3, 0, 0xff, 0xff, 0), at: 1 });
    expect(t.events.find((e) => e.type === 'decode-error')).toBeUndefined(); // 65535 ≤ 64 KiB: waits for the rest
    const small = new HandshakeTracker({ limits: { 'pending-bytes': 1000 } });
    small.push({ kind: 'data', dir: 's2c', lane: 'wire', bytes: Uint8Array.of(3, 0, 0xff, 0xff, 0), at: 1 });
    expect(small.events.find((e) => e.type === 'decode-error')).toMatchObject({ error: { code: 'LIMIT_EXCEEDED', reason: 'PDU of 65535 bytes exceeds the 1000-byte limit' } });
    expect(new HandshakeTracker().state.limits).toBeUndefined(); // the stages' defaults
  });
});

const pcap = (f: string): Uint8Array => new Uint8Array(readFileSync(`fixtures/pcaps/${f}`));
const conns = (items: ReplayItem[]) => items.flatMap((i) => (i.type === 'connection' ? [i] : []));
const issues = (items: ReplayItem[]) => items.flatMap((i) => (i.type === 'issue' ? [i.issue.reason] : []));

describe('a lowered limit takes effect in capture replay', () => {
  it('flows: past the table size connections are ended early, each verdict says evicted and an issue counts them', () => {
    const plain = replayBytes(pcap('RDP-003.pcap'));
    expect(conns(plain)).toHaveLength(1);
    expect(issues(plain).join('\n')).not.toMatch(/ended early/);
    const one = replayBytes(pcap('RDP-003.pcap'), { limits: { flows: 1 } });
    const evicted = conns(one).filter((c) => c.events.some((e) => e.type === 'end' && e.detail === 'evicted: more than 1 connections open at once'));
    expect(evicted.length).toBeGreaterThan(0);
    expect(issues(one)).toContain(`${evicted.length} RDP connection${evicted.length === 1 ? '' : 's'} ended early, verdict${evicted.length === 1 ? '' : 's'} cut short: more than 1 TCP connection open at once (limit flows; raise it with --limit flows=N)`);
  });

  it('handshake-message-bytes: a real Certificate message (831 bytes) is refused with LIMIT_EXCEEDED, and the verdict says the bound was lowered', () => {
    const [plain] = conns(replayBytes(pcap('decrypt/tls12-aes256gcm.pcap')));
    expect(plain!.verdict.status).toBe('ok');
    expect(plain!.events).toContainEqual(expect.objectContaining({ type: 'pdu', name: 'TLS Certificate', length: 831 }));
    const [c] = conns(replayBytes(pcap('decrypt/tls12-aes256gcm.pcap'), { limits: { 'handshake-message-bytes': 700 } }));
    const err = c!.events.find((e) => e.type === 'decode-error');
    expect(err).toMatchObject({ dir: 's2c', error: { code: 'LIMIT_EXCEEDED', pdu: 'TLS handshake', field: 'length', reason: 'certificate of 827 bytes exceeds the 700-byte limit' } });
    expect(c!.verdict).toMatchObject({ status: 'failed', failedStage: 'tls' });
    expect(c!.verdict.summary).toMatch(/^the server's TLS handshake exceeds a limit: length at byte \d+: certificate of 827 bytes exceeds the 700-byte limit$/);
    expect(c!.verdict.cause).toBe('the bound was lowered with --limit handshake-message-bytes=700 (default 262144): a genuine server may need more; rdpscope stops following the stream there');
    expect(c!.verdict.remedy[0]).toBe('If this server is genuine and needs more, raise the bound: --limit handshake-message-bytes=VALUE (now 700; \'rdpscope limits\' gives the range)');
  });

  it('reported-records: encrypted records after the handshake are counted instead of listed', () => {
    const listed = (items: ReplayItem[]) => conns(items).flatMap((c) => c.events).filter((e) => e.type === 'pdu' && e.name === 'TLS encrypted record').length;
    expect(listed(replayBytes(pcap('rdp-to-ssl.pcap')))).toBeGreaterThan(4);
    expect(listed(replayBytes(pcap('rdp-to-ssl.pcap'), { limits: { 'reported-records': 2 } }))).toBe(8); // 2 per direction, two connections
  });

  it('the defaults give the same verdicts as no limits at all', () => {
    for (const f of ['RDP-003.pcap', 'rdp-to-ssl.pcap', 'rdp-proprietary-encryption.pcap']) {
      const a = conns(replayBytes(pcap(f))).map((c) => c.verdict);
      const b = conns(replayBytes(pcap(f), { limits: DEFAULT_LIMITS })).map((c) => c.verdict);
      expect(b).toEqual(a);
    }
  });
});
