#!/usr/bin/env bash
# The SPA's size budget (`make bench`): first load of `/` — everything transferred before
# the map is interactive: index.html, the public pages' entry — compressed with brotli
# against the 250 kB goal, the full app's entry (app.html) for comparison, the whole app,
# and twiggy's largest items of the public wasm (its names kept: the frontend is not
# stripped).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -f dist/index.html ] || { echo "build the SPA first: make spa" >&2; exit 1; }
br() { brotli -c -q 11 "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
# What index.html makes the browser fetch before the app runs: the names it links.
first=$(grep -oE '(href|src)="/[^"]+"' dist/index.html | sed -E 's/^(href|src)="\///; s/"$//' \
  | grep -vE '^(icons/|manifest)' | sort -u)
echo
echo "| first load of / (brotli -q 11) | raw bytes | brotli bytes |"
echo "|---|---:|---:|"
total_raw=0; total_br=0
# (Trunk's preload names the wasm; wasm-bindgen's glue fetches that same file.)
for f in index.html $first; do
  [ -f "dist/$f" ] || continue
  raw=$(stat -c %s "dist/$f"); b=$(br "dist/$f")
  total_raw=$((total_raw + raw)); total_br=$((total_br + b))
  echo "| $f | $raw | $b |"
done
echo "| **first load total** (goal ≤ 250 kB) | $total_raw | **$(kb $total_br) kB** |"
# The full app's own script and wasm (app.html), what a page outside the public ones adds.
if [ -f dist/app.html ]; then
  full_raw=0; full_br=0
  for f in $(grep -oE '(href|src)="/zhiyuan-frontend-[^"]+"' dist/app.html | sed -E 's/^(href|src)="\///; s/"$//' | sort -u); do
    full_raw=$((full_raw + $(stat -c %s "dist/$f"))); full_br=$((full_br + $(br "dist/$f")))
  done
  echo "| the full app's js + wasm (app.html: every other page) | $full_raw | $(kb $full_br) kB |"
fi
all_raw=0; all_br=0
while IFS= read -r f; do
  all_raw=$((all_raw + $(stat -c %s "$f"))); all_br=$((all_br + $(br "$f")))
done < <(find dist -type f ! -name '*.png' ! -name '*.map' ! -name '*.br' ! -name '*.gz')
echo "| whole app: every file of dist/ but images and precompressed copies (brotli) | $all_raw | $(kb $all_br) kB |"
names="$TARGET_DIR/wasm32-unknown-unknown/release/zhiyuan-public.wasm"
if command -v twiggy >/dev/null && [ -f "$names" ]; then
  echo
  echo "twiggy top 25 of $names (before wasm-bindgen and wasm-opt; names kept; the name and debug"
  echo "sections, which the shipped wasm does not carry, left out):"
  twiggy top -n 40 "$names" | grep -vE "custom section|function names\" subsection" | head -n 28
  echo
  echo "twiggy monos (monomorphised copies), top 10:"
  twiggy monos -m 10 "$names" || true
fi
