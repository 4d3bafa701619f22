#!/usr/bin/env bash
# Installs the Turso test server (tursodb, from the npm package turso@0.6.0) into a cache folder and prints the
# binary's path. The libSQL backend's tests start it on a fresh database file on a free loopback port.
# Usage: backend-libsql/scripts/install-tursodb.sh   (DROVER_TURSO_CACHE overrides the folder)
set -euo pipefail
version=0.6.0
cache="${DROVER_TURSO_CACHE:-$HOME/.cache/drover/turso-$version}"
bin="$cache/node_modules/@tursodatabase/cli-linux-x64-gnu/tursodb"
if [ ! -x "$bin" ]; then
  command -v npm >/dev/null || { echo "npm is not installed: cannot install turso@$version (the Turso test server)" >&2; exit 1; }
  mkdir -p "$cache"
  (cd "$cache" && npm install --no-audit --no-fund --loglevel=error "turso@$version" >&2)
fi
[ -x "$bin" ] || { echo "turso@$version installed, but $bin is missing (this script knows the linux-x64 build only)" >&2; exit 1; }
"$bin" --version >&2
echo "$bin"
