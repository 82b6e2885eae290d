#!/usr/bin/env bash
# Post-build (scripts/spa-full.sh): Trunk 0.21 writes the wasm loader into each entry page
# as an inline `<script type="module">`, which the Content-Security-Policy (`script-src
# 'self'`, no 'unsafe-inline': functions/src/security_headers.rs) refuses to run. This moves
# each page's inline module script into a file named by its content (`<bin>-init-<hash>.js`,
# so the local server, CloudFront and the service worker treat it as immutable, like
# Trunk's own hashed files) and loads it with `<script type="module" src>`: same order
# (module scripts run after the deferred ones, as the inline one did), same top-level await.
# Fails the build if an entry page keeps any inline script.
set -euo pipefail
dir=${1:?usage: external-loader.sh <build dir>}
for page in "$dir"/index.html "$dir"/public.html "$dir"/activities.html "$dir"/app.html; do
  [ -f "$page" ] || continue
  # The bin whose wasm the page loads names the file (zhiyuan-map, zhiyuan-public,
  # zhiyuan-activities, zhiyuan-frontend). station.html is written after, from index.html.
  bin=$(grep -o "from '/[a-z-]*-[0-9a-f]\{12,16\}\.js'" "$page" | head -n1 | sed -E "s#from '/(.*)-[0-9a-f]+\.js'#\1#")
  [ -n "$bin" ] || { echo "external-loader: no wasm loader in $page" >&2; exit 1; }
  body=$(mktemp)
  perl -0777 -ne 'print $1 if m{<script type="module">\n?(.*?)</script>}s' "$page" >"$body"
  [ -s "$body" ] || { echo "external-loader: no inline module script in $page" >&2; exit 1; }
  if [ "$bin" = zhiyuan-map ]; then
    # The first screen's loader asks for the app's script and wasm only once the map's
    # tiles have painted (map.js firstScreen; at once on a station page), and then for
    # both at once: a dynamic import after the wait, in place of Trunk's static one (which
    # would fetch the script with the page), and the wasm fetched beside it, handed to
    # wasm-bindgen's init as that fetch's promise (it would otherwise ask only once the
    # script has run: a round trip more).
    perl -0777 -pi -e '
      my ($wasm) = m{module_or_path: (\x27/[^\x27]+_bg\.wasm\x27)} or die "no wasm path\n";
      s{module_or_path: \Q$wasm\E}{module_or_path: wasmAnswer} or die "no init call\n";
      s{^import init, \* as bindings from (\x27/[^\x27]+\x27);\n}{// The map\x27s tiles first (map.js firstScreen), then the app\x27s script and wasm, together.\nif (window.zhiyuanMap && window.zhiyuanMap.firstScreen) await window.zhiyuanMap.firstScreen();\nconst wasmAnswer = fetch($wasm);\nconst bindings = await import($1);\nconst init = bindings.default;\n} or die "no static import\n";
    ' "$body" || { echo "external-loader: $page's loader is not the one Trunk writes" >&2; exit 1; }
  fi
  hash=$(sha256sum "$body" | cut -c1-16)
  name="$bin-init-$hash.js"
  mv "$body" "$dir/$name"
  chmod 644 "$dir/$name"
  NAME="$name" perl -0777 -pi -e 's{<script type="module">\n?.*?</script>}{<script type="module" src="/$ENV{NAME}"></script>}s' "$page"
  # Every script left must load a file: an inline one would be refused by the policy.
  if grep -qE '<script( type="[^"]*")?>' "$page"; then
    echo "external-loader: $page still has an inline script" >&2
    exit 1
  fi
done
