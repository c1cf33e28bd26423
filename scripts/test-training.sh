#!/usr/bin/env bash
# Runs the training module's pytest suite in the project's venv (see scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
exec "$HASHTAGNET_VENV/bin/python" -m pytest training/tests -q -p no:cacheprovider "$@"
