import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';

// The full install (1.5 GB of wheels) runs in `npm run test:gpu-install` and bench/gpu.sh; these checks cost nothing.
const lock = readFileSync('scripts/gpu-wheels.lock', 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '' && !line.startsWith('#'));
const pins = new Map(lock.map((line) => [line.split(/\s+/)[0]!, line.split(/\s+/)]));

describe('scripts/gpu-wheels.lock', () => {
  it('when read, then every line is a package, an exact version and a sha256', () => {
    for (const line of lock) assert.match(line, /^[a-z0-9-]+ \d+(\.\d+)+ [0-9a-f]{64}$/, line);
  });

  it("when compared with package.json, then onnxruntime-gpu is onnxruntime-node's version", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
    assert.equal(pins.get('onnxruntime-gpu')?.[1], pkg.dependencies['onnxruntime-node']);
  });

  it('when the NVIDIA pins are read, then they are the CUDA 13 packages the provider links against (not the -cu12 ones)', () => {
    for (const name of ['nvidia-cuda-runtime', 'nvidia-cublas', 'nvidia-cuda-nvrtc', 'nvidia-nvjitlink'])
      assert.match(pins.get(name)?.[1] ?? '', /^13\./, name);
    assert.match(pins.get('nvidia-cudnn-cu13')?.[1] ?? '', /^9\./);
    assert.ok(![...pins.keys()].some((name) => name.endsWith('-cu12')));
  });
});

describe('scripts/install-gpu.sh --check', () => {
  it('when the folder holds no provider, then it exits 4 naming the missing libraries', () => {
    const dest = mkdtempSync(join(tmpdir(), 'install-gpu-'));
    try {
      const run = spawnSync('bash', ['scripts/install-gpu.sh', '--check', '--dest', dest], { encoding: 'utf8' });
      assert.equal(run.status, 4);
      assert.match(run.stderr, /missing in .*libonnxruntime_providers_cuda\.so .*libcudart\.so\.13/);
    } finally {
      rmSync(dest, { recursive: true, force: true });
    }
  });

  it('when given an unknown argument, then it exits 2', () => {
    assert.equal(spawnSync('bash', ['scripts/install-gpu.sh', '--frobnicate'], { encoding: 'utf8' }).status, 2);
  });
});
