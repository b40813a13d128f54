#!/usr/bin/env bash
# Runs every test suite (after scripts/setup.sh and scripts/build.sh):
# C++ Catch2 natively and under Node (SIMD and scalar WASM builds), the JS API
# tests (node:test) and the browser tests (playwright-core + apt chromium, and
# puppeteer-core + apt firefox-esr for the files in tests/browser/engines.mjs).
set -uo pipefail
cd "$(dirname "$0")/.."
exec node scripts/run-suites.mjs "$@"
