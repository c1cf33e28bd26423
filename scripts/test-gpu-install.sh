#!/usr/bin/env bash
# CPU check of scripts/install-gpu.sh (`npm run test:gpu-install`; not in test:all: about 1.5 GB of wheels the first time,
# cached in ~/.cache/imgsense-gpu-wheels, and 2.3 GB unpacked). It installs into a throwaway copy of onnxruntime-node,
# never into node_modules, then shows that ONNX Runtime itself finds the CUDA provider and everything the provider needs
# up to the NVIDIA driver's libcuda.so.1, which a machine with no GPU does not have. Arguments go to install-gpu.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
ort_dir="$(node -p "require('path').dirname(require.resolve('onnxruntime-node/package.json'))")"
for package in onnxruntime-node onnxruntime-common; do
  mkdir -p "$work/node_modules/$package"
  (cd "$ort_dir/../$package" && tar --exclude=./bin/napi-v6/darwin --exclude=./bin/napi-v6/win32 --exclude=./bin/napi-v6/linux/arm64 -cf - .) |
    tar -xf - -C "$work/node_modules/$package"
done
dest="$(ls -d "$work"/node_modules/onnxruntime-node/bin/napi-v*/linux/x64)"
[ ! -e "$dest/libonnxruntime_providers_cuda.so" ] || { echo "test-gpu-install: the copy already has a CUDA provider" >&2; exit 1; }
scripts/install-gpu.sh --dest "$dest" "$@"

# ORT through the copied binding, asked for CUDA: the provider library must load as far as the driver library and no
# further, so the one missing file ORT reports is libcuda.so.1 (with a driver, the session would be created instead).
cat > "$work/load-cuda.mjs" <<'JS'
import ort from 'onnxruntime-node';
try {
  await ort.InferenceSession.create(process.argv[2], { executionProviders: ['cuda'] });
  console.log('session created on cuda');
} catch (error) {
  console.log(`session refused: ${error.message.split('\n')[0]}`);
}
JS
log="$(cd "$work" && node load-cuda.mjs "$PWD/models/efficientnet-lite0/model.onnx" 2>&1)"
echo "$log" | grep -o 'Failed to load library [^ ]*providers_cuda.so with error: [^[]*' || true
if echo "$log" | grep -q 'session created on cuda'; then
  echo "test-gpu-install: passed (a driver is here: the session runs on CUDA)"
elif echo "$log" | grep -q 'providers_cuda.so with error: libcuda.so.1: cannot open shared object file'; then
  echo "test-gpu-install: passed (the provider resolves every library it needs but the driver's, which this machine lacks)"
else
  echo "test-gpu-install: FAILED: ORT did not get as far as the driver library:" >&2
  echo "$log" >&2
  exit 1
fi
