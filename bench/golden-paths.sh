#!/usr/bin/env bash
# Times the golden paths against a backend of this checkout, started on its
# own port on a throwaway PostgreSQL database (millisecond timestamps for
# the per-step figures) with throwaway git repositories and workspaces.
# Usage: bench/golden-paths.sh [runs per template, default 3]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install
paved_build_app

bench_start_backend "${PAVED_BENCH_PORT:-7098}"
# The templates must be in the catalog before they can run.
bench_wait_for "/api/catalog/entity-facets?facet=kind" '"Template"'
node bench/golden-paths.mjs "$bench_url" "${1:-3}"
