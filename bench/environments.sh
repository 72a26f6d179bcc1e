#!/usr/bin/env bash
# Measures the environments plugin against a backend of this checkout on a
# throwaway PostgreSQL database: the portal's overhead over raw Terraform on
# the same module, list latency with 1,000 environments and 10,000 runs, and
# a TTL sweep of 100 expired environments. Real Terraform, real servers.
# Usage: bench/environments.sh [overhead runs, default 5] [sweep size, default 100]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$PAVED_ROOT"
paved_install
command -v terraform >/dev/null || { echo "terraform must be on PATH"; exit 1; }

paved_ensure_postgres
port="${PAVED_BENCH_PORT:-7099}"
work="$(mktemp -d /tmp/paved-bench-env.XXXXXX)"
db="paved_bench_env_$$"
export POSTGRES_DB="$db"
cat >"$work/app-config.bench.yaml" <<YAML
app: { baseUrl: "http://localhost:$port" }
backend:
  baseUrl: http://localhost:$port
  listen: { port: $port }
  cors: { origin: "http://localhost:$port" }
  workingDirectory: $work/work
gitHost: { root: $work/git }
paved:
  environments:
    dataDir: $work/environments
    lifecycle: { sweepFrequency: { seconds: 5 } }
    targets:
      postgres: { host: $POSTGRES_HOST, port: $POSTGRES_PORT, adminUser: $POSTGRES_USER }
YAML
mkdir -p "$work/work"
(NODE_ENV=development paved_exec_backend "$PAVED_ROOT/app-config.yaml" \
  "$PAVED_ROOT/app-config.postgres.yaml" "$work/app-config.bench.yaml") \
  >"$work/backend.log" 2>&1 &
backend=$!
cleanup() {
  kill -TERM "$backend" 2>/dev/null || true
  wait "$backend" 2>/dev/null || true
  psql "$PAVED_PG_URL/postgres" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  paved_stop_postgres || true
  cp "$work/backend.log" /tmp/paved-bench-environments-backend.log 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM
until curl -sf "http://localhost:$port/.backstage/health/v1/readiness" >/dev/null; do
  kill -0 "$backend" 2>/dev/null || { echo "backend exited; see $work/backend.log"; exit 1; }
  sleep 0.5
done
# The guest's groups come from the catalog at sign-in: wait for the seed org.
until curl -sf "http://localhost:$port/api/catalog/entities/by-name/user/default/guest" \
  -H "Authorization: Bearer $(curl -sf -X POST "http://localhost:$port/api/auth/guest/refresh" \
    -H 'Content-Type: application/json' -d '{}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')" |
  grep -q 'group:default/platform'; do
  sleep 0.5
done
until curl -sf "http://localhost:$port/api/catalog/entities/by-name/component/default/payments-api-service" \
  -H "Authorization: Bearer $(curl -sf -X POST "http://localhost:$port/api/auth/guest/refresh" \
    -H 'Content-Type: application/json' -d '{}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')" >/dev/null; do
  sleep 0.5
done
PAVED_BENCH_DB_URL="$PAVED_PG_URL/$db" PAVED_BENCH_WORK="$work" \
  node bench/environments.mjs "http://localhost:$port" "${1:-5}" "${2:-100}"
