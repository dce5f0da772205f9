#!/usr/bin/env bash
# Command 2 of the README: install what the tests need (Debian packages for the real servers and
# peers, npm dependencies), build, and run every test. With CI=true a missing server or tool fails.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/lab.sh install
if ! npm ls --depth=0 >/dev/null 2>&1; then npm ci --no-audit --no-fund; fi
npm test -- "$@"
