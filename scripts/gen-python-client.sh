#!/usr/bin/env bash
# Regenerates the Python client (clients/python/imgsense-client) from openapi.yaml with openapi-python-client, pinned in a cached venv.
# --check: regenerate into a temporary folder and fail when the committed client differs (stale), changing nothing.
# --install: only install the generator's venv (scripts/install-clients.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
VENV="${IMGSENSE_PYCLIENT_VENV:-$HOME/.cache/imgsense-pyclient-venv}"
REQUIREMENTS=clients/python/generator-requirements.txt
OUT=clients/python/imgsense-client
check=false install_only=false
case "${1:-}" in
  --check) check=true ;;
  --install) install_only=true ;;
  "") ;;
  *) echo "usage: $0 [--check | --install]" >&2; exit 2 ;;
esac

# The venv is rebuilt when the pinned requirements change (a stamp holds their hash).
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/openapi-python-client" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  echo "gen-python-client: installing $REQUIREMENTS into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check -r "$REQUIREMENTS"
  echo "$want" > "$VENV/.requirements.sha256"
fi
$install_only && exit 0

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
# openapi-python-client 0.29 turns only `format: binary` into a file upload; openapi.yaml's ImageBytes says so the OpenAPI 3.1 way
# (contentMediaType), so the generator reads a JSON copy with both. The raw image/* bodies are skipped by the generator (it warns):
# the Python client uploads multipart forms, which every route accepts.
"$VENV/bin/python" - openapi.yaml "$tmp/openapi.json" <<'PY'
import json, sys
from ruamel.yaml import YAML
spec = YAML(typ="safe").load(open(sys.argv[1], encoding="utf-8"))
spec["components"]["schemas"]["ImageBytes"]["format"] = "binary"
# clients/python/templates serialises array query parameters comma-separated and object ones as deepObject, and takes a
# Client without a key everywhere: hold the spec to those.
for path, operations in spec["paths"].items():
    for method, operation in operations.items():
        if operation.get("security", spec.get("security", [])) not in ([],) and {} not in operation["security"]:
            sys.exit(f"{method} {path}: the Python client's template accepts a Client without a key, so security must allow {{}}")
        for param in operation.get("parameters", []):
            if "$ref" in param:
                param = spec["components"]["parameters"][param["$ref"].split("/")[-1]]
            kind = param["schema"].get("type")
            style = (param.get("style"), param.get("explode"))
            if param["in"] == "query" and kind == "array" and style != ("form", False):
                sys.exit(f"{method} {path} {param['name']}: the Python client's template sends arrays as form, explode false")
            if param["in"] == "query" and kind == "object" and style[0] != "deepObject":
                sys.exit(f"{method} {path} {param['name']}: the Python client's template sends objects as deepObject")
json.dump(spec, open(sys.argv[2], "w", encoding="utf-8"), indent=1)
PY
if ! (cd "$tmp" && PATH="$VENV/bin:$PATH" openapi-python-client generate --path openapi.json --meta setup \
      --config "$ROOT/clients/python/generator-config.yaml" \
      --custom-template-path "$ROOT/clients/python/templates" --output-path "$tmp/imgsense-client" > "$tmp/generate.log" 2>&1); then
  cat "$tmp/generate.log" >&2
  exit 1
fi
rm -rf "$tmp/imgsense-client/.ruff_cache"  # left by the generator's ruff post-hook
unexpected="$(grep -A1 '^WARNING' "$tmp/generate.log" | grep -vE '^(WARNING|--|Unsupported content type image/)' || true)"
if [ -n "$unexpected" ]; then
  echo "gen-python-client: openapi-python-client warned about more than the raw image bodies:" >&2
  cat "$tmp/generate.log" >&2
  exit 1
fi

if $check; then
  if diff -r -x __pycache__ -x '*.egg-info' -x build "$tmp/imgsense-client" "$OUT" > "$tmp/diff"; then
    echo "gen-python-client: $OUT matches openapi.yaml"
  else
    head -50 "$tmp/diff" >&2
    echo "gen-python-client: $OUT is stale with respect to openapi.yaml: run scripts/gen-python-client.sh (npm run gen:types runs it) and commit the result." >&2
    exit 1
  fi
else
  rm -rf "$OUT"
  cp -r "$tmp/imgsense-client" "$OUT"
  echo "gen-python-client: openapi.yaml -> $OUT"
fi
