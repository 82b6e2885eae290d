#!/usr/bin/env bash
# Trunk's post-build hook (Trunk.toml): the SPA has two entry points. The outer build made
# the public pages (index.html, the zhiyuan-public wasm); this builds the full app
# (frontend/app.html, the zhiyuan-frontend wasm) into its own directory and copies its HTML
# (as app.html) and hashed files into the build being staged. Trunk 0.21 builds one HTML
# per run and has no wasm-split step, hence a second run.
set -euo pipefail
cd "$(dirname "$0")/.."
staging=${TRUNK_STAGING_DIR:?run by trunk build}
out="${CARGO_TARGET_DIR:-target}/dist-app"
# The outer run's hook variables must not steer the inner run.
env -u TRUNK_STAGING_DIR -u TRUNK_DIST_DIR -u TRUNK_HTML_FILE -u TRUNK_SOURCE_DIR \
  -u TRUNK_PROFILE -u TRUNK_PUBLIC_URL -u TRUNK_CONFIG \
  trunk build --config Trunk.app.toml --dist "$out"
cp "$out/index.html" "$staging/app.html"
# Only the full app's own files: the copied assets (Leaflet, icons, sw.js…) are the same.
find "$out" -maxdepth 1 -type f -name 'zhiyuan-frontend-*' -exec cp {} "$staging/" \;
find "$out" -maxdepth 1 -type f -name 'style-*' -exec cp -n {} "$staging/" \;
# The wasm loaders Trunk inlines, moved to files for the Content-Security-Policy.
scripts/external-loader.sh "$staging"
scripts/precompress.sh "$staging"
