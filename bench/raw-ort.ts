/** Bench (a): raw ONNX Runtime throughput on pre-resized photos, sweeping the batch size, no decode and no HTTP. */
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import type { Photo } from './kit/photo-set.js';

export interface RawOrtPoint {
  readonly batch: number;
  readonly imagesPerSecond: number;
  readonly msPerBatch: number;
  readonly runs: number;
}

export interface RawOrtOptions {
  readonly modelPath: string;
  readonly inputName: string;
  readonly height: number;
  readonly width: number;
  readonly intraOpThreads: number;
  readonly batches: readonly number[];
  readonly secondsPerPoint: number;
  /** Let idle intra-op threads spin (the service never does: decoding shares the cores); default false. */
  readonly allowSpinning?: boolean;
  /** ORT's execution providers in order of preference; default CPU only (bench/gpu-bench.ts asks for cuda alone). */
  readonly executionProviders?: readonly string[];
}

/** Each photo resized to cover height x width, as raw RGB (the same input for every provider and batch). */
export async function pixelsOf(photos: readonly Photo[], height: number, width: number): Promise<Buffer[]> {
  return Promise.all(
    photos.map((p) => sharp(p.bytes).removeAlpha().toColourspace('srgb').resize(width, height, { fit: 'cover' }).raw().toBuffer()),
  );
}

function batchTensor(pixels: readonly Buffer[], batch: number, height: number, width: number): ort.Tensor {
  const frame = height * width * 3;
  const data = new Uint8Array(batch * frame);
  for (let i = 0; i < batch; i += 1) data.set(pixels[i % pixels.length]!, i * frame);
  return new ort.Tensor('uint8', data, [batch, height, width, 3]);
}

async function timePoint(
  session: ort.InferenceSession,
  feed: Record<string, ort.Tensor>,
  batch: number,
  seconds: number,
): Promise<RawOrtPoint> {
  for (let i = 0; i < 2; i += 1) await session.run(feed);
  const start = performance.now();
  let runs = 0;
  while (performance.now() - start < seconds * 1000 || runs < 3) {
    await session.run(feed);
    runs += 1;
  }
  const elapsedMs = performance.now() - start;
  return { batch, runs, msPerBatch: elapsedMs / runs, imagesPerSecond: (runs * batch * 1000) / elapsedMs };
}

/** One warm session on pre-resized photos, to time any batch size repeatedly. */
export class RawOrtBench {
  private constructor(
    private readonly session: ort.InferenceSession,
    private readonly pixels: Buffer[],
    private readonly options: RawOrtOptions,
  ) {}

  /** Create the session as src/runtime/inference-worker.ts does (same threads, optimisation level, execution mode, no spinning unless asked). */
  static async open(photos: readonly Photo[], options: RawOrtOptions): Promise<RawOrtBench> {
    const session = await ort.InferenceSession.create(options.modelPath, {
      intraOpNumThreads: options.intraOpThreads,
      interOpNumThreads: 1,
      executionMode: 'sequential',
      graphOptimizationLevel: 'all',
      executionProviders: [...(options.executionProviders ?? ['cpu'])],
      extra: { session: { intra_op: { allow_spinning: options.allowSpinning ? '1' : '0' } } },
    });
    return new RawOrtBench(session, await pixelsOf(photos, options.height, options.width), options);
  }

  /** Images per second at one batch size over `seconds`. */
  measure(batch: number, seconds: number): Promise<RawOrtPoint> {
    const feed = { [this.options.inputName]: batchTensor(this.pixels, batch, this.options.height, this.options.width) };
    return timePoint(this.session, feed, batch, seconds);
  }

  /** Every batch size of the options, once each. */
  async sweep(): Promise<RawOrtPoint[]> {
    const points: RawOrtPoint[] = [];
    for (const batch of this.options.batches) points.push(await this.measure(batch, this.options.secondsPerPoint));
    return points;
  }

  close(): Promise<void> {
    return this.session.release();
  }
}
