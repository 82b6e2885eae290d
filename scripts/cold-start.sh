#!/usr/bin/env bash
# Lambda cold start and zip size per release profile (tests/benches/cold_start.rs): builds
# only the three Lambda binaries in each profile measured, then runs the bench, which
# prints the table. COLD_START_PROFILES (default "release,lambda-3") names the profiles
# (see Cargo.toml); COLD_START_RUNS the runs per binary.
set -euo pipefail
cd "$(dirname "$0")/.."
export COLD_START_PROFILES="${COLD_START_PROFILES:-release,lambda-3}"
IFS=',' read -ra profiles <<< "$COLD_START_PROFILES"
for profile in "${profiles[@]}"; do
  cargo build -q --profile "$profile" -p zhiyuan-functions --bin public-api --bin admin-api --bin scheduled
done
cargo bench -q -p zhiyuan-tests --bench cold_start
