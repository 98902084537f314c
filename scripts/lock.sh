#!/usr/bin/env bash
# Writes the lock files from the pinned requirements: every package of the dependency tree at one version, with
# the hashes of its files, for every platform and every Python from 3.11. Run it after changing requirements*.txt.
#   requirements.lock      what the dashboard needs to run (README, command 1)
#   requirements-dev.lock  that plus what the tests and benchmarks need (scripts/test.sh), at the same versions
# Uses uv, pinned in requirements-dev.txt (in .venv once scripts/test.sh has run); it asks PyPI for the metadata.
set -euo pipefail
cd "$(dirname "$0")/.."
uv=(uv)
[ -x .venv/bin/uv ] && uv=(.venv/bin/uv)
compile=("${uv[@]}" pip compile --quiet --universal --python-version 3.11 --generate-hashes --no-header)
"${compile[@]}" requirements-dev.txt -o requirements-dev.lock
# The runtime's packages at the versions the tests ran with.
"${compile[@]}" requirements.txt --constraint requirements-dev.lock -o requirements.lock
