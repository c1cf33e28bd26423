#!/usr/bin/env bash
# Runs the training module's pytest suite (or only the test files and pytest options given) in the project's venv.
# PYTHONPATH (scripts/env.sh) points at this checkout's training/, so the venv's editable install, which may point at
# another clone, is never what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
targets=()
for arg in "$@"; do [[ -e "${arg%%::*}" ]] && targets+=("$arg"); done
if [[ ${#targets[@]} -eq 0 ]]; then set -- training/tests "$@"; fi
exec "$HASHTAGNET_VENV/bin/python" -m pytest -q -p no:cacheprovider "$@"
