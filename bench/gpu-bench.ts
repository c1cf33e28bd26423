/**
 * The GPU bench's measuring part (bench/gpu.sh runs it): every served bundle's CUDA outputs against CPU, raw ORT images/s
 * by batch (1-64) on both providers, then the service on CPU and on CUDA (the GPU serving profile) on this machine:
 * the same hedged alt-text per photo, /caption p50 at concurrency 1 and throughput at saturation. Writes one JSON record.
 *
 *   node --import tsx bench/gpu-bench.ts --out FILE [--seconds 0.4] [--http-seconds 8]
 */
import { availableParallelism, loadavg } from 'node:os';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { loadConfig } from '../src/config.js';
import { slotOf } from '../src/serving.js';
import { runClosedLoop } from './kit/closed-loop.js';
import { codeVersion } from './kit/code-version.js';
import { percentile } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { postPhoto, timedPost } from './kit/post-photo.js';
import { writeResultFile } from './kit/results-file.js';
import { startTarget } from './kit/target-server.js';
import { GPU_BATCHES, parity, sweep, sweepable } from './gpu-models.js';

/**
 * The GPU serving profile (docs/performance.md, GPU): one session per model on the device (one worker), batches up to 32
 * gathered for at most 4 ms, ORT's CPU threads idle (1), decoding spread over every core through libuv's pool, deeper
 * queues; strict, so a silent CPU fallback cannot pass for a GPU figure.
 */
export const GPU_SERVING_PROFILE: Readonly<Record<string, string>> = {
  EXECUTION_PROVIDER: 'cuda',
  EXECUTION_PROVIDER_STRICT: 'true',
  INFERENCE_WORKERS: '1',
  SERVING_FILE: 'models/serving-gpu.json',
  BATCH_MAX_SIZE: '32',
  BATCH_MAX_WAIT_MS: '4',
  INTRA_OP_THREADS: '1',
  OCR_INTRA_OP_THREADS: '1',
  UV_THREADPOOL_SIZE: String(availableParallelism()),
  QUEUE_MAX: '512',
  MAX_INFLIGHT_REQUESTS: '512',
};
const CPU_PROFILE: Readonly<Record<string, string>> = { EXECUTION_PROVIDER: 'cpu' };
const SATURATION_CONCURRENCY = 64;
// Every bench request comes from one address: the per-client upload limit (8) would refuse the saturating loop's requests.
const BENCH_CLIENT = { MAX_UPLOADS_PER_CLIENT: String(SATURATION_CONCURRENCY) };
// A dry run of the plumbing on a machine with no GPU: GPU_BENCH_PROVIDER=cpu GPU_BENCH_BATCHES=1,2 GPU_BENCH_MODELS=efficientnet-lite0
// (every figure is then CPU's; the servers take OCR_MODE and the like from the environment).
const PROVIDER = process.env.GPU_BENCH_PROVIDER ?? 'cuda';
const BATCHES = process.env.GPU_BENCH_BATCHES ? process.env.GPU_BENCH_BATCHES.split(',').map(Number) : [...GPU_BATCHES];
const C1_REQUESTS = 40;
// The CPU baseline's raw sweep stops at 8: the text detector's 640 x 640 batches of 32 take seconds a run on CPU, and the
// 8-minute budget is the GPU's.
const CPU_BATCHES = [1, 8] as const;

const arg = (name: string, fallback?: string): string | undefined => {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
};

interface Caption {
  alt_text: string;
  label?: { id: string };
}

async function caption(baseUrl: string, photo: Photo): Promise<{ photo: string; altText: string; label?: string }> {
  const response = await fetch(`${baseUrl}/caption`, { method: 'POST', body: photo.bytes, headers: { 'Content-Type': photo.mimeType } });
  if (response.status !== 200) throw new Error(`/caption ${photo.name}: ${response.status} ${await response.text()}`);
  const body = (await response.json()) as Caption;
  return { photo: photo.name, altText: body.alt_text, ...(body.label ? { label: body.label.id } : {}) };
}

