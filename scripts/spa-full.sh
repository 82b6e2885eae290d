#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): the SPA's entry points (zhiyuan_shared::entry).
# The outer build made the first screen (index.html, the zhiyuan-map wasm: the map and
# station pages); this builds the other public pages (frontend/public.html, the
# zhiyuan-public wasm), the activities list alone (activities.html: frontend/public.html
# with the zhiyuan-activities wasm, written here as frontend/activities.generated.html) and the full app (frontend/app.html, the zhiyuan-frontend wasm), each
# into its own directory, and copies its HTML and hashed files into the build being staged.
# Trunk 0.21 builds one HTML per run and has no wasm-split step, hence more runs.
set -euo pipefail
cd "$(dirname "$0")/.."
staging=${TRUNK_STAGING_DIR:?run by trunk build}
inner() { # <config> <html name in dist> <bin>
  local out="${CARGO_TARGET_DIR:-target}/dist-${2%.html}"
  # The outer run's hook variables must not steer the inner run.
  env -u TRUNK_STAGING_DIR -u TRUNK_DIST_DIR -u TRUNK_HTML_FILE -u TRUNK_SOURCE_DIR \
    -u TRUNK_PROFILE -u TRUNK_PUBLIC_URL -u TRUNK_CONFIG \
    trunk build --config "$1" --dist "$out"
  cp "$out/index.html" "$staging/$2"
  # Only the entry's own files: the copied assets (Leaflet, icons, sw.js…) are the same.
  find "$out" -maxdepth 1 -type f -name "$3-*" -exec cp {} "$staging/" \;
  find "$out" -maxdepth 1 -type f -name 'style-*' -exec cp -n {} "$staging/" \;
}
# (Its files' pattern brings zhiyuan-public-shell.js too, which activities.html loads as well.)
inner Trunk.public.toml public.html zhiyuan-public
# The activities list's page is public.html loading the list's own wasm: one shell to keep.
gen=frontend/activities.generated.html
sed 's/data-bin="zhiyuan-public"/data-bin="zhiyuan-activities"/' frontend/public.html >"$gen"
grep -q 'data-bin="zhiyuan-activities"' "$gen" \
  || { echo "spa-full: public.html has no zhiyuan-public rust link to swap" >&2; exit 1; }
inner Trunk.activities.toml activities.html zhiyuan-activities
inner Trunk.app.toml app.html zhiyuan-frontend
# The wasm loaders Trunk inlines, moved to files for the Content-Security-Policy.
scripts/external-loader.sh "$staging"
# The activities list's entry (zhiyuan_shared::entry::Entry::Activities) names public.html's
# files, which an activity's page loads: the list fetches them once it has shown
# (app.rs prefetch_next_entry).
next=$(grep -oE '(href|src)="/zhiyuan-public-(init-)?[0-9a-f]{12,16}(_bg\.wasm|\.js)"' "$staging/public.html" \
  | sed -E 's/^(href|src)="//; s/"$//' | sort -u | tr '\n' ' ' | sed 's/ $//')
case "$next" in
  *_bg.wasm*) ;;
  *) echo "spa-full: public.html names no wasm of its own: '$next'" >&2; exit 1 ;;
esac
NEXT="$next" perl -0777 -pi -e 's{</head>}{<meta name="zhiyuan-next" content="$ENV{NEXT}" /></head>}' \
  "$staging/activities.html"
grep -q 'name="zhiyuan-next"' "$staging/activities.html" \
  || { echo "spa-full: no </head> in activities.html for the meta" >&2; exit 1; }
# The station pages' entry page (zhiyuan_shared::entry::Entry::Station): the map's own,
# without Leaflet (index.html leaves markercluster to map.js too), which a station page
# does not draw (40 kB brotli a shared link no longer waits for); map.js loads Leaflet and
# markercluster when the person goes on to the map.
# Only those tags go, wherever they stand: everything else must still be there.
perl -0777 -pe 's{[ \t]*<link rel="stylesheet" href="/(?:leaflet|markercluster)/[^"]*"\s*/?>\n?}{}g;
  s{[ \t]*<script defer src="/(?:leaflet|markercluster)/[^"]*"></script>\n?}{}g' \
  "$staging/index.html" >"$staging/station.html"
