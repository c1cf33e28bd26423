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
# scripts/gen_python_client.py writes the generator's JSON copy of the spec (ImageBytes as `format: binary`; an operation
# whose security allows no key loses it, so its `client` may be a plain Client) and refuses query styles it cannot send.
# The raw image/* bodies are skipped by the generator (it warns): the Python client uploads multipart forms, which every
# route accepts.
"$VENV/bin/python" scripts/gen_python_client.py prepare openapi.yaml "$tmp/openapi.json"
if ! (cd "$tmp" && PATH="$VENV/bin:$PATH" openapi-python-client generate --path openapi.json --meta setup \
      --config "$ROOT/clients/python/generator-config.yaml" \
      --custom-template-path "$ROOT/clients/python/templates" --output-path "$tmp/imgsense-client" > "$tmp/generate.log" 2>&1); then
  cat "$tmp/generate.log" >&2
  exit 1
fi
# The generator sends every array and object query parameter as form, explode true; the same script rewrites those the
# spec serialises otherwise (comma-separated arrays, deepObject thresholds), then ruff formats what it changed.
"$VENV/bin/python" scripts/gen_python_client.py rewrite "$tmp/openapi.json" "$tmp/imgsense-client" > "$tmp/rewritten"
xargs -r "$VENV/bin/ruff" format --quiet < "$tmp/rewritten"
rm -rf "$tmp/imgsense-client/.ruff_cache"  # left by the generator's ruff post-hook and the format above
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
