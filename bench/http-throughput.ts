/** Bench (c)/(d): one HTTP route at saturation (closed loop) and p50/p95/p99 at fixed arrival rates, via vegeta. */
import { join } from 'node:path';
import { measureCapacity } from '../load/capacity.js';
import { histogramMean, scrapeMetrics, type Samples } from '../load/prometheus.js';
import { attack, ms, report, writeTargets } from '../load/vegeta.js';
import type { Photo } from './photo-set.js';

export interface RatePoint {
  readonly offeredRps: number;
  readonly achievedRps: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly success: number;
}

export interface HttpResult {
  readonly route: string;
  readonly saturationRps: number;
  readonly saturationSuccess: number;
  readonly concurrency: number;
  readonly saturationLatencyMs: { p50: number; p95: number; p99: number };
  /** Means from the server's /metrics over the saturation run. */
  readonly serverStageMeansMs: Record<string, number | undefined>;
  readonly rates: RatePoint[];
}

const STAGE_HISTOGRAMS: Record<string, string> = {
  request: 'http_request_duration_seconds',
  decode: 'image_decode_seconds',
  queueWait: 'inference_queue_wait_seconds',
  inferencePerBatch: 'inference_duration_seconds',
};

function stageMeans(before: Samples, after: Samples, route: string): Record<string, number | undefined> {
  const means: Record<string, number | undefined> = {};
  for (const [stage, name] of Object.entries(STAGE_HISTOGRAMS)) {
    const labels = stage === 'request' ? [`route="${route}"`] : [];
    const mean = histogramMean(before, after, name, ...labels);
    means[stage] = mean === undefined ? undefined : Math.round(mean * 1e5) / 100;
  }
  const batchMean = histogramMean(before, after, 'inference_batch_size');
  means.meanBatch = batchMean === undefined ? undefined : Math.round(batchMean * 100) / 100;
  return means;
}

/** True when the route exists on the server (answers anything but 404/405 to a real photo). */
export async function routeAnswers(baseUrl: string, route: string, photo: Photo): Promise<boolean> {
  const response = await fetch(`${baseUrl}${route}`, { method: 'POST', body: photo.bytes, headers: { 'Content-Type': photo.mimeType } });
  await response.arrayBuffer();
  return response.status !== 404 && response.status !== 405;
}

/** Saturate `route` with `concurrency` workers, then offer each fraction of that rate and record latency percentiles. */
export async function benchHttp(baseUrl: string, route: string, photos: readonly Photo[], workDir: string,
  options: { concurrency: number; seconds: number; rateFractions: readonly number[]; rateSeconds: number }): Promise<HttpResult> {
  const targetsFile = join(workDir, `targets${route.replaceAll('/', '-')}.jsonl`);
  await writeTargets(targetsFile, `${baseUrl}${route}`, photos);
  const before = await scrapeMetrics(baseUrl);
  const capacity = await measureCapacity(targetsFile, workDir, options.seconds, options.concurrency);
  const after = await scrapeMetrics(baseUrl);
  const rates: RatePoint[] = [];
  for (const fraction of options.rateFractions) {
    const offered = Math.max(0.5, fraction * capacity.rps);
    const file = join(workDir, `rate${route.replaceAll('/', '-')}-${fraction}.bin`);
    await attack({ targetsFile, outputFile: file, rate: offered, seconds: options.rateSeconds });
    const r = await report([file]);
    rates.push({ offeredRps: offered, achievedRps: r.throughput, p50Ms: ms(r.latencies['50th']), p95Ms: ms(r.latencies['95th']), p99Ms: ms(r.latencies['99th']), success: r.success });
  }
  const l = capacity.report.latencies;
  return {
    route, saturationRps: capacity.rps, saturationSuccess: capacity.report.success, concurrency: options.concurrency,
    saturationLatencyMs: { p50: ms(l['50th']), p95: ms(l['95th']), p99: ms(l['99th']) },
    serverStageMeansMs: stageMeans(before, after, route), rates,
  };
}
