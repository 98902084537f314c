#!/usr/bin/env bash
# Installs what the tests need and runs every test. Extra arguments go to pytest.
#   Debian packages, when missing: Chromium (browser tests), nginx (deployment test), LibreOffice Calc and Impress
#   without GUI (office-suite import corpus, the briefing's slides), npm (axe-core), python3-venv (the virtual
#   environment).
#   Python packages: a virtual environment in .venv with requirements-dev.lock (every package of the tree, pinned,
#   with its hashes; scripts/lock.sh writes it).
# Then ruff, mypy and pytest run from that environment.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
# Debian's python3 makes virtual environments only with python3-venv (which brings ensurepip).
python3 -c "import ensurepip, venv" 2>/dev/null || missing+=(python3-venv)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
# The smallest package that converts CSV to .xlsx and back (soffice --headless --convert-to).
[ -x /usr/bin/soffice ] || missing+=(libreoffice-calc-nogui)
# Impress draws the briefing's slides, to read their numbers as an office suite shows them.
[ -e /usr/lib/libreoffice/program/pagein-impress ] || missing+=(libreoffice-impress-nogui)
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
# The system's python3 refuses `pip install` on Debian and Ubuntu (externally managed): the tests get their own
# environment, made once, brought to the lock file on every run (a few seconds when nothing changed).
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --require-hashes -r requirements-dev.lock
# axe-core, pinned, for the accessibility test (tests/test_browser_accessibility.py).
npm ci --prefix tests/axe --no-audit --no-fund --silent
.venv/bin/python -m ruff check .
.venv/bin/python -m mypy
# pytest exits 5 when it collects no test: that is a failure here, as any non-zero code.
# One worker per core: each test module runs whole on one worker, sharing its servers (tests/conftest.py).
# A Playwright time-out (a click on a page that never settled) gets two more tries, and the run says so
# ("rerun" in its summary); any other failure fails at once.
.venv/bin/python -m pytest -n auto --dist loadfile --reruns 2 --only-rerun "playwright._impl._errors.TimeoutError" "$@"
