#!/usr/bin/env bash
# Installs what the client tests need: the TypeScript client's npm packages, the Python client with its pinned dependencies and pytest
# in a venv, and the pinned Python client generator (for the staleness check). Safe to rerun.
set -euo pipefail
cd "$(dirname "$0")/.."
TEST_VENV="${IMGSENSE_PYCLIENT_TEST_VENV:-$HOME/.cache/imgsense-pyclient-test-venv}"

echo "install-clients: npm ci in clients/typescript"
(cd clients/typescript && npm ci --no-fund --no-audit --loglevel=error)

[ -x "$TEST_VENV/bin/python" ] || python3 -m venv "$TEST_VENV"
echo "install-clients: the Python client and pytest into $TEST_VENV"
"$TEST_VENV/bin/pip" install -q --disable-pip-version-check -r clients/python/requirements-test.txt -e clients/python/imgsense-client

bash scripts/gen-python-client.sh --install
