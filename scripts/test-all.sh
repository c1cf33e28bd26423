#!/usr/bin/env bash
# All the tests: generated files are fresh, TypeScript compiles, the code is formatted and linted, unit and HTTP tests,
# service, parity and quality tests, training tests, load smoke test.
set -euo pipefail
cd "$(dirname "$0")/.."
step() { echo; echo "=== $*"; }
step "generated API types are up to date";  npm run --silent check:api
step "configuration docs (README table, Helm env) match src/config-table.ts"; npm run --silent check:config
step "openapi.yaml lint (Redocly)";         npm run --silent lint:api
step "typecheck";                           npm run --silent typecheck
step "format and lint (Biome; npm run format fixes the format)"; npm run --silent lint
step "k6 scripts: fresh from load/scenarios.ts, type-check (@types/k6)"; npm run --silent check:k6
step "Helm chart: lint and template (CPU, GPU)"; bash scripts/check-deploy.sh
step "unit and HTTP tests (stub models)";   npm test
step "service tests (real models, browser, attack, load)"; npm run --silent test:service
step "parity with the original models";    npm run --silent test:parity
step "quality on the dev and text sets";   npm run --silent test:quality
step "training tests (pytest)";             bash scripts/test-training.sh
step "clients and CLI (TypeScript, Python, imgsense caption)"; bash scripts/test-clients.sh
if npm run 2>/dev/null | grep -q "^  load:smoke"; then
  step "load smoke test";                   npm run --silent load:smoke
fi
echo; echo "test-all: every suite passed"
