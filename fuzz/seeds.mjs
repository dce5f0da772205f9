// Seed inputs: the byte vectors of test/vectors and test/credssp (hex strings in the TypeScript
// sources, read as text so the fuzzer needs no TypeScript), the bundled captures, the TCP streams of
// their RDP connections, and the TPKT frames and TLS records in those streams.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const VECTOR_FILES = ['test/vectors', 'test/credssp/vectors.ts'];
const CAPTURE_DIRS = ['fixtures/pcaps', 'fixtures/lab'];

const fromHex = (h) => Uint8Array.from(h.match(/../g) ?? [], (x) => parseInt(x, 16));

/**
 * Every hex vector in the files: a string literal of hex digits (spaces allowed), or an array of
 * them joined into one. Comments are dropped first so quotes in them do not count.
 */
export function hexVectors(source) {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[\s,;(\[{])\/\/[^\n]*/g, '$1');
  const out = [];
  const literal = /'([0-9a-fA-F ]*)'/g;
  const group = /\[((?:\s*'[0-9a-fA-F ]*'\s*,?)+)\s*\]\s*\.join\(/g;
  const inGroups = [];
  for (const g of code.matchAll(group)) {
    inGroups.push([g.index, g.index + g[0].length]);
    out.push([...g[1].matchAll(literal)].map((x) => x[1].replace(/ /g, '')).join(''));
  }
  for (const l of code.matchAll(literal)) {
    if (inGroups.some(([a, b]) => l.index >= a && l.index < b)) continue;
    out.push(l[1].replace(/ /g, ''));
  }
  return out.filter((h) => h.length >= 8 && h.length % 2 === 0).map(fromHex);
}

function filesUnder(root, rel, test) {
  const path = join(root, rel);
  try {
    return readdirSync(path).filter(test).sort().map((f) => join(path, f));
  } catch {
    return [path];
  }
}

export function vectorSeeds(root) {
  return VECTOR_FILES.flatMap((rel) => filesUnder(root, rel, (f) => f.endsWith('.ts')))
    .flatMap((f) => hexVectors(readFileSync(f, 'utf8')));
}

export function captureSeeds(root) {
  return CAPTURE_DIRS.flatMap((rel) => filesUnder(root, rel, (f) => /\.pcap(ng)?$/.test(f)))
    .map((f) => ({ name: f.slice(root.length + 1), bytes: new Uint8Array(readFileSync(f)) }));
}

/**
 * The RDP connections of the captures as the tracker sees them: one list of inputs each (data in
 * both directions, closes), in capture order.
 */
export function captureConnections(m, captures) {
  const out = [];
  for (const { bytes } of captures) {
    const parser = new m.reader.CaptureParser();
    const table = new m.flows.FlowTable();
    const conns = new Map();
    const take = (outputs) => {
      for (const o of outputs) {
        if (o.type === 'start') conns.set(o.flow.id, []);
        else if (o.type === 'input') conns.get(o.flowId)?.push(o.input);
      }
    };
    let last = 0;
    for (const p of parser.push(bytes)) { last = Math.max(last, p.at); take(table.packet(p)); }
    parser.end();
    take(table.end(last));
    for (const inputs of conns.values()) if (inputs.some((i) => i.kind === 'data')) out.push(inputs);
  }
  return out;
}

/** TPKT frames, TLS records and DER sequences found in the connections' streams, deduplicated. */
export function streamFrames(connections, max = 2000) {
  const seen = new Set();
  const out = [];
  const add = (b) => {
    const key = Buffer.from(b.subarray(0, 64)).toString('hex') + b.length;
    if (b.length && !seen.has(key) && out.length < max) { seen.add(key); out.push(b); }
  };
  for (const inputs of connections) {
    for (const dir of ['c2s', 's2c']) {
      const parts = inputs.filter((i) => i.kind === 'data' && i.dir === dir).map((i) => i.bytes);
      const s = Buffer.concat(parts);
      for (let i = 0; i + 4 < s.length;) {
        let len = 0;
        if (s[i] === 3 && s[i + 1] === 0) len = s.readUInt16BE(i + 2);
        else if (s[i] >= 20 && s[i] <= 23 && s[i + 1] === 3) len = 5 + s.readUInt16BE(i + 3);
        else if (s[i] === 0x30 && s[i + 1] === 0x82) len = 4 + s.readUInt16BE(i + 2);
        if (len < 4 || i + len > s.length) break;
        add(new Uint8Array(s.subarray(i, i + len)));
        i += len;
      }
    }
  }
  return out;
}