# (It keeps Trunk's preloads of the map's script and wasm, which index.html loses below.)
for kept in '/map.js' 'zhiyuan-map-init-' 'zhiyuan-map-shell.js' '</html>' \
  'rel="modulepreload" href="/zhiyuan-map-' 'rel="preload" href="/zhiyuan-map-'; do
  grep -q -F "$kept" "$staging/station.html" \
    || { echo "spa-full: station.html lost $kept" >&2; exit 1; }
done
if grep -q -e '/leaflet/' -e '/markercluster/' "$staging/station.html" \
  || ! grep -q '/leaflet/leaflet.js' "$staging/index.html"; then
  echo "spa-full: station.html must be index.html without Leaflet" >&2
  exit 1
fi
# On `/` the map's tiles come first: the first screen's script and wasm are fetched once
# they have painted (map.js firstScreen, external-loader.sh), so index.html (unlike
# station.html, written above with them) must not preload them. Each stays named, by a link
# the browser does not fetch: the service worker keeps what the entry page names
# (frontend/assets/sw.js), and scripts/web-budget.sh counts it.
perl -0777 -pi -e 's{<link rel="(?:modulepreload|preload)"( href="/zhiyuan-map-[0-9a-f]{12,16}(?:_bg\.wasm|\.js)")[^>]*>}{<link rel="zhiyuan-after-first-screen"$1>}g' \
  "$staging/index.html"
if grep -qE '<link rel="(modulepreload|preload)" href="/zhiyuan-map-' "$staging/index.html" \
  || ! grep -qE 'rel="zhiyuan-after-first-screen" href="/zhiyuan-map-[0-9a-f]+\.js"' "$staging/index.html" \
  || ! grep -qE 'rel="zhiyuan-after-first-screen" href="/zhiyuan-map-[0-9a-f]+_bg\.wasm"' "$staging/index.html"; then
  echo "spa-full: index.html must name, not preload, the first screen's script and wasm" >&2
  exit 1
fi
# The app's own scripts (map.js, pwa.js, the two shells) change with the app, but their
# names carry no hash: a phone's service worker or cache could answer an old map.js to a
# new wasm, which then calls what that map.js lacks. The entry pages load each by a name
# with its content's hash, kept as immutable as Trunk's files (functions/src/static_files.rs
# is_hashed, the service worker's HASHED); the plain names stay for pages written before.
# The hashed copies leave out the lines that are only comments (or blank): the comments
# are for whoever reads the source (over a third of map.js, brotli). Only whole lines go:
# these files have no multi-line strings, so no such line is inside one.
pages=(index station activities public app)
for f in map.js pwa.js zhiyuan-map-shell.js zhiyuan-public-shell.js; do
  [ -f "$staging/$f" ] || { echo "spa-full: no $f in the build" >&2; exit 1; }
  if grep -q '`' <(grep -vE '^\s*//' "$staging/$f"); then
    echo "spa-full: $f has a template literal; its comment lines cannot be told apart" >&2
    exit 1
  fi
  lean=$(mktemp)
  perl -ne 'print unless m{^\s*(//.*)?$}' "$staging/$f" >"$lean"
  named="${f%.js}-$(sha256sum "$lean" | cut -c1-16).js"
  mv "$lean" "$staging/$named"
  chmod 644 "$staging/$named"
  for page in "${pages[@]}"; do
    OLD="$f" NEW="$named" perl -pi -e 's{src="/\Q$ENV{OLD}\E"}{src="/$ENV{NEW}"}g' "$staging/$page.html"
  done
done
for page in "${pages[@]}"; do
  if grep -qE 'src="/(map|pwa|zhiyuan-map-shell|zhiyuan-public-shell)\.js"' "$staging/$page.html"; then
    echo "spa-full: $page.html still loads a script by its plain name" >&2
    exit 1
  fi
  # The source's comments are for whoever reads it, not for a phone to download: each
  # stands on lines of its own there.
  perl -0777 -pi -e 's{^[ \t]*<!--(?:(?!-->).)*-->[ \t]*\n}{}gms' "$staging/$page.html"
  if grep -q '<!--' "$staging/$page.html"; then
    echo "spa-full: $page.html has a comment that does not stand on lines of its own" >&2
    exit 1
  fi
done
scripts/precompress.sh "$staging"
