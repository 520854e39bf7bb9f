#!/usr/bin/env bash
# npm run test:e2e: install what the suite needs (cached under .e2e/), build the .vsix, run the
# scenarios in code-server + Chromium. Screenshots land in .e2e/screenshots. The suite stops
# every process it started (code-server runs in its own process group).
set -euo pipefail
cd "$(dirname "$0")/../.."
started=$(date +%s)
bash test/e2e/setup.sh
rm -rf .e2e/screenshots .e2e/runs
npm run package --silent
# A test-only extension whose one command calls a tool through VS Code's tool registry
# (vscode.lm.invokeTool), as an agent would: scenario 21.1 drives the elicitation form with it.
mkdir -p .e2e
(cd test/e2e/fixtures/tool-invoker && ../../../../node_modules/.bin/vsce package --no-dependencies --allow-missing-repository --skip-license -o ../../../../.e2e/tool-invoker.vsix >/dev/null)
npx mocha --no-config --require tsx/cjs --timeout 180000 --reporter spec 'test/e2e/*.test.ts'
echo "e2e wall time: $(( $(date +%s) - started )) s"
