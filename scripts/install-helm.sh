#!/usr/bin/env bash
# Builds the pinned helm (scripts/check-deploy.sh lints and renders the chart with it) from the Go module proxy into a
# per-version cache dir, reused when present. Prints nothing but progress; the binary's path is $HELM (scripts/env.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

if [ -x "$HELM" ]; then
  exit 0
fi
echo "install-helm: go install helm.sh/helm/v3/cmd/helm@$HELM_VERSION (Apache-2.0; a few minutes the first time)"
mkdir -p "$(dirname "$HELM")"
# -mod=mod: build from the module's own go.mod, ignoring any workspace or vendor dir around us.
GOFLAGS=-mod=mod GOBIN="$(dirname "$HELM")" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION"
"$HELM" version --short
