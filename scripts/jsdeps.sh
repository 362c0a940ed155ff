#!/usr/bin/env bash
# npm packages the tests need: axe-core (accessibility rules run inside Chromium by
# tests/test_web_browser.py). Installed into tests/browser/node_modules from the npm registry;
# nothing here downloads a browser (Chromium comes from Debian, scripts/sysdeps.sh).
set -eu
cd "$(dirname "$0")/../tests/browser"
[ -f node_modules/axe-core/axe.min.js ] && exit 0
command -v npm >/dev/null 2>&1 || { echo "jsdeps: npm is missing: install Node.js (Debian: nodejs npm)" >&2; exit 1; }
echo "installing npm packages: axe-core" >&2
npm install --no-audit --no-fund --loglevel=error >/dev/null
