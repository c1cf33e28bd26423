#!/usr/bin/env bash
# The Helm chart lints and renders with the default (CPU) and the GPU values; fails on any error or a missing object.
# helm is the pinned build from scripts/install-helm.sh (run by scripts/install-deps.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh
CHART=deploy/helm/imgsense
[ -x "$HELM" ] || { echo "check-deploy: $HELM missing: run bash scripts/install-helm.sh" >&2; exit 1; }

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$HELM" lint --strict "$CHART"
"$HELM" lint --strict "$CHART" -f "$CHART/values-gpu.yaml"
"$HELM" template imgsense "$CHART" > "$out/cpu.yaml"
"$HELM" template imgsense "$CHART" -f "$CHART/values-gpu.yaml" > "$out/gpu.yaml"

expect() { # file pattern what
  grep -qE "$2" "$1" || { echo "check-deploy: $(basename "$1") lacks $3" >&2; exit 1; }
}
for kind in Deployment Service HorizontalPodAutoscaler PodDisruptionBudget; do expect "$out/cpu.yaml" "^kind: $kind$" "a $kind"; done
expect "$out/cpu.yaml" "terminationGracePeriodSeconds: 40$" "terminationGracePeriodSeconds 40 (5 s grace + 25 s drain + 10 s)"
expect "$out/cpu.yaml" "readOnlyRootFilesystem: true" "a read-only root filesystem"
expect "$out/gpu.yaml" "nvidia.com/gpu: 1" "the nvidia.com/gpu limit"
expect "$out/gpu.yaml" "image: \"imgsense:0.1.0-cuda\"" "the CUDA image tag"
echo "check-deploy: chart lints and renders (CPU: $(grep -c '^kind:' "$out/cpu.yaml") objects, GPU: $(grep -c '^kind:' "$out/gpu.yaml"))"
