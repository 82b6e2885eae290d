#!/usr/bin/env bash
# The SPA's size budget (`make bench`): first load of `/` — everything transferred before
# the map is interactive: index.html, the first screen's entry (the map and station pages) —
# compressed with brotli against the 250 kB goal, a station page's (station.html), the other public pages' entry
# (public.html), the activities list's (activities.html) and the full app's (app.html) for comparison, the whole app, and twiggy's
# largest items of the map's wasm (its names kept: the frontend is not stripped).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
[ -f dist/index.html ] || { echo "build the SPA first: make spa" >&2; exit 1; }
br() { brotli -c -q 11 "$1" | wc -c; }
kb() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1000 }'; }
# What index.html makes the browser fetch before the app runs: the names it links.
first=$(grep -oE '(href|src)="/[^"]+"' dist/index.html | sed -E 's/^(href|src)="\///; s/"$//' \
  | grep -vE '^(icons/|manifest)' | sort -u)
# …and markercluster, which map.js loads once the first screen has painted, before the
# markers go on the map.
first=$(printf '%s\n' $first $(grep -oE "'/markercluster/[^']+'" dist/map.js | tr -d "'" | sed 's#^/##') | sort -u)
echo
echo "| first load of / (brotli -q 11) | raw bytes | brotli bytes |"
echo "|---|---:|---:|"
total_raw=0; total_br=0
# (index.html names the wasm and its glue, without preloading them: spa-full.sh.)
for f in index.html $first; do
  [ -f "dist/$f" ] || continue
  raw=$(stat -c %s "dist/$f"); b=$(br "dist/$f")
  total_raw=$((total_raw + raw)); total_br=$((total_br + b))
  echo "| $f | $raw | $b |"
done
echo "| **first load total** (goal ≤ 250 kB) | $total_raw | **$(kb $total_br) kB** |"
# A station page's first load: station.html, index.html without Leaflet (Entry::Station).
if [ -f dist/station.html ]; then
  st_raw=0; st_br=0
  for f in station.html $(grep -oE '(href|src)="/[^"]+"' dist/station.html \
      | sed -E 's/^(href|src)="\///; s/"$//' | grep -vE '^(icons/|manifest)' | sort -u); do
    [ -f "dist/$f" ] || continue
    st_raw=$((st_raw + $(stat -c %s "dist/$f"))); st_br=$((st_br + $(br "dist/$f")))
  done
  echo "| first load of a station page (station.html: the same without Leaflet) | $st_raw | $(kb $st_br) kB |"
fi
# The other entry points' own script and wasm: what a page outside the first screen adds.
own() { # <html> <bin> <label>
  [ -f "dist/$1" ] || return 0
  local raw=0 b=0 f
  for f in $(grep -oE "(href|src)=\"/$2-[^\"]+\"" "dist/$1" | sed -E 's/^(href|src)="\///; s/"$//' | sort -u); do
    raw=$((raw + $(stat -c %s "dist/$f"))); b=$((b + $(br "dist/$f")))
  done
  echo "| $3 | $raw | $(kb $b) kB |"
}
own activities.html zhiyuan-activities "the activities list's js + wasm (activities.html)"
own public.html zhiyuan-public "the other public pages' js + wasm (public.html: an activity's page, needs…)"
own app.html zhiyuan-frontend "the full app's js + wasm (app.html: every other page)"
all_raw=0; all_br=0
while IFS= read -r f; do
  all_raw=$((all_raw + $(stat -c %s "$f"))); all_br=$((all_br + $(br "$f")))
done < <(find dist -type f ! -name '*.png' ! -name '*.map' ! -name '*.br' ! -name '*.gz' \
  ! -name map.js ! -name pwa.js ! -name zhiyuan-map-shell.js ! -name zhiyuan-public-shell.js)
echo "| whole app: every file of dist/ but images, precompressed copies and the plain-named twins of hashed scripts (brotli) | $all_raw | $(kb $all_br) kB |"
names="$TARGET_DIR/wasm32-unknown-unknown/release/zhiyuan-map.wasm"
if command -v twiggy >/dev/null && [ -f "$names" ]; then
  echo
  echo "twiggy top 25 of $names (before wasm-bindgen and wasm-opt; names kept; the name and debug"
  echo "sections, which the shipped wasm does not carry, left out):"
  twiggy top -n 40 "$names" | grep -vE "custom section|function names\" subsection" | head -n 28
  echo
  echo "twiggy monos (monomorphised copies), top 10:"
  twiggy monos -m 10 "$names" || true
fi
