#!/usr/bin/env bash
# The client tests (scripts/install-clients.sh installs what they need): the generated Python client is fresh, then the TypeScript
# client, its README example and the imgsense CLI (node --test), and the Python client (pytest), each against the real service.
set -euo pipefail
cd "$(dirname "$0")/.."
TEST_VENV="${IMGSENSE_PYCLIENT_TEST_VENV:-$HOME/.cache/imgsense-pyclient-test-venv}"

bash scripts/gen-python-client.sh --check
(cd clients/typescript && npm test)  # pretest: tsc, the type check and the dist/ that the bin runs
(cd clients/python && "$TEST_VENV/bin/python" -m pytest -q -p no:cacheprovider tests)
