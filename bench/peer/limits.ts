/** Item 5's limits on the same photos: decode-only throughput (the service's decode and resize) and raw ONNX Runtime throughput. */
import type { ModelBundle } from '../../src/bundle/load-bundle.js';
import type { Config } from '../../src/config.js';
import { ImageSource, imageLimits } from '../../src/image/image-source.js';
import { resizeForModel } from '../../src/image/resize.js';
import { workingShorterSide } from '../../src/load-models.js';
import { runClosedLoop } from '../kit/closed-loop.js';
import { coresMeter, ownCpuSeconds } from '../kit/cpu-time.js';
import type { Photo } from '../kit/photo-set.js';
import { RawOrtBench } from '../raw-ort.js';
import { combinedLimit } from './compare-table.js';

/** Images per second of one stage, and the cores this process kept busy doing it. */
export interface StageThroughput {
  readonly imagesPerSecond: number;
  readonly cores: number;
  readonly settings: Record<string, number>;
}

export interface Limits {
  readonly decode: StageThroughput;
  /** session.run at the server's intra-op threads and batch size (what its one inference worker can reach). */
  readonly inference: StageThroughput;
  /** The same on every core (intra-op threads = cores), the machine's inference limit. */
  readonly inferenceAllCores: StageThroughput;
  /** 1 / (1/decode + 1/inference): both stages share the cores. */
  readonly combined: number;
  readonly combinedAllCores: number;
}

/** The service's decode path as the classifier-only server runs it: ImageSource.open at its working size, then resizeForModel; `inFlight` at once. */
export async function decodeThroughput(
  config: Config,
  bundle: ModelBundle,
  photos: readonly Photo[],
  inFlight: number,
  seconds: number,
): Promise<StageThroughput> {
  const limits = imageLimits(config);
  const side = workingShorterSide([bundle]);
  const once = async (i: number) =>
    resizeForModel((await ImageSource.open(photos[i % photos.length]!.bytes, limits, side)).working, bundle.manifest.input);
  await Promise.all(photos.map((_, i) => once(i)));
  const cores = coresMeter(ownCpuSeconds);
  const run = await runClosedLoop(inFlight, seconds, once);
  return { imagesPerSecond: run.completed / run.seconds, cores: cores(), settings: { inFlight, workingShorterSide: side } };
}

/** session.run on pre-resized batches (bench/raw-ort.ts) with `intraOpThreads` at `batch`. */
export async function inferenceThroughput(
  bundle: ModelBundle,
  photos: readonly Photo[],
  intraOpThreads: number,
  batch: number,
  seconds: number,
): Promise<StageThroughput> {
  const { input } = bundle.manifest;
  const raw = await RawOrtBench.open(photos, {
    modelPath: bundle.modelPath,
    inputName: input.name,
    height: input.height,
    width: input.width,
    intraOpThreads,
    batches: [batch],
    secondsPerPoint: seconds,
  });
  try {
    await raw.measure(batch, 0.5);
    const cores = coresMeter(ownCpuSeconds);
    const point = await raw.measure(batch, seconds);
    return {
      imagesPerSecond: point.imagesPerSecond,
      cores: cores(),
      settings: { intraOpThreads, batch, msPerBatch: Math.round(point.msPerBatch * 10) / 10 },
    };
  } finally {
    await raw.close();
  }
}

/** Decode-only, raw ORT at the server's threads and at every core, and the combined limits they imply. */
export async function measureLimits(
  config: Config,
  bundle: ModelBundle,
  photos: readonly Photo[],
  cores: number,
  seconds: number,
): Promise<Limits> {
  const inFlight = Number(process.env.UV_THREADPOOL_SIZE ?? 4);
  const decode = await decodeThroughput(config, bundle, photos, inFlight, seconds);
  const inference = await inferenceThroughput(bundle, photos, config.intraOpThreads, config.batchMaxSize, seconds);
  const inferenceAllCores =
    cores === config.intraOpThreads ? inference : await inferenceThroughput(bundle, photos, cores, config.batchMaxSize, seconds);
  return {
    decode,
    inference,
    inferenceAllCores,
    combined: combinedLimit(decode.imagesPerSecond, inference.imagesPerSecond),
    combinedAllCores: combinedLimit(decode.imagesPerSecond, inferenceAllCores.imagesPerSecond),
  };
}
