#!/usr/bin/env bash
# Measures modules as data with 50 manifests: the backend's start-up time
# and the time to read them, and p50/p95 of GET /api/environments/options
# and of a create request's validation (refused with a 400, so nothing runs),
# against a backend of this checkout on a throwaway PostgreSQL database.
# Start-up is also measured with the repository's own manifests, to compare.
# Usage: bench/modules.sh [manifests, default 50]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_ensure_postgres

count="${1:-50}"
modules="$(mktemp -d /tmp/paved-bench-modules.XXXXXX)"
trap 'rm -rf "$modules"' EXIT
# Copies of the PostgreSQL module under other names, each a building block.
for i in $(seq -w 1 "$count"); do
  cp -r terraform/modules/postgres-database "$modules/pg-$i"
  sed -i "s/^  name: postgres$/  name: pg$i/" "$modules/pg-$i/paved-module.yaml"
done

measure_start() { # LABEL MODULES_DIR PORT
  local started=$SECONDS
  bench_start_backend "$3" "paved:
  environments:
    modulesDir: $2
    dataDir: @WORK@/environments"
  echo "$1: backend ready in $((SECONDS - started)) s;" \
    "$(grep -o 'Approved modules ([^)]*)' "$bench_work/backend.log" | head -1)"
}

measure_start "repository's manifests" "$PAVED_ROOT/terraform/modules" "${PAVED_BENCH_PORT:-7097}"
bench_cleanup
trap 'rm -rf "$modules"' EXIT
measure_start "$count manifests" "$modules" "${PAVED_BENCH_PORT:-7097}"
trap 'bench_cleanup; rm -rf "$modules"' EXIT
node bench/modules.mjs "$bench_url" "$count"
