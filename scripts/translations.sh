#!/usr/bin/env bash
# The interface's message catalogues, managed with Babel: extract the French messages from the code,
# update the English catalogue with them (new ones empty, changed ones marked fuzzy), then compile it.
# Translate the empty and fuzzy entries of dashboard/locale/en/LC_MESSAGES/messages.po between update and compile;
# tests/test_i18n.py fails while one is left, or while the compiled catalogue is older than its source.
set -euo pipefail
cd "$(dirname "$0")/.."
locale=dashboard/locale
pybabel extract -F babel.cfg -k _ -k N_ -k ngettext:1,2 --no-location --sort-output --omit-header \
  -o "$locale/messages.pot" .
if [ -f "$locale/en/LC_MESSAGES/messages.po" ]; then
  pybabel update -i "$locale/messages.pot" -d "$locale" -l en --no-wrap --ignore-obsolete --no-fuzzy-matching
else
  pybabel init -i "$locale/messages.pot" -d "$locale" -l en --no-wrap
fi
pybabel compile -d "$locale" -l en --statistics
