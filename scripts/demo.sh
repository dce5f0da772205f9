#!/usr/bin/env bash
# Command 1 of the README: set up (npm dependencies, build) and run the main job on the embedded
# default: analyze the bundled captures, then probe scenario servers it starts on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! npm ls --depth=0 >/dev/null 2>&1; then npm ci --no-audit --no-fund; fi
npm run --silent build
exec node bin/rdpscope.js demo "$@"
