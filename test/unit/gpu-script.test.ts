import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';

// bench/gpu.sh's checks before it measures; the measuring itself needs a GPU (docs/performance.md, GPU).
const work = mkdtempSync(join(tmpdir(), 'gpu-script-'));
after(() => rmSync(work, { recursive: true, force: true }));
const hasGpu = spawnSync('nvidia-smi', ['-L']).status === 0;

function dryRun(name: string, pathPrefix = '') {
  const out = join(work, name);
  const run = spawnSync('bash', ['bench/gpu.sh', '--dry-run'], {
    encoding: 'utf8',
    env: { ...process.env, OUT: out, PATH: `${pathPrefix}${process.env.PATH}` },
  });
  return { ...run, report: JSON.parse(readFileSync(join(out, 'gpu-report.json'), 'utf8')) as { status: string; gpu: string } };
}

describe('bench/gpu.sh --dry-run', () => {
  it('when the machine has no NVIDIA GPU, then it exits 3 saying so, measures nothing and writes a report that says no_gpu', {
    skip: hasGpu && 'this machine has a GPU',
  }, () => {
    const run = dryRun('no-gpu');
    assert.equal(run.status, 3);
    assert.match(run.stderr, /no NVIDIA GPU here .*nothing measured/);
    assert.deepEqual([run.report.status, run.report.gpu], ['no_gpu', '']);
  });

  it('when nvidia-smi lists a GPU, then it checks node, node_modules and the photos, names where the CUDA provider comes from, and exits 0', () => {
    const bin = join(work, 'fake-bin');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'nvidia-smi'), '#!/bin/sh\necho "NVIDIA H100 80GB HBM3, 580.159.04, 81559 MiB"\n');
    chmodSync(join(bin, 'nvidia-smi'), 0o755);
    const run = dryRun('fake-gpu', `${bin}:`);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /GPU: NVIDIA H100 80GB HBM3/);
    assert.match(run.stdout, /CUDA provider: (already installed|scripts\/install-gpu\.sh)/);
    assert.deepEqual([run.report.status, run.report.gpu], ['dry_run', 'NVIDIA H100 80GB HBM3, 580.159.04, 81559 MiB']);
  });
});
