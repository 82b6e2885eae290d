#!/usr/bin/env bash
# The OpenAPI document as a contract: schemathesis (from .tools/fuzz, installed by
# `scripts/install-tools.sh test`) generates requests from GET /api/openapi.json and checks
# every answer: no 5xx, only documented statuses, bodies and content types as documented.
#
# It starts its own stack and stops it on exit: DynamoDB Local in memory on a free port, the
# table and demo data (`zhiyuan-admin init-local`), and the local server on another free
# port. Three passes: anonymous (every operation), a demo volunteer's token and a demo
# organizer's token (the operations that take a token, except those that end the session),
# both tokens obtained by signing in through the API.
#
# Usage: scripts/fuzz-api.sh            (after `cargo build --workspace --bins`)
#   FUZZ_EXAMPLES=N   cases per operation and pass (default 5; the coverage phase adds its own)
#   FUZZ_SEED=N       a fixed seed, to replay a run
# Prints a per-operation table (cases, failures by check) and exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
ST="$ROOT/.tools/fuzz/bin/schemathesis"
PY="$ROOT/.tools/fuzz/bin/python"
[ -x "$ST" ] || { echo "schemathesis is not installed: run scripts/install-tools.sh test" >&2; exit 1; }
for b in local-server zhiyuan-admin; do
  [ -x "$TARGET_DIR/debug/$b" ] || { echo "$TARGET_DIR/debug/$b missing: run cargo build --workspace --bins" >&2; exit 1; }
done
EXAMPLES=${FUZZ_EXAMPLES:-5}
SEED=${FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zhiyuan-fuzz.XXXXXX")
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${FUZZ_KEEP:-}" ] && echo "fuzz: kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

free_port() { "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() {
  for _ in $(seq 1 120); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.5; done
  echo "nothing listens on port $1" >&2; return 1
}

DDB_PORT=$(free_port)
scripts/dynamodb-local.sh "$DDB_PORT" -inMemory > "$WORK/dynamodb.log" 2>&1 &
pids+=($!)
wait_port "$DDB_PORT"

API_PORT=$(free_port)
export DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT"
export ZHIYUAN_TABLE=zhiyuan-fuzz
export ZHIYUAN_ADDR="127.0.0.1:$API_PORT"
export ZHIYUAN_SESSION_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
export ZHIYUAN_PII_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')
export ZHIYUAN_FILES_DIR="$WORK/uploads"
export ZHIYUAN_DIST="$WORK/dist"
export ZHIYUAN_SMS_SENDER=outbox
export ZHIYUAN_SMS_OUTBOX="$WORK/sms.jsonl"
export RUST_LOG=${RUST_LOG:-warn}
mkdir -p "$ZHIYUAN_DIST" && echo '<!doctype html><title>fuzz</title>' > "$ZHIYUAN_DIST/index.html"
"$TARGET_DIR/debug/zhiyuan-admin" init-local > "$WORK/seed.log" 2>&1 || { cat "$WORK/seed.log" >&2; exit 1; }
"$TARGET_DIR/debug/local-server" > "$WORK/server.log" 2>&1 &
pids+=($!)
wait_port "$API_PORT"
BASE="http://127.0.0.1:$API_PORT"

token() {
  curl -sf -X POST "$BASE/api/auth/login" -H 'content-type: application/json' \
    -d "{\"phone\":\"$1\",\"password\":\"demo-pass-2026\"}" |
    "$PY" -c 'import json,sys; print(json.load(sys.stdin)["token"])'
}
# The demo organizer (张组织) and volunteer (李志愿); see functions/src/seed/demo.rs.
ORGANIZER=$(token 13800000003)
VOLUNTEER=$(token 13800000004)

# Real ids of the demo data, so that most generated requests get past "no such id" (404) into
# the rules behind it: schemathesis draws `id` and `user_id` path parameters from these
# dictionaries 70% of the time (and generates the rest).
"$PY" - "$BASE" "$ORGANIZER" "$VOLUNTEER" > "$WORK/schemathesis.toml" <<'PYEOF'
import json, sys, urllib.request
base, organizer, volunteer = sys.argv[1:4]
def get(path, token=None):
    req = urllib.request.Request(base + path)
    if token:
        req.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(req, timeout=20) as r:
        return json.load(r)
ids, users = set(), set()
for a in get("/api/activities?limit=20")["items"]:
    ids.add(a["id"]); ids.add(a["org_id"])
    ids.update(s["id"] for s in a["shifts"])
ids.update(s["id"] for s in get("/api/stations?limit=5")["items"])
for token in (organizer, volunteer):
    users.add(get("/api/me", token)["user_id"])
ids.update(r["id"] for r in get("/api/me/records", volunteer).get("items", []))
print("[dictionaries.ids]\nvalues = " + json.dumps(sorted(ids)))
print("[dictionaries.users]\nvalues = " + json.dumps(sorted(users)))
print('[parameters]\n"path.id" = { dictionary = "ids", probability = 0.7 }')
print('"path.user_id" = { dictionary = "users", probability = 0.7 }')
PYEOF

# Operations a signed-in pass leaves out: they end the very session the pass runs on
# (sign-out everywhere, closing the account, a new password). The anonymous pass covers them.
ENDS_SESSION='^/api/(auth/logout|me/close|me/password)$'

common=(--checks not_a_server_error,status_code_conformance,response_schema_conformance,content_type_conformance
  --max-examples "$EXAMPLES" --workers 1 --seed "$SEED" --no-shrink
  --suppress-health-check all --request-timeout 20 --warnings off)

# The passes run side by side, each single-threaded: schemathesis' own worker threads hit
# a CPython 3.11 race ("AST constructor recursion depth mismatch"), separate processes don't.
run_pass() {
  local name=$1; shift
  (cd "$WORK" && "$ST" --config-file "$WORK/schemathesis.toml" run "$BASE/api/openapi.json" "${common[@]}" \
    --report ndjson --report-ndjson-path "$WORK/$name.ndjson" "$@" > "$WORK/$name.out" 2>&1)
}
echo "fuzz: three passes (anonymous, volunteer, organizer), seed $SEED, $EXAMPLES cases per operation each"
started=$(date +%s)
run_pass anonymous & a=$!
run_pass volunteer -H "Authorization: Bearer $VOLUNTEER" --exclude-path-regex "$ENDS_SESSION" & v=$!
run_pass organizer -H "Authorization: Bearer $ORGANIZER" --exclude-path-regex "$ENDS_SESSION" & o=$!
pids+=("$a" "$v" "$o")
status=0
for p in $a $v $o; do wait "$p" || status=1; done
elapsed=$(( $(date +%s) - started ))
for name in anonymous volunteer organizer; do
  echo "== $name: $(grep -E '^  [0-9]+ generated' "$WORK/$name.out" | sed 's/^ *//')"
done

"$PY" scripts/fuzz-summary.py "$WORK"/{anonymous,volunteer,organizer}.ndjson || status=1
echo "fuzz: ${elapsed}s for three passes"
if [ "$status" -ne 0 ]; then
  echo "fuzz: FAILED; each failing case with a curl line to replay it:" >&2
  for name in anonymous volunteer organizer; do
    sed -n '/^_\{5,\}/,/^=\{5,\} SUMMARY/p' "$WORK/$name.out" | cut -c1-400 >&2
  done
  echo "fuzz: the server's log (last 40 lines):" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit "$status"
