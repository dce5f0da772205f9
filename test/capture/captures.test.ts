// Real captures: the bundled ones in fixtures/pcaps, plus the shared corpus when it is present.
// Stream digests are those of `tshark -qz follow,tcp,raw,N` (TShark 4.0.17) on the same files.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TrackerInput } from '../../src/analyze/input.js';
import { FlowTable, type FlowMeta } from '../../src/capture/flows.js';
import { CaptureParser, type CaptureIssue } from '../../src/capture/reader.js';
import { concat, fixture, sha256 } from './helpers.js';

interface Seen {
  meta: FlowMeta;
  lastPacket?: number;
  inputs: TrackerInput[];
}

function analyse(bytes: Uint8Array, opts: { rdpPorts?: number[]; chunk?: number } = {}): { flows: Seen[]; issues: CaptureIssue[]; packets: number } {
  const parser = new CaptureParser();
  const table = new FlowTable(opts.rdpPorts ? { rdpPorts: opts.rdpPorts } : {});
  const flows = new Map<number, Seen>();
  const issues: CaptureIssue[] = [];
  let packets = 0;
  let last = 0;
  const take = (outs: ReturnType<FlowTable['packet']>): void => {
    for (const o of outs) {
      if (o.type === 'start') flows.set(o.flow.id, { meta: o.flow, inputs: [] });
      else if (o.type === 'input') flows.get(o.flowId)!.inputs.push(o.input);
      else if (o.type === 'finish') flows.get(o.flowId)!.lastPacket = o.lastPacket;
      else issues.push(o.issue);
    }
  };
  const step = opts.chunk ?? bytes.length;
  for (let at = 0; at < bytes.length; at += step) {
    for (const p of parser.push(bytes.subarray(at, at + step))) {
      packets++;
      last = Math.max(last, p.at);
      take(table.packet(p));
    }
  }
  issues.unshift(...parser.end());
  take(table.end(last));
  return { flows: [...flows.values()], issues, packets };
}

const stream = (f: Seen, dir: 'c2s' | 's2c'): Uint8Array =>
  concat(f.inputs.flatMap((i) => (i.kind === 'data' && i.dir === dir ? [i.bytes] : [])));
const firstData = (f: Seen, dir: 'c2s' | 's2c'): number | undefined =>
  f.inputs.find((i) => i.kind === 'data' && i.dir === dir)?.packet;
/** The inputs other than data, as "what@packet". */
const control = (f: Seen): string[] => f.inputs.flatMap((i) => {
  if (i.kind === 'data') return [];
  const at = i.packet === undefined ? '' : `@${i.packet}`;
  if (i.kind === 'tcp') return [`${i.what}${at}`];
  if (i.kind === 'close') return [`${i.dir} ${i.how}${at}`];
  if (i.kind === 'end') return [`end ${i.how}`];
  return [`${i.kind}${at}`];
});

interface Expected {
  id: number; client: string; server: string; first: number; last: number;
  c2s: [number, number, string]; s2c: [number, number, string]; control: string[];
}

