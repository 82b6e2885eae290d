#!/usr/bin/env bash
# Trunk's post-build hook: writes name.br (brotli -q 11, when the brotli tool is there) and
# name.gz (gzip -9) beside each text file of the build, so the local server sends the
# smallest encoding without compressing per request (functions/src/static_files.rs).
# CloudFront compresses by itself; the extra files are harmless there.
set -euo pipefail
dir=${1:-${TRUNK_STAGING_DIR:-dist}}
find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
  -o -name '*.webmanifest' \) | while IFS= read -r f; do
  if command -v brotli >/dev/null 2>&1; then brotli -f -q 11 -o "$f.br" "$f"; fi
  gzip -f -9 -k "$f"
done
