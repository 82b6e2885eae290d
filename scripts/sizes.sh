#!/usr/bin/env bash
# Release sizes: each Lambda binary stripped and zipped, and the SPA (wasm + js + css)
# compressed with brotli. Prints a table.
set -euo pipefail
cd "$(dirname "$0")/.."
# Where cargo builds (CARGO_TARGET_DIR when set, as cargo itself does).
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
cargo build --release -q -p zhiyuan-functions --bin public-api --bin admin-api
tmp=$(mktemp -d)
echo
echo "| artifact | raw bytes | compressed bytes | goal |"
echo "|---|---:|---:|---|"
for bin in public-api admin-api; do
  cp "$TARGET_DIR/release/$bin" "$tmp/bootstrap"
  (cd "$tmp" && rm -f f.zip && zip -q -9 f.zip bootstrap)
  echo "| lambda $bin (stripped, zip) | $(stat -c %s "$TARGET_DIR/release/$bin") | $(stat -c %s "$tmp/f.zip") | ≤ 6 MB |"
done
total_raw=0; total_br=0
for f in dist/*.wasm dist/*.js dist/*.css; do
  raw=$(stat -c %s "$f"); br=$(brotli -c -q 11 "$f" | wc -c)
  total_raw=$((total_raw + raw)); total_br=$((total_br + br))
  echo "| spa $(basename "$f") (brotli) | $raw | $br | |"
done
echo "| spa app total: wasm + js + css (brotli) | $total_raw | $total_br | ≤ 250 kB |"
lraw=0; lbr=0
for f in dist/leaflet/leaflet.js dist/leaflet/leaflet.css dist/markercluster/leaflet.markercluster.js dist/markercluster/MarkerCluster.css; do
  lraw=$((lraw + $(stat -c %s "$f"))); lbr=$((lbr + $(brotli -c -q 11 "$f" | wc -c)))
done
echo "| vendored Leaflet + markercluster (brotli) | $lraw | $lbr | |"
rm -rf "$tmp"