/** Per file: every RDP connection expected, with [first data packet, bytes, sha256] per direction. */
const BUNDLED: Record<string, Expected[]> = {
  'rdp-proprietary-encryption.pcap': [
    { id: 1, client: '172.21.128.16:1311', server: '10.226.24.52:3389', first: 1, last: 8,
      c2s: [4, 47, 'fa24eff70073c08e44d9713d1d50444631898f602d4d5d746e9880dd28aac217'],
      s2c: [5, 19, '1c3f487eef944b1d8867a337c3f5622dfb75fa3ca699dc1c44fed74a92d0253e'],
      control: ['syn@1', 'syn-ack@2', 'c2s fin@6', 's2c rst@8'] },
    { id: 2, client: '172.21.128.16:1312', server: '10.226.24.52:3389', first: 9, last: 542,
      c2s: [12, 28206, 'e5038ef3cc4bd6376cd14536c0f47966146d4fff1e4c8de73e28b69ee3c6d7de'],
      s2c: [13, 76506, 'd98cd2bfda9abe19af6aafc4836390be6e8710ff959b349475cc856b7fb2c48f'],
      control: ['syn@9', 'syn-ack@10', 'c2s fin@540', 's2c rst@542'] },
  ],
  'rdp-to-ssl.pcap': [
    { id: 1, client: '192.168.1.200:49206', server: '192.168.1.150:3389', first: 1, last: 19,
      c2s: [4, 1512, 'f216b6eb674b098fa0b0d47ed80db0fce36f31e7901ec849ad8f5be59c4f1a9d'],
      s2c: [6, 1619, 'ad9dfe8bef09eaf0e8960783341b5cd7fadff605b78737ca0373c4e898d60238'],
      control: ['syn@1', 'syn-ack@2', 'c2s fin@17', 's2c rst@19'] },
    { id: 2, client: '192.168.1.200:49207', server: '192.168.1.150:3389', first: 20, last: 658,
      c2s: [23, 14681, 'f78535f53b72967cdc0736f0c875d9dac2aec26b236cf1d071348cc09a988777'],
      s2c: [25, 70854, '8191585a4cb98fbeff5656ec3a2f56c7f69558cac85fcd440301e0f8c62eba09'],
      control: ['syn@20', 'syn-ack@21', 'c2s fin@656', 's2c rst@658'] },
  ],
  // every frame twice: duplicates must vanish, and the second RST too
  'rdp-no-cookie-mstshash.pcap': [
    { id: 1, client: '10.128.36.245:50204', server: '10.132.153.76:3389', first: 1, last: 19,
      c2s: [7, 484, 'd8bc0ef9ee04afe47300682a25617a53c958d0e252ae666d735d4eb78381344b'],
      s2c: [9, 942, '9032ec202ca39126a969d94b8fb428d18a8fad0ceff8bb2afda431f5416cac16'],
      control: ['syn@1', 'syn-ack@3', 'c2s rst@19'] },
  ],
  'rdp-x509.pcap': [
    { id: 1, client: '192.168.1.1:54990', server: '192.168.1.2:3389', first: 1, last: 15,
      c2s: [6, 493, '032e0f99a0b76e4790d5e2a0dba46f9fce49fc1811dce832c4ac02fbc8dc1824'],
      s2c: [7, 1424, '1b81fc5dd0e0105cd7f9d5a3c7716f8923299607aea51a0058fdd0728891b950'],
      control: ['syn@1', 'syn-ack@2', 'end capture-end'] },
  ],
  'rdp-unknown-keyboard.pcap': [
    { id: 1, client: '192.168.1.1:54990', server: '192.168.1.2:3389', first: 1, last: 11,
      c2s: [6, 493, 'b988679bc69b1e0169a235c7628610cca88f22e3e56a0b1d9234fbdec437b865'],
      s2c: [7, 19, '12bda9db6ebc6399b2ee9a1cb937d3dc6049e125d819dac2b64d51b2040f846b'],
      control: ['syn@1', 'syn-ack@2', 'end capture-end'] },
  ],
  'rdp-invalid-length.pcap': [
    { id: 1, client: '10.0.0.1:45257', server: '10.0.0.2:3389', first: 1, last: 7,
      c2s: [4, 438, 'bc19fe6fc744fef95417bae790305fe52ed6b3c93dea4e2c98c3984d7a967544'],
      s2c: [5, 95, 'a162ee5a55f1f2178ba2f6a9aa1edd72e3e925c6c95c67514eac4b71ae323da3'],
      control: ['syn@1', 'syn-ack@2', 'end capture-end'] },
  ],
  // RDP scanner on TCP/502: found by its Connection Request; the Modbus flows are not RDP
  'modbus-and-non-modbus-p502.pcap': [
    { id: 7, client: '62.122.184.123:7488', server: '192.168.10.111:502', first: 77, last: 85,
      c2s: [80, 43, 'fa28259b8d57441096ab192f9b0669e55840d622aa4a5ac9363f2d20295d484a'],
      s2c: [82, 9, '071b32a73f223266580b6a57470cc51107f68554a779646a1a3c02eeb3cfdb29'],
      control: ['syn@77', 'syn-ack@78', 'c2s fin@84', 's2c fin@85'] },
  ],
  'RDP-003.pcap': [
    { id: 1, client: '10.226.41.226:13178', server: '10.226.29.74:3389', first: 1, last: 435,
      c2s: [4, 38038, '3fff7aa195edabbe20515aea8f07593b07052653d3af4713a7d2b7b07257c6ec'],
      s2c: [6, 27218, '4b07d799aa50b0055baecd3b88aaf07612ce2078695a55c7f80230a3cc945cc4'],
      control: ['syn@1', 'syn-ack@2', 'c2s fin@433', 's2c rst@435'] },
  ],
  // the S7comm COTP connection on port 102 (tcp.stream 69) is not RDP; id 74 is Wireshark's stream 73
  'arkime_synthetic.pcap': [
    { id: 74, client: '10.20.22.100:50400', server: '10.20.22.1:3389', first: 584, last: 588,
      c2s: [587, 45, 'd2411a4856760b9ff6fd2daef521c3fdbe6737bae2bb21a12838609628f79316'],
      s2c: [588, 19, '55414eab43139b0e3abf36bf3ed5bbf71d8109a1408d65d3672fa15ea2997977'],
      control: ['syn@584', 'syn-ack@585', 'end capture-end'] },
  ],
  // RDP inside SOCKS5 on port 42356 (CONNECT 10.0.0.1:3389): the SOCKS handshake is taken off both streams
  'socks5-rdp.pcap': [
    { id: 1, client: '10.0.0.3:2276', server: '10.0.0.2:42356', first: 1, last: 10,
      c2s: [8, 41, 'df33668deea1a053abeead6c34aa17b2e703359946871a61ef05177b31d0cb9c'],
      s2c: [9, 19, '12bda9db6ebc6399b2ee9a1cb937d3dc6049e125d819dac2b64d51b2040f846b'],
      control: ['syn@1', 'syn-ack@2', 'end capture-end'] },
  ],
};

