/** `npx tsx bench/detector-cost.ts [--rounds 3] [--seconds 10]`: /caption with and without the detector, side by side. */
import { parseArgs } from 'node:util';
import { runClosedLoop } from './kit/closed-loop.js';
import { median, percentile } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';
import { timedPost } from './kit/post-photo.js';
import { reportedMean, scrapeMetrics } from './kit/prometheus.js';
import { startTarget, type TargetServer } from './kit/target-server.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, seconds: { type: 'string', default: '10' }, concurrency: { type: 'string', default: '8' } } });
const ROUNDS = Number(values.rounds);
const SECONDS = Number(values.seconds);
const CONCURRENCY = Number(values.concurrency);
const SEQUENTIAL_PER_PHOTO = 5;

interface Measurement {
  p50: number;
  p90: number;
  rps: number;
  /** Mean ms of one session.run per model over the round. */
  inferenceMs: Record<string, number | undefined>;
}

/** Sequential latency over the photos, then closed-loop saturation; per-model inference time from /metrics. */
async function measure(target: TargetServer, photos: readonly Photo[]): Promise<Measurement> {
  const before = await scrapeMetrics(target.baseUrl);
  const latencies: number[] = [];
  for (let i = 0; i < SEQUENTIAL_PER_PHOTO; i += 1) for (const photo of photos) latencies.push(await timedPost(target.baseUrl, '/caption', photo));
  const run = await runClosedLoop(CONCURRENCY, SECONDS, (i) => timedPost(target.baseUrl, '/caption', photos[i % photos.length]!));
  const after = await scrapeMetrics(target.baseUrl);
  const inferenceMs = Object.fromEntries(
    ['efficientnet-lite0', 'nanodet-coco'].map((model) => [model, reportedMean(before, after, 'inference_duration_seconds', `model="${model}"`)]),
  );
  return { p50: percentile(latencies, 50), p90: percentile(latencies, 90), rps: run.completed / run.seconds, inferenceMs };
}

const photos = await loadPhotoSet();
const env = { MODERATION_ENABLED: 'false' };
const without = await startTarget({ own: true, quiet: true, env: { ...env, DETECTOR_ENABLED: 'false' } });
const withDetector = await startTarget({ own: true, quiet: true, env: { ...env, DETECTOR_ENABLED: 'true' } });
try {
  const rows = [];
  for (let round = 1; round <= ROUNDS; round += 1) {
    const a = await measure(without, photos);
    const b = await measure(withDetector, photos);
    rows.push({ round, without: a, with: b, p50Ratio: b.p50 / a.p50, rpsRatio: b.rps / a.rps });
    console.log(
      `round ${round}: p50 ${a.p50.toFixed(1)} -> ${b.p50.toFixed(1)} ms (x${(b.p50 / a.p50).toFixed(2)}), ` +
        `saturation ${a.rps.toFixed(1)} -> ${b.rps.toFixed(1)} req/s (x${(b.rps / a.rps).toFixed(2)}), ` +
        `session.run lite0 ${b.inferenceMs['efficientnet-lite0']} ms, nanodet ${b.inferenceMs['nanodet-coco']} ms`,
    );
  }
  console.log(JSON.stringify({ photos: photos.length, concurrency: CONCURRENCY, seconds: SECONDS, p50Ratio: median(rows.map((r) => r.p50Ratio)), rpsRatio: median(rows.map((r) => r.rpsRatio)), rows }));
} finally {
  await Promise.all([without.stop(), withDetector.stop()]);
}
