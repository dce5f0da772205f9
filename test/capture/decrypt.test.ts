// Offline decryption on the committed captures of rdpscope's own probe against the scenario server
// (fixtures/pcaps/decrypt, made by test/tls/decrypt/record-fixtures.mjs): with the probe's key log
// (or the server's RSA key, or the keys embedded in a pcapng) the analysis sees what the live probe
// saw, and tshark decodes the same packets as CredSSP and T.125; without keys the verdict is the
// inferred one and names the key that would settle it. Also: pcapng Decryption Secrets Blocks.
import { execFileSync } from 'node:child_process';
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrackerEvent } from '../../src/analyze/events.js';
import { replayBytes, type ReplayItem } from '../../src/capture/replay.js';
import { KeyLog } from '../../src/tls/decrypt/keylog.js';
import type { DecryptionKeys } from '../../src/tls/decrypt/connection-decryptor.js';
import { cli, ndjson } from '../helpers/cli.js';
import { describeWithTools } from '../helpers/lab.js';
import { ascii, concat, epb, idb, shb } from './helpers.js';

const DIR = new URL('../../fixtures/pcaps/decrypt/', import.meta.url);
const path = (name: string): string => fileURLToPath(new URL(name, DIR));
const read = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(name, DIR)));
/** The scenario server's account password (a test-only value): it must be in no capture, decrypted or not. */
const PASSWORD = 'Scenario#Pass1';

