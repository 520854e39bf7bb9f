#!/usr/bin/env bash
# Installs what the scale test and the bench's load-balancer figures need: HAProxy from Debian's
# packages (as test/e2e/setup.sh installs chromium). Does nothing when haproxy is already there.
set -euo pipefail
if command -v haproxy >/dev/null 2>&1; then exit 0; fi
echo "scale setup: installing haproxy from Debian"
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq haproxy >/dev/null
# The package starts a system service on Debian; the tests run their own instance only.
if command -v systemctl >/dev/null 2>&1; then $SUDO systemctl disable --now haproxy >/dev/null 2>&1 || true; fi
haproxy -v | head -1
