#!/usr/bin/env bash
# Every check and test, on a machine that has the Debian packages and node_modules (see test-all.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s\n' "$*"; }

step "typecheck"
npx tsc --noEmit -p tsconfig.json
step "lint"
npx eslint .
step "build (electron-vite: main, preload, renderer; the CLI)"
npm run -s build
step "unit, service, keychain and CLI tests (vitest, real Secret Service in a private D-Bus session)"
bash scripts/with-secret-service.sh npx vitest run
step "end-to-end tests (production renderer in Debian's Chromium, test bridge over the real handlers)"
bash scripts/with-secret-service.sh npx vitest run -c vitest.e2e.config.ts
