#!/usr/bin/env bash
# Every check and test, on a machine that has the Debian packages and node_modules (see test-all.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }
# The tools from node_modules/.bin, not through npx: npx prints npm's own warnings when it exits,
# after the test runner's summary, which must be the last thing each suite prints.
bin=node_modules/.bin

step "typecheck"
"$bin/tsc" --noEmit -p tsconfig.json
step "lint"
"$bin/eslint" .
step "build (electron-vite: main, preload, renderer; the CLI)"
"$bin/electron-vite" build
"$bin/vite" build --config vite.cli.config.ts
step "unit, service, keychain and CLI tests (vitest, real Secret Service in a private D-Bus session)"
bash scripts/with-secret-service.sh "$bin/vitest" run
step "end-to-end tests (production renderer in Debian's Chromium, test bridge over the real handlers)"
bash scripts/with-secret-service.sh "$bin/vitest" run -c vitest.e2e.config.ts
