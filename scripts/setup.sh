#!/usr/bin/env bash
# Installs whatever is missing for building, testing and serving bn-wasm on
# Debian 12 (run as root): system packages through apt-get, npm packages
# through `npm ci`. Safe to run again: it only acts when something is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
have_cmd()  { command -v "$1" >/dev/null 2>&1; }
have_file() { [ -e "$1" ]; }
have_cmd emcc            || missing+=(emscripten)
have_cmd wasm-opt        || missing+=(binaryen)      # scripts/build.sh: the second pass over the modules (emscripten depends on it)
have_cmd cmake           || missing+=(cmake)
have_cmd g++             || missing+=(g++)
have_cmd make            || missing+=(make)
have_cmd chromium        || missing+=(chromium)
have_cmd firefox-esr     || missing+=(firefox-esr)   # second browser engine (tests/browser/engines.mjs)
have_cmd mkdocs          || missing+=(mkdocs)        # the docs-site recipe's test (docs/widgets.md)
have_file /usr/include/xtensor/xtensor.hpp   || missing+=(libxtensor-dev)
have_file /usr/include/xtl/xtl_config.hpp    || missing+=(xtl-dev)
have_file /usr/include/catch2/catch.hpp      || missing+=(catch2)
have_file /usr/include/nlohmann/json.hpp     || missing+=(nlohmann-json3-dev)
have_file /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf || missing+=(fonts-dejavu-core)

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing with apt-get: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: need root to run apt-get install ${missing[*]} (run as root, or install them yourself)" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# npm packages: reinstall only when package-lock.json changed since the last install.
stamp=node_modules/.bn-lock-stamp
lock_sum=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_sum" ]; then
  echo "setup: npm ci"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_sum" > "$stamp"
fi
