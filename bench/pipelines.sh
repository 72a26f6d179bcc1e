#!/usr/bin/env bash
# Measures pipelines and deployment reports against a backend of this
# checkout on a throwaway PostgreSQL database: the portal's pipeline time
# for a three-stage .gitlab-ci.yml against gitlab-ci-local run by hand on
# the same checkout, push-to-first-job latency (p50, p95), and deployment
# reports ingested per second with idempotency (new reports, then the same
# reports re-sent). Real git, real gitlab-ci-local, real PostgreSQL.
# Usage: bench/pipelines.sh [pipeline runs, default 10] [reports, default 2000]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install

paved_ensure_postgres
bench_start_backend "${PAVED_BENCH_PORT:-7097}" "paved:
  deployments:
    environments: [dev, staging, production]"
bench_wait_for /api/catalog/entities/by-name/user/default/guest 'group:default/platform'
PAVED_BENCH_WORK="$bench_work" node bench/pipelines.mjs "$bench_url" "${1:-10}" "${2:-2000}"
