/** Bench (b): the service's own stages in-process (decode, resize, micro-batched infer, hedge, top labels, compose), no HTTP. */
import type { ModelBundle } from '../src/bundle/load-bundle.js';
import type { Config } from '../src/config.js';
import { decodeImage } from '../src/image/decode.js';
import { resizeForModel } from '../src/image/resize.js';
import { composeAltText } from '../src/caption/compose-alt-text.js';
import { hedgeLabel, topClasses } from '../src/caption/hedge.js';
import { InferencePool } from '../src/runtime/inference-pool.js';
import { workingShorterSide } from '../src/server.js';
import { runClosedLoop } from './kit/closed-loop.js';
import { coresMeter, ownCpuSeconds } from './kit/cpu-time.js';
import type { Photo } from './kit/photo-set.js';

export interface PipelineResult {
  readonly imagesPerSecond: number;
  readonly images: number;
  readonly concurrency: number;
  /** CPU cores busy on average in this process (main thread, libuv pool, inference workers). */
  readonly cpuCores: number;
  /** Mean ms per image of decode+resize and of queue wait; inference is ms per batch of meanBatch images. */
  readonly stageMeansMs: { decodeResize: number; queueWait: number; inferencePerBatch: number; meanBatch: number };
}

class Mean {
  private sum = 0;
  private count = 0;
  add(value: number): void {
    this.sum += value;
    this.count += 1;
  }
  get value(): number {
    return this.count > 0 ? Math.round((this.sum / this.count) * 100) / 100 : Number.NaN;
  }
}

interface Window {
  decode: Mean;
  queueWait: Mean;
  inference: Mean;
  batch: Mean;
}

const newWindow = (): Window => ({ decode: new Mean(), queueWait: new Mean(), inference: new Mean(), batch: new Mean() });

/** A warm in-process pipeline (the server's pool and stage functions) that can be timed repeatedly. */
export class PipelineBench {
  private window = newWindow();
  private readonly side: number;

  private constructor(private readonly bundle: ModelBundle, private readonly config: Config, private readonly pool: InferencePool, private readonly photos: readonly Photo[]) {
    this.side = workingShorterSide([bundle]);
  }

  /** Start the pool with the service configuration and run every photo once. */
  static async open(bundle: ModelBundle, config: Config, photos: readonly Photo[], concurrency: number): Promise<PipelineBench> {
    let bench: PipelineBench | undefined;
    const pool = await InferencePool.start([bundle], {
      workers: config.inferenceWorkers, intraOpThreads: config.intraOpThreads, provider: config.executionProvider,
      batch: { maxBatchSize: config.batchMaxSize, maxWaitMs: config.batchMaxWaitMs, queueMax: Math.max(config.queueMax, concurrency) },
    }, {
      onBatch: (_model, stats) => {
        bench?.window.batch.add(stats.size);
        stats.queueWaitsMs.forEach((ms) => bench?.window.queueWait.add(ms));
      },
      onInference: (_model, seconds) => bench?.window.inference.add(seconds * 1000),
    });
    bench = new PipelineBench(bundle, config, pool, photos);
    await Promise.all(photos.map((photo) => bench!.captionOnce(photo)));
    return bench;
  }

  private async captionOnce(photo: Photo): Promise<string> {
    const started = performance.now();
    const image = await decodeImage(photo.bytes, { maxPixels: this.config.maxPixels, workingShorterSide: this.side });
    const pixels = await resizeForModel(image, this.bundle.manifest.input);
    this.window.decode.add(performance.now() - started);
    const probabilities = await this.pool.infer(this.bundle.manifest.name, pixels);
    if (!this.bundle.hierarchy) return '';
    topClasses(this.bundle.manifest.classes, probabilities, 5);
    return composeAltText(hedgeLabel(this.bundle.hierarchy, probabilities, this.config.captionPrecisionTarget));
  }

  /** Run `concurrency` request loops over the photo set for `seconds`; images per second and stage means. */
  async measure(concurrency: number, seconds: number): Promise<PipelineResult> {
    this.window = newWindow();
    const cores = coresMeter(ownCpuSeconds);
    const run = await runClosedLoop(concurrency, seconds, (i) => this.captionOnce(this.photos[i % this.photos.length]!));
    const w = this.window;
    return {
      imagesPerSecond: run.completed / run.seconds, images: run.completed, concurrency, cpuCores: cores(),
      stageMeansMs: { decodeResize: w.decode.value, queueWait: w.queueWait.value, inferencePerBatch: w.inference.value, meanBatch: w.batch.value },
    };
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
