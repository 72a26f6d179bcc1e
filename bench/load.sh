#!/usr/bin/env bash
# Load on the shared PostgreSQL: N environment requests at once, then M golden
# paths at once with an environment each, against a backend of this checkout
# on a throwaway database. Prints how many succeeded, how many Terraform steps
# were retried after "too many clients", and the most connections the server
# held (all databases, sampled), next to its max_connections.
# Usage: bench/load.sh [environments, default 20] [golden paths, default 10]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_ensure_postgres
bench_start_backend "${PAVED_BENCH_PORT:-7097}" "paved:
  environments:
    dataDir: @WORK@/environments
    targets:
      postgres: { host: $POSTGRES_HOST, port: $POSTGRES_PORT, adminUser: $POSTGRES_USER }"
bench_wait_for /api/catalog/entities/by-name/user/default/guest 'group:default/platform'
bench_wait_for /api/catalog/entities/by-name/component/default/payments-api-service
PAVED_BENCH_PG_URL="$PAVED_PG_URL" PAVED_BENCH_LOG="$bench_work/backend.log" \
  node bench/load.mjs "$bench_url" "${1:-20}" "${2:-10}"
