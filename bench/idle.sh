#!/usr/bin/env bash
# Paved against a stock Backstage app (@backstage/create-app, the same
# Backstage release), side by side on the same PostgreSQL with the same
# generated catalog: time from start to ready, CPU used while idle after the
# catalog has ingested everything, and memory. Both backends run the same
# way (node with Backstage's source transform, NODE_ENV=development, guest
# sign-in), one at a time. Prints the figures and Paved's ratios; record
# them in docs/performance.md.
# Usage: bench/idle.sh [entities, default 10000] [idle seconds, default 120]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_ensure_docs_tools
paved_ensure_postgres

entities="${1:-10000}"
idle="${2:-120}"
port="${PAVED_BENCH_PORT:-7096}"
url="http://localhost:$port"
create_app_version=0.9.2
# The stock app is made once and kept (git-ignored) for later runs.
stock="$PAVED_ROOT/.toolchain/stock-app-$create_app_version"
work="$(mktemp -d /tmp/paved-bench-idle.XXXXXX)"
backend=""
cleanup() {
  [ -n "$backend" ] && { kill -TERM "$backend" 2>/dev/null || true; wait "$backend" 2>/dev/null || true; }
  for db in paved_idle_$$ stock_idle_$$; do
    psql "$PAVED_PG_URL/postgres" -qc "drop database if exists $db with (force)" >/dev/null 2>&1 || true
  done
  paved_stop_postgres || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 143' INT TERM

if [ ! -f "$stock/.paved-ready" ]; then
  paved_log "creating a stock Backstage app with @backstage/create-app@$create_app_version (once)"
  rm -rf "$stock"
  (cd "$(dirname "$stock")" && BACKSTAGE_APP_NAME=stock-app PATH="$PAVED_ROOT/.toolchain/bin:$PATH" \
    npx --yes "@backstage/create-app@$create_app_version" --path "$stock" --skip-install </dev/null \
    >"$work/create-app.log" 2>&1) || { tail -n 20 "$work/create-app.log"; exit 1; }
  # The registry here lags for the newest platform binaries, and one
  # @yarnpkg/core release has a broken patch (see ../shared/TOOLCHAIN.md).
  sed -i 's/^npmMinimalAgeGate:.*/npmMinimalAgeGate: 45d/' "$stock/.yarnrc.yml"
  # Seeded with Paved's lockfile, so both run the same package versions.
  cp "$PAVED_ROOT/yarn.lock" "$stock/yarn.lock"
  node -e '
    const fs = require("fs"); const f = process.argv[1];
    const p = JSON.parse(fs.readFileSync(f, "utf8"));
    p.resolutions = { ...p.resolutions, "@yarnpkg/core": "4.9.1" };
    fs.writeFileSync(f, JSON.stringify(p, null, 2) + "\n");' "$stock/package.json"
  (cd "$stock" && yarn install >"$work/stock-install.log" 2>&1) ||
    { tail -n 20 "$work/stock-install.log"; exit 1; }
  touch "$stock/.paved-ready"
fi

# The same generated catalog for both: components owned by a few groups.
node -e '
  const n = Number(process.argv[1]); const out = [];
  for (let i = 0; i < 10; i++) out.push(`apiVersion: backstage.io/v1alpha1\nkind: Group\nmetadata: { name: bench-team-${i} }\nspec: { type: team, children: [] }`);
  for (let i = 0; i < n; i++) out.push(`apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: bench-component-${i}\n  description: Generated component ${i} of the idle bench\nspec: { type: service, lifecycle: production, owner: bench-team-${i % 10} }`);
  process.stdout.write(out.join("\n---\n") + "\n");' "$entities" >"$work/entities.yaml"

# bench_run NAME DIR DB CONFIG...: starts a backend, waits for the catalog,
# idles, and prints "NAME start_s idle_cpu_s rss_mib".
bench_run() {
  local name="$1" dir="$2" db="$3"
  shift 3
  local args=() t0 token count
  for config in "$@"; do args+=(--config "$config"); done
  cat >"$work/$name.yaml" <<YAML
app: { baseUrl: "$url" }
backend:
  baseUrl: $url
  listen: { port: $port }
  cors: { origin: "$url" }
  workingDirectory: $work
  database:
    client: pg
    pluginDivisionMode: schema
    connection:
      host: $POSTGRES_HOST
      port: $POSTGRES_PORT
      user: $POSTGRES_USER
      database: $db
catalog:
  locations:
    - { type: file, target: $work/entities.yaml, rules: [{ allow: [Group, Component] }] }
YAML
  args+=(--config "$work/$name.yaml")
  psql "$PAVED_PG_URL/postgres" -qc "create database $db" >/dev/null
  t0=$(date +%s%N)
  (cd "$dir/packages/backend" && NODE_ENV=development exec node \
    --require @backstage/cli-node/config/nodeTransform.cjs src/index.ts "${args[@]}") \
    >"$work/$name.log" 2>&1 &
  backend=$!
  until curl -sf "$url/.backstage/health/v1/readiness" >/dev/null; do
    kill -0 "$backend" 2>/dev/null || { echo "$name exited; its log:"; tail -n 30 "$work/$name.log"; exit 1; }
    sleep 0.2
  done
  local start_s
  start_s=$(echo "scale=1; ($(date +%s%N) - $t0) / 1000000000" | bc)
  # Ingest: wait until the catalog holds every generated component.
  for _ in $(seq 1 1800); do
    token=$(curl -sf -X POST "$url/api/auth/guest/refresh" -H 'Content-Type: application/json' -d '{}' |
      node -pe 'JSON.parse(require("fs").readFileSync(0)).backstageIdentity.token' 2>/dev/null) || token=""
    count=$(curl -sf "$url/api/catalog/entity-facets?facet=kind" -H "Authorization: Bearer $token" |
      node -pe 'const f = JSON.parse(require("fs").readFileSync(0)).facets.kind; (f.find(k => k.value.toLowerCase() === "component") || {count: 0}).count' 2>/dev/null) || count=0
    [ "$count" -ge "$entities" ] && break
    sleep 1
  done
  # CPU of the backend process (user + system), before and after idling.
  local hz ticks0 ticks1 rss
  hz=$(getconf CLK_TCK)
  ticks0=$(awk '{ print $14 + $15 }' "/proc/$backend/stat")
  sleep "$idle"
  ticks1=$(awk '{ print $14 + $15 }' "/proc/$backend/stat")
  rss=$(awk '/VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$backend/status")
  kill -TERM "$backend"
  wait "$backend" 2>/dev/null || true
  backend=""
  echo "$name $start_s $(echo "scale=1; ($ticks1 - $ticks0) / $hz" | bc) $rss"
}

stock_line=$(bench_run stock "$stock" "stock_idle_$$" "$stock/app-config.yaml")
paved_line=$(bench_run paved "$PAVED_ROOT" "paved_idle_$$" "$PAVED_ROOT/app-config.yaml" "$PAVED_ROOT/app-config.postgres.yaml")

read -r _ s_start s_cpu s_rss <<<"$stock_line"
read -r _ p_start p_cpu p_rss <<<"$paved_line"
ratio() { echo "scale=2; $1 / $2" | bc; }
printf '%s entities, %s s idle after ingest\n' "$entities" "$idle"
printf '%-28s %10s %10s %8s\n' "" "stock app" "Paved" "ratio"
printf '%-28s %9ss %9ss %7sx\n' "start to ready" "$s_start" "$p_start" "$(ratio "$p_start" "$s_start")"
printf '%-28s %9ss %9ss %7sx\n' "CPU while idle (user+sys)" "$s_cpu" "$p_cpu" "$(ratio "$p_cpu" "$s_cpu")"
printf '%-28s %7sMiB %7sMiB %7sx\n' "RSS after idling" "$s_rss" "$p_rss" "$(ratio "$p_rss" "$s_rss")"
