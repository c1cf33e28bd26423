/** How each model in the pool is served: per-model settings (from models/serving.json) over the pool's defaults. */
import type { ModelBundle } from '../bundle/load-bundle.js';
import type { ExecutionProvider } from '../config.js';
import type { InputShape } from './inference-worker.js';
import type { BatchLimits } from './micro-batcher.js';
import type { RespawnPolicy } from './worker-supervisor.js';

/** How one model is served (a row of models/serving.json, resolved by src/serving.ts): the pool reads these fields, never a task. */
export interface SlotSettings {
  readonly intraOpThreads: number;
  /** ORT's CPU arena: faster allocation, and the largest run's activations kept for good. */
  readonly memoryArena: boolean;
  readonly batch: Pick<BatchLimits, 'maxBatchSize' | 'maxWaitMs'>;
  /** Input shapes served besides the manifest's; one batch holds one shape. */
  readonly shapes: readonly InputShape[];
  /** Each request brings its own width at the manifest's height (read from its pixel count). */
  readonly dynamicWidth: boolean;
}

export interface PoolOptions {
  readonly workers: number;
  /** The default of a model's threads where `slots` does not set them. */
  readonly intraOpThreads: number;
  /** The default of a model's arena where `slots` does not set it (off when absent). */
  readonly memoryArena?: boolean;
  readonly provider: ExecutionProvider;
  /** queueMax bounds every model's queue; the size and wait are the defaults where `slots` does not set them. */
  readonly batch: BatchLimits;
  /** Per model name: how it is served; a model not named here gets the defaults above. */
  readonly slots?: Readonly<Record<string, Partial<SlotSettings>>>;
  readonly respawn?: RespawnPolicy;
}

/** A model's settings: its own where `slots` names it, the pool's defaults for the rest. */
export function settingsOf(bundle: ModelBundle, options: PoolOptions): SlotSettings {
  const own = options.slots?.[bundle.manifest.name] ?? {};
  return {
    intraOpThreads: own.intraOpThreads ?? options.intraOpThreads,
    memoryArena: own.memoryArena ?? options.memoryArena ?? false,
    batch: own.batch ?? options.batch,
    shapes: own.shapes ?? [],
    dynamicWidth: own.dynamicWidth ?? false,
  };
}
