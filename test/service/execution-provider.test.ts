// Provider selection with real ONNX Runtime sessions (a stub pool never falls back). Two boots, two configurations the
// tests need: CUDA asked for without strict mode (a CPU fallback), and strict mode with CPU asked for (no fallback);
// strict CUDA is a process that must exit at start.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { RunningServer } from '../../src/server.js';
import { assertMatchesSpec, boot, fixture, metricValue, postImage } from '../support/service.js';

// The classifier alone: these tests are about provider selection, not the other models.
const SMALL = { DETECTOR_ENABLED: 'false', OCR_MODE: 'off', MODERATION_ENABLED: 'false' };
const CAPTION = 'efficientnet-lite0';
const bindingDir = join(
  dirname(createRequire(import.meta.url).resolve('onnxruntime-node')),
  '..',
  'bin',
  'napi-v6',
  process.platform,
  process.arch,
);
const cudaInstalled = existsSync(join(bindingDir, 'libonnxruntime_providers_cuda.so'));
const skip = cudaInstalled && `the CUDA provider is installed in ${bindingDir}: these tests need a machine without it`;

/** Start `src/main.ts` as a real process and wait for it to exit; its stderr and JSON log lines. */
function runToExit(env: Record<string, string>): Promise<{ code: number | null; stderr: string; messages: string[] }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      const messages = stdout
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => (JSON.parse(line) as { msg: string }).msg);
      resolve({ code, stderr, messages });
    }),
  );
}

describe('when EXECUTION_PROVIDER=cuda and the CUDA provider is not installed (a CPU machine)', { skip }, () => {
  let service: RunningServer;
  before(async () => {
    service = await boot({ ...SMALL, EXECUTION_PROVIDER: 'cuda' });
  });
  after(() => service?.drain());

  it('then, without strict mode, it serves on CPU and /readyz names the provider in use and why', async () => {
    const response = await fetch(`${service.url}/readyz`);
    assert.equal(response.status, 200);
    const ready: any = await response.json();
    assertMatchesSpec('readiness', ready);
    const [model] = ready.models;
    assert.deepEqual([model.name, model.provider, model.requested_provider], [CAPTION, 'cpu', 'cuda']);
    // ORT's own words, then the loader's diagnosis: the provider library is not installed here.
    assert.match(
      model.fallback_reason,
      /Cuda.*Failed to load shared library: libonnxruntime_providers_cuda\.so is not installed in .*scripts\/install-gpu\.sh/i,
    );
  });

  it('then imgsense_model_info carries provider="cpu" beside requested_provider="cuda"', async () => {
    const text = await (await fetch(`${service.url}/metrics`)).text();
    assert.equal(metricValue(text, 'imgsense_model_info', { model: CAPTION, provider: 'cpu', requested_provider: 'cuda' }), 1);
    assert.doesNotMatch(text, /^imgsense_model_info\{(?:[^}]*,)?provider="cuda"/m);
  });

  it('then /caption answers from the CPU session', async () => {
    const response = await postImage(service.url, fixture('cat.jpg'), 'image/jpeg');
    assert.equal(response.status, 200);
  });

  it('then, with EXECUTION_PROVIDER_STRICT=true, the process refuses to start, exits 1 and names the provider and the reason', async () => {
    const { code, stderr, messages } = await runToExit({ ...SMALL, EXECUTION_PROVIDER: 'cuda', EXECUTION_PROVIDER_STRICT: 'true' });
    assert.equal(code, 1);
    assert.match(
      stderr,
      /start-up failed: EXECUTION_PROVIDER_STRICT: .*efficientnet-lite0: cuda requested, running on cpu \(.*Failed to load shared library: libonnxruntime_providers_cuda\.so is not installed/,
    );
    assert.ok(!messages.includes('ready'), 'it never turned ready');
  });
});

describe('when EXECUTION_PROVIDER_STRICT=true and the CPU provider is asked for', () => {
  it('then the service starts as usual and /readyz lists no fallback', async () => {
    const service = await boot({ ...SMALL, EXECUTION_PROVIDER_STRICT: 'true' });
    try {
      const ready: any = await (await fetch(`${service.url}/readyz`)).json();
      assert.deepEqual(
        ready.models.map((m: any) => [m.provider, m.requested_provider, m.fallback_reason]),
        [['cpu', 'cpu', undefined]],
      );
    } finally {
      await service.drain();
    }
  });
});
