/** Bench (b): the service's own code in-process, no HTTP: createCaptioner's check and decode, then the caption use case. */
import { captionImage } from '../src/caption/caption-image.js';
import { createCaptioner, type Captioner } from '../src/captioner.js';
import type { Config } from '../src/config.js';
import { createMetrics, type ServiceMetrics } from '../src/observability/metrics.js';
import { runClosedLoop } from './kit/closed-loop.js';
import { coresMeter, ownCpuSeconds } from './kit/cpu-time.js';
import { mean } from './kit/percentiles.js';
import type { Photo } from './kit/photo-set.js';
import { parseMetrics, reportedMean, type Samples } from './kit/prometheus.js';

export interface PipelineResult {
  readonly imagesPerSecond: number;
  readonly images: number;
  readonly concurrency: number;
  /** CPU cores busy on average in this process (main thread, libuv pool, inference workers). */
  readonly cpuCores: number;
  /** Mean ms per image of decode and of queue wait; inference is ms per batch of meanBatch images (from the service's own metrics). */
  readonly stageMeansMs: { decode: number; queueWait: number; inferencePerBatch: number; meanBatch: number };
}

const round2 = (value: number | undefined) => (value === undefined ? Number.NaN : Math.round(value * 100) / 100);

/** A warm in-process service (loadModels with the given config, the same use case the route calls) that can be timed repeatedly. */
export class PipelineBench {
  private decodeMs: number[] = [];

  private constructor(
    private readonly captioner: Captioner,
    private readonly metrics: ServiceMetrics,
    private readonly config: Config,
    private readonly photos: readonly Photo[],
  ) {}

  /** Load the models as the server does, with a queue deep enough for `concurrency`, and caption every photo once. */
  static async open(config: Config, photos: readonly Photo[], concurrency: number): Promise<PipelineBench> {
    const metrics = createMetrics();
    const captioner = await createCaptioner({ ...config, queueMax: Math.max(config.queueMax, concurrency) }, { metrics });
    const bench = new PipelineBench(captioner, metrics, config, photos);
    await Promise.all(photos.map((photo) => bench.captionOnce(photo)));
    return bench;
  }

  private async captionOnce(photo: Photo): Promise<string> {
    const started = performance.now();
    const image = await this.captioner.open(photo.bytes);
    this.decodeMs.push(performance.now() - started);
    const options = { precisionTarget: this.config.captionPrecisionTarget, maxLabels: 5, origin: 'bench' };
    return (await captionImage(image, this.captioner.models.caption, options)).alt_text;
  }

  private async samples(): Promise<Samples> {
    return parseMetrics(await this.metrics.registry.metrics());
  }

  /** Run `concurrency` request loops over the photo set for `seconds`; images per second and stage means. */
  async measure(concurrency: number, seconds: number): Promise<PipelineResult> {
    this.decodeMs = [];
    const before = await this.samples();
    const cores = coresMeter(ownCpuSeconds);
    const run = await runClosedLoop(concurrency, seconds, (i) => this.captionOnce(this.photos[i % this.photos.length]!));
    const after = await this.samples();
    return {
      imagesPerSecond: run.completed / run.seconds,
      images: run.completed,
      concurrency,
      cpuCores: cores(),
      stageMeansMs: {
        decode: round2(mean(this.decodeMs)),
        queueWait: reportedMean(before, after, 'imgsense_inference_queue_wait_seconds') ?? Number.NaN,
        inferencePerBatch: reportedMean(before, after, 'imgsense_inference_duration_seconds') ?? Number.NaN,
        meanBatch: reportedMean(before, after, 'imgsense_inference_batch_size') ?? Number.NaN,
      },
    };
  }

  close(): Promise<void> {
    return this.captioner.close();
  }
}
