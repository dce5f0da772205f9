// `rdpscope analyze --filter` on the bundled captures: connections counted with and without it.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cli, ndjson } from '../helpers/cli.js';

const fx = (f: string) => join('fixtures/pcaps', f);
const NMAP = join('fixtures/lab', 'nmap-enum-encryption-to-xrdp-tls.pcap'); // #2-#7, 127.0.0.1 → 127.0.0.1:33905
const IPV6 = join('fixtures/lab', 'xfreerdp-xrdp-negotiate-ipv6.pcap'); // #1 [::1]:45348 → [::1]:33891
const TWO = [fx('rdp-to-ssl.pcap'), fx('rdp-proprietary-encryption.pcap'), IPV6]; // 2 + 2 + 1

const connections = (out: string) => ndjson(out).filter((o) => o.schema === 'rdpscope/connection/1');
const summaryOf = (out: string) => ndjson(out).filter((o) => o.schema === 'rdpscope/analyze-summary/1');
const titles = (out: string) => out.split('\n').filter((l) => / #\d+ {2}/.test(l));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('rdpscope analyze --filter', () => {
  it('counts: 6 connections without a filter, 2 with "conn 3-4", and the JSON summary says 4 were filtered out', async () => {
    const all = await cli('analyze', '--json', NMAP);
    expect(connections(all.out).map((c) => c.connection)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(summaryOf(all.out)).toEqual([]); // no summary object without --filter: the stream is as before

    const some = await cli('analyze', '--json', '--filter', 'conn 3-4', NMAP);
    expect(connections(some.out).map((c) => c.connection)).toEqual([3, 4]);
    expect(summaryOf(some.out)).toEqual([{
      schema: 'rdpscope/analyze-summary/1', filter: ['conn 3-4'], connections: 2,
      status: expect.any(Object), filteredOut: 4, files: [{ file: NMAP, connections: 2, filteredOut: 4 }],
    }]);
    expect(ndjson(some.out).at(-1)!.schema).toBe('rdpscope/analyze-summary/1');
  });

  it('applies to every file; the text summary says how many were filtered out', async () => {
    const all = await cli('analyze', ...TWO);
    expect(all.out).toMatch(/\n5 RDP connections: 4 ok, 1 failed, 0 undetermined\n$/);
    const r = await cli('analyze', '--filter', 'net 192.168.0.0/16 or ip6', ...TWO);
    expect(titles(r.out).map((t) => t.split('  ')[0])).toEqual([
      `${fx('rdp-to-ssl.pcap')} #1`, `${fx('rdp-to-ssl.pcap')} #2`, `${IPV6} #1`,
    ]);
    expect(r.out).toContain(`${fx('rdp-proprietary-encryption.pcap')}: no RDP connection matches --filter (2 filtered out)\n`);
    expect(r.out).toMatch(/\n3 RDP connections: 3 ok, 0 failed, 0 undetermined; 2 filtered out by --filter\n$/);
    expect(r.code).toBe(0); // the failed connection was filtered out
  });

  it('takes a connection copied from the output: its "#N", or its "client → server" endpoints', async () => {
    const file = fx('rdp-proprietary-encryption.pcap');
    const second = titles((await cli('analyze', file)).out)[1]!;
    expect(second).toMatch(/ #2 {2}172\.21\.128\.16:1312 → 10\.226\.24\.52:3389 {2}/);
    const endpoints = second.split('  ')[1]!;
    for (const expr of ['#2', `conn ${endpoints}`, endpoints, '172.21.128.16:1312-10.226.24.52:3389', '10.226.24.52:3389 → 172.21.128.16:1312']) {
      const r = await cli('analyze', '--json', '--filter', expr, file);
      expect(connections(r.out).map((c) => [c.connection, c.client.port]), expr).toEqual([[2, 1312]]);
      expect(r.code, expr).toBe(0);
    }
    // the JSON fields name the same connection
    const [c] = connections((await cli('analyze', '--json', '--filter', '#1', file)).out);
    const again = await cli('analyze', '--json', '--filter', `conn ${c!.client.ip}:${c!.client.port}-${c!.server.ip}:${c!.server.port}`, file);
    expect(connections(again.out).map((x) => x.connection)).toEqual([1]);
    expect(again.code).toBe(1);
  });

  it('IPv6 endpoints, in brackets as printed', async () => {
    const title = titles((await cli('analyze', IPV6)).out)[0]!;
    const endpoints = title.split('  ')[1]!;
    expect(endpoints).toBe('[::1]:45348 → [::1]:33891');
    for (const [expr, n] of [[endpoints, 1], ['host ::1', 1], ['net ::/0', 1], ['server port 33891', 1], ['client port 33891', 0], ['not ip6', 0]] as const) {
      const r = await cli('analyze', '--json', '--filter', expr, IPV6);
      expect(connections(r.out), expr).toHaveLength(n);
      expect(summaryOf(r.out)[0]!.filteredOut, expr).toBe(1 - n);
    }
  });

  it('several --filter options: a connection must match every one; the files after them stay files', async () => {
    const file = fx('rdp-proprietary-encryption.pcap');
    const r = await cli('analyze', '--json', '--filter', 'port 3389', '--filter', 'client port 1311', file, fx('rdp-to-ssl.pcap'));
    expect(connections(r.out).map((c) => [c.file, c.connection])).toEqual([[file, 1]]);
    expect(summaryOf(r.out)[0]).toMatchObject({ filter: ['port 3389', 'client port 1311'], connections: 1, filteredOut: 3 });
  });

  it('a bad expression: the position and a caret, exit 2, nothing analysed', async () => {
    const r = await cli('analyze', '--filter', 'host 10.0.0.5 andd port 3389', fx('rdp-to-ssl.pcap'));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe([
      'rdpscope analyze: --filter "host 10.0.0.5 andd port 3389": expected "and", "or" or the end of the expression, found "andd" at position 15',
      '  host 10.0.0.5 andd port 3389',
      '                ^',
      '',
    ].join('\n'));
    const second = await cli('analyze', '--filter', 'port 3389', '--filter', 'net 10.0.0.5/8', fx('rdp-to-ssl.pcap'));
    expect(second.code).toBe(2);
    expect(second.err).toMatch(/^rdpscope analyze: --filter "net 10.0.0.5\/8": 10.0.0.5\/8 has address bits set past the \/8 prefix: did you mean 10.0.0.0\/8\? at position 5\n/);
  });

  it('filters standard input ("-") too', async () => {
    const bytes = readFileSync(NMAP);
    vi.spyOn(process, 'stdin', 'get').mockReturnValue(Readable.from([bytes]) as unknown as typeof process.stdin);
    const r = await cli('analyze', '--json', '--filter', 'not conn 2-6', '-');
    expect(connections(r.out).map((c) => [c.file, c.connection])).toEqual([['-', 7]]);
    expect(summaryOf(r.out)[0]).toMatchObject({ connections: 1, filteredOut: 5, files: [{ file: '-', connections: 1, filteredOut: 5 }] });
  });

  it('leaves the capture issues alone: they are about the file, not a connection', async () => {
    const whole = readFileSync(fx('rdp-to-ssl.pcap'));
    const cut = join(mkdtempSync(join(tmpdir(), 'rdpscope-filter-')), 'cut.pcap');
    writeFileSync(cut, whole.subarray(0, whole.length - 37));
    const issues = (out: string) => ndjson(out).filter((o) => o.schema === 'rdpscope/capture-issue/1');
    const all = await cli('analyze', '--json', cut);
    expect(issues(all.out)).toEqual([expect.objectContaining({ packet: 658, reason: expect.stringMatching(/^file cut short/) })]);
    const r = await cli('analyze', '--json', '--filter', '#1', cut);
    expect(issues(r.out)).toEqual(issues(all.out));
    expect(connections(r.out).map((c) => c.connection)).toEqual([1]);
    expect(summaryOf(r.out)[0]).toMatchObject({ connections: 1, filteredOut: 1 });
  });
});
