/** Infer stage: hand resized pixels to the pool; a full queue becomes 503 with Retry-After. */
import { ServiceError } from '../errors.js';
import { QueueFullError } from '../runtime/micro-batcher.js';
import type { InferencePool } from '../runtime/inference-pool.js';

export const RETRY_AFTER_SECONDS = 1;

function overloaded(error: unknown, models: readonly string[]): unknown {
  if (!(error instanceof QueueFullError)) return error;
  return new ServiceError('overloaded', `The ${models.join(' or ')} queue holds ${error.queueMax} images.`, {
    'Retry-After': String(RETRY_AFTER_SECONDS),
  });
}

/** Probabilities for one image, or `overloaded` when the model's queue is at its bound; `route` tags it in batch metrics. */
export async function inferOrOverload(pool: InferencePool, model: string, pixels: Uint8Array, route = ''): Promise<Float32Array> {
  return pool.infer(model, pixels, route).catch((error: unknown) => {
    throw overloaded(error, [model]);
  });
}

/** One image through several models at once, in input order; `overloaded` (and nothing queued) when any queue is at its bound. */
export async function inferEachOrOverload(
  pool: InferencePool,
  inputs: readonly { model: string; pixels: Uint8Array }[],
  route = '',
): Promise<Float32Array[]> {
  return pool.inferEach(inputs, route).catch((error: unknown) => {
    throw overloaded(error, inputs.map(({ model }) => model));
  });
}
