/** Infer stage: hand resized pixels to the pool; a full queue becomes 503 with Retry-After. */
import { ServiceError } from '../errors.js';
import { QueueFullError } from '../runtime/micro-batcher.js';
import type { InferencePool } from '../runtime/inference-pool.js';

export const RETRY_AFTER_SECONDS = 1;

/** Probabilities for one image, or `overloaded` when the model's queue is at its bound; `route` tags it in batch metrics. */
export async function inferOrOverload(pool: InferencePool, model: string, pixels: Uint8Array, route = ''): Promise<Float32Array> {
  try {
    return await pool.infer(model, pixels, route);
  } catch (error) {
    if (error instanceof QueueFullError) {
      throw new ServiceError('overloaded', `The ${model} queue holds ${error.queueMax} images.`, {
        'Retry-After': String(RETRY_AFTER_SECONDS),
      });
    }
    throw error;
  }
}
