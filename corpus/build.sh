#!/usr/bin/env bash
# Build the weakly labelled kind corpus in one command: bash corpus/build.sh --n 50000 --out corpus/out [--jobs J] [--seed S]
# Needs corpus/install-deps.sh once (matplotlib in the venv; Chromium, Ghostscript, rsvg-convert, Graphviz, groff).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../scripts/env.sh"
export PYTHONPATH="$here:$PYTHONPATH"
exec nice -n "${CORPUS_NICE:-15}" "$HASHTAGNET_VENV/bin/python" -m kindcorpus.build "$@"
