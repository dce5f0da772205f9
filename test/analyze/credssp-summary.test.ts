// The CredSSP summary of a decrypted capture against the live probe's (fixtures/pcaps/decrypt: captures
// of rdpscope's probe against the scenario server, NLA with delegation, with what the live tracker saw
// in NAME.live.json). The live probe checks the server's pubKeyAuth itself (it holds the NTLM session
// key); a capture shows the server's pubKeyAuth TSRequest but cannot open it: the summary says it was
// sent and not checked, with the same CredSSP version, instead of "no server pubKeyAuth".
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { credsspSummary } from '../../src/analyze/credssp-summary.js';
import type { TrackerEvent } from '../../src/analyze/events.js';
import { replayBytes, type ReplayItem } from '../../src/capture/replay.js';
import { renderCredssp } from '../../src/report/credssp-text.js';
import { style } from '../../src/report/style.js';
import { KeyLog } from '../../src/tls/decrypt/keylog.js';
import type { DecryptionKeys } from '../../src/tls/decrypt/connection-decryptor.js';

const DIR = new URL('../../fixtures/pcaps/decrypt/', import.meta.url);
const NAMES = ['tls13-aes128gcm', 'tls13-chacha20', 'tls12-aes256gcm', 'tls12-chacha20', 'tls12-cbc-sha', 'tls12-cbc-sha256', 'tls12-rsa-kx'];

interface Live { events: { type: string; stage?: string; dir?: string; lane?: string; name?: string }[] }
const live = (name: string): Live => JSON.parse(readFileSync(new URL(`${name}.live.json`, DIR), 'utf8')) as Live;

function keys(name: string): DecryptionKeys {
  if (name === 'tls12-rsa-kx') return { keyLog: new KeyLog(), serverKeys: [createPrivateKey(readFileSync(new URL('scenario-server.key', DIR)))] };
  const k = new KeyLog();
  k.add(readFileSync(new URL(`${name}.keys`, DIR), 'latin1'));
  return { keyLog: k, serverKeys: [] };
}

function events(name: string, withKeys = true): readonly TrackerEvent[] {
  const items = replayBytes(new Uint8Array(readFileSync(new URL(`${name}.pcap`, DIR))), withKeys ? { keys: keys(name) } : {});
  return items.filter((i): i is Extract<ReplayItem, { type: 'connection' }> => i.type === 'connection')[0]!.events;
}

/** What the live probe's summary says for these runs (test/server/credssp-scenarios.test.ts: 'ok' with --delegate). */
const LIVE_LOGON = { user: 'rdpscope', workstation: 'RDPSCOPE', pubKeyAuth: 'match', version: 6, credentialsDelegated: true };

describe('CredSSP summary of a decrypted capture, next to the live probe\'s', () => {
  for (const name of NAMES) {
    it(`${name}: the server's pubKeyAuth TSRequest is reported (sent, not checked, CredSSP v6), the rest as live`, () => {
      // the live run checked the server's pubKeyAuth (a credssp-check event) after the server's second TSRequest
      const l = live(name).events;
      const check = l.findIndex((e) => e.type === 'credssp-check');
      expect(check).toBeGreaterThan(0);
      expect(l.slice(0, check).filter((e) => e.type === 'pdu' && e.dir === 's2c' && e.name === 'CredSSP TSRequest')).toHaveLength(2);

      const ev = events(name);
      expect(ev.some((e) => e.type === 'credssp-check')).toBe(false);
      const s = credsspSummary(ev)!;
      expect(s).toMatchObject({ serverVersion: 6, cve20180886: 'patched', mechanism: 'ntlm', ntlm: { nbComputerName: 'SCENARIO' }, earlyUserAuth: { value: 0 } });
      expect(s.logon).toEqual({ ...LIVE_LOGON, pubKeyAuth: 'not-checked' });
      const text = renderCredssp(s, style(false)).join('\n');
      expect(text).toContain('Logon              rdpscope from RDPSCOPE: server pubKeyAuth sent (v6), not checked (sealed with the NTLM session key, which only the client\'s password gives); credentials delegated');
      expect(text).not.toContain('no server pubKeyAuth');
    });
  }

  it('a live check, when there is one, is what the summary reports', () => {
    const ev = events('tls12-aes256gcm');
    const at = ev.findIndex((e) => e.type === 'pdu' && e.dir === 's2c' && e.name === 'CredSSP TSRequest' && (e.value as { request: { pubKeyAuth?: Uint8Array } }).request.pubKeyAuth);
    const check = { type: 'credssp-check', stage: 'credssp', at: 0, result: 'match', version: 6, method: 'sha256-binding-hash', detail: 'x' } as TrackerEvent;
    expect(credsspSummary([...ev.slice(0, at + 1), check, ...ev.slice(at + 1)])!.logon).toEqual(LIVE_LOGON);
    const mismatch = { ...check, result: 'mismatch' } as TrackerEvent;
    expect(credsspSummary([...ev.slice(0, at + 1), mismatch, ...ev.slice(at + 1)])!.logon).toMatchObject({ pubKeyAuth: 'mismatch', version: 6 });
  });

  it('without the server\'s pubKeyAuth TSRequest, there is none to report', () => {
    const ev = events('tls13-aes128gcm').filter((e) => !(e.type === 'pdu' && e.dir === 's2c' && e.name === 'CredSSP TSRequest'
      && (e.value as { request: { pubKeyAuth?: Uint8Array } }).request.pubKeyAuth));
    const s = credsspSummary(ev)!;
    expect(s.logon).toEqual({ user: 'rdpscope', workstation: 'RDPSCOPE', credentialsDelegated: true });
    expect(renderCredssp(s, style(false)).join('\n')).toContain('no server pubKeyAuth');
  });

  it('without keys nothing of CredSSP is seen', () => {
    expect(credsspSummary(events('tls12-aes256gcm', false))).toBeUndefined();
  });
});
