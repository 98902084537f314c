#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium for the
# browser tests, Debian's nginx for the deployment test, Debian's LibreOffice
# Calc without GUI for the office-suite import corpus) and runs every test.
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# The smallest package that converts CSV to .xlsx and back (soffice --headless --convert-to).
[ -x /usr/bin/soffice ] || missing+=(libreoffice-calc-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq "${missing[@]}"
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq "${missing[@]}"
  fi
fi
if ! command -v npm >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq npm
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq npm
  fi
fi
python -m pip install -q -r requirements-dev.txt
# axe-core, pinned, for the accessibility test (tests/test_browser_accessibility.py).
npm ci --prefix tests/axe --no-audit --no-fund --silent
python -m ruff check .
python -m mypy
# pytest exits 5 when it collects no test: that is a failure here, as any non-zero code.
python -m pytest "$@"
