#!/usr/bin/env bash
# Browser tests: starts the real backend (serving the built frontend) on a
# fresh PostgreSQL database, runs Playwright in Debian's Chromium against it,
# then stops the backend with SIGTERM and checks that it shut down cleanly.
# Expects PAVED_PG_URL (scripts/test.sh sets it) and a built frontend.
# Arguments go to Playwright, e.g. `scripts/e2e.sh createService`.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"

paved_ensure_chromium
paved_ensure_docs_tools
paved_ensure_python_deps
{ [ -n "${PAVED_PG_URL:-}" ] && [ -n "${POSTGRES_HOST:-}" ]; } || paved_ensure_postgres
trap 'paved_stop_postgres' EXIT
trap 'exit 143' INT TERM

port="${PAVED_E2E_PORT:-7077}"
db="paved_e2e_$$"
export POSTGRES_DB="$db"
export PAVED_E2E_URL="http://localhost:$port"
if curl -s -o /dev/null "$PAVED_E2E_URL"; then
  echo "something already answers on port $port (an earlier run's backend?); stop it or set PAVED_E2E_PORT"
  exit 1
fi
log_dir="$PAVED_ROOT/test-results"
mkdir -p "$log_dir"
log="$log_dir/e2e-backend.log"

cat >"$log_dir/app-config.e2e.yaml" <<YAML
app:
  baseUrl: $PAVED_E2E_URL
backend:
  baseUrl: $PAVED_E2E_URL
  listen: { port: $port }
  cors: { origin: $PAVED_E2E_URL }
  # Nothing of a test run lands in the developer's data/ folder.
  workingDirectory: $log_dir/e2e-work
gitHost:
  root: $log_dir/e2e-git
  # Golden paths' first pipelines run during the tests: one at a time.
  pipelines:
    concurrency: 1
    workDir: $log_dir/e2e-pipelines
    npmCache: $log_dir/e2e-npm-cache
integrations:
  gitea:
    - host: localhost:$port
      baseUrl: $PAVED_E2E_URL/api/git-host
      username: gitea-integration
      password: local-portal-git-integration
# Only a push-triggered refresh can update an entity within the tests.
catalog: { processingInterval: { minutes: 10 } }
paved:
  environments:
    dataDir: $log_dir/e2e-environments
    # The tests wait for the scheduler to sweep an expired environment.
    lifecycle: { sweepFrequency: { seconds: 5 } }
    targets:
      postgres:
        host: ${POSTGRES_HOST:-127.0.0.1}
        port: ${POSTGRES_PORT:-5432}
        adminUser: ${POSTGRES_USER:-postgres}
YAML
rm -rf "$log_dir/e2e-git" "$log_dir/e2e-work" "$log_dir/e2e-clones" "$log_dir/e2e-environments" "$log_dir/e2e-pipelines"
mkdir -p "$log_dir/e2e-work"

drop_db() { psql "$PAVED_PG_URL/postgres" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true; }

NODE_ENV=development paved_exec_backend "$PAVED_ROOT/app-config.yaml" \
  "$PAVED_ROOT/app-config.postgres.yaml" "$log_dir/app-config.e2e.yaml" \
  >"$log" 2>&1 &
backend=$!
cleanup() {
  kill -TERM "$backend" 2>/dev/null || true
  wait "$backend" 2>/dev/null || true
  drop_db
  paved_stop_postgres
}
trap cleanup EXIT
trap 'exit 143' INT TERM

for _ in $(seq 1 120); do
  curl -sf "$PAVED_E2E_URL/.backstage/health/v1/readiness" >/dev/null && break
  kill -0 "$backend" 2>/dev/null || { echo "backend exited during start; see $log"; exit 1; }
  if grep -q "Backend startup failed" "$log"; then
    grep -A2 "Backend startup failed" "$log" | head -n 3
    exit 1
  fi
  sleep 1
done
curl -sf "$PAVED_E2E_URL/.backstage/health/v1/readiness" >/dev/null ||
  { echo "backend never became healthy; see $log"; exit 1; }

status=0
yarn playwright test "$@" || status=$?

# SIGTERM must stop the backend cleanly and promptly.
kill -TERM "$backend"
for _ in $(seq 1 30); do kill -0 "$backend" 2>/dev/null || break; sleep 1; done
if kill -0 "$backend" 2>/dev/null; then
  echo "backend did not stop within 30s of SIGTERM"
  status=1
else
  code=0
  wait "$backend" || code=$?
  if [ $code = 0 ]; then
    echo "backend stopped cleanly on SIGTERM"
  else
    echo "backend exited with status $code on SIGTERM"
    status=1
  fi
fi
[ $status = 0 ] || echo "backend log: $log"
exit $status
