#!/usr/bin/env bash
# The MCP conformance suite (@modelcontextprotocol/conformance, pinned below) against our
# Streamable HTTP server, every scenario (--suite all). Scenarios that need the suite's own
# fixture tools, prompts and resources are listed with their reason in
# .ci/conformance-expected-failures.yml; any other failure, or a listed scenario that now
# passes, fails the run. The suite needs Node >= 22: it runs on the cached Node 24.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFORMANCE_VERSION=0.1.16
CACHE="${RUNFRAME_E2E_CACHE:-$PWD/.e2e/cache}"
NODE24="$(bash scripts/node24.sh)"
SUITE="$CACHE/conformance-$CONFORMANCE_VERSION"
if [ ! -f "$SUITE/node_modules/@modelcontextprotocol/conformance/dist/index.js" ]; then
  mkdir -p "$SUITE"
  (cd "$SUITE" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent "@modelcontextprotocol/conformance@$CONFORMANCE_VERSION")
fi
[ -f dist/server.js ] || npm run build --silent
exec npx tsx scripts/conformance.ts "$NODE24" "$SUITE/node_modules/@modelcontextprotocol/conformance/dist/index.js" .ci/conformance-expected-failures.yml
