/** Load and verify the bundles the configuration names, and start the one inference pool that serves them all. */
import type { Logger } from 'pino';
import { BundleError, loadBundle, type ModelBundle } from './bundle/load-bundle.js';
import type { Manifest } from './bundle/manifest.js';
import type { Config } from './config.js';
import type { ServiceMetrics } from './http/metrics.js';
import { InferencePool, type PoolHooks } from './runtime/inference-pool.js';

export interface LoadedModels {
  readonly caption: ModelBundle;
  /** Present when moderation is enabled. */
  readonly nsfw?: ModelBundle;
  readonly bundles: readonly ModelBundle[];
  readonly pool: InferencePool;
}

async function loadTaskBundle(dir: string, task: Manifest['task']): Promise<ModelBundle> {
  const bundle = await loadBundle(dir);
  if (bundle.manifest.task !== task) throw new BundleError(bundle.dir, `is a ${bundle.manifest.task} model; this slot needs a ${task} model`);
  return bundle;
}

function poolHooks(metrics: ServiceMetrics, log: Logger): PoolHooks {
  return {
    onBatch(model, stats) {
      metrics.batchSize.observe({ model }, stats.size);
      metrics.batchRoutes.inc({ model, routes: [...new Set(stats.origins)].sort().join('+') });
      for (const ms of stats.queueWaitsMs) metrics.queueWait.observe({ model }, ms / 1000);
    },
    onInference: (model, seconds) => metrics.inferenceDuration.observe({ model }, seconds),
    onWorkerRestart: (slot, error) => log.error({ slot, err: error }, 'inference worker died; replaced'),
  };
}

/** The caption bundle (and the NSFW bundle when moderation is on) in one pool: one micro-batcher per model, shared workers, all warm. */
export async function loadModels(config: Config, metrics: ServiceMetrics, log: Logger): Promise<LoadedModels> {
  const { enabled, nsfwModelDir } = config.moderation;
  const [caption, nsfw] = await Promise.all([
    loadTaskBundle(config.modelDir, 'caption'),
    enabled ? loadTaskBundle(nsfwModelDir, 'nsfw') : undefined,
  ]);
  if (nsfw && nsfw.manifest.name === caption.manifest.name) {
    throw new BundleError(nsfw.dir, `has the same name as the caption model (${caption.manifest.name}); names key the pool`);
  }
  const bundles = nsfw ? [caption, nsfw] : [caption];
  const pool = await InferencePool.start(
    bundles,
    {
      workers: config.inferenceWorkers,
      intraOpThreads: config.intraOpThreads,
      provider: config.executionProvider,
      batch: { maxBatchSize: config.batchMaxSize, maxWaitMs: config.batchMaxWaitMs, queueMax: config.queueMax },
    },
    poolHooks(metrics, log),
  );
  return nsfw ? { caption, nsfw, bundles, pool } : { caption, bundles, pool };
}
