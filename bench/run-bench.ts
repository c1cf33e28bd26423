/** `npm run bench [-- --quick]`: (a) raw ORT, (b) in-process pipeline, (c) HTTP /caption, (d) /moderate, in one run. */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { loadConfig } from '../src/config.js';
import { startTarget } from '../load/target-server.js';
import { benchHttp, routeAnswers, type HttpResult } from './http-throughput.js';
import { loadPhotoSet } from './photo-set.js';
import { benchPipeline } from './pipeline-throughput.js';
import { benchRawOrt } from './raw-ort.js';
import { headlineRatios, printTable, writeRecord, type BenchRecord } from './report.js';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const PLAN = QUICK
  ? { batches: [1, 4, 8, 16, 32], rawSeconds: 1.5, pipelineSeconds: 8, httpSeconds: 8, rateFractions: [0.5, 0.9], rateSeconds: 6 }
  : { batches: [1, 2, 4, 8, 16, 32], rawSeconds: 4, pipelineSeconds: 20, httpSeconds: 20, rateFractions: [0.25, 0.5, 0.7, 0.9], rateSeconds: 15 };
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

async function benchRoutes(photos: Awaited<ReturnType<typeof loadPhotoSet>>): Promise<HttpResult[]> {
  const workDir = await mkdtemp(join(tmpdir(), 'bench-'));
  const target = await startTarget();
  try {
    const options = { concurrency: CONCURRENCY, seconds: PLAN.httpSeconds, rateFractions: PLAN.rateFractions, rateSeconds: PLAN.rateSeconds };
    const results = [await benchHttp(target.baseUrl, '/caption', photos, workDir, options)];
    if (await routeAnswers(target.baseUrl, '/moderate', photos[0]!)) results.push(await benchHttp(target.baseUrl, '/moderate', photos, workDir, options));
    else console.log('(d) /moderate: the server does not serve it yet (404); skipped');
    return results;
  } finally {
    await target.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const config = loadConfig();
  const bundle = await loadBundle(config.modelDir);
  const { manifest } = bundle;
  const photos = await loadPhotoSet();
  console.log(`bench: ${QUICK ? 'quick' : 'full'} run, model ${manifest.name}, intra-op threads ${config.intraOpThreads}, workers ${config.inferenceWorkers}`);
  const rawOrt = await benchRawOrt(photos, {
    modelPath: bundle.modelPath, inputName: manifest.input.name, height: manifest.input.height, width: manifest.input.width,
    intraOpThreads: config.intraOpThreads, batches: PLAN.batches, secondsPerPoint: PLAN.rawSeconds,
  });
  const pipeline = await benchPipeline(bundle, config, photos, CONCURRENCY, PLAN.pipelineSeconds);
  const http = await benchRoutes(photos);
  const record: BenchRecord = {
    at: new Date().toISOString(), mode: QUICK ? 'quick' : 'full',
    machine: { cpus: availableParallelism(), loadavg: loadavg(), node: process.version },
    model: { name: manifest.name, version: manifest.version, precision: (manifest as { precision?: string }).precision ?? 'fp32' },
    config: { ...config, UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? 'default', SHARP_CONCURRENCY: process.env.SHARP_CONCURRENCY ?? 'default', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? 'default', LD_PRELOAD: process.env.LD_PRELOAD ?? '' },
    photos: photos.map((p) => ({ name: p.name, mimeType: p.mimeType, width: p.width, height: p.height, bytes: p.bytes.length })),
    rawOrt, pipeline, http, ratios: headlineRatios(rawOrt, pipeline, http, config.batchMaxSize),
  };
  printTable(record);
  console.log(`bench: wrote ${await writeRecord(record, process.env.BENCH_RESULTS_DIR ?? 'bench/results')}`);
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
