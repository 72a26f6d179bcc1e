#!/usr/bin/env bash
# Measures the environments plugin against a backend of this checkout on a
# throwaway PostgreSQL database: the portal's overhead over raw Terraform on
# the same modules, list latency with 1,000 environments and 10,000 runs, and
# a TTL sweep of 100 expired environments. Real Terraform, real servers.
# Usage: bench/environments.sh [overhead runs, default 5] [sweep size, default 100]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install
command -v terraform >/dev/null || { echo "terraform must be on PATH"; exit 1; }

paved_ensure_postgres
bench_start_backend "${PAVED_BENCH_PORT:-7099}" "paved:
  environments:
    dataDir: @WORK@/environments
    lifecycle: { sweepFrequency: { seconds: 5 } }
    targets:
      postgres: { host: $POSTGRES_HOST, port: $POSTGRES_PORT, adminUser: $POSTGRES_USER }"
# The guest's groups come from the catalog at sign-in, and the environments
# are for a seeded service: wait for both.
bench_wait_for /api/catalog/entities/by-name/user/default/guest 'group:default/platform'
bench_wait_for /api/catalog/entities/by-name/component/default/payments-api-service
PAVED_BENCH_DB_URL="$PAVED_PG_URL/$bench_db" PAVED_BENCH_WORK="$bench_work" \
  node bench/environments.mjs "$bench_url" "${1:-5}" "${2:-100}"
