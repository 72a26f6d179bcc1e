#!/usr/bin/env bash
# Measures the DORA figures on a generated history in PostgreSQL: SERVICES
# components owned by TEAMS teams (in departments of ten), each with
# DEPLOYMENTS production deployments over a year (three commits each, one
# in ten failed) and INCIDENTS incidents. Prints p95 times for one
# service's figures, one team's, one department's and the organization by
# team (the insights page), through the real backend and catalog.
# Usage: bench/delivery.sh [scale, default 1: 1,000 services, 100 teams,
#        100,000 deployments, 5,000 incidents; 10 = ten times the history]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install

scale="${1:-1}"
paved_ensure_postgres
catalog_file="$(mktemp /tmp/paved-bench-catalog.XXXXXX.yaml)"
node bench/delivery.mjs catalog 1000 100 >"$catalog_file"
# The app's own catalog locations (its seed organization and golden paths),
# and the generated teams and services.
locations="$(node -e '
  const yaml = require(require.resolve("yaml", { paths: ["packages/backend"] }));
  const path = require("node:path");
  const config = yaml.parse(require("fs").readFileSync("app-config.yaml", "utf8"));
  const own = config.catalog.locations.map(l => ({
    ...l, target: path.resolve("packages/backend", l.target) }));
  own.push({ type: "file", target: process.argv[1],
    rules: [{ allow: ["Component", "Group"] }] });
  console.log(JSON.stringify(own));
' "$catalog_file")"
bench_start_backend "${PAVED_BENCH_PORT:-7098}" "catalog:
  locations: $locations"
trap 'bench_cleanup; rm -f "$catalog_file"' EXIT
bench_wait_for /api/catalog/entities/by-name/group/default/team-100
bench_wait_for /api/catalog/entities/by-name/component/default/svc-1000
node bench/delivery.mjs measure "$bench_url" "$POSTGRES_DB" "$scale"
