/** `tsx bench/run-sweep.ts <threads|batch|decode|allocator>`: one server per point, interleaved repetitions, medians. */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HttpBench, type RatePoint, type Saturation } from './http-throughput.js';
import { codeVersion } from './kit/code-version.js';
import { median } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { scrapeMetrics, total } from './kit/prometheus.js';
import { resultPath, writeResultFile } from './kit/results-file.js';
import { startTarget } from './kit/target-server.js';
import { SWEEPS, type SweepPoint } from './sweeps.js';

const REPS = Number(process.env.SWEEP_REPS ?? 2);
const SECONDS = Number(process.env.SWEEP_SECONDS ?? 10);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const PRELOAD = fileURLToPath(new URL('./sharp-concurrency-preload.mjs', import.meta.url));

interface Sample {
  saturation: Saturation;
  latency: RatePoint;
  rssMiB: number;
}

async function measurePoint(point: SweepPoint, photos: Photo[], workDir: string, rate: number | undefined): Promise<Sample> {
  const server = await startTarget({ own: true, env: point.env, nodeArgs: ['--import', PRELOAD] });
  try {
    const http = await HttpBench.prepare(server.baseUrl, '/caption', photos, workDir, server.pid);
    await http.saturate(CONCURRENCY, 3);
    const saturation = await http.saturate(CONCURRENCY, SECONDS);
    const [latency] = await http.atRates([rate ?? Math.max(0.5, saturation.rps / 2)], SECONDS);
    const rssMiB = total(await scrapeMetrics(server.baseUrl), 'process_resident_memory_bytes') / 2 ** 20;
    return { saturation, latency: latency!, rssMiB };
  } finally {
    await server.stop();
  }
}

function summarise(point: SweepPoint, samples: Sample[]) {
  const med = (pick: (s: Sample) => number) => Math.round(median(samples.map(pick)) * 100) / 100;
  return {
    label: point.label,
    env: point.env,
    runs: samples.length,
    saturationRps: med((s) => s.saturation.rps),
    serverCores: med((s) => s.saturation.cpuCores.server),
    imagesPerCpuSecond: med((s) => s.saturation.rps / s.saturation.cpuCores.server),
    saturationP95Ms: med((s) => s.saturation.latencyMs.p95),
    atRate: {
      rps: med((s) => s.latency.offeredRps),
      p50Ms: med((s) => s.latency.p50Ms),
      p95Ms: med((s) => s.latency.p95Ms),
      p99Ms: med((s) => s.latency.p99Ms),
      success: med((s) => s.latency.success),
    },
    meanBatch: med((s) => s.saturation.serverStageMeansMs.meanBatch ?? Number.NaN),
    rssMiB: med((s) => s.rssMiB),
    samples,
  };
}

/** The tuning variables this sweep inherited (a point's own env overrides them). */
function pickEnv(): Record<string, string> {
  const names = [
    'INFERENCE_WORKERS',
    'INTRA_OP_THREADS',
    'BATCH_MAX_SIZE',
    'BATCH_MAX_WAIT_MS',
    'QUEUE_MAX',
    'UV_THREADPOOL_SIZE',
    'SHARP_CONCURRENCY',
    'MALLOC_ARENA_MAX',
    'LD_PRELOAD',
    'MODEL_DIR',
  ];
  return Object.fromEntries(names.filter((n) => process.env[n] !== undefined).map((n) => [n, process.env[n]!]));
}

function markdown(rows: ReturnType<typeof summarise>[]): string {
  const head =
    '| point | saturation img/s | server cores | img per CPU-s | p95 at saturation ms | offered img/s | p50 ms | p95 ms | p99 ms | mean batch | RSS MiB |';
  const lines = [head, `|${'---|'.repeat(11)}`];
  for (const r of rows) {
    lines.push(
      `| ${r.label} | ${r.saturationRps} | ${r.serverCores} | ${r.imagesPerCpuSecond} | ${r.saturationP95Ms} | ${r.atRate.rps} | ${r.atRate.p50Ms} | ${r.atRate.p95Ms} | ${r.atRate.p99Ms} | ${r.meanBatch} | ${r.rssMiB} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const sweep = SWEEPS[process.argv[2] ?? ''];
  if (!sweep) throw new Error(`usage: run-sweep <${Object.keys(SWEEPS).join('|')}>`);
  const photos = await loadPhotoSet();
  const workDir = await mkdtemp(join(tmpdir(), `sweep-${sweep.name}-`));
  const loadBefore = loadavg();
  const samples = new Map<string, Sample[]>(sweep.points.map((p) => [p.label, []]));
  let rate = process.env.SWEEP_RATE ? Number(process.env.SWEEP_RATE) : undefined;
  try {
    for (let rep = 0; rep < REPS; rep += 1) {
      const order = sweep.points.map((_, i) => sweep.points[(i + rep) % sweep.points.length]!);
      for (const point of order) {
        const sample = await measurePoint(point, photos, workDir, rate);
        rate ??= sample.latency.offeredRps;
        samples.get(point.label)!.push(sample);
        console.log(
          `  ${point.label}: ${sample.saturation.rps.toFixed(1)} img/s on ${sample.saturation.cpuCores.server} cores; p95 ${sample.latency.p95Ms} ms at ${sample.latency.offeredRps.toFixed(1)}/s; RSS ${sample.rssMiB.toFixed(0)} MiB`,
        );
      }
    }
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
  const rows = sweep.points.map((p) => summarise(p, samples.get(p.label)!));
  const at = new Date().toISOString();
  const file = await writeResultFile(resultPath('bench/results', `sweep-${sweep.name}`, at), {
    sweep: sweep.name,
    question: sweep.question,
    at,
    code: codeVersion(),
    env: pickEnv(),
    reps: REPS,
    seconds: SECONDS,
    concurrency: CONCURRENCY,
    loadavgBefore: loadBefore,
    loadavgAfter: loadavg(),
    rows,
  });
  console.log(
    `\n${sweep.question} (median of ${REPS} interleaved runs, ${SECONDS} s each; load ${loadBefore[0]!.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)})\n${markdown(rows)}\nwrote ${file}`,
  );
}

main().catch((error: Error) => {
  console.error(`sweep: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
