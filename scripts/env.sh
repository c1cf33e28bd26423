# Shared locations for the scripts. Sourced, not run. Override any of them from the environment.
export HASHTAGNET_VENV="${HASHTAGNET_VENV:-$HOME/.cache/hashtagnet-venv}"
export VEGETA_VERSION="${VEGETA_VERSION:-v12.13.0}"
export VEGETA="${VEGETA:-$HOME/.cache/imgsense-tools/vegeta}"
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/training${PYTHONPATH:+:$PYTHONPATH}"
export HELM_VERSION="${HELM_VERSION:-v3.22.0}"
export HELM="${HELM:-$HOME/.cache/imgsense-helm/$HELM_VERSION/helm}"
