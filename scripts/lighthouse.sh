#!/usr/bin/env bash
# Lighthouse 12 (mobile preset, simulated slow 4G) against the local stack with the demo
# data: `/`, a station page and /activities. Prints performance, accessibility and LCP.
# `LH_PAGES` runs only some pages: a space-separated list of paths, `{station}` standing for
# the first station's id (default: "/ /stations/{station} /activities").
# Starts its own in-memory DynamoDB Local and local server on free ports; stops them after.
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
[ -f dist/index.html ] || { echo "build the SPA first: make spa" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
DDB_PORT=$(free_port); WEB_PORT=$(free_port)
out=$(mktemp -d)
# The full reports stay for a person to read (Lighthouse's JSON; open in its viewer).
reports="$TARGET_DIR/test-artifacts/lighthouse"
mkdir -p "$reports"
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$out"; }
trap cleanup EXIT INT TERM
scripts/dynamodb-local.sh "$DDB_PORT" -inMemory > "$out/ddb.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/$DDB_PORT) 2>/dev/null && break; sleep 0.5; done
export DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT" ZHIYUAN_TABLE=lighthouse ZHIYUAN_DIST="$PWD/dist"
export ZHIYUAN_SESSION_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
export ZHIYUAN_PII_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
export ZHIYUAN_FILES_DIR="$out/uploads" ZHIYUAN_ADDR="127.0.0.1:$WEB_PORT" RUST_LOG=warn
cargo build --release -q -p zhiyuan-functions --bin local-server --bin zhiyuan-admin
"$TARGET_DIR/release/zhiyuan-admin" init-local > "$out/seed.log"
"$TARGET_DIR/release/local-server" > "$out/server.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/$WEB_PORT) 2>/dev/null && break; sleep 0.5; done
base="http://127.0.0.1:$WEB_PORT"
station=$(curl -s "$base/api/stations?region=150602&limit=1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).items[0].id))')
echo
echo "| page (Lighthouse 12, mobile) | performance | accessibility | FCP | LCP | TBT | CLS | transferred | LCP element |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---|"
for path in ${LH_PAGES:-/ /stations/\{station\} /activities}; do
  path=${path//\{station\}/$station}
  name=$(echo "$path" | tr -c 'a-zA-Z0-9\n' '-' | sed 's/^-*$/home/')
  lighthouse "$base$path" --quiet --output=json --output-path="$reports/$name.json" \
    --only-categories=performance,accessibility \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage" >/dev/null 2>&1 || true
  node -e '
    const r = require(require("path").resolve(process.argv[1])); const a = r.audits;
    const pct = c => c && c.score != null ? Math.round(c.score * 100) : "–";
    const secs = id => a[id] ? (a[id].numericValue / 1000).toFixed(1) + " s" : "–";
    const lcp = secs("largest-contentful-paint"), fcp = secs("first-contentful-paint");
    const tbt = a["total-blocking-time"] ? Math.round(a["total-blocking-time"].numericValue) + " ms" : "–";
    const cls = a["cumulative-layout-shift"] ? a["cumulative-layout-shift"].numericValue.toFixed(2) : "–";
    const kb = a["total-byte-weight"] ? (a["total-byte-weight"].numericValue / 1000).toFixed(0) + " kB" : "–";
    // The element Lighthouse took as the largest paint: what to make paint sooner.
    const find = (o) => o && typeof o === "object" ? (o.node && o.node.snippet) || Object.values(o).map(find).find(Boolean) : undefined;
    const el = (find(a["largest-contentful-paint-element"]) || "–").replace(/\|/g, "/").slice(0, 70);
    console.log(`| ${process.argv[2]} | ${pct(r.categories.performance)} | ${pct(r.categories.accessibility)} | ${fcp} | ${lcp} | ${tbt} | ${cls} | ${kb} | \`${el}\` |`);
  ' "$reports/$name.json" "$path" 2>/dev/null || echo "| $path | lighthouse failed | | | | | | | |"
done