/** One service on one profile: its providers, its answers per photo, p50 at concurrency 1 and images/s at saturation. */
async function serve(profile: Readonly<Record<string, string>>, photos: readonly Photo[], seconds: number) {
  const server = await startTarget({ env: { ...profile, ...BENCH_CLIENT }, own: true, quiet: true });
  try {
    const ready = (await (await fetch(`${server.baseUrl}/readyz`)).json()) as { models: { name: string; provider: string }[] };
    const captions = [];
    for (const photo of photos) captions.push(await caption(server.baseUrl, photo));
    const c1: number[] = [];
    for (let i = 0; i < C1_REQUESTS + 5; i += 1) {
      const ms = await timedPost(server.baseUrl, '/caption', photos[i % photos.length]!);
      if (i >= 5) c1.push(ms);
    }
    let refused = 0;
    const post = async (i: number) => {
      if ((await postPhoto(server.baseUrl, '/caption', photos[i % photos.length]!)) !== 200) refused += 1;
    };
    const run = await runClosedLoop(SATURATION_CONCURRENCY, seconds, post);
    return {
      profile,
      providers: Object.fromEntries(ready.models.map((m) => [m.name, m.provider])),
      captions,
      c1: { requests: c1.length, p50Ms: percentile(c1, 50), p95Ms: percentile(c1, 95) },
      saturation: {
        concurrency: SATURATION_CONCURRENCY,
        seconds: run.seconds,
        requestsPerSecond: (run.completed - refused) / run.seconds,
        refused,
      },
    };
  } finally {
    await server.stop();
  }
}

/** The served bundles as the default configuration names them: classifier, NSFW, detector, the two OCR models. */
async function servedBundles() {
  const { serving } = loadConfig({});
  const dirs = ['classifier', 'nsfw', 'detector', 'text_detector', 'text_recognizer'].map((slot) => slotOf(serving, slot).bundle);
  return Promise.all(dirs.map((dir) => loadBundle(dir)));
}

async function main(): Promise<void> {
  const out = arg('out');
  if (!out) throw new Error('--out FILE is required');
  const seconds = Number(arg('seconds', '0.4'));
  const httpSeconds = Number(arg('http-seconds', '8'));
  const photos = await loadPhotoSet();
  const bundles = await servedBundles();
  const cpuThreads = Math.max(1, availableParallelism() - 1);
  const models = [];
  const only = process.env.GPU_BENCH_MODELS?.split(',');
  for (const bundle of bundles.filter((b) => sweepable(b) && (!only || only.includes(b.manifest.name)))) {
    const check = await parity(bundle, photos, PROVIDER);
    const cuda = await sweep(bundle, photos, PROVIDER, BATCHES, seconds, 1);
    const cpu = await sweep(bundle, photos, 'cpu', CPU_BATCHES, seconds, cpuThreads);
    const at8 = (points: typeof cuda.points) => points.find((p) => p.batch === 8)?.imagesPerSecond.toFixed(0) ?? '-';
    const last = cuda.points.at(-1)!;
    console.log(
      `gpu-bench: ${check.model}: max |${PROVIDER} - cpu| ${check.maxAbsDelta.toExponential(2)}; batch 8: ${PROVIDER} ${at8(cuda.points)}, cpu ${at8(cpu.points)} img/s; batch ${last.batch} ${PROVIDER} ${last.imagesPerSecond.toFixed(0)} img/s`,
    );
    models.push({ ...check, sweeps: [cuda, cpu] });
  }
  const cpuService = await serve(CPU_PROFILE, photos, httpSeconds);
  const cudaService = await serve({ ...GPU_SERVING_PROFILE, EXECUTION_PROVIDER: PROVIDER }, photos, httpSeconds);
  const mismatches = cudaService.captions.filter(
    (c, i) => c.altText !== cpuService.captions[i]!.altText || c.label !== cpuService.captions[i]!.label,
  );
  const record = {
    at: new Date().toISOString(),
    code: codeVersion(),
    gpu: process.env.GPU_NAME ?? 'unknown',
    provider: PROVIDER,
    machine: { cpus: availableParallelism(), loadavg: loadavg(), node: process.version },
    models,
    service: { cpu: cpuService, cuda: cudaService, sameCaptions: mismatches.length === 0, mismatches },
    ratios: {
      c1P50CudaOverCpu: cudaService.c1.p50Ms / cpuService.c1.p50Ms,
      saturationCudaOverCpu: cudaService.saturation.requestsPerSecond / cpuService.saturation.requestsPerSecond,
    },
  };
  await writeResultFile(out, record);
  console.log(
    `gpu-bench: /caption c=1 p50 ${cpuService.c1.p50Ms.toFixed(1)} ms cpu, ${cudaService.c1.p50Ms.toFixed(1)} ms cuda; saturation ${cpuService.saturation.requestsPerSecond.toFixed(1)} vs ${cudaService.saturation.requestsPerSecond.toFixed(1)} req/s; same captions: ${mismatches.length === 0}`,
  );
  if (!models.every((m) => m.pass) || mismatches.length > 0) process.exitCode = 1;
}

main().catch((error: Error) => {
  console.error(`gpu-bench: ${error.stack ?? error.message}`);
  process.exitCode = 2;
});
