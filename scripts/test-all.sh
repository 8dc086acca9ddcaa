#!/usr/bin/env bash
# From a fresh clone: install what the tests need (Debian packages, node_modules), then run them all.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/ensure-system-packages.sh
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
bash scripts/test.sh
