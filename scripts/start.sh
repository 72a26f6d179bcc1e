#!/usr/bin/env bash
# Starts Paved on http://localhost:7007: installs what is missing, builds the
# frontend when its sources changed, and runs the backend, which serves the UI
# and the API together. Data lives in data/ (SQLite) and survives restarts.
#
# On PostgreSQL: set POSTGRES_HOST (and POSTGRES_PORT, POSTGRES_USER,
# POSTGRES_PASSWORD, POSTGRES_DB as needed). Extra config files given as
# arguments, and app-config.local.yaml when present, come last.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

configs=("$PAVED_ROOT/app-config.yaml")
[ -n "${POSTGRES_HOST:-}" ] && configs+=("$PAVED_ROOT/app-config.postgres.yaml")
for extra in "$@"; do configs+=("$(realpath "$extra")"); done
[ -f "$PAVED_ROOT/app-config.local.yaml" ] && configs+=("$PAVED_ROOT/app-config.local.yaml")

paved_install
paved_ensure_docs_tools
paved_build_app

paved_log "starting the backend on http://localhost:7007 (Ctrl-C to stop)"
# Local runs are development runs: Backstage only allows guest sign-in there.
export NODE_ENV="${NODE_ENV:-development}"
paved_exec_backend "${configs[@]}"
