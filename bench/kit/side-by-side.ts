/** Servers that differ in one setting, measured in interleaved rounds on the same photos: p50, saturation, session.run per model. */
import { runClosedLoop } from './closed-loop.js';
import { median, percentile } from './percentiles.js';
import { loadPhotoSet, type Photo } from './photo-set.js';
import { timedPost } from './post-photo.js';
import { reportedMean, scrapeMetrics } from './prometheus.js';
import { startTarget, type TargetServer } from './target-server.js';

export interface SideBySideOptions {
  rounds: number;
  /** Closed-loop seconds per server per round; 0 skips the saturation run. */
  seconds: number;
  concurrency: number;
  /** Sequential requests per photo per round (concurrency 1). */
  sequentialPerPhoto: number;
}

/** One server under comparison: what it was started with and the models /readyz says it serves. */
export interface Variant {
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

/** One round: each server's measurement and its ratios to the first server's. */
interface Round {
  round: number;
  order: string[];
  variants: (Measurement & { label: string; p50Ratio: number; rpsRatio: number })[];
}

/** `--env KEY=VALUE` arguments as an environment. */
export function envPairs(pairs: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const cut = pair.indexOf('=');
      if (cut < 1) throw new Error(`--env ${pair}: expected KEY=VALUE`);
      return [pair.slice(0, cut), pair.slice(cut + 1)];
    }),
  );
}

/** Start one server of the comparison with these settings (on top of its defaults). */
export async function startVariant(label: string, env: Record<string, string>): Promise<Variant> {
  const target = await startTarget({ own: true, quiet: true, env: { MODERATION_ENABLED: 'false', ...env } });
  const response = await fetch(`${target.baseUrl}/readyz`);
  const body = (await response.json()) as { models: { name: string; task: string }[] };
  return { label, target, models: body.models.map(({ name, task }) => ({ name, task })) };
}

/** Sequential latency over the photos, then closed-loop saturation; per-model inference time from /metrics. */
async function measure(variant: Variant, photos: readonly Photo[], options: SideBySideOptions): Promise<Measurement> {
  const { baseUrl } = variant.target;
  const before = await scrapeMetrics(baseUrl);
  const latencies: number[] = [];
  for (let i = 0; i < options.sequentialPerPhoto; i += 1)
    for (const photo of photos) latencies.push(await timedPost(baseUrl, '/caption', photo));
  const run =
    options.seconds > 0
      ? await runClosedLoop(options.concurrency, options.seconds, (i) => timedPost(baseUrl, '/caption', photos[i % photos.length]!))
      : undefined;
  const after = await scrapeMetrics(baseUrl);
  const inferenceMs = Object.fromEntries(
    variant.models.map(({ name }) => [name, reportedMean(before, after, 'imgsense_inference_duration_seconds', `model="${name}"`)]),
  );
  return {
    p50: percentile(latencies, 50),
    p90: percentile(latencies, 90),
    rps: run ? run.completed / run.seconds : Number.NaN,
    inferenceMs,
  };
}

/** Interleaved rounds (each starts at the next server); ratios to the first variant; the summary is the median round. */
export async function compareSideBySide(variants: readonly Variant[], photos: readonly Photo[], options: SideBySideOptions) {
  for (const v of variants) console.log(`${v.label}: ${v.models.map((m) => `${m.name} (${m.task})`).join(', ')}`);
  const rows: Round[] = [];
  for (let round = 1; round <= options.rounds; round += 1) {
    const order = variants.map((_, k) => variants[(k + round - 1) % variants.length]!);
    const measured = new Map<Variant, Measurement>();
    for (const v of order) measured.set(v, await measure(v, photos, options));
    const base = measured.get(variants[0]!)!;
    const row = variants.map((v) => {
      const m = measured.get(v)!;
      return { label: v.label, ...m, p50Ratio: m.p50 / base.p50, rpsRatio: m.rps / base.rps };
    });
    rows.push({ round, order: order.map((v) => v.label), variants: row });
    console.log(`round ${round}:`);
    for (const r of row) {
      const runs = Object.entries(r.inferenceMs)
        .map(([model, ms]) => `${model} ${ms} ms`)
        .join(', ');
      console.log(
        `  ${r.label.padEnd(28)} p50 ${r.p50.toFixed(1)} ms (x${r.p50Ratio.toFixed(2)}), p90 ${r.p90.toFixed(1)} ms, saturation ${r.rps.toFixed(1)} req/s (x${r.rpsRatio.toFixed(2)}), session.run ${runs}`,
      );
    }
  }
  const summary = variants.map((v, k) => ({
    label: v.label,
    models: v.models,
    p50Ratio: median(rows.map((r) => r.variants[k]!.p50Ratio)),
    rpsRatio: median(rows.map((r) => r.variants[k]!.rpsRatio)),
    p50: median(rows.map((r) => r.variants[k]!.p50)),
    inferenceMs: Object.fromEntries(
      v.models.map(({ name }) => [name, median(rows.map((r) => r.variants[k]!.inferenceMs[name] ?? Number.NaN))]),
    ),
  }));
  return { summary, rows };
}

/**
 * Serve each configuration (label and environment), compare their /caption p50 at concurrency 1 on the bench's photos (or those given)
 * in interleaved rounds, print one JSON line of the summary, and stop every server, even on a failure.
 */
export async function compareP50(
  configurations: readonly [string, Record<string, string>][],
  rounds: number,
  sequentialPerPhoto: number,
  /** The photos sent; the bench's set when absent. */
  photos?: readonly Photo[],
): Promise<void> {
  const variants: Variant[] = [];
  try {
    for (const [label, env] of configurations) variants.push(await startVariant(label, env));
    const sent = photos ?? (await loadPhotoSet());
    const { summary } = await compareSideBySide(variants, sent, { rounds, seconds: 0, concurrency: 1, sequentialPerPhoto });
    console.log(JSON.stringify(summary.map(({ label, p50, p50Ratio, inferenceMs }) => ({ label, p50, p50Ratio, inferenceMs }))));
  } finally {
    await Promise.all(variants.map((v) => v.target.stop()));
  }
}
