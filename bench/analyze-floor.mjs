// The floor under any `analyze` in Node on this machine: the work that must be done before a single
// RDP byte is decoded (read the file, walk its records, decode the link, IP and TCP headers, find each
// packet's connection) and the work of writing the report rdpscope prints (JSON.stringify and the
// UTF-8 encoding of every line). Both are lower bounds: the flow "table" is a Map keyed by a hash of
// the 4-tuple, never checked for collisions, and nothing is reassembled, decoded or diagnosed.
// Usage: node bench/analyze-floor.mjs read CAPTURE.pcap     (classic µs pcap, Ethernet, as analyze-vs-tshark.mjs writes)
//        node bench/analyze-floor.mjs json OUTPUT.ndjson    (prints {"ms": best of 3} for JSON.stringify + encoding)
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

const [mode, file] = process.argv.slice(2);

/** 512 KiB reads as rdpscope's reader; per packet: headers, a 4-tuple hash, a Map lookup, a payload length. */
function readFloor(path) {
  const fd = openSync(path, 'r');
  const CHUNK = 512 * 1024;
  const buf = Buffer.allocUnsafe(2 * CHUNK + 65536);
  const flows = new Map();
  let have = 0;
  let at = 0;
  let packets = 0;
  let payload = 0;
  for (let first = true; ;) {
    buf.copy(buf, 0, at, have);
    have -= at;
    at = 0;
    const n = readSync(fd, buf, have, CHUNK, null);
    if (n === 0) break;
    have += n;
    if (first) {
      if (buf.readUInt32LE(0) !== 0xa1b2c3d4 || buf.readUInt32LE(20) !== 1) throw new Error(`${path}: not a classic µs Ethernet pcap`);
      at = 24;
      first = false;
    }
    while (at + 16 <= have) {
      const incl = buf.readUInt32LE(at + 8);
      if (at + 16 + incl > have) break;
      const frame = at + 16;
      at += 16 + incl;
      packets++;
      let type = buf.readUInt16BE(frame + 12);
      let ip = frame + 14;
      if (type === 0x8100) {
        type = buf.readUInt16BE(frame + 16);
        ip += 4;
      }
      let a;
      let b;
      let tcp;
      let end;
      if (type === 0x0800 && buf[ip + 9] === 6) {
        a = buf.readUInt32BE(ip + 12);
        b = buf.readUInt32BE(ip + 16);
        tcp = ip + (buf[ip] & 15) * 4;
        end = ip + buf.readUInt16BE(ip + 2);
      } else if (type === 0x86dd && buf[ip + 6] === 6) {
        a = 0;
        b = 0;
        for (let i = 0; i < 16; i += 4) {
          a = Math.imul(a ^ buf.readUInt32BE(ip + 8 + i), 0x9e3779b1);
          b = Math.imul(b ^ buf.readUInt32BE(ip + 24 + i), 0x9e3779b1);
        }
        tcp = ip + 40;
        end = tcp + buf.readUInt16BE(ip + 4);
      } else continue;
      const sp = buf.readUInt16BE(tcp);
      const dp = buf.readUInt16BE(tcp + 2);
      // the same key both ways: endpoints in order
      const x = Math.imul(a, 0x85ebca6b) ^ sp;
      const y = Math.imul(b, 0x85ebca6b) ^ dp;
      const key = x < y ? Math.imul(x, 0xc2b2ae35) * 4294967296 + y : Math.imul(y, 0xc2b2ae35) * 4294967296 + x;
      let flow = flows.get(key);
      if (flow === undefined) flows.set(key, (flow = { packets: 0, bytes: 0 }));
      const len = end - tcp - (buf[tcp + 12] >> 4) * 4;
      flow.packets++;
      flow.bytes += len;
      payload += len;
    }
  }
  closeSync(fd);
  return { packets, flows: flows.size, payload };
}

/** Best of three: JSON.stringify of each connection's object, then its UTF-8 bytes, as a write needs them. */
function jsonFloor(path) {
  const objects = readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  let best = Infinity;
  let bytes = 0;
  for (let round = 0; round < 3; round++) {
    const start = performance.now();
    bytes = 0;
    for (const o of objects) bytes += Buffer.from(`${JSON.stringify(o)}\n`).length;
    best = Math.min(best, performance.now() - start);
  }
  return { ms: best, connections: objects.length, bytes };
}

if (mode === 'read') console.log(JSON.stringify(readFloor(file)));
else if (mode === 'json') console.log(JSON.stringify(jsonFloor(file)));
else throw new Error('usage: analyze-floor.mjs read CAPTURE | json OUTPUT.ndjson');
