/** Bench (c)/(d): one HTTP route at saturation (closed loop) and p50/p95/p99 at fixed arrival rates, via vegeta. */
import { join } from 'node:path';
import { coresMeter, processCpuSeconds, reapedChildrenCpuSeconds } from './kit/cpu-time.js';
import type { Photo } from './kit/photo-set.js';
import { postPhoto } from './kit/post-photo.js';
import { reportedMean, scrapeMetrics, type Samples } from './kit/prometheus.js';
import { attack, ms, report, writeTargets } from './kit/vegeta.js';

export interface RatePoint {
  readonly offeredRps: number;
  readonly achievedRps: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly p99Ms: number;
  readonly success: number;
}

export interface Saturation {
  readonly route: string;
  readonly rps: number;
  readonly success: number;
  readonly concurrency: number;
  readonly latencyMs: { p50: number; p95: number; p99: number };
  /** CPU cores busy on average during the run: the server process, and the load generator (vegeta). */
  readonly cpuCores: { server: number; loadGenerator: number };
  /** Means from the server's own /metrics over the run (ms; meanBatch in images). */
  readonly serverStageMeansMs: Record<string, number | undefined>;
}

const STAGE_HISTOGRAMS: Record<string, string> = {
  request: 'imgsense_http_request_duration_seconds',
  decode: 'imgsense_image_decode_seconds',
  queueWait: 'imgsense_inference_queue_wait_seconds',
  inferencePerBatch: 'imgsense_inference_duration_seconds',
};

function stageMeans(before: Samples, after: Samples, route: string): Record<string, number | undefined> {
  const means: Record<string, number | undefined> = {};
  for (const [stage, name] of Object.entries(STAGE_HISTOGRAMS)) {
    means[stage] = reportedMean(before, after, name, ...(stage === 'request' ? [`route="${route}"`] : []));
  }
  means.meanBatch = reportedMean(before, after, 'imgsense_inference_batch_size');
  return means;
}

/** True when the route exists on the server (answers anything but 404/405 to a real photo). */
export async function routeAnswers(baseUrl: string, route: string, photo: Photo): Promise<boolean> {
  const status = await postPhoto(baseUrl, route, photo);
  return status !== 404 && status !== 405;
}

/** One route of a running server, its photo targets written once, measured as often as asked. */
export class HttpBench {
  private runs = 0;

  private constructor(
    private readonly baseUrl: string,
    readonly route: string,
    private readonly targetsFile: string,
    private readonly workDir: string,
    private readonly serverPid: number | undefined,
  ) {}

  /** Write the targets file (the photo set, raw bodies) for `route`; `serverPid` enables server CPU accounting. */
  static async prepare(baseUrl: string, route: string, photos: readonly Photo[], workDir: string, serverPid?: number): Promise<HttpBench> {
    const targetsFile = join(workDir, `targets${route.replaceAll('/', '-')}.jsonl`);
    await writeTargets(targetsFile, `${baseUrl}${route}`, photos);
    return new HttpBench(baseUrl, route, targetsFile, workDir, serverPid);
  }

  private file(kind: string): string {
    this.runs += 1;
    return join(this.workDir, `${kind}${this.route.replaceAll('/', '-')}-${this.runs}.bin`);
  }

  /** Closed loop with `concurrency` workers for `seconds`: 2xx per second, latencies, server stage means. */
  async saturate(concurrency: number, seconds: number): Promise<Saturation> {
    const before = await scrapeMetrics(this.baseUrl);
    const file = this.file('saturate');
    const [serverCores, loadGeneratorCores] = [coresMeter(() => processCpuSeconds(this.serverPid)), coresMeter(reapedChildrenCpuSeconds)];
    await attack({ targetsFile: this.targetsFile, outputFile: file, rate: 0, seconds, maxWorkers: concurrency });
    const cpuCores = { server: serverCores(), loadGenerator: loadGeneratorCores() };
    const after = await scrapeMetrics(this.baseUrl);
    const r = await report([file]);
    return {
      route: this.route,
      rps: r.throughput,
      success: r.success,
      concurrency,
      latencyMs: { p50: ms(r.latencies['50th']), p95: ms(r.latencies['95th']), p99: ms(r.latencies['99th']) },
      cpuCores,
      serverStageMeansMs: stageMeans(before, after, this.route),
    };
  }

  /** Open model: offer each rate for `seconds` and record achieved rate and latency percentiles. */
  async atRates(ratesRps: readonly number[], seconds: number): Promise<RatePoint[]> {
    const points: RatePoint[] = [];
    for (const offered of ratesRps) {
      const file = this.file('rate');
      await attack({ targetsFile: this.targetsFile, outputFile: file, rate: offered, seconds });
      const r = await report([file]);
      points.push({
        offeredRps: offered,
        achievedRps: r.throughput,
        p50Ms: ms(r.latencies['50th']),
        p95Ms: ms(r.latencies['95th']),
        p99Ms: ms(r.latencies['99th']),
        success: r.success,
      });
    }
    return points;
  }
}
