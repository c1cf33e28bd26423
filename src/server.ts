/** Start-up and shutdown: listen, load and verify bundles, warm the pool, turn ready; drain on request. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { ModelBundle } from './bundle/load-bundle.js';
import type { Config } from './config.js';
import { createApp, type AppContext } from './http/app.js';
import { createMetrics, type ServiceMetrics } from './http/metrics.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { loadModels, type LoadedModels } from './load-models.js';
import { loadPolicy, type ModerationPolicy } from './moderation/policy.js';
import { resolvePolicy } from './moderation/resolve-policy.js';
import { captionHandler } from './routes/caption.js';
import { moderateHandler, type ModerateDeps } from './routes/moderate.js';
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

/** Bind the policy to the loaded models and build the /moderate handler; unsupported categories are logged, then left out. */
function moderationRoute(policy: ModerationPolicy, loaded: LoadedModels, deps: Omit<ModerateDeps, 'policy' | 'bundles'>, log: Logger) {
  const models = { caption: loaded.caption.manifest, ...(loaded.nsfw ? { nsfw: loaded.nsfw.manifest } : {}) };
  const resolved = resolvePolicy(policy, models, deps.config.moderation.policyFile);
  for (const { id, reason } of resolved.unsupported) {
    log.warn({ category: id, reason }, 'moderation category unsupported: left out of every response');
  }
  const categories = resolved.categories.map(({ id, classIds }) => ({ id, classes: classIds.length }));
  log.info({ policy: resolved.version, categories }, 'moderation policy resolved');
  const bundles = { caption: loaded.caption, ...(loaded.nsfw ? { nsfw: loaded.nsfw } : {}) };
  return moderateHandler({ ...deps, policy: resolved, bundles });
}

/** Attach /caption, and /moderate when a policy is loaded (throws if the policy contradicts the models). */
async function attachRoutes(ctx: AppContext, loaded: LoadedModels, policy: ModerationPolicy | undefined): Promise<void> {
  const { config, metrics, log } = ctx;
  const deps = { config, metrics, pool: () => loaded.pool, workingShorterSide: workingShorterSide(loaded.bundles) };
  ctx.routes.caption = captionHandler({ ...deps, bundle: loaded.caption });
  if (policy) ctx.routes.moderate = moderationRoute(policy, loaded, deps, log);
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

/** Read the policy (a bad one stops start-up), listen at once (healthz live, readyz 503), load, verify and warm the models, turn ready. */
export async function startServer(config: Config, log: Logger = pino({ level: config.logLevel })): Promise<RunningServer> {
  const policy = config.moderation.enabled ? loadPolicy(config.moderation.policyFile) : undefined;
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
  const started = pool;
  await attachRoutes(ctx, loaded, policy).catch(async (error: unknown) => {
    server.close();
    await started.close();
    throw error;
  });
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
