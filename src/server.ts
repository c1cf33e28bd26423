/** Start-up and shutdown: listen, load and verify bundles, warm the pool, turn ready; drain on request. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { loadBundle, type ModelBundle } from './bundle/load-bundle.js';
import type { Config } from './config.js';
import { createApp, type AppContext } from './http/app.js';
import { createMetrics, type ServiceMetrics } from './http/metrics.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { captionHandler } from './routes/caption.js';
import { InferencePool } from './runtime/inference-pool.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  readonly lifecycle: Lifecycle;
  readonly metrics: ServiceMetrics;
  readonly pool: InferencePool;
  readonly bundles: readonly ModelBundle[];
  /** Readiness 503, finish in-flight requests, stop workers; resolves false if the timeout cut it short. */
  drain(): Promise<boolean>;
}

/** Decode no larger than twice what the most demanding model needs. */
export function workingShorterSide(bundles: readonly ModelBundle[]): number {
  const needs = bundles.map(({ manifest: { input } }) =>
    input.resize.method === 'shorter_side_center_crop' ? input.resize.shorter_side : Math.max(input.height, input.width),
  );
  return 2 * Math.max(...needs);
}

function listen(server: Server, config: Config): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => {
      const { address, port } = server.address() as AddressInfo;
      resolve(`http://${address.includes(':') ? `[${address}]` : address}:${port}`);
    });
  });
}

async function loadModels(config: Config, metrics: ServiceMetrics, log: Logger) {
  const bundles = [await loadBundle(config.modelDir)];
  const pool = await InferencePool.start(
    bundles,
    {
      workers: config.inferenceWorkers,
      intraOpThreads: config.intraOpThreads,
      provider: config.executionProvider,
      batch: { maxBatchSize: config.batchMaxSize, maxWaitMs: config.batchMaxWaitMs, queueMax: config.queueMax },
    },
    {
      onBatch(model, stats) {
        metrics.batchSize.observe({ model }, stats.size);
        for (const ms of stats.queueWaitsMs) metrics.queueWait.observe({ model }, ms / 1000);
      },
      onInference: (model, seconds) => metrics.inferenceDuration.observe({ model }, seconds),
      onWorkerRestart: (slot, error) => log.error({ slot, err: error }, 'inference worker died; replaced'),
    },
  );
  return { bundles, pool };
}

function drainer(server: Server, pool: InferencePool, lifecycle: Lifecycle, config: Config, log: Logger) {
  return async (): Promise<boolean> => {
    lifecycle.state = 'draining';
    log.info('draining: readiness 503, finishing in-flight requests');
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), config.shutdownTimeoutMs)));
    const cut = await Promise.race([closed.then(() => false), timedOut]);
    clearTimeout(timer);
    if (cut) server.closeAllConnections();
    await pool.close();
    log.info({ clean: !cut }, 'drained');
    return !cut;
  };
}

/** Listen at once (healthz live, readyz 503), then load, verify and warm the models, then turn ready. */
export async function startServer(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
  const lifecycle = createLifecycle();
  let pool: InferencePool | undefined;
  let modelNames: string[] = [];
  const metrics = createMetrics(() => Object.fromEntries(modelNames.map((name) => [name, pool?.queueDepth(name) ?? 0])));
  const ctx: AppContext = { config, log, metrics, lifecycle, routes: {} };
  const server = createServer(
    { requestTimeout: config.requestTimeoutMs, headersTimeout: Math.min(15_000, config.requestTimeoutMs) },
    createApp(ctx),
  );
  server.keepAliveTimeout = 5_000;
  const url = await listen(server, config);
  log.info({ url }, 'listening; loading models');
  const loaded = await loadModels(config, metrics, log).catch((error: unknown) => {
    server.close();
    throw error;
  });
  pool = loaded.pool;
  modelNames = loaded.bundles.map((bundle) => bundle.manifest.name);
  const side = workingShorterSide(loaded.bundles);
  const started = pool;
  ctx.routes.caption = captionHandler({ config, metrics, bundle: loaded.bundles[0]!, pool: () => started, workingShorterSide: side });
  lifecycle.setModels(() => started.status());
  for (const status of started.status()) {
    const { name: model, version, task, provider, requested_provider } = status;
    metrics.modelInfo.set({ model, version, task, provider, requested_provider }, 1);
    log.info({ model, version, provider, requested_provider, fallback: status.fallback_reason }, 'model loaded and warm');
  }
  lifecycle.state = 'ready';
  log.info({ url }, 'ready');
  return { server, url, lifecycle, metrics, pool: started, bundles: loaded.bundles, drain: drainer(server, started, lifecycle, config, log) };
}
