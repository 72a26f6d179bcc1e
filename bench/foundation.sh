#!/usr/bin/env bash
# Measures the foundation baselines on a fresh clone of this repository:
#   - cold install (empty Yarn cache) and warm install (cache filled),
#   - time from start to a healthy backend, and its RSS once healthy,
#   - the JavaScript a first page load fetches (gzip),
#   - side by side with a stock Backstage app (bench/idle.sh): start, idle
#     CPU and RSS on 10,000 generated entities, with the ratios.
# Prints the figures; record them in docs/performance.md.
# Usage: bench/foundation.sh [--warm-only]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"

work="$(mktemp -d /tmp/paved-bench.XXXXXX)"
port="${PAVED_BENCH_PORT:-7099}"
backend=""
cleanup() {
  if [ -n "$backend" ]; then
    kill -TERM "$backend" 2>/dev/null || true
    wait "$backend" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

git clone -q "$PAVED_ROOT" "$work/paved"
cd "$work/paved"
# Reuse this checkout's Node instead of fetching it again.
[ -d "$PAVED_ROOT/.toolchain" ] && cp -r "$PAVED_ROOT/.toolchain" .

secs() { echo "scale=1; ($(date +%s%N) - $1) / 1000000000" | bc; }

if [ "${1:-}" != --warm-only ]; then
  t0=$(date +%s%N)
  YARN_CACHE_FOLDER="$work/cache" YARN_ENABLE_GLOBAL_CACHE=false \
    yarn install --immutable >"$work/install-cold.log" 2>&1
  echo "install, cold (empty Yarn cache): $(secs "$t0") s"
  rm -rf node_modules
fi
t0=$(date +%s%N)
yarn install --immutable >"$work/install-warm.log" 2>&1
echo "install, warm (Yarn cache filled): $(secs "$t0") s"
echo "node_modules: $(du -sh node_modules | cut -f1), $(find node_modules -name package.json -path '*/node_modules/*/package.json' -not -path '*/node_modules/*/node_modules/*' | wc -l) top-level packages"

t0=$(date +%s%N)
yarn workspace app build >"$work/build.log" 2>&1
echo "frontend build: $(secs "$t0") s"

cat >app-config.local.yaml <<YAML
app: { baseUrl: "http://localhost:$port" }
backend:
  baseUrl: http://localhost:$port
  listen: { port: $port }
  cors: { origin: "http://localhost:$port" }
YAML
t0=$(date +%s%N)
(NODE_ENV=development paved_exec_backend "$PWD/app-config.yaml" "$PWD/app-config.local.yaml") \
  >"$work/backend.log" 2>&1 &
backend=$!
until curl -sf "http://localhost:$port/.backstage/health/v1/readiness" >/dev/null; do
  kill -0 "$backend" 2>/dev/null || { echo "backend exited; see $work/backend.log"; exit 1; }
  sleep 0.2
done
echo "start to healthy (readiness ok): $(secs "$t0") s"
sleep 5
echo "backend RSS once healthy (+5 s): $(awk '/VmRSS/ { printf "%.0f MiB", $2 / 1024 }' /proc/$backend/status)"

node "$PAVED_ROOT/bench/initial-js.mjs" "http://localhost:$port"

# Side by side with a stock Backstage app on the same PostgreSQL and the same
# generated catalog: start, idle CPU and RSS, with Paved's ratios.
kill -TERM "$backend" 2>/dev/null || true
wait "$backend" 2>/dev/null || true
backend=""
"$PAVED_ROOT/bench/idle.sh" "${PAVED_BENCH_ENTITIES:-10000}"
