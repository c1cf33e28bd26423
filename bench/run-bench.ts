/** `npm run bench [-- --quick]`: (a) raw ORT, (b) in-process pipeline, (c) HTTP /caption, (d) /moderate, in one run; `-- --peer [--full]` compares with the Python peer (bench/peer-compare.ts; --full: the default /caption with the detector). */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundle, type ModelBundle } from '../src/bundle/load-bundle.js';
import { loadConfig, type Config } from '../src/config.js';
import { slotOf } from '../src/serving.js';
import { HttpBench, routeAnswers } from './http-throughput.js';
import { codeVersion } from './kit/code-version.js';
import { median } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { startTarget } from './kit/target-server.js';
import { runPeerComparison } from './peer-compare.js';
import { PipelineBench } from './pipeline-throughput.js';
import { RawOrtBench } from './raw-ort.js';
import { headlineRatios, printTable, writeRecord, type Round, type RouteResult } from './report.js';

const QUICK = process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
const PLAN = QUICK
  ? { batches: [1, 4, 8, 16, 32], sweepSeconds: 1.5, rounds: 2, roundSeconds: 6, rateFractions: [0.5, 0.9], rateSeconds: 6 }
  : { batches: [1, 2, 4, 8, 16, 32], sweepSeconds: 4, rounds: 3, roundSeconds: 12, rateFractions: [0.25, 0.5, 0.7, 0.9], rateSeconds: 15 };
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);

/** (a), (b) and (c) back to back, PLAN.rounds times, so each ratio compares measurements taken under the same noise. */
async function sideBySide(bundle: ModelBundle, config: Config, photos: Photo[], caption: HttpBench) {
  const { input } = bundle.manifest;
  const raw = await RawOrtBench.open(photos, {
    modelPath: bundle.modelPath,
    inputName: input.name,
    height: input.height,
    width: input.width,
    intraOpThreads: config.intraOpThreads,
    batches: PLAN.batches,
    secondsPerPoint: PLAN.sweepSeconds,
  });
  const pipeline = await PipelineBench.open(config, photos, CONCURRENCY);
  try {
    const sweep = await raw.sweep();
    await caption.saturate(CONCURRENCY, 3);
    const rounds: Round[] = [];
    for (let i = 0; i < PLAN.rounds; i += 1) {
      const a = await raw.measure(config.batchMaxSize, PLAN.roundSeconds / 2);
      const b = await pipeline.measure(CONCURRENCY, PLAN.roundSeconds);
      const c = await caption.saturate(CONCURRENCY, PLAN.roundSeconds);
      rounds.push({ a, b, c });
      console.log(
        `  round ${i + 1}: (a) ${a.imagesPerSecond.toFixed(1)}  (b) ${b.imagesPerSecond.toFixed(1)}  (c) ${c.rps.toFixed(1)} images/s`,
      );
    }
    return { sweep, rounds };
  } finally {
    await pipeline.close();
    await raw.close();
  }
}

async function latencyProfile(http: HttpBench, saturation?: RouteResult['saturation']): Promise<RouteResult> {
  const sat = saturation ?? (await http.saturate(CONCURRENCY, PLAN.roundSeconds));
  const rates = await http.atRates(
    PLAN.rateFractions.map((f) => Math.max(0.5, f * sat.rps)),
    PLAN.rateSeconds,
  );
  return { saturation: sat, rates };
}

/** (a), (b) and (c) compare the classifier path; bench/detector-cost.ts measures what the detector adds to it. */
const CLASSIFIER_ONLY = { DETECTOR_ENABLED: 'false' };

async function main(): Promise<void> {
  if (process.argv.includes('--peer')) return runPeerComparison(QUICK, process.argv.includes('--full'));
  const config = loadConfig({ ...process.env, ...CLASSIFIER_ONLY });
  const bundle = await loadBundle(slotOf(config.serving, 'classifier').bundle);
  const { manifest } = bundle;
  const photos = await loadPhotoSet();
  const loadavgBefore = loadavg();
  console.log(
    `bench: ${QUICK ? 'quick' : 'full'} run, ${manifest.name}, intra-op threads ${config.intraOpThreads}, workers ${config.inferenceWorkers}, batch ${config.batchMaxSize}/${config.batchMaxWaitMs} ms`,
  );
  const workDir = await mkdtemp(join(tmpdir(), 'bench-'));
  const server = await startTarget({ env: CLASSIFIER_ONLY });
  try {
    const caption = await HttpBench.prepare(server.baseUrl, '/caption', photos, workDir, server.pid);
    const { sweep, rounds } = await sideBySide(bundle, config, photos, caption);
    const medianRound = rounds.find((r) => r.c.rps === median(rounds.map((x) => x.c.rps))) ?? rounds[0]!;
    const captionResult = await latencyProfile(caption, medianRound.c);
    let moderate: RouteResult | undefined;
    if (await routeAnswers(server.baseUrl, '/moderate', photos[0]!)) {
      moderate = await latencyProfile(await HttpBench.prepare(server.baseUrl, '/moderate', photos, workDir, server.pid));
    } else console.log('(d) /moderate: the server does not serve it yet (404); skipped');
    const record = {
      at: new Date().toISOString(),
      mode: QUICK ? ('quick' as const) : ('full' as const),
      code: codeVersion(),
      machine: { cpus: availableParallelism(), loadavgBefore, loadavgAfter: loadavg(), node: process.version },
      model: { name: manifest.name, version: manifest.version, precision: (manifest as { precision?: string }).precision ?? 'fp32' },
      config: {
        ...config,
        UV_THREADPOOL_SIZE: process.env.UV_THREADPOOL_SIZE ?? 'default',
        SHARP_CONCURRENCY: process.env.SHARP_CONCURRENCY ?? 'default',
        MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? 'default',
        LD_PRELOAD: process.env.LD_PRELOAD ?? '',
      },
      photos: photos.map((p) => ({ name: p.name, mimeType: p.mimeType, width: p.width, height: p.height, bytes: p.bytes.length })),
      rawOrtSweep: sweep,
      rounds,
      caption: captionResult,
      ...(moderate ? { moderate } : {}),
      ratios: headlineRatios(rounds, sweep),
    };
    printTable(record);
    console.log(`bench: wrote ${await writeRecord(record, process.env.BENCH_RESULTS_DIR ?? 'bench/results')}`);
  } finally {
    await server.stop();
    await rm(workDir, { recursive: true, force: true });
  }
}

main().catch((error: Error) => {
  console.error(`bench: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
