#!/usr/bin/env bash
# Installs everything the tests need on a fresh Debian machine of this kind: Debian packages (WordNet 3.0, real test photos),
# the Python training environment, the npm packages, and the pinned load generator. Safe to rerun: each step is a no-op when satisfied.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

need_apt=()
[ -f /usr/share/wordnet/data.noun ] || need_apt+=(wordnet-base)
[ -f /usr/lib/python3/dist-packages/skimage/data/chelsea.png ] || need_apt+=(python3-skimage)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "install-deps: apt-get install ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi

if [ ! -x "$HASHTAGNET_VENV/bin/python" ]; then
  echo "install-deps: creating Python venv at $HASHTAGNET_VENV"
  python3 -m venv "$HASHTAGNET_VENV"
fi
echo "install-deps: pip install -r training/requirements.txt (torch is large the first time; pip caches it)"
"$HASHTAGNET_VENV/bin/pip" install -q --disable-pip-version-check -r training/requirements.txt -e training

echo "install-deps: npm ci"
npm ci --no-fund --no-audit --loglevel=error

# vegeta built by `go install` reports no version of its own, so a stamp file records which one is there.
if [ ! -x "$VEGETA" ] || [ "$(cat "$VEGETA.version" 2>/dev/null)" != "$VEGETA_VERSION" ]; then
  echo "install-deps: go install vegeta $VEGETA_VERSION (load generator, MIT)"
  GOBIN="$(dirname "$VEGETA")" go install "github.com/tsenart/vegeta/v12@$VEGETA_VERSION"
  echo "$VEGETA_VERSION" > "$VEGETA.version"
fi
echo "install-deps: done"
