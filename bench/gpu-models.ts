/** GPU bench, model level: each bundle's CUDA outputs against its CPU outputs on the bench photos, and raw ORT images/s by batch. */
import * as ort from 'onnxruntime-node';
import type { ModelBundle } from '../src/bundle/load-bundle.js';
import type { Photo } from './kit/photo-set.js';
import { pixelsOf, RawOrtBench, type RawOrtPoint } from './raw-ort.js';

/** The batch sizes of the raw sweep (the issue asks for 1 to 64). */
export const GPU_BATCHES = [1, 2, 4, 8, 16, 32, 64] as const;
/** Largest accepted |CUDA - CPU| on a probability output (the caption classifier's and the NSFW model's). */
export const PROBABILITY_TOLERANCE = 1e-3;
const PROBABILITY_TASKS = new Set(['caption', 'nsfw']);

export interface ModelParity {
  readonly model: string;
  readonly task: string;
  /** Largest |CUDA - CPU| over every output value of every photo. */
  readonly maxAbsDelta: number;
  /** The bound checked: PROBABILITY_TOLERANCE for probability outputs; reported only (null) for raw maps and boxes. */
  readonly tolerance: number | null;
  readonly pass: boolean;
}

export interface ModelSweep {
  readonly model: string;
  readonly provider: string;
  readonly points: readonly RawOrtPoint[];
}

/** A text-line recogniser takes any width: its batches hold one line in the service, so it is left out of the sweep. */
export const sweepable = (bundle: ModelBundle): boolean => bundle.manifest.input.resize.method !== 'text_line';

async function outputsOn(provider: string, bundle: ModelBundle, inputs: readonly Buffer[]): Promise<Float32Array[]> {
  const { input, output } = bundle.manifest;
  const session = await ort.InferenceSession.create(bundle.modelPath, { executionProviders: [provider], graphOptimizationLevel: 'all' });
  try {
    const outputs: Float32Array[] = [];
    for (const pixels of inputs) {
      const tensor = new ort.Tensor('uint8', new Uint8Array(pixels), [1, input.height, input.width, 3]);
      const result = await session.run({ [input.name]: tensor });
      outputs.push(Float32Array.from(result[output.name]!.data as Float32Array));
    }
    return outputs;
  } finally {
    await session.release();
  }
}

/** The same photos through a session on `provider` alone (CUDA) and a CPU session of one bundle: the largest difference. */
export async function parity(bundle: ModelBundle, photos: readonly Photo[], provider = 'cuda'): Promise<ModelParity> {
  const { name, task, input } = bundle.manifest;
  const inputs = await pixelsOf(photos, input.height, input.width);
  const [cuda, cpu] = [await outputsOn(provider, bundle, inputs), await outputsOn('cpu', bundle, inputs)];
  let maxAbsDelta = 0;
  cuda.forEach((values, i) => values.forEach((value, j) => (maxAbsDelta = Math.max(maxAbsDelta, Math.abs(value - cpu[i]![j]!)))));
  const tolerance = PROBABILITY_TASKS.has(task) ? PROBABILITY_TOLERANCE : null;
  return { model: name, task, maxAbsDelta, tolerance, pass: tolerance === null || maxAbsDelta <= tolerance };
}

/** Raw ORT images/s of one bundle on one provider for each batch size. */
export async function sweep(
  bundle: ModelBundle,
  photos: readonly Photo[],
  provider: string,
  batches: readonly number[],
  secondsPerPoint: number,
  intraOpThreads: number,
): Promise<ModelSweep> {
  const { name, input } = bundle.manifest;
  const bench = await RawOrtBench.open(photos, {
    modelPath: bundle.modelPath,
    inputName: input.name,
    height: input.height,
    width: input.width,
    intraOpThreads,
    batches,
    secondsPerPoint,
    executionProviders: [provider],
  });
  try {
    return { model: name, provider, points: await bench.sweep() };
  } finally {
    await bench.close();
  }
}
