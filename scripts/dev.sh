#!/usr/bin/env bash
# `make dev`: DynamoDB Local (data kept in .data/), the table and demo data (once), the
# SPA, and the local server on http://127.0.0.1:8080. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
DDB_PORT=${DDB_PORT:-8000}
export DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT"
export ZHIYUAN_TABLE=${ZHIYUAN_TABLE:-zhiyuan}
export ZHIYUAN_DIST="$PWD/dist"
mkdir -p .data
# A bootstrap admin token for station writes until region-admin accounts exist.
[ -s .data/admin-token ] || head -c 24 /dev/urandom | base64 | tr -d '/+=' > .data/admin-token
export ZHIYUAN_ADMIN_TOKEN=$(cat .data/admin-token)

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if ! (exec 3<>/dev/tcp/127.0.0.1/$DDB_PORT) 2>/dev/null; then
  scripts/dynamodb-local.sh "$DDB_PORT" .data/dynamodb > .data/dynamodb.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/$DDB_PORT) 2>/dev/null && break; sleep 0.5; done
fi
cargo build --release -p zhiyuan-functions --bin local-server --bin zhiyuan-admin
target/release/zhiyuan-admin init-local
trunk build
echo "Zhiyuan: http://127.0.0.1:8080  (bootstrap admin token in .data/admin-token; Ctrl-C stops)"
target/release/local-server &
pids+=($!)
wait "${pids[-1]}"
