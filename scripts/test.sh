#!/usr/bin/env bash
# Installs what the tests need (Python packages, Debian's Chromium for the
# browser tests) and runs every test. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && apt-get install -y -qq chromium
  else
    sudo apt-get update -qq && sudo apt-get install -y -qq chromium
  fi
fi
python -m pip install -q -r requirements-dev.txt
python -m ruff check .
# pytest exits 5 when it collects no test: that is a failure here, as any non-zero code.
python -m pytest "$@"
