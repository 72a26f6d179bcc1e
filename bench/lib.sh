# Shared by the bench scripts: a backend of this checkout on its own port, on
# a throwaway PostgreSQL database, with throwaway git repositories and work
# folders. Source it after scripts/lib.sh.

# bench_start_backend PORT [EXTRA_YAML]: starts the backend, waits until it
# is healthy, and removes everything again when the script exits. @WORK@ in
# EXTRA_YAML stands for the temporary folder. Sets
# bench_work (the temporary folder) and bench_url; exports POSTGRES_DB.
bench_start_backend() {
  local port="$1" extra="${2:-}"
  [ -n "${PAVED_PG_URL:-}" ] || paved_ensure_postgres
  bench_work="$(mktemp -d /tmp/paved-bench.XXXXXX)"
  bench_url="http://localhost:$port"
  bench_db="paved_bench_$$"
  export POSTGRES_DB="$bench_db"
  cat >"$bench_work/app-config.bench.yaml" <<YAML
app: { baseUrl: "$bench_url" }
backend:
  baseUrl: $bench_url
  listen: { port: $port }
  cors: { origin: "$bench_url" }
  workingDirectory: $bench_work/work
gitHost:
  root: $bench_work/git
  pipelines: { workDir: $bench_work/pipelines, npmCache: $bench_work/npm-cache }
integrations:
  gitea:
    - host: localhost:$port
      baseUrl: $bench_url/api/git-host
      username: gitea-integration
      password: local-portal-git-integration
${extra//@WORK@/$bench_work}
YAML
  mkdir -p "$bench_work/work"
  (NODE_ENV=development paved_exec_backend "$PAVED_ROOT/app-config.yaml" \
    "$PAVED_ROOT/app-config.postgres.yaml" "$bench_work/app-config.bench.yaml") \
    >"$bench_work/backend.log" 2>&1 &
  bench_backend=$!
  trap bench_cleanup EXIT
  trap 'exit 143' INT TERM
  until curl -sf "$bench_url/.backstage/health/v1/readiness" >/dev/null; do
    kill -0 "$bench_backend" 2>/dev/null || { echo "backend exited; see $bench_work/backend.log"; exit 1; }
    sleep 0.5
  done
}

bench_cleanup() {
  kill -TERM "$bench_backend" 2>/dev/null || true
  wait "$bench_backend" 2>/dev/null || true
  psql "$PAVED_PG_URL/postgres" -qc "drop database if exists $bench_db with (force)" >/dev/null 2>&1 || true
  paved_stop_postgres || true
  # Kept for a look after a failed run.
  cp "$bench_work/backend.log" /tmp/paved-bench-backend.log 2>/dev/null || true
  rm -rf "$bench_work"
}

# bench_wait_for PATH [PATTERN]: waits until GET PATH (as the guest) answers,
# and its body matches PATTERN when one is given.
bench_wait_for() {
  local path="$1" pattern="${2:-}" token
  for _ in $(seq 1 240); do
    token="$(curl -sf -X POST "$bench_url/api/auth/guest/refresh" \
      -H 'Content-Type: application/json' -d '{}' |
      node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token')" || true
    if body="$(curl -sf "$bench_url$path" -H "Authorization: Bearer $token")" &&
      { [ -z "$pattern" ] || grep -q "$pattern" <<<"$body"; }; then
      return 0
    fi
    sleep 0.5
  done
  echo "timed out waiting for $path"
  return 1
}

# bench_restart_backend [EXTRA_YAML]: stops the backend (SIGTERM) and starts
# it again on the same database and folders, with EXTRA_YAML on top (e.g.
# another guest user), and waits until it is healthy.
bench_restart_backend() {
  local extra="${1:-}"
  kill -TERM "$bench_backend" 2>/dev/null || true
  wait "$bench_backend" 2>/dev/null || true
  printf '%s\n' "${extra//@WORK@/$bench_work}" >"$bench_work/app-config.restart.yaml"
  (NODE_ENV=development paved_exec_backend "$PAVED_ROOT/app-config.yaml" \
    "$PAVED_ROOT/app-config.postgres.yaml" "$bench_work/app-config.bench.yaml" \
    "$bench_work/app-config.restart.yaml") >>"$bench_work/backend.log" 2>&1 &
  bench_backend=$!
  until curl -sf "$bench_url/.backstage/health/v1/readiness" >/dev/null; do
    kill -0 "$bench_backend" 2>/dev/null || { echo "backend exited; see $bench_work/backend.log"; exit 1; }
    sleep 0.5
  done
}
