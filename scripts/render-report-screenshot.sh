#!/usr/bin/env bash
# Regenerates docs/report-failed-handshake.png, the README's picture of the HTML report: a recorded
# failed handshake (xfreerdp refusing xrdp's expired certificate) rendered by headless Chromium.
#   bash scripts/render-report-screenshot.sh [CAPTURE] [PNG]
# Needs node_modules (npm ci) and Debian's chromium package. Compiles src/ into
# node_modules/.cache/rdpscope-report (dist/ is left alone).
set -euo pipefail
cd "$(dirname "$0")/.."
capture=${1:-fixtures/lab/xfreerdp-certdeny-to-xrdp-tls-expired.pcap}
png=${2:-docs/report-failed-handshake.png}
build=node_modules/.cache/rdpscope-report
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

rm -rf "$build"
npx tsc -p tsconfig.json --outDir "$build" --sourceMap false
node --input-type=module - "$build" "$capture" "$work/report.html" <<'JS'
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
const [build, capture, out] = process.argv.slice(2);
const load = (m) => import(pathToFileURL(resolve(build, m)).href);
const { replayBytes } = await load('capture/replay.js');
const { connectionReport } = await load('report/json.js');
const { renderHtmlReport } = await load('report/html.js');
const ep = (e) => (e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`);
const connections = replayBytes(new Uint8Array(readFileSync(capture))).filter((i) => i.type === 'connection').map((c) => ({
  heading: `${capture} #${c.flow.id}  ${ep(c.flow.client)} → ${ep(c.flow.server)}  packets ${c.flow.firstPacket}-${c.lastPacket}`,
  events: c.events, verdict: c.verdict, report: connectionReport(c.events, c.verdict),
}));
writeFileSync(out, renderHtmlReport({ title: `rdpscope analyze ${capture}`, generatedAt: new Date().toISOString(), connections }));
JS
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$work/profile" \
  --window-size=1200,1600 --screenshot="$png" "file://$(realpath "$work/report.html")" 2>/dev/null
echo "$png: $(stat -c %s "$png") bytes"
