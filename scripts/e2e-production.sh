#!/usr/bin/env bash
# Production start: the backend with app-config.production.yaml as shipped
# (NODE_ENV=production, a database per plugin on PostgreSQL, OpenID Connect
# sign-in, no guest), against a real OpenID Connect provider on loopback
# (packages/app/e2e-tests/production/idp.mjs). Playwright signs people in
# through the browser and tests what two users of different teams may do.
# Expects PAVED_PG_URL (scripts/test.sh sets it) and a built frontend.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"

paved_ensure_chromium
paved_ensure_docs_tools
{ [ -n "${PAVED_PG_URL:-}" ] && [ -n "${POSTGRES_HOST:-}" ]; } || paved_ensure_postgres
trap 'paved_stop_postgres' EXIT
trap 'exit 143' INT TERM

port="${PAVED_E2E_PRODUCTION_PORT:-7078}"
idp_port="${PAVED_E2E_IDP_PORT:-7079}"
for p in "$port" "$idp_port"; do
  if curl -s -o /dev/null "http://localhost:$p"; then
    echo "something already answers on port $p; stop it or set PAVED_E2E_PRODUCTION_PORT / PAVED_E2E_IDP_PORT"
    exit 1
  fi
done
out="$PAVED_ROOT/test-results/production"
rm -rf "$out"
mkdir -p "$out/git" "$out/environments" "$out/work"
# Each plugin gets its own database, as in production; the prefix keeps this
# run's apart so they can be dropped afterwards.
prefix="paved_e2e_prod_$$_"

export PAVED_BASE_URL="http://localhost:$port"
export PAVED_HOST="localhost:$port"
export PAVED_GIT_INTEGRATION_TOKEN="e2e-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export PAVED_E2E_URL="$PAVED_BASE_URL"
export PAVED_E2E_IDP_URL="http://localhost:$idp_port"
export PAVED_GIT_ROOT="$out/git"
export PAVED_ENVIRONMENTS_DIR="$out/environments"
export PAVED_ENVIRONMENTS_KEY="e2e-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export AUTH_SESSION_SECRET="e2e-$(head -c 32 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export AUTH_OIDC_METADATA_URL="$PAVED_E2E_IDP_URL/.well-known/openid-configuration"
export AUTH_OIDC_CLIENT_ID=paved
export AUTH_OIDC_CLIENT_SECRET="e2e-$(head -c 16 /dev/urandom | base64 | tr -dc a-zA-Z0-9)"
export AUTH_OIDC_TITLE="Paved test SSO"
export POSTGRES_PASSWORD="${POSTGRES_PASSWORD:-}"

# Only what a test run must not take from the shipped file: its port, its
# databases' prefix, where the scaffolder works, a short processing interval.
cat >"$out/app-config.e2e.yaml" <<YAML
backend:
  listen: { port: $port }
  workingDirectory: $out/work
  database: { prefix: $prefix }
catalog: { processingInterval: { seconds: 5 } }
paved:
  environments:
    targets:
      postgres:
        port: ${POSTGRES_PORT:-5432}
YAML

node packages/app/e2e-tests/production/idp.mjs "$idp_port" "$PAVED_BASE_URL" \
  "$AUTH_OIDC_CLIENT_SECRET" >"$out/idp.log" 2>&1 &
idp=$!
for _ in $(seq 1 60); do
  curl -sf "$AUTH_OIDC_METADATA_URL" >/dev/null && break
  sleep 0.5
done

log="$out/backend.log"
drop_dbs() {
  psql "$PAVED_PG_URL/postgres" -Atc "select datname from pg_database where datname like '${prefix}%'" 2>/dev/null |
    while read -r db; do
      psql "$PAVED_PG_URL/postgres" -qc "drop database if exists \"$db\" with (force)" >/dev/null 2>&1 || true
    done
}
NODE_ENV=production paved_exec_backend "$PAVED_ROOT/app-config.yaml" \
  "$PAVED_ROOT/app-config.production.yaml" "$out/app-config.e2e.yaml" >"$log" 2>&1 &
backend=$!
cleanup() {
  kill -TERM "$backend" "$idp" 2>/dev/null || true
  wait "$backend" "$idp" 2>/dev/null || true
  drop_dbs
  paved_stop_postgres
}
trap cleanup EXIT
trap 'exit 143' INT TERM

started=$SECONDS
until curl -sf "$PAVED_BASE_URL/.backstage/health/v1/readiness" >/dev/null; do
  kill -0 "$backend" 2>/dev/null || { echo "backend exited during start; see $log"; tail -n 20 "$log"; exit 1; }
  if grep -q "Backend startup failed" "$log"; then
    grep -A3 "Backend startup failed" "$log" | head -n 4
    exit 1
  fi
  [ $((SECONDS - started)) -lt 600 ] || { echo "backend never became ready; see $log"; exit 1; }
  sleep 1
done
echo "production backend ready in $((SECONDS - started))s"

status=0
yarn playwright test --config playwright.production.config.ts "$@" || status=$?

kill -TERM "$backend"
for _ in $(seq 1 30); do kill -0 "$backend" 2>/dev/null || break; sleep 1; done
if kill -0 "$backend" 2>/dev/null; then
  echo "backend did not stop within 30s of SIGTERM"
  status=1
fi
[ $status = 0 ] || echo "backend log: $log"
exit $status
