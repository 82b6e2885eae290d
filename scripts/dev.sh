#!/usr/bin/env bash
# `make dev`: DynamoDB Local (data kept in .data/), the table and demo data (once), the
# SPA, and the local server on http://127.0.0.1:8080. Ctrl-C stops everything it started.
set -euo pipefail
cd "$(dirname "$0")/.."
# Where cargo builds (CARGO_TARGET_DIR when set, as cargo itself does).
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
export PATH="$PWD/.tools/node_modules/.bin:$PATH"
DDB_PORT=${DDB_PORT:-8000}
export DYNAMODB_ENDPOINT="http://127.0.0.1:$DDB_PORT"
export ZHIYUAN_TABLE=${ZHIYUAN_TABLE:-zhiyuan}
export ZHIYUAN_DIST="$PWD/dist"
# Activity archive files (the cloud uses the S3 bucket named in ZHIYUAN_FILES_BUCKET).
export ZHIYUAN_FILES_DIR="$PWD/.data/uploads"
mkdir -p .data
# The session and personal-data secrets, generated once: the local data stays readable
# across restarts. (In the cloud they come from Secrets Manager; see template.yaml.)
if [ ! -s .data/secrets.env ]; then
  umask 077
  { echo "ZHIYUAN_SESSION_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"
    echo "ZHIYUAN_PII_SECRET=$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n')"; } > .data/secrets.env
fi
set -a; . .data/secrets.env; set +a

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT INT TERM

if ! (exec 3<>/dev/tcp/127.0.0.1/$DDB_PORT) 2>/dev/null; then
  scripts/dynamodb-local.sh "$DDB_PORT" .data/dynamodb > .data/dynamodb.log 2>&1 &
  pids+=($!)
  for _ in $(seq 1 60); do (exec 3<>/dev/tcp/127.0.0.1/$DDB_PORT) 2>/dev/null && break; sleep 0.5; done
fi
cargo build --release -p zhiyuan-functions --bin local-server --bin zhiyuan-admin
$TARGET_DIR/release/zhiyuan-admin init-local
# A table written by an earlier version gets what the current one expects (0 changes when
# it is up to date; see the README's "Migrating a table written by earlier versions").
$TARGET_DIR/release/zhiyuan-admin migrate --page 1000 | tail -n 2 || echo "migrate: unfinished; run it again"
trunk build
# Text messages (verification codes) go to a local outbox, one JSON line each.
export ZHIYUAN_SMS_SENDER=${ZHIYUAN_SMS_SENDER:-outbox}
export ZHIYUAN_SMS_OUTBOX=${ZHIYUAN_SMS_OUTBOX:-$PWD/.data/outbox/sms.jsonl}
echo "Zhiyuan: http://127.0.0.1:8080  (demo accounts 13800000001-4, password demo-pass-2026; Ctrl-C stops)"
echo "SMS outbox (verification codes for 注册 / 验证码登录 / 忘记密码): $ZHIYUAN_SMS_OUTBOX"
echo "  read the newest code: tail -n 1 $ZHIYUAN_SMS_OUTBOX"
$TARGET_DIR/release/local-server &
pids+=($!)
wait "${pids[-1]}"
