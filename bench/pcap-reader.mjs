// Capture reading speed: our CaptureParser against the pcap-parser package, on one classic
// microsecond pcap built in memory by repeating the records of fixtures/pcaps/rdp-to-ssl.pcap.
// Usage: npm run build && node bench/pcap-reader.mjs [megabytes, default 200]
import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import pcapParser from 'pcap-parser';
import { FlowTable } from '../dist/capture/flows.js';
import { CaptureParser } from '../dist/capture/reader.js';

const CHUNK = 1 << 20; // what openCaptureFile() reads at a time
const RUNS = 3;
const fixture = (name) => readFileSync(new URL(`../fixtures/pcaps/${name}`, import.meta.url));

function buildCapture(megabytes) {
  const src = fixture('rdp-to-ssl.pcap');
  const records = src.subarray(24);
  const copies = Math.ceil((megabytes * 1e6 - 24) / records.length);
  const big = Buffer.allocUnsafe(24 + copies * records.length);
  src.copy(big, 0, 0, 24);
  for (let i = 0; i < copies; i++) records.copy(big, 24 + i * records.length);
  return big;
}

const chunksOf = (buf) => Array.from({ length: Math.ceil(buf.length / CHUNK) }, (_, i) => buf.subarray(i * CHUNK, (i + 1) * CHUNK));

/** Our parser fed from a stream, as the CLI feeds it. */
async function oursStream(chunks) {
  const parser = new CaptureParser();
  let packets = 0;
  for await (const chunk of Readable.from(chunks)) packets += parser.push(chunk).length;
  parser.end();
  return packets;
}

/** Our parser and flow table (link, IP, TCP decoding, RDP detection and reassembly). */
function oursFlows(chunks) {
  const parser = new CaptureParser();
  const table = new FlowTable();
  let packets = 0;
  let last = 0;
  for (const chunk of chunks) {
    for (const p of parser.push(chunk)) {
      packets++;
      last = p.at;
      table.packet(p);
    }
  }
  parser.end();
  table.end(last);
  return packets;
}

function theirs(chunks) {
  return new Promise((resolve, reject) => {
    const parser = pcapParser.parse(Readable.from(chunks));
    let packets = 0;
    parser.on('packet', () => packets++);
    parser.on('end', () => resolve(packets));
    parser.on('error', reject);
  });
}

async function time(name, fn, bytes) {
  await fn(); // warm-up
  const ms = [];
  let packets = 0;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    packets = await fn();
    ms.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  const best = Math.min(...ms);
  const r = { name, packets, ms: best, pps: packets / (best / 1e3), mbps: bytes / 1e6 / (best / 1e3) };
  console.log(`${name.padEnd(34)} ${String(packets).padStart(9)} packets  ${best.toFixed(0).padStart(6)} ms  ${(r.pps / 1e6).toFixed(2).padStart(6)} Mpackets/s  ${r.mbps.toFixed(0).padStart(5)} MB/s`);
  return r;
}

/** What pcap-parser says about a file it is given. */
function pcapParserVerdict(buf) {
  return new Promise((resolve) => {
    const parser = pcapParser.parse(Readable.from([buf]));
    let packets = 0;
    let error;
    parser.on('packet', () => packets++);
    parser.on('error', (e) => { error = e.message; });
    parser.on('end', () => resolve(error ? `error: ${error}` : `${packets} packets`));
  });
}

const megabytes = Number(process.argv[2] ?? 200);
const big = buildCapture(megabytes);
const chunks = chunksOf(big);
console.log(`classic µs pcap, ${(big.length / 1e6).toFixed(0)} MB, fed in ${CHUNK >> 10} KiB chunks; node ${process.version}; best of ${RUNS}`);
const ours = await time('rdpscope CaptureParser (stream)', () => oursStream(chunks), big.length);
const other = await time('pcap-parser 0.2.1 (stream)', () => theirs(chunks), big.length);
if (ours.packets !== other.packets) throw new Error(`packet counts differ: ${ours.packets} vs ${other.packets}`);
console.log(`ratio: CaptureParser is ${(ours.pps / other.pps).toFixed(1)}x pcap-parser`);
await time('rdpscope CaptureParser + FlowTable', () => oursFlows(chunks), big.length);

const ns = fixture('rdp-x509-ns.pcapng');
const nsPcap = Buffer.from(fixture('rdp-x509.pcap'));
nsPcap.writeUInt32LE(0xa1b23c4d, 0);
for (const [name, buf] of [['nanosecond pcap', nsPcap], ['pcapng', ns]]) {
  const p = new CaptureParser();
  const n = p.push(buf).length;
  console.log(`${name}: CaptureParser ${n} packets, ${p.end().length} issues; pcap-parser ${await pcapParserVerdict(buf)}`);
}
