#!/usr/bin/env bash
# Runs Paved's whole test suite: type-check, lint, unit and backend tests
# (SQLite and PostgreSQL), the platform's Terraform modules against the local
# services, the frontend build, and browser tests in Debian's Chromium
# against the built app served by a real backend on PostgreSQL.
# .ci/run calls exactly this. Prints one line per stage with its duration.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$PAVED_ROOT"

# Jest and Playwright run once, without watch mode or prompts.
export CI="${CI:-true}"

started=$SECONDS
stage() {
  local name="$1" t0=$SECONDS
  shift
  printf '\n==> %s\n' "$name"
  if "$@"; then
    printf '<== %s: ok in %ss\n' "$name" $((SECONDS - t0))
  else
    printf '<== %s: FAILED after %ss\n' "$name" $((SECONDS - t0))
    exit 1
  fi
}

trap 'paved_stop_postgres' EXIT
trap 'exit 143' INT TERM

stage "install" paved_install
stage "type-check" yarn tsc
stage "lint" yarn lint
stage "format" yarn prettier --check --loglevel warn .
stage "postgres" paved_ensure_postgres
# TechDocs builds with Debian's mkdocs in the backend tests too.
stage "docs tools (mkdocs)" paved_ensure_docs_tools
export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="$PAVED_PG_URL"
export PAVED_REQUIRE_POSTGRES=1
# Tests clean up after themselves: no temporary folder of theirs may remain.
tmp_root="${TMPDIR:-/tmp}"
leftovers() { find "$tmp_root" -maxdepth 1 -name 'paved-*' -newer "$1" 2>/dev/null; }
unit_tests() {
  local mark
  mark="$(mktemp)"
  yarn backstage-cli repo test --ci || { rm -f "$mark"; return 1; }
  local left
  left="$(leftovers "$mark")"
  rm -f "$mark"
  [ -z "$left" ] || { printf 'tests left temporary folders behind:\n%s\n' "$left"; return 1; }
}
stage "unit and backend tests (SQLite and PostgreSQL, crash tests)" unit_tests
stage "terraform modules (local PostgreSQL, MariaDB, Redis, RabbitMQ)" "$PAVED_ROOT/scripts/terraform-test.sh"
stage "build frontend" paved_build_app
stage "browser tests (Chromium, backend on PostgreSQL)" "$PAVED_ROOT/scripts/e2e.sh"
stage "production start (shipped config, OpenID Connect sign-in, two teams)" "$PAVED_ROOT/scripts/e2e-production.sh"

printf '\nall stages passed in %ss\n' $((SECONDS - started))
