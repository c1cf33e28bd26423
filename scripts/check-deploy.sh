#!/usr/bin/env bash
# The Helm chart lints and renders with the default (CPU) and the GPU values, and with every optional object turned on;
# values.schema.json refuses a misspelt key. Fails on any error or a missing object.
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

OPTIONAL=(--set ingress.enabled=true,serviceMonitor.enabled=true,networkPolicy.enabled=true
  --set serviceMonitor.bearerTokenSecret.name=metrics-key,serviceMonitor.bearerTokenSecret.key=token
  --set 'extraVolumes[0].name=policy,extraVolumes[0].configMap.name=imgsense-policy'
  --set 'extraVolumeMounts[0].name=policy,extraVolumeMounts[0].mountPath=/etc/imgsense/policy,extraVolumeMounts[0].readOnly=true'
  --set apiKeys.existingSecret=imgsense-keys)
"$HELM" lint --strict "$CHART" "${OPTIONAL[@]}"
"$HELM" template imgsense "$CHART" "${OPTIONAL[@]}" > "$out/all.yaml"
if "$HELM" template imgsense "$CHART" --set resources.requsts.cpu=1 > /dev/null 2> "$out/typo.log"; then
  echo "check-deploy: a misspelt value (resources.requsts) rendered: values.schema.json does not hold" >&2; exit 1
fi
grep -q "additional properties 'requsts' not allowed" "$out/typo.log" || { cat "$out/typo.log" >&2; exit 1; }

expect() { # file pattern what
  grep -qE "$2" "$1" || { echo "check-deploy: $(basename "$1") lacks $3" >&2; exit 1; }
}
for kind in Deployment Service HorizontalPodAutoscaler PodDisruptionBudget ServiceAccount Pod; do expect "$out/cpu.yaml" "^kind: $kind$" "a $kind"; done
for kind in Ingress ServiceMonitor NetworkPolicy; do
  expect "$out/all.yaml" "^kind: $kind$" "a $kind when enabled"
  ! grep -qE "^kind: $kind$" "$out/cpu.yaml" || { echo "check-deploy: the default values render a $kind (it is optional)" >&2; exit 1; }
done
expect "$out/all.yaml" "mountPath: /etc/imgsense/policy" "the extra volume mount"
expect "$out/cpu.yaml" "helm.sh/hook: test" "the helm test pod"
expect "$out/cpu.yaml" "terminationGracePeriodSeconds: 40$" "terminationGracePeriodSeconds 40 (5 s grace + 25 s drain + 10 s)"
expect "$out/cpu.yaml" "readOnlyRootFilesystem: true" "a read-only root filesystem"
expect "$out/gpu.yaml" "nvidia.com/gpu: 1" "the nvidia.com/gpu limit"
expect "$out/gpu.yaml" "runtimeClassName: nvidia" "the GPU runtime class"
expect "$out/gpu.yaml" "image: \"imgsense:0.1.0-cuda\"" "the CUDA image tag"
echo "check-deploy: chart lints and renders (CPU: $(grep -c '^kind:' "$out/cpu.yaml") objects, GPU: $(grep -c '^kind:' "$out/gpu.yaml"), all optional: $(grep -c '^kind:' "$out/all.yaml")); the schema refuses a misspelt key"