const CASES = [
  { name: 'tls13-aes128gcm', protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256' },
  { name: 'tls13-chacha20', protocol: 'TLSv1.3', cipher: 'TLS_CHACHA20_POLY1305_SHA256' },
  { name: 'tls12-aes256gcm', protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' },
  { name: 'tls12-chacha20', protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256' },
  { name: 'tls12-cbc-sha', protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA' },
  { name: 'tls12-cbc-sha256', protocol: 'TLSv1.2', cipher: 'TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256' },
  { name: 'tls12-rsa-kx', protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256' },
] as const;

interface Live {
  protocol: string;
  cipher: string;
  verdict: { status: string; summary: string; lastCompletedStage: string };
  events: { type: string; stage?: string; dir?: string; lane?: string; name?: string }[];
}
const live = (name: string): Live => JSON.parse(readFileSync(new URL(`${name}.live.json`, DIR), 'utf8')) as Live;

function keyLog(...files: string[]): DecryptionKeys {
  const k = new KeyLog();
  for (const f of files) expect(k.add(readFileSync(new URL(f, DIR), 'latin1'))).toEqual([]);
  return { keyLog: k, serverKeys: [] };
}

function analyze(file: string, keys?: DecryptionKeys) {
  const items = replayBytes(read(file), keys ? { keys } : {});
  const conns = items.filter((i): i is Extract<ReplayItem, { type: 'connection' }> => i.type === 'connection');
  expect(conns).toHaveLength(1);
  return { conn: conns[0]!, issues: items.flatMap((i) => (i.type === 'issue' ? [i.issue] : [])) };
}

/** PDU names per lane and direction, and the stages entered: what must agree between live and capture. */
function shape(events: readonly { type: string; stage?: string; dir?: string; lane?: string; name?: string }[]) {
  const pdus = (lane: string, dir: string) => events.filter((e) => e.type === 'pdu' && e.lane === lane && e.dir === dir).map((e) => `${e.stage}: ${e.name}`);
  return {
    inner: { c2s: pdus('inner', 'c2s'), s2c: pdus('inner', 's2c') },
    stages: [...new Set(events.filter((e) => e.type === 'stage').map((e) => e.stage))],
  };
}

const session = (events: readonly TrackerEvent[]) => events.find((e): e is Extract<TrackerEvent, { type: 'tls-session' }> => e.type === 'tls-session');

describe('decrypting captures of the live probe (fixtures/pcaps/decrypt)', () => {
  for (const c of CASES) {
    const keys = (): DecryptionKeys => c.name === 'tls12-rsa-kx'
      ? { keyLog: new KeyLog(), serverKeys: [createPrivateKey(readFileSync(path('scenario-server.key')))] }
      : keyLog(`${c.name}.keys`);
    const how = c.name === 'tls12-rsa-kx' ? 'the server\'s RSA key' : 'the probe\'s key log';

    it(`${c.name}: with ${how}, the same PDUs, stages, TLS session and verdict as the live probe`, () => {
      const l = live(c.name);
      expect([l.protocol, l.cipher]).toEqual([c.protocol, c.cipher]);
      const { conn, issues } = analyze(`${c.name}.pcap`, keys());
      expect(issues).toEqual([]);
      expect(shape(conn.events)).toEqual(shape(l.events));
      expect(shape(conn.events).inner.s2c).toContain('licensing: RDP Demand Active');
      const source = c.name === 'tls12-rsa-kx' ? 'server-key' : 'key-log';
      expect(session(conn.events)).toMatchObject({ source, protocol: c.protocol, cipher: c.cipher, chain: [expect.any(Uint8Array)] });
      expect({ status: conn.verdict.status, summary: conn.verdict.summary, lastCompletedStage: conn.verdict.lastCompletedStage }).toEqual(l.verdict);
      expect(conn.verdict.evidence.every((e) => e.basis === 'observed')).toBe(true);
    });

    it(`${c.name}: without keys, the verdict stops at CredSSP, encrypted, and names the client random whose key would show it`, () => {
      const { conn, issues } = analyze(`${c.name}.pcap`);
      expect(issues).toEqual([]);
      expect(session(conn.events)).toBeUndefined();
      expect(conn.events.some((e) => e.type === 'pdu' && e.lane === 'inner')).toBe(false);
      const hello = conn.events.find((e) => e.type === 'pdu' && e.name === 'TLS ClientHello') as { value: { random: Uint8Array } };
      const hex = Buffer.from(hello.value.random.subarray(0, 8)).toString('hex');
      expect(conn.verdict).toMatchObject({ status: 'ok', stagesReached: ['tcp', 'x224', 'tls', 'credssp'], lastCompletedStage: 'tls' });
      expect(conn.verdict.summary).toMatch(/; the connection went on into credssp$/);
      const rsa = c.name === 'tls12-rsa-kx' ? ' or the server\'s RSA private key \\(--server-key\\)' : '';
      expect(conn.verdict.evidence.map((e) => e.text)).toContainEqual(expect.stringMatching(new RegExp(
        `^credssp stage carried \\d+ bytes from the client and \\d+ from the server \\(encrypted: without the TLS keys only record sizes are known; a key log \\(--keylog\\) for this connection's client random ${hex}…${rsa} would show them\\)$`)));
    });

    it(`${c.name}: the password is in no packet and, decrypted, in no plaintext (CredSSP seals it)`, () => {
      const { conn } = analyze(`${c.name}.pcap`, keys());
      const inner = conn.events.flatMap((e) => (e.type === 'pdu' && e.lane === 'inner' ? [JSON.stringify(e.value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))] : [])).join('');
      for (const enc of ['utf8', 'utf16le'] as const) {
        expect(Buffer.from(read(`${c.name}.pcap`)).includes(Buffer.from(PASSWORD, enc))).toBe(false);
        expect(inner.includes(PASSWORD)).toBe(false);
      }
    });
  }

  it('a key log of other connections: an issue naming this client random, and the verdict without keys', () => {
    const { conn, issues } = analyze('tls13-aes128gcm.pcap', keyLog('tls13-chacha20.keys', 'tls12-cbc-sha.keys'));
    expect(issues).toEqual([{ packet: 9, offset: expect.any(Number), reason: expect.stringMatching(/^connection #1: no key log entry for client random [0-9a-f]{64}: this connection's TLS stays encrypted$/) }]);
    expect(conn.verdict.summary).toBe(analyze('tls13-aes128gcm.pcap').conn.verdict.summary);
  });

  it('the keys a pcapng carries (Decryption Secrets Block, written by editcap --inject-secrets) decrypt without --keylog', () => {
    const { conn, issues } = analyze('tls13-chacha20-dsb.pcapng');
    expect(issues).toEqual([]);
    expect(shape(conn.events)).toEqual(shape(live('tls13-chacha20').events));
    expect(session(conn.events)).toMatchObject({ source: 'key-log', cipher: 'TLS_CHACHA20_POLY1305_SHA256' });
  });
});

describe('rdpscope analyze --keylog / --server-key', () => {
  it('text: the TLS session from the key log, the certificate TLS 1.3 encrypts, CredSSP and MCS decoded', async () => {
    const r = await cli('analyze', path('tls13-aes128gcm.pcap'), '--keylog', path('tls13-aes128gcm.keys'));
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/credssp +TLS session: TLSv1\.3, TLS_AES_128_GCM_SHA256, 1 certificate \(from the key log\)/);
    expect(r.out).toMatch(/trust: self-signed \(certificate from the key log\)/);
    expect(r.out).toContain('CredSSP TSRequest: version 6, NTLM AUTHENTICATE as rdpscope, pubKeyAuth');
    expect(r.out).toMatch(/OK {2}the server sent the Demand Active/);
  });

  it('JSON: the certificate comes from the key log; several key logs and a server key together', async () => {
    const r = await cli('analyze', path('tls13-aes128gcm.pcap'), path('tls12-rsa-kx.pcap'), '--json', '--keylog', path('tls13-chacha20.keys'), '--keylog', path('tls13-aes128gcm.keys'),
      '--server-key', path('scenario-server.key'));
    const [a, b] = ndjson(r.out);
    expect(a!.tls.certificate.source).toBe('key-log');
    expect(b!.verdict.stagesReached).toContain('capabilities');
  });

  it('bad key log lines are warnings; a missing file or a non-RSA key is a usage error', async () => {
    const dir = fileURLToPath(new URL('../../fixtures/pcaps/', import.meta.url));
    const bad = await cli('analyze', path('tls13-aes128gcm.pcap'), '--keylog', `${dir}README.md`);
    expect(bad.code).toBe(0);
    expect(bad.err).toMatch(/^rdpscope analyze: --keylog .*README\.md: line \d+: /m);
    // no usable key at all: the analysis runs as without --keylog
    expect(bad.out).toBe((await cli('analyze', path('tls13-aes128gcm.pcap'))).out);
    const missing = await cli('analyze', path('tls13-aes128gcm.pcap'), '--keylog', path('nope.keys'));
    expect([missing.code, missing.err]).toEqual([2, `rdpscope analyze: --keylog ${path('nope.keys')}: ENOENT\n`]);
    const notKey = await cli('analyze', path('tls13-aes128gcm.pcap'), '--server-key', path('tls13-aes128gcm.keys'));
    expect(notKey.code).toBe(2);
    expect(notKey.err).toBe(`rdpscope analyze: --server-key ${path('tls13-aes128gcm.keys')}: not a PEM or DER private key\n`);
    const ec = join(mkdtempSync(join(tmpdir(), 'rdpscope-key-')), 'ec.pem');
    writeFileSync(ec, generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const notRsa = await cli('analyze', path('tls13-aes128gcm.pcap'), '--server-key', ec);
    expect([notRsa.code, notRsa.err]).toEqual([2, `rdpscope analyze: --server-key ${ec}: an EC key; only RSA keys decrypt (RSA key exchange)\n`]);
    rmSync(dirname(ec), { recursive: true });
  });
});

describe('pcapng Decryption Secrets Blocks (draft-ietf-opsawg-pcapng §4.7)', () => {
  /** A DSB: secrets type, length, data padded to 32 bits. */
  function dsb(le: boolean, type: number, data: Uint8Array, claimed = data.length): Uint8Array {
    const body = new Uint8Array(8 + Math.ceil(data.length / 4) * 4);
    const dv = new DataView(body.buffer);
    dv.setUint32(0, type, le);
    dv.setUint32(4, claimed, le);
    body.set(data, 8);
    const len = body.length + 12;
    const out = new Uint8Array(len);
    const o = new DataView(out.buffer);
    o.setUint32(0, 10, le);
    o.setUint32(4, len, le);
    out.set(body, 8);
    o.setUint32(len - 4, len, le);
    return out;
  }
  /** The fixture's packets, re-wrapped as pcapng after the given blocks (either byte order). */
  function withBlocks(le: boolean, blocks: Uint8Array[]): Uint8Array {
    const src = read('tls12-aes256gcm.pcap');
    const dv = new DataView(src.buffer, src.byteOffset);
    const packets: Uint8Array[] = [];
    for (let off = 24; off + 16 <= src.length;) {
      const n = dv.getUint32(off + 8, true);
      const ts = BigInt(dv.getUint32(off, true)) * 1_000_000n + BigInt(dv.getUint32(off + 4, true));
      packets.push(epb(le, 0, ts, src.subarray(off + 16, off + 16 + n)));
      off += 16 + n;
    }
    return concat([shb(le), idb(le, 1), ...blocks, ...packets]);
  }
  const keys = readFileSync(new URL('tls12-aes256gcm.keys', DIR));

  for (const le of [true, false]) {
    it(`${le ? 'little' : 'big'}-endian: a TLS key log block decrypts; other secrets types are skipped`, () => {
      const items = replayBytes(withBlocks(le, [dsb(le, 0x57474b4c, ascii('wireguard keys')), dsb(le, 0x544c534b, keys)]));
      const conn = items.find((i) => i.type === 'connection') as Extract<ReplayItem, { type: 'connection' }>;
      expect(items.filter((i) => i.type === 'issue')).toEqual([]);
      expect(session(conn.events)).toMatchObject({ cipher: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384' });
    });
  }

  it('a secrets length past its block and bad key log lines are issues with the block\'s offset; the file goes on', () => {
    const file = withBlocks(true, [dsb(true, 0x544c534b, ascii('x'), 400), dsb(true, 0x544c534b, ascii(`garbage line\n${keys.toString('latin1')}`))]);
    const items = replayBytes(file);
    const at = shb(true).length + idb(true, 1).length;
    expect(items.filter((i) => i.type === 'issue')).toEqual([
      { type: 'issue', issue: { offset: at, reason: 'decryption secrets length 400 overruns its block' } },
      { type: 'issue', issue: { offset: at + 24, reason: 'decryption secrets block: line 1: expected "LABEL CLIENT_RANDOM SECRET", found 2 fields' } },
    ]);
    expect(session((items.find((i) => i.type === 'connection') as Extract<ReplayItem, { type: 'connection' }>).events)).toBeDefined();
  });

  it('without keys of any kind, the replay is unchanged (no decryptor)', () => {
    const plain = replayBytes(read('tls12-aes256gcm.pcap'));
    const empty = replayBytes(read('tls12-aes256gcm.pcap'), { keys: { keyLog: new KeyLog(), serverKeys: [] } });
    expect(JSON.stringify(empty)).toBe(JSON.stringify(plain));
  });
});

describeWithTools(['tshark'], 'tshark with the same key log', () => {
  /** Frames tshark decodes as CredSSP or T.125 (the RDP port given: tshark knows only 3389). */
  function tsharkFrames(file: string, port: number, keylog?: string): number[] {
    const out = execFileSync('tshark', ['-r', path(file), '-d', `tcp.port==${port},tls`, '-d', `tls.port==${port},tpkt`,
      ...(keylog ? ['-o', `tls.keylog_file:${path(keylog)}`] : []), '-Y', 'credssp || t125', '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    return out.split('\n').filter(Boolean).map(Number);
  }

  for (const c of CASES.filter((x) => x.name !== 'tls12-rsa-kx')) {
    it(`${c.name}: tshark decodes CredSSP and T.125 in the packets where rdpscope decodes them, and nothing without the key log`, () => {
      const { conn } = analyze(`${c.name}.pcap`, keyLog(`${c.name}.keys`));
      const port = conn.flow.server.port;
      const ours = conn.events.filter((e) => e.type === 'pdu' && e.lane === 'inner' && e.name !== 'Early User Authorization Result');
      const theirs = tsharkFrames(`${c.name}.pcap`, port, `${c.name}.keys`);
      expect(theirs.length).toBeGreaterThan(10);
      expect([...new Set(ours.map((e) => e.packet))].sort((a, b) => a! - b!)).toEqual(theirs);
      expect(tsharkFrames(`${c.name}.pcap`, port)).toEqual([]);
    });
  }
});
