#!/usr/bin/env bash
# Times the golden paths against a backend of this checkout, started on its
# own port on a throwaway PostgreSQL database (millisecond timestamps for
# the per-step figures) with throwaway git repositories and workspaces.
# Usage: bench/golden-paths.sh [runs per template, default 3]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_build_app

paved_ensure_postgres
port="${PAVED_BENCH_PORT:-7098}"
work="$(mktemp -d /tmp/paved-bench.XXXXXX)"
db="paved_bench_$$"
export POSTGRES_DB="$db"
cat >"$work/app-config.bench.yaml" <<YAML
app: { baseUrl: "http://localhost:$port" }
backend:
  baseUrl: http://localhost:$port
  listen: { port: $port }
  cors: { origin: "http://localhost:$port" }
  workingDirectory: $work/work
gitHost: { root: $work/git }
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
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM
until curl -sf "http://localhost:$port/.backstage/health/v1/readiness" >/dev/null; do
  kill -0 "$backend" 2>/dev/null || { echo "backend exited; see $work/backend.log"; exit 1; }
  sleep 0.5
done
# The templates must be in the catalog before they can run.
until curl -sf "http://localhost:$port/api/catalog/entity-facets?facet=kind" \
  -H "Authorization: Bearer $(curl -sf -X POST "http://localhost:$port/api/auth/guest/refresh" \
    -H 'Content-Type: application/json' -d '{}' | node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')" |
  grep -q '"Template"'; do
  sleep 0.5
done
node bench/golden-paths.mjs "http://localhost:$port" "${1:-3}"
