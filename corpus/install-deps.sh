#!/usr/bin/env bash
# What the corpus recipe needs beyond the project's own dependencies (CI's scripts/install-deps.sh installs none of it).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../scripts/env.sh"
apt-get install -y --no-install-recommends chromium ghostscript librsvg2-bin graphviz groff fonts-dejavu-core \
  fonts-liberation man-db
"$HASHTAGNET_VENV/bin/pip" install 'matplotlib==3.11.2'
