/**
 * Measure /caption: single-request latency (p50/p99), throughput at saturation, and the ratio to raw ONNX Runtime
 * throughput of the same model with the same threads. Usage:
 *   npx tsx scripts/measure-caption.ts [--seconds 10] [--concurrency 32] [--sequential 200] [--image <photo>]
 * The service runs as its own process from the sources (tsx); env passes through (INTRA_OP_THREADS, LOG_LEVEL, ...).
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RawOrtBench } from '../bench/raw-ort.js';
import { runClosedLoop } from '../bench/kit/closed-loop.js';
import { mean, percentile } from '../bench/kit/percentiles.js';
import { loadPhotoFile, SKIMAGE_DATA, type Photo } from '../bench/kit/photo-set.js';
import { timedPost } from '../bench/kit/post-photo.js';
import { writeResultFile } from '../bench/kit/results-file.js';
import { startTarget } from '../bench/kit/target-server.js';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { loadConfig } from '../src/config.js';
import { slotOf } from '../src/serving.js';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '32' },
    sequential: { type: 'string', default: '200' },
    image: { type: 'string', default: join(SKIMAGE_DATA, 'chelsea.png') },
  },
});
const seconds = Number(args.seconds);
const config = loadConfig();
const photo = await loadPhotoFile(args.image!);

async function sequentialLatency(url: string, count: number) {
  for (let i = 0; i < 20; i++) await timedPost(url, '/caption', photo);
  const times: number[] = [];
  for (let i = 0; i < count; i++) times.push(await timedPost(url, '/caption', photo));
  return { requests: count, p50_ms: percentile(times, 50), p99_ms: percentile(times, 99), mean_ms: mean(times) };
}

async function saturation(url: string, concurrency: number) {
  const run = await runClosedLoop(concurrency, seconds, () => timedPost(url, '/caption', photo));
  return { concurrency, seconds: run.seconds, requests: run.completed, images_per_s: run.completed / run.seconds };
}

/** Raw ONNX Runtime (the bench's (a)): same model, the service's threads in one session, batch 1 and BATCH_MAX_SIZE. */
async function rawOrt(photos: readonly Photo[]) {
  const {
    modelPath,
    manifest: { input },
  } = await loadBundle(slotOf(config.serving, 'classifier').bundle);
  const raw = await RawOrtBench.open(photos, {
    modelPath,
    inputName: input.name,
    height: input.height,
    width: input.width,
    intraOpThreads: config.intraOpThreads * config.inferenceWorkers,
    batches: [1, config.batchMaxSize],
    secondsPerPoint: seconds,
    allowSpinning: process.env.RAW_ORT_SPIN === '1',
  });
  try {
    return Object.fromEntries((await raw.sweep()).map((p) => [`batch_${p.batch}_images_per_s`, p.imagesPerSecond]));
  } finally {
    await raw.close();
  }
}

/** The service's own process, logging at LOG_LEVEL (default info) to nowhere, measured then stopped before raw ORT runs. */
async function measureService() {
  const service = await startTarget({ own: true, quiet: true, env: { LOG_LEVEL: process.env.LOG_LEVEL ?? 'info' } });
  try {
    return {
      latency: await sequentialLatency(service.baseUrl, Number(args.sequential)),
      throughput: await saturation(service.baseUrl, Number(args.concurrency)),
    };
  } finally {
    await service.stop();
  }
}

const { latency, throughput } = await measureService();
const raw = await rawOrt([photo]);
const best = Math.max(...Object.values(raw));
const report = {
  measured_at: new Date().toISOString(),
  machine: { cores: availableParallelism(), node: process.version },
  config: {
    model_dir: slotOf(config.serving, 'classifier').bundle,
    workers: config.inferenceWorkers,
    intra_op_threads: config.intraOpThreads,
    batch_max_size: config.batchMaxSize,
    batch_max_wait_ms: config.batchMaxWaitMs,
  },
  image: args.image,
  single_request_latency: latency,
  saturation: throughput,
  raw_ort: raw,
  service_to_raw_ratio: throughput.images_per_s / best,
};
const out = await writeResultFile(`bench/results/caption-${report.measured_at.replace(/[:.]/g, '-')}.json`, report);
console.log(JSON.stringify(report, null, 2));
console.log(`written to ${out}`);
