// Which key opened a decrypted session is what the output names: a session decrypted with the server's
// RSA key (--server-key, RSA key exchange) is labelled so, not as from a key log. On the bundled
// capture of rdpscope's probe with TLS_RSA_WITH_AES_128_GCM_SHA256 (fixtures/pcaps/decrypt/tls12-rsa-kx).
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { TrackerEvent } from '../../../src/analyze/events.js';
import { replayBytes, type ReplayItem } from '../../../src/capture/replay.js';
import { connectionReport } from '../../../src/report/json.js';
import { KeyLog } from '../../../src/tls/decrypt/keylog.js';
import type { DecryptionKeys } from '../../../src/tls/decrypt/connection-decryptor.js';
import { cli, ndjson } from '../../helpers/cli.js';

const DIR = new URL('../../../fixtures/pcaps/decrypt/', import.meta.url);
const path = (name: string): string => fileURLToPath(new URL(name, DIR));
const serverKey = () => createPrivateKey(readFileSync(path('scenario-server.key')));
const keyLogOf = (file: string): KeyLog => {
  const k = new KeyLog();
  expect(k.add(readFileSync(path(file), 'latin1'))).toEqual([]);
  return k;
};

function replay(keys: DecryptionKeys) {
  const items = replayBytes(new Uint8Array(readFileSync(path('tls12-rsa-kx.pcap'))), { keys });
  expect(items.filter((i) => i.type === 'issue')).toEqual([]);
  const [c] = items.filter((i): i is Extract<ReplayItem, { type: 'connection' }> => i.type === 'connection');
  const session = c!.events.find((e): e is Extract<TrackerEvent, { type: 'tls-session' }> => e.type === 'tls-session');
  const line = connectionReport(c!.events, c!.verdict).timeline.find((t) => t.what === 'TLS session');
  return { session, line };
}

describe('the decryption source of a session', () => {
  it('with only the server key: source server-key, and the timeline says the server\'s private key', () => {
    const { session, line } = replay({ keyLog: new KeyLog(), serverKeys: [serverKey()] });
    expect(session).toMatchObject({ source: 'server-key', protocol: 'TLSv1.2', cipher: 'TLS_RSA_WITH_AES_128_GCM_SHA256' });
    expect(line?.detail).toBe("TLSv1.2, TLS_RSA_WITH_AES_128_GCM_SHA256, 1 certificate (from the server's private key)");
  });

  it('with the key log of the same capture: source key-log (the key log\'s master secret is used first, even with the server key)', () => {
    for (const serverKeys of [[], [serverKey()]]) {
      const { session, line } = replay({ keyLog: keyLogOf('tls12-rsa-kx.keys'), serverKeys });
      expect(session?.source).toBe('key-log');
      expect(line?.detail).toMatch(/\(from the key log\)$/);
    }
  });

  it('with the server key and a key log of other connections: source server-key', () => {
    expect(replay({ keyLog: keyLogOf('tls12-aes256gcm.keys'), serverKeys: [serverKey()] }).session?.source).toBe('server-key');
  });

  it('rdpscope analyze --server-key: text and JSON name the server\'s private key', async () => {
    const text = await cli('analyze', path('tls12-rsa-kx.pcap'), '--server-key', path('scenario-server.key'));
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/credssp +TLS session: TLSv1\.2, TLS_RSA_WITH_AES_128_GCM_SHA256, 1 certificate \(from the server's private key\)/);
    expect(text.out).not.toContain('key log');
    const json = ndjson((await cli('analyze', '--json', path('tls12-rsa-kx.pcap'), '--server-key', path('scenario-server.key'))).out);
    const tl = json[0]!.timeline as { what: string; detail: string }[];
    expect(tl.find((t) => t.what === 'TLS session')?.detail).toMatch(/\(from the server's private key\)$/);
    // TLS 1.2 sends the certificate in the clear: the check uses the Certificate message
    expect(json[0]!.tls.certificate.source).toBe('wire');
  });
});
