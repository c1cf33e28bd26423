/** `npx tsx bench/detector-cost.ts [--detector models/nanodet-coco-288 ...] [--env KEY=VALUE ...] [--rounds 3] [--seconds 10]`: /caption with no detector and with each given one, side by side. */
import { parseArgs } from 'node:util';
import { runClosedLoop } from './kit/closed-loop.js';
import { median, percentile } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { timedPost } from './kit/post-photo.js';
import { reportedMean, scrapeMetrics } from './kit/prometheus.js';
import { startTarget, type TargetServer } from './kit/target-server.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    /** A detector bundle directory, passed to its server as DETECTOR_MODEL_DIR; repeat to compare several. */
    detector: { type: 'string', multiple: true, default: ['models/nanodet-coco-288'] },
    /** A setting for every server started here (e.g. INFERENCE_WORKERS=2); repeatable. */
    env: { type: 'string', multiple: true, default: [] },
  },
});
const SHARED_ENV: Record<string, string> = Object.fromEntries(
  values.env.map((pair) => {
    const cut = pair.indexOf('=');
    if (cut < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
    return [pair.slice(0, cut), pair.slice(cut + 1)];
  }),
);
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const SEQUENTIAL_PER_PHOTO = 5;

/** One server under comparison: what it was started with and the models /readyz says it serves. */
interface Variant {
  label: string;
  target: TargetServer;
  models: { name: string; task: string }[];
}

interface Measurement {
  p50: number;
  p90: number;
  rps: number;
  /** Mean ms of one session.run per model over the round. */
  inferenceMs: Record<string, number | undefined>;
}

/** One round: each server's measurement and its ratios to the classifier-only server's. */
interface Round {
  round: number;
  order: string[];
  variants: (Measurement & { label: string; p50Ratio: number; rpsRatio: number })[];
}

/** The models the server reports as loaded, by manifest name and task. */
async function servedModels(target: TargetServer): Promise<Variant['models']> {
  const response = await fetch(`${target.baseUrl}/readyz`);
  const body = (await response.json()) as { models: { name: string; task: string }[] };
  return body.models.map(({ name, task }) => ({ name, task }));
}

/** Sequential latency over the photos, then closed-loop saturation; per-model inference time from /metrics. */
async function measure(variant: Variant, photos: readonly Photo[]): Promise<Measurement> {
  const { baseUrl } = variant.target;
  const before = await scrapeMetrics(baseUrl);
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL_PER_PHOTO; i += 1) for (const photo of photos) latencies.push(await timedPost(baseUrl, '/caption', photo));
  const run = await runClosedLoop(CONCURRENCY, SECONDS, (i) => timedPost(baseUrl, '/caption', photos[i % photos.length]!));
  const after = await scrapeMetrics(baseUrl);
  const inferenceMs = Object.fromEntries(
    variant.models.map(({ name }) => [name, reportedMean(before, after, 'imgsense_inference_duration_seconds', `model="${name}"`)]),
  );
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), rps: run.completed / run.seconds, inferenceMs };
}

async function startVariant(label: string, env: Record<string, string>): Promise<Variant> {
  const target = await startTarget({ own: true, quiet: true, env: { MODERATION_ENABLED: 'false', ...SHARED_ENV, ...env } });
  return { label, target, models: await servedModels(target) };
}

const photos = await loadPhotoSet();
const variants: Variant[] = [];
try {
  variants.push(await startVariant('classifier only', { DETECTOR_ENABLED: 'false' }));
  for (const dir of values.detector) variants.push(await startVariant(dir, { DETECTOR_ENABLED: 'true', DETECTOR_MODEL_DIR: dir }));
  for (const v of variants) console.log(`${v.label}: ${v.models.map((m) => `${m.name} (${m.task})`).join(', ')}`);
  const rows: Round[] = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    // Each round starts at the next server, so no one always runs first or last.
    const order = variants.map((_, k) => variants[(k + round - 1) % variants.length]!);
    const measured = new Map<Variant, Measurement>();
    for (const v of order) measured.set(v, await measure(v, photos));
    const base = measured.get(variants[0]!)!;
    const row = variants.map((v) => {
      const m = measured.get(v)!;
      return { label: v.label, ...m, p50Ratio: m.p50 / base.p50, rpsRatio: m.rps / base.rps };
    });
    rows.push({ round, order: order.map((v) => v.label), variants: row });
    console.log(`round ${round}:`);
    for (const r of row) {
      const runs = Object.entries(r.inferenceMs).map(([model, ms]) => `${model} ${ms} ms`).join(', ');
      console.log(`  ${r.label.padEnd(28)} p50 ${r.p50.toFixed(1)} ms (x${r.p50Ratio.toFixed(2)}), saturation ${r.rps.toFixed(1)} req/s (x${r.rpsRatio.toFixed(2)}), session.run ${runs}`);
    }
  }
  const summary = variants.map((v, k) => ({
    label: v.label,
    models: v.models,
    p50Ratio: median(rows.map((r) => r.variants[k]!.p50Ratio)),
    rpsRatio: median(rows.map((r) => r.variants[k]!.rpsRatio)),
    p50: median(rows.map((r) => r.variants[k]!.p50)),
    inferenceMs: Object.fromEntries(v.models.map(({ name }) => [name, median(rows.map((r) => r.variants[k]!.inferenceMs[name] ?? Number.NaN))])),
  }));
  console.log(JSON.stringify({ photos: photos.length, concurrency: CONCURRENCY, seconds: SECONDS, env: SHARED_ENV, summary, rows }));
} finally {
  await Promise.all(variants.map((v) => v.target.stop()));
}
