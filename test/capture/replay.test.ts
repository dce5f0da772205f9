import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCaptureFile } from '../../src/capture/file.js';
import { replayBytes, replayCapture, type ReplayItem } from '../../src/capture/replay.js';
import { Conn, FIXTURES, concat, epb, fixture, pcap, shb } from './helpers.js';

const connections = (items: ReplayItem[]) =>
  items.flatMap((i) => (i.type === 'connection' ? [[i.flow.id, i.flow.firstPacket, i.lastPacket]] : []));

async function collect(source: AsyncIterable<Uint8Array>): Promise<ReplayItem[]> {
  const items: ReplayItem[] = [];
  for await (const item of replayCapture(source)) items.push(item);
  return items;
}

describe('replay', () => {
  it('runs a tracker per RDP connection and diagnoses each', () => {
    const items = replayBytes(fixture('rdp-proprietary-encryption.pcap'));
    expect(connections(items)).toEqual([[1, 1, 8], [2, 9, 542]]);
    for (const item of items) {
      if (item.type !== 'connection') throw new Error('unexpected issue');
      expect(item.events[0]).toMatchObject({ type: 'tcp', what: 'syn', packet: item.flow.firstPacket });
      expect(item.events.some((e) => e.type === 'closed')).toBe(true);
      expect(item.verdict).toBeTypeOf('object');
    }
  });

  it('yields each connection as soon as it ends in the capture', async () => {
    const bytes = fixture('rdp-proprietary-encryption.pcap');
    let pulled = 0;
    async function* chunks(): AsyncGenerator<Uint8Array> {
      for (let at = 0; at < bytes.length; at += 4096) {
        pulled++;
        yield bytes.subarray(at, at + 4096);
      }
    }
    const seenAt: number[] = [];
    for await (const item of replayCapture(chunks())) if (item.type === 'connection') seenAt.push(pulled);
    expect(seenAt[0]).toBe(1); // the refused-TLS connection ends in packet 8, inside the first chunk
    expect(seenAt[1]).toBe(Math.ceil(bytes.length / 4096));
  });

  it('analyses only the connections the filter accepts', () => {
    const items = replayBytes(fixture('rdp-to-ssl.pcap'), { filter: (f) => f.client.port === 49207 });
    expect(connections(items)).toEqual([[2, 20, 658]]);
  });

  it('passes the RDP ports on', () => {
    expect(connections(replayBytes(fixture('socks5-rdp.pcap'), { rdpPorts: [42356] }))).toEqual([[1, 1, 10]]);
  });

  it('yields capture issues as items', () => {
    const whole = fixture('rdp-x509.pcap');
    const items = replayBytes(whole.subarray(0, whole.length - 3));
    expect(items.filter((i) => i.type === 'issue')).toEqual([
      { type: 'issue', issue: expect.objectContaining({ packet: 15, reason: expect.stringContaining('truncated in packet 15') }) },
    ]);
    expect(connections(items)).toEqual([[1, 1, 14]]);
    expect(replayBytes(new TextEncoder().encode('GET / HTTP/1.1\r\n'))).toEqual([
      { type: 'issue', issue: { offset: 0, reason: 'not a pcap or pcapng file (magic 0x47455420)', fatal: true, unreadable: true } },
    ]);
  });

  it('says when a file had packets but none it could use (unreadable), and not when it had no packet at all', () => {
    const syn = new Conn().syn();
    const odd = replayBytes(pcap([{ data: syn }, { data: syn }], { linktype: 147 }));
    expect(odd).toEqual([
      { type: 'issue', issue: { packet: 1, offset: 24, reason: 'unsupported link type 147' } },
      { type: 'issue', issue: { offset: 0, reason: 'nothing could be analysed: all 2 packets are of an unsupported link type (147)', unreadable: true } },
    ]);
    // packets of a link type it reads, none of them RDP (or IP): readable, nothing to say
    expect(replayBytes(pcap([{ data: new Uint8Array(60) }]))).toEqual([]);
    expect(replayBytes(pcap([]))).toEqual([]);
    // pcapng: every packet on an interface no block described
    const ng = replayBytes(concat([shb(), epb(true, 0, 0n, syn), epb(true, 0, 0n, syn)]));
    expect(ng.map((i) => i.type === 'issue' && [i.issue.reason, i.issue.unreadable])).toEqual([
      ['packet 1 refers to interface 0, which no interface block described', undefined],
      ['1 more packet on interfaces no interface block described, skipped (not listed)', undefined],
      ['nothing could be analysed: all 2 packets were skipped as unreadable (see above)', true],
    ]);
  });

  it('reads files through openCaptureFile like bytes in memory', async () => {
    const path = fileURLToPath(new URL('rdp-to-ssl.pcap', FIXTURES));
    const fromFile = await collect(openCaptureFile(path));
    expect(connections(fromFile)).toEqual(connections(replayBytes(fixture('rdp-to-ssl.pcap'))));
    expect(openCaptureFile('-')).toBe(process.stdin);
  });

  it('rejects a missing file through the iterator', async () => {
    await expect(collect(openCaptureFile('/nonexistent/capture.pcap'))).rejects.toThrow(/ENOENT/);
  });
});
