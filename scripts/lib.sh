# shellcheck shell=bash
# Shared by scripts/start.sh, scripts/test.sh and bench/: the toolchain,
# an install that is skipped when nothing changed, the app build, and a
# PostgreSQL server for the tests.

# shellcheck source=scripts/toolchain.sh
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"

# Playwright drives Debian's Chromium; it must never download a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

paved_log() { printf 'paved: %s\n' "$*" >&2; }

# Installs dependencies unless the lockfile and every package.json are as they
# were at the last successful install.
paved_install() {
  local stamp_file="$PAVED_ROOT/node_modules/.paved-install-stamp" stamp
  stamp="$(cd "$PAVED_ROOT" && cat yarn.lock .yarnrc.yml package.json packages/*/package.json \
    plugins/*/package.json 2>/dev/null | sha1sum | cut -d' ' -f1)-$(node --version)"
  if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$stamp" ]; then
    return 0
  fi
  paved_log "installing dependencies (yarn install, about 2-3 minutes on a cold cache)"
  # `|| return 1`: callers run this inside `if`, where set -e is off, and a
  # failed install must never be stamped as done.
  if [ "${CI:-}" = true ]; then
    (cd "$PAVED_ROOT" && yarn install --immutable) || return 1
  else
    (cd "$PAVED_ROOT" && yarn install) || return 1
  fi
  echo "$stamp" >"$stamp_file"
}

# Builds the frontend bundle into packages/app/dist unless no source of it
# changed since the last build.
paved_build_app() {
  local stamp_file="$PAVED_ROOT/packages/app/dist/.paved-build-stamp"
  if [ -f "$stamp_file" ] && [ -z "$(cd "$PAVED_ROOT" && find packages/app plugins \
    node_modules/.paved-install-stamp app-config.yaml \
    -path '*/node_modules' -prune -o -path '*/dist' -prune -o -path '*/dist-types' -prune -o \
    -type f -newer "$stamp_file" -print -quit 2>/dev/null)" ]; then
    return 0
  fi
  paved_log "building the frontend (packages/app)"
  (cd "$PAVED_ROOT" && yarn workspace app build) || return 1
  touch "$stamp_file"
}

paved_pg_bin() {
  if command -v initdb >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  else
    find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1
  fi
}

# Exports PAVED_PG_URL for a PostgreSQL server the tests may create databases
# in. Uses the one on 127.0.0.1:5432 when it answers; otherwise starts a
# throwaway cluster in a temporary folder and registers its removal on exit.
paved_ensure_postgres() {
  local host=127.0.0.1 port="${PAVED_PG_PORT:-5432}" user="${PAVED_PG_USER:-postgres}"
  local wanted="$host:$port"
  if pg_isready -q -h "$host" -p "$port" 2>/dev/null &&
    psql -h "$host" -p "$port" -U "$user" -d postgres -Atc 'select 1' >/dev/null 2>&1; then
    paved_export_pg "$user" "$host" "$port"
    return 0
  fi
  local bin dir run_as=()
  bin="$(paved_pg_bin)"
  [ -x "$bin/initdb" ] || { paved_log "no PostgreSQL answers and initdb is missing: apt-get install postgresql"; return 1; }
  dir="$(mktemp -d /tmp/paved-pg.XXXXXX)"
  port="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
  if [ "$(id -u)" = 0 ]; then
    # PostgreSQL refuses to run as root.
    chown postgres "$dir"
    run_as=(runuser -u postgres --)
  fi
  paved_log "no PostgreSQL on $wanted; starting a throwaway cluster on port $port in $dir"
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -A trust -U postgres >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    return 1
  }
  "${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=$host" start >/dev/null || {
    cat "$dir/server.log" >&2
    return 1
  }
  PAVED_PG_CLEANUP="${run_as[*]} $bin/pg_ctl -D $dir/data -m fast -w stop >/dev/null; rm -rf $dir"
  paved_export_pg postgres "$host" "$port"
}

# Sets PAVED_PG_URL and Backstage's POSTGRES_* settings for one server.
paved_export_pg() {
  export PAVED_PG_URL="postgresql://$1@$2:$3"
  export POSTGRES_USER="$1" POSTGRES_HOST="$2" POSTGRES_PORT="$3"
}

paved_stop_postgres() {
  if [ -n "${PAVED_PG_CLEANUP:-}" ]; then
    eval "$PAVED_PG_CLEANUP"
    PAVED_PG_CLEANUP=""
  fi
}

# paved_apt_install WHAT PACKAGE...: installs Debian packages WHAT needs
# (as root), or says which command would.
paved_apt_install() {
  local what="$1"
  shift
  if [ "$(id -u)" != 0 ]; then
    paved_log "$what needs Debian's packages: sudo apt-get install -y $*"
    return 1
  fi
  paved_log "installing Debian's $* for $what"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

# Debian's Chromium for the browser tests.
paved_ensure_chromium() {
  [ -x /usr/bin/chromium ] || paved_apt_install "the browser tests" chromium
}

# TechDocs builds docs with Debian's mkdocs and mkdocs-material (the Python
# registry, and so mkdocs-techdocs-core, is not reachable here).
paved_ensure_docs_tools() {
  { command -v mkdocs >/dev/null 2>&1 && [ -d /usr/share/mkdocs/themes/material ]; } ||
    paved_apt_install TechDocs mkdocs mkdocs-material
}

# The Python golden path's tests run on Debian's FastAPI, pytest and httpx
# (PyPI is not reachable here).
paved_ensure_python_deps() {
  /usr/bin/python3 -c 'import fastapi, httpx, pytest' 2>/dev/null ||
    paved_apt_install "the Python golden path" \
      python3-fastapi python3-pytest python3-httpx python3-uvicorn
}

# Runs the backend from source (Backstage's own swc transform, as
# `backstage-cli package start` does) with the given config files.
# Replaces the calling shell, so SIGTERM reaches the backend directly.
paved_exec_backend() {
  # The folders app-config.yaml points at (SQLite files, scaffolder work).
  mkdir -p "$PAVED_ROOT/data/sqlite" "$PAVED_ROOT/data/work"
  cd "$PAVED_ROOT/packages/backend" || return 1
  local args=()
  for config in "$@"; do args+=(--config "$config"); done
  exec node --enable-source-maps \
    --require @backstage/cli-node/config/nodeTransform.cjs \
    src/index.ts "${args[@]}"
}