function check(flows: Seen[], expected: Expected[]): void {
  expect(flows.map((f) => f.meta.id)).toEqual(expected.map((e) => e.id));
  flows.forEach((f, i) => {
    const e = expected[i]!;
    const c2s = stream(f, 'c2s');
    const s2c = stream(f, 's2c');
    expect({
      client: `${f.meta.client.ip}:${f.meta.client.port}`, server: `${f.meta.server.ip}:${f.meta.server.port}`,
      first: f.meta.firstPacket, last: f.lastPacket, control: control(f),
      c2s: [firstData(f, 'c2s'), c2s.length, sha256(c2s)], s2c: [firstData(f, 's2c'), s2c.length, sha256(s2c)],
    }).toEqual({ client: e.client, server: e.server, first: e.first, last: e.last, control: e.control, c2s: e.c2s, s2c: e.s2c });
  });
}

describe('bundled captures', () => {
  for (const [name, expected] of Object.entries(BUNDLED)) {
    it(`${name}: ${expected.length} RDP connection(s), reassembled as TShark does`, () => {
      const { flows, issues } = analyse(fixture(name));
      expect(issues).toEqual([]);
      check(flows, expected);
      for (const f of flows) {
        const first = stream(f, 'c2s');
        if (name !== 'rdp-invalid-length.pcap') expect([first[0], first[1], first[5]! & 0xf0]).toEqual([3, 0, 0xe0]);
      }
    });
  }

  it('rdp-invalid-length.pcap: port 3389 makes it RDP although the client opens with garbage', () => {
    const [f] = analyse(fixture('rdp-invalid-length.pcap')).flows;
    expect(Array.from(stream(f!, 'c2s').subarray(0, 2))).not.toEqual([3, 0]);
    expect(Array.from(stream(f!, 's2c').subarray(0, 2))).toEqual([3, 0]);
  });

  it('rdp-x509-ns.pcapng (Wireshark-written, nanosecond) gives what the microsecond pcap gives', () => {
    const ng = analyse(fixture('rdp-x509-ns.pcapng'));
    check(ng.flows, BUNDLED['rdp-x509.pcap']!);
    const classic = analyse(fixture('rdp-x509.pcap')).flows[0]!.inputs;
    ng.flows[0]!.inputs.forEach((input, i) => expect(input.at).toBeCloseTo(classic[i]!.at, 3));
  });

  it('a file cut short mid-packet: an issue naming the packet, and everything before it', () => {
    const whole = fixture('rdp-to-ssl.pcap');
    const { flows, issues, packets } = analyse(whole.subarray(0, whole.length - 40));
    expect(packets).toBe(657);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ packet: 658, reason: expect.stringContaining('truncated in packet 658') });
    expect(flows.map((f) => [f.meta.id, f.lastPacket, control(f).at(-1)])).toEqual([[1, 19, 's2c rst@19'], [2, 657, 'end capture-end']]);
  });

  it('finds the same connections whatever the read size', () => {
    const bytes = fixture('rdp-proprietary-encryption.pcap');
    const whole = analyse(bytes).flows.map((f) => [f.meta, f.lastPacket, control(f), sha256(stream(f, 'c2s')), sha256(stream(f, 's2c'))]);
    for (const chunk of [1, 13, 1514, 65536]) {
      expect(analyse(bytes, { chunk }).flows.map((f) => [f.meta, f.lastPacket, control(f), sha256(stream(f, 'c2s')), sha256(stream(f, 's2c'))])).toEqual(whole);
    }
  });

  it('finds RDP on another port only by its Connection Request', () => {
    expect(analyse(fixture('socks5-rdp.pcap'), { rdpPorts: [42356] }).flows.map((f) => f.meta.id)).toEqual([1]);
    expect(analyse(fixture('rdp-x509.pcap'), { rdpPorts: [] }).flows.map((f) => f.meta.server.port)).toEqual([3389]);
  });
});

const CORPUS = new URL('../../../shared/corpus/public/', import.meta.url);
const corpus = (path: string): Uint8Array => new Uint8Array(readFileSync(new URL(path, CORPUS)));

