#!/usr/bin/env bash
# The Python peer's venv (bench/peer/README.md): created under ~/.cache from requirements.txt; a no-op when it already matches.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
venv="${PEER_VENV:-$HOME/.cache/imgsense-peer-venv}"
python="${PEER_PYTHON:-python3}"
stamp="$venv/.requirements.sha256"
want="$(sha256sum "$here/requirements.txt" | cut -d' ' -f1) $("$python" -c 'import sys; print(sys.version.split()[0])')"
if [[ -x "$venv/bin/python" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
  exit 0
fi
echo "peer: installing the Python peer's venv in $venv" >&2
rm -rf "$venv"
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check --no-input -r "$here/requirements.txt"
"$venv/bin/python" -c 'import fastapi, uvicorn, uvloop, httptools, PIL, numpy, onnxruntime; print("peer: onnxruntime", onnxruntime.__version__, "pillow", PIL.__version__, file=__import__("sys").stderr)'
echo "$want" > "$stamp"
