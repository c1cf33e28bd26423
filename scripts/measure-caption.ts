/**
 * Measure /caption: single-request latency (p50/p99), throughput at saturation, and the ratio to raw ONNX Runtime
 * throughput of the same model with the same threads. Usage:
 *   npx tsx scripts/measure-caption.ts [--seconds 10] [--concurrency 32] [--sequential 200]
 * The service runs as its own process from the sources (tsx); env passes through (INTRA_OP_THREADS, LOG_LEVEL, ...).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import ort from 'onnxruntime-node';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { loadConfig } from '../src/config.js';
import { decodeImage } from '../src/image/decode.js';
import { resizeForModel } from '../src/image/resize.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    sequential: { type: 'string', default: '200' },
    image: { type: 'string', default: '/usr/lib/python3/dist-packages/skimage/data/chelsea.png' },
  },
});
const seconds = Number(args.seconds);
const config = loadConfig();
const image = readFileSync(args.image!);

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

async function startService(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.on('exit', (code) => reject(new Error(`service exited ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const entry = JSON.parse(line);
      if (entry.msg === 'ready') resolve(entry.url);
    });
  });
  return { url, stop: async () => (child.kill('SIGTERM'), await exited) };
}

async function caption(url: string): Promise<void> {
  const response = await fetch(`${url}/caption`, { method: 'POST', headers: { 'content-type': 'image/png' }, body: image });
  if (response.status !== 200) throw new Error(`status ${response.status}`);
  await response.arrayBuffer();
}

async function sequentialLatency(url: string, count: number) {
  for (let i = 0; i < 20; i++) await caption(url);
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const started = performance.now();
    await caption(url);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { requests: count, p50_ms: percentile(times, 50), p99_ms: percentile(times, 99), mean_ms: times.reduce((a, b) => a + b) / count };
}

async function saturation(url: string, concurrency: number) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) await caption(url), done++;
    }),
  );
  return { concurrency, seconds: (performance.now() - started) / 1000, requests: done, images_per_s: done / ((performance.now() - started) / 1000) };
}

/** Raw ONNX Runtime: the same model, same intra-op threads, same batch size, one preprocessed photo repeated. */
async function rawOrt() {
  const bundle = await loadBundle(config.modelDir);
  const { input, output } = bundle.manifest;
  const pixels = await resizeForModel(await decodeImage(image, { maxPixels: config.maxPixels }), input);
  const session = await ort.InferenceSession.create(bundle.modelPath, {
    intraOpNumThreads: config.intraOpThreads * config.inferenceWorkers, interOpNumThreads: 1, graphOptimizationLevel: 'all', executionProviders: ['cpu'],
    extra: { session: { intra_op: { allow_spinning: process.env.RAW_ORT_SPIN ?? '0' } } },
  });
  const result: Record<string, number> = {};
  for (const batch of [1, config.batchMaxSize]) {
    const data = new Uint8Array(pixels.length * batch);
    for (let i = 0; i < batch; i++) data.set(pixels, i * pixels.length);
    const feeds = { [input.name]: new ort.Tensor('uint8', data, [batch, input.height, input.width, 3]) };
    for (let i = 0; i < 3; i++) await session.run(feeds, [output.name]);
    let images = 0;
    const started = performance.now();
    while (performance.now() - started < seconds * 1000) await session.run(feeds, [output.name]), (images += batch);
    result[`batch_${batch}_images_per_s`] = images / ((performance.now() - started) / 1000);
  }
  await session.release();
  return result;
}

const service = await startService();
const latency = await sequentialLatency(service.url, Number(args.sequential));
const throughput = await saturation(service.url, Number(args.concurrency));
await service.stop();
const raw = await rawOrt();
const best = Math.max(...Object.values(raw));
const report = {
  measured_at: new Date().toISOString(),
  machine: { cores: availableParallelism(), node: process.version },
  config: { model_dir: config.modelDir, workers: config.inferenceWorkers, intra_op_threads: config.intraOpThreads, batch_max_size: config.batchMaxSize, batch_max_wait_ms: config.batchMaxWaitMs },
  image: args.image,
  single_request_latency: latency,
  saturation: throughput,
  raw_ort: raw,
  service_to_raw_ratio: throughput.images_per_s / best,
};
mkdirSync('bench/results', { recursive: true });
const out = `bench/results/caption-${report.measured_at.replace(/[:.]/g, '-')}.json`;
writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
console.log(JSON.stringify(report, null, 2));
console.log(`written to ${out}`);
