#!/usr/bin/env bash
# Measures the git host against a backend of this checkout on a throwaway
# PostgreSQL database: clone and push of a 1,000-file repository through the
# portal against git over the filesystem, readTree of that repository through
# Backstage's own Gitea URL reader, and the diff of a change request of 200
# changed files. Real git, real backend; medians of several runs.
# Usage: bench/git-host.sh [runs, default 5]
set -euo pipefail
source "$(dirname "$0")/../scripts/lib.sh"
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"
paved_install

paved_ensure_postgres
bench_start_backend "${PAVED_BENCH_PORT:-7098}"
# The guest's groups (platform) come from the catalog at sign-in.
bench_wait_for /api/catalog/entities/by-name/user/default/guest 'group:default/platform'
PAVED_BENCH_WORK="$bench_work" node bench/git-host.mjs "$bench_url" "${1:-5}"