describe.skipIf(!existsSync(CORPUS))('shared corpus (not bundled: LGPL or unlicensed)', () => {
  it('nDPI rdp.pcap: NULL/loopback link type', () => {
    check(analyse(corpus('ndpi/pcap/rdp.pcap')).flows, [
      { id: 1, client: '172.16.2.185:52494', server: '192.168.2.142:3389', first: 1, last: 20,
        c2s: [4, 1081, '78ed6ad08621189103a71f5e476fe9dee58867e60d6c34e93236654da95aedc8'],
        s2c: [5, 1661, 'd340981d2510e41802c03d85a310c22a209f8e345d6d059e4f1d4f563ed51b6e'],
        control: ['syn@1', 'syn-ack@2', 'end capture-end'] },
    ]);
  });

  it('nDPI rdp_over_tls.pcap: VLAN-tagged, ended by a client RST sent twice', () => {
    check(analyse(corpus('ndpi/pcap/rdp_over_tls.pcap')).flows, [
      { id: 1, client: '91.238.181.21:35888', server: '89.31.79.12:3389', first: 1, last: 17,
        c2s: [4, 1194, 'ac4a28cb4cc11f9ac311067126b671cbd83e12aa29abdf2e1d33a30021398d92'],
        s2c: [5, 1518, '2051ee8f0926ab7abec25a37adaa0dbee71dfe46becb9e1ac5c0ebc15d12a7af'],
        control: ['syn@1', 'syn-ack@2', 'c2s rst@17'] },
    ]);
  });

  it('nDPI synscan.pcap and tcp_scan.pcapng: SYNs never answered, and one refused', () => {
    const scan = analyse(corpus('ndpi/pcap/synscan.pcap')).flows;
    expect(scan.map((f) => [f.meta.id, f.meta.server.port, control(f)])).toEqual([
      [15, 3389, ['syn@18', 'no-answer', 'end capture-end']],
      [18, 3389, ['syn@21', 'no-answer', 'end capture-end']],
    ]);
    const refused = analyse(corpus('ndpi/pcap/tcp_scan.pcapng')).flows;
    expect(refused.map((f) => [f.meta.id, f.lastPacket, control(f)])).toEqual([[4, 18, ['syn@17', 'refused@18']]]);
  });

  it('nDPI rdp2.pcap (pcapng named .pcap): RDP over UDP only, so no TCP connection', () => {
    const { flows, issues, packets } = analyse(corpus('ndpi/pcap/rdp2.pcap'));
    expect([flows, issues, packets]).toEqual([[], [], 39]);
  });

  it('rdp.pcap cut short by its publisher: every whole packet, then the issue', () => {
    const { flows, issues, packets } = analyse(corpus('misc/jovair1994-Intro_Traffic_Analysis/rdp.pcap'));
    expect(packets).toBe(5967);
    expect(issues).toEqual([{ packet: 5968, offset: 1194407, reason: 'file cut short: truncated in packet 5968 (2 bytes present)' }]);
    expect(flows.map((f) => [stream(f, 'c2s').length, stream(f, 's2c').length, sha256(stream(f, 's2c'))])).toEqual([
      [136303, 624447, 'cc5061c6819b884684e2661378211ddd41290fbccc9be7dcb7bfda5e8f5ca503'],
    ]);
  });

  it('rdp-then-wmiexec.pcap: one RDP connection among SMB and DCE-RPC, its SYN sent three times', () => {
    const { flows } = analyse(corpus('misc/elcabezzonn-Pcaps/rdp-then-wmiexec.pcap'));
    expect(flows.map((f) => [f.meta.id, f.meta.firstPacket, f.lastPacket, control(f), sha256(stream(f, 's2c'))])).toEqual([
      [5, 16, 2002, ['syn@16', 'syn-ack@32', 'c2s fin@1999', 's2c rst@2002'], '82f79800747898c1e15c10f30662ccd6f452a938c04b91b719d0f73f9d4ee56c'],
    ]);
  });

  it('LM_rdp_sharprdp.pcapng: two connections, each ended by a client RST', () => {
    const { flows } = analyse(corpus('misc/sbousseaden-PCAP-ATTACK/LM_rdp_sharprdp.pcapng'));
    expect(flows.map((f) => [f.meta.id, f.meta.firstPacket, f.lastPacket, control(f).at(-1), sha256(stream(f, 'c2s'))])).toEqual([
      [1, 1, 526, 'c2s rst@526', 'b9387d6d50be63f76b2b6bdfe63d75f2f7f9891195b19b457f46eebb9a7bbbe6'],
      [2, 528, 1046, 'c2s rst@1046', '13bd31465b4df65c94e8c4933305586c0294d19795e9eee9a14eda292244197d'],
    ]);
  });
});
