// The live probe hands out its TLS session's NSS key log lines (ProbeOptions.keylog → startTls →
// node:tls 'keylog'), so a capture of it can be decrypted later: the lines name the client random
// of the ClientHello the probe sent. Loopback only, against the in-process scenario server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probe } from '../../../src/probe/live.js';
import { startScenarioServer, type ScenarioServer } from '../../../src/server/server.js';

describe('probe keylog option', () => {
  let server: ScenarioServer;
  beforeAll(async () => {
    server = await startScenarioServer({ scenario: 'ok', host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server.close();
  });

  for (const [version, labels] of [
    ['TLSv1.3', ['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'EXPORTER_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_TRAFFIC_SECRET_0']],
    ['TLSv1.2', ['CLIENT_RANDOM']],
  ] as const) {
    it(`${version}: one line per secret, for the probe's own client random`, async () => {
      const lines: string[] = [];
      const r = await probe({
        host: '127.0.0.1', port: server.port, connectTimeoutMs: 5000, stageTimeoutMs: 5000, requestedProtocols: 1, noMcs: true,
        tls: { minVersion: version, maxVersion: version }, keylog: (line) => lines.push(line.toString('latin1')),
      });
      const hello = r.events.find((e) => e.type === 'pdu' && e.name === 'TLS ClientHello') as { value: { random: Uint8Array } };
      const random = Buffer.from(hello.value.random).toString('hex');
      const parsed = lines.join('').trim().split('\n').map((l) => l.split(' '));
      expect(parsed.map(([label]) => label).sort()).toEqual([...labels]);
      expect(parsed.every(([, cr]) => cr === random)).toBe(true);
    });
  }
});
