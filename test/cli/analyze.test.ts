// `rdpscope analyze` end to end on the bundled real captures.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, ndjson } from '../helpers/cli.js';

const fx = (f: string) => join('fixtures/pcaps', f);

describe('rdpscope analyze', () => {
  it('gives each connection of a retry pattern its own verdict (zeek rdp-proprietary-encryption.pcap)', async () => {
    const r = await cli('analyze', '--json', fx('rdp-proprietary-encryption.pcap'));
    expect(r.code).toBe(1);
    const [refused, retried] = ndjson(r.out);
    expect(refused).toMatchObject({
      schema: 'rdpscope/connection/1', connection: 1, firstPacket: 1,
      client: { ip: '172.21.128.16', port: 1311 }, server: { ip: '10.226.24.52', port: 3389 },
      negotiation: { cookie: 'FTBCO\\A70', requestedProtocols: { names: ['SSL'] }, failureCode: { code: 2, name: 'SSL_NOT_ALLOWED_BY_SERVER' } },
      verdict: { status: 'failed', row: { id: 9 }, failedStage: 'x224' },
    });
    expect(refused.verdict.evidence.at(-1)).toMatchObject({ basis: 'observed', dir: 's2c', packet: 5 });
    expect(retried).toMatchObject({
      connection: 2, negotiation: { requestedProtocols: { names: ['RDP'] }, selectedProtocol: { name: 'RDP' } },
      verdict: { status: 'ok', stagesReached: ['tcp', 'x224', 'mcs-connect', 'channels', 'security-exchange', 'client-info', 'licensing', 'capabilities', 'finalization', 'active'] },
    });
  });

  it('reads pcapng with nanosecond timestamps like the µs pcap it was converted from', async () => {
    const a = ndjson((await cli('analyze', '--json', fx('rdp-x509.pcap'))).out);
    const b = ndjson((await cli('analyze', '--json', fx('rdp-x509-ns.pcapng'))).out);
    expect(b.map((c) => [c.negotiation, c.verdict.status])).toEqual(a.map((c) => [c.negotiation, c.verdict.status]));
  });

  it('finds RDP on a non-RDP port by its Connection Request and names the odd reply (row 5)', async () => {
    const [c, ...rest] = ndjson((await cli('analyze', '--json', fx('modbus-and-non-modbus-p502.pcap'))).out);
    expect(rest).toEqual([]);
    expect(c).toMatchObject({ server: { port: 502 }, negotiation: { cookie: 'admin' }, verdict: { row: { id: 5 } } });
  });

  it('keeps analysing the other files when one is not a capture, and exits 3 only for unreadable input', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rdpscope-'));
    const junk = join(dir, 'junk.pcap');
    writeFileSync(junk, 'this is not a capture file at all');
    const cut = join(dir, 'cut.pcap');
    const whole = readFileSync(fx('rdp-no-cookie-mstshash.pcap'));
    writeFileSync(cut, whole.subarray(0, whole.length - 37));
    const r = await cli('analyze', junk, cut);
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/junk\.pcap: .*/);
    expect(r.err).toMatch(/cut\.pcap: .*truncated/i);
    expect(r.out).toMatch(/selected HYBRID_EX/);
    const ok = await cli('analyze', fx('rdp-to-ssl.pcap'));
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/2 RDP connections: 2 ok, 0 failed, 0 undetermined/);
  });

  it('prints a readable timeline with packet numbers', async () => {
    const r = await cli('analyze', fx('rdp-invalid-length.pcap'));
    expect(r.out).toMatch(/FAILED at x224 +malformed Connection Confirm/);
    expect(r.out).toMatch(/pkt \d+/);
    expect(r.out).toMatch(/row 11/);
  });
});
