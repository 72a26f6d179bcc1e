#!/usr/bin/env bash
# Measures guardrails against a backend of this checkout on a throwaway
# PostgreSQL database: how long 50 policy rules take over a 100-resource plan
# (a prod environment of 50 PostgreSQL building blocks, two resources each),
# and the time from an approval to the start of the approved plan's apply.
# The guest signs in as a platform member; the approver is another one
# (the backend restarts with another guest user, and the plan still waits).
# Usage: bench/guardrails.sh [plans to time, default 10]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_ensure_postgres

plans="${1:-10}"
count=50
fixtures="$(mktemp -d /tmp/paved-bench-guardrails.XXXXXX)"
trap 'rm -rf "$fixtures"' EXIT
for i in $(seq -w 1 "$count"); do
  cp -r terraform/modules/postgres-database "$fixtures/pg-$i"
  sed -i "s/^  name: postgres$/  name: pg$i/" "$fixtures/pg-$i/paved-module.yaml"
done
node bench/guardrails.mjs rules 50 >"$fixtures/policies.yaml"

bench_start_backend "${PAVED_BENCH_PORT:-7098}" "paved:
  environments:
    modulesDir: $fixtures
    dataDir: @WORK@/environments
    guardrails:
      policyFile: $fixtures/policies.yaml
      protected: { names: [prod, prod-small], approvals: 1, approverGroups: [group:default/platform] }"
trap 'bench_cleanup; rm -rf "$fixtures"' EXIT
state="$fixtures/state.json"
as_guest="auth: { providers: { guest: { userEntityRef: user:default/guest } } }"
as_priya="auth: { providers: { guest: { userEntityRef: user:default/priya-raman } } }"

# The seed service the environment is for, once the catalog has it.
bench_wait_for /api/catalog/entities/by-name/component/default/payments-api-service
node bench/guardrails.mjs plan "$bench_url" "$state" "$count" "$plans"
bench_restart_backend "$as_priya"
node bench/guardrails.mjs approve "$bench_url" "$state"
bench_restart_backend "$as_guest"
node bench/guardrails.mjs approve-destroy "$bench_url" "$state"
