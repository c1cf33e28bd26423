/** Bench (b): the service's own stages in-process (decode, resize, micro-batched infer, hedge, compose), no HTTP. */
import type { ModelBundle } from '../src/bundle/load-bundle.js';
import type { Config } from '../src/config.js';
import { decodeImage } from '../src/image/decode.js';
import { resizeForModel } from '../src/image/resize.js';
import { composeAltText } from '../src/pipeline/compose-alt-text.js';
import { hedgeLabel } from '../src/pipeline/hedge.js';
import { InferencePool } from '../src/runtime/inference-pool.js';
import { workingShorterSide } from '../src/server.js';
import type { Photo } from './photo-set.js';

export interface PipelineResult {
  readonly imagesPerSecond: number;
  readonly images: number;
  readonly concurrency: number;
  /** Mean milliseconds per image of each stage; inference is per batch, batch is mean images per batch. */
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

async function captionOnce(bundle: ModelBundle, pool: InferencePool, config: Config, photo: Photo, side: number, decodeMs: Mean): Promise<string> {
  const started = performance.now();
  const image = await decodeImage(photo.bytes, { maxPixels: config.maxPixels, workingShorterSide: side });
  const pixels = await resizeForModel(image, bundle.manifest.input);
  decodeMs.add(performance.now() - started);
  const probabilities = await pool.infer(bundle.manifest.name, pixels);
  if (!bundle.hierarchy) return '';
  return composeAltText(hedgeLabel(bundle.hierarchy, probabilities, config.captionPrecisionTarget));
}

/** Run `concurrency` request loops over the photo set for `seconds` (after a warm pass); images per second. */
export async function benchPipeline(bundle: ModelBundle, config: Config, photos: readonly Photo[], concurrency: number, seconds: number): Promise<PipelineResult> {
  const queueWait = new Mean();
  const inference = new Mean();
  const batch = new Mean();
  const pool = await InferencePool.start([bundle], {
    workers: config.inferenceWorkers, intraOpThreads: config.intraOpThreads, provider: config.executionProvider,
    batch: { maxBatchSize: config.batchMaxSize, maxWaitMs: config.batchMaxWaitMs, queueMax: Math.max(config.queueMax, concurrency) },
  }, {
    onBatch: (_model, stats) => {
      batch.add(stats.size);
      stats.queueWaitsMs.forEach((ms) => queueWait.add(ms));
    },
    onInference: (_model, secondsTaken) => inference.add(secondsTaken * 1000),
  });
  try {
    const side = workingShorterSide([bundle]);
    const decode = new Mean();
    await Promise.all(photos.map((photo) => captionOnce(bundle, pool, config, photo, side, new Mean())));
    let images = 0;
    const started = performance.now();
    const deadline = started + seconds * 1000;
    const loop = async (offset: number) => {
      for (let i = offset; performance.now() < deadline; i += 1) {
        await captionOnce(bundle, pool, config, photos[i % photos.length]!, side, decode);
        images += 1;
      }
    };
    await Promise.all(Array.from({ length: concurrency }, (_, i) => loop(i)));
    const elapsed = (performance.now() - started) / 1000;
    return {
      imagesPerSecond: images / elapsed, images, concurrency,
      stageMeansMs: { decodeResize: decode.value, queueWait: queueWait.value, inferencePerBatch: inference.value, meanBatch: batch.value },
    };
  } finally {
    await pool.close();
  }
}
