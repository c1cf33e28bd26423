/** Start-up and shutdown: listen, load and verify bundles, warm the pool, swap in the ready app; drain on request. */
import { createServer, type Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { Config } from './config.js';
import { createApp, createStartingApp } from './http/app.js';
import { loadApiKeys, type ApiKeys } from './http/api-keys.js';
import { clientErrorHandler } from './http/client-error.js';
import { createMetrics, registerPoolGauges, type ServiceMetrics } from './observability/metrics.js';
import { refuseConnect, refuseExpectation } from './http/unsupported-http.js';
import { createLifecycle, type Lifecycle } from './lifecycle.js';
import { loadModels, type LoadedModels, type StartPool } from './load-models.js';
import { loadPolicy } from './moderation/policy.js';
import type { ModelRuntimeStatus } from './runtime/inference-pool.js';
import { fallbackDiagnosis, ProviderUnavailableError, providerFallbacks, withDiagnosis } from './provider-fallback.js';
import { SERVICE_VERSION } from './version.js';

export { workingShorterSide } from './load-models.js';

export interface RunningServer {
  readonly server: Server;
  readonly url: string;
  readonly lifecycle: Lifecycle & { drain(): void; workerGivenUp(): void };
  readonly metrics: ServiceMetrics;
  readonly models: LoadedModels;
  /**
   * Readiness 503, keep serving for `graceMs` (so a load balancer can take the instance out), then close the listener,
   * finish in-flight requests and stop the workers; resolves false if the timeout cut it short. `graceOver`, when given,
   * ends the grace period instead of the timer (tests drive it, so a busy machine cannot close the listener early).
   */
  drain(options?: { graceMs?: number; graceOver?: Promise<unknown> }): Promise<boolean>;
  /** Re-read API_KEYS_FILE (on SIGHUP); a bad file is logged and the keys in force are kept. Resolves whether it took. */
  reloadApiKeys(): boolean;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/** The key file, read at start (a bad one stops start-up, like a bad policy) and again on reload. */
function apiKeyHolder(config: Config, log: Logger) {
  const read = (): ApiKeys | undefined => {
    if (!config.apiKeysFile) return undefined;
    const keys = loadApiKeys(config.apiKeysFile);
    log.info({ keys: keys.names }, 'API keys loaded');
    return keys;
  };
  let keys = read();
  if (!keys && !LOOPBACK.test(config.host)) {
    log.warn(
      { host: config.host },
      'listening on a non-loopback address with no API keys (API_KEYS_FILE): anyone who can reach it can use it',
    );
  }
  return {
    current: () => keys,
    reload(): boolean {
      try {
        keys = read();
        return true;
      } catch (error) {
        log.error({ err: error }, 'API key reload failed; the keys in force are kept');
        return false;
      }
    },
  };
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

function drainer(server: Server, models: LoadedModels, lifecycle: { drain(): void }, config: Config, log: Logger) {
  return async ({ graceMs = 0, graceOver }: { graceMs?: number; graceOver?: Promise<unknown> } = {}): Promise<boolean> => {
    lifecycle.drain();
    log.info({ graceMs }, 'draining: readiness 503, finishing in-flight requests');
    // Still accepting: a load balancer polling /readyz needs a moment to stop sending here before the listener closes.
    if (graceOver) await graceOver;
    else if (graceMs > 0) await new Promise((resolve) => setTimeout(resolve, graceMs));
    log.info('draining: listener closed');
    // The listener alone (net.Server's close): http.Server's close also destroys every keep-alive socket it thinks idle,
    // and one whose next request sat unread in the kernel's buffer was reset under its client (issue 25: 184 resets with
    // 200 clients). Each keep-alive socket instead ends after its next answer (Connection: close while draining) or at
    // keepAliveTimeout; 'close' fires once every one has.
    const closed = new Promise<void>((resolve) => Reflect.apply(NetServer.prototype.close, server, [() => resolve()]));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), config.shutdownTimeoutMs)));
    const cut = await Promise.race([closed.then(() => false), timedOut]);
    clearTimeout(timer);
    if (cut) server.closeAllConnections();
    await models.pool.close();
    log.info({ clean: !cut }, 'drained');
    return !cut;
  };
}

function logModels(statuses: ModelRuntimeStatus[], metrics: ServiceMetrics, log: Logger): void {
  for (const status of statuses) {
    const { name: model, version, task, provider, requested_provider } = status;
    metrics.modelInfo.set({ model, version, task, provider, requested_provider }, 1);
    log.info({ model, version, provider, requested_provider, fallback: status.fallback_reason }, 'model loaded and warm');
  }
}

/** A model off the requested provider: a warning, or (EXECUTION_PROVIDER_STRICT) the pool closed and start-up refused. */
async function refuseFallbackWhenStrict(statuses: ModelRuntimeStatus[], models: LoadedModels, config: Config, log: Logger): Promise<void> {
  const fallbacks = providerFallbacks(statuses);
  if (fallbacks.length === 0) return;
  if (!config.executionProviderStrict) {
    log.warn(
      { fallbacks },
      'execution provider fallback: some models do not run on the requested provider (EXECUTION_PROVIDER_STRICT=true refuses to start instead)',
    );
    return;
  }
  await models.pool.close();
  throw new ProviderUnavailableError(fallbacks);
}

/**
 * Read the policy (a bad one stops start-up), listen at once (healthz live, readyz 503), load and warm the models, turn
 * ready. `startPool` replaces the worker pool (HTTP tests answer from a stub pool without ONNX Runtime).
 */
export async function startServer(
  config: Config,
  log: Logger = pino({ level: config.logLevel }),
  startPool?: StartPool,
): Promise<RunningServer> {
  // The effective configuration (defaults included) holds paths and limits, never a secret: API keys live in their file.
  log.info({ version: SERVICE_VERSION, node: process.versions.node, config }, 'imgsense starting');
  const policy = config.moderation.enabled ? loadPolicy(config.moderation.policyFile) : undefined;
  const apiKeys = apiKeyHolder(config, log);
  const lifecycle = createLifecycle(config.inferenceWorkers);
  const metrics = createMetrics();
  const ctx = { config, log, metrics, lifecycle, apiKeys: apiKeys.current };
  const starting = createStartingApp(ctx);
  const server = createServer(
    {
      requestTimeout: config.requestTimeoutMs,
      headersTimeout: Math.min(15_000, config.requestTimeoutMs),
      // Node checks both timeouts on this interval (default 30 s, so a 30 s limit held a slot for up to 60 s).
      connectionsCheckingInterval: 1000,
      // Node's own check answers a bare 400 with no body; the app refuses a missing Host as problem+json instead.
      requireHostHeader: false,
    },
    starting,
  );
  server.on('clientError', clientErrorHandler(log, metrics));
  server.on('connect', refuseConnect(log, metrics));
  server.on('checkExpectation', refuseExpectation(log, metrics));
  server.keepAliveTimeout = 5_000;
  const url = await listen(server, config);
  log.info({ url }, 'listening; loading models');
  const models = await loadModels(config, metrics, log, policy, () => lifecycle.workerGivenUp(), startPool).catch((error: unknown) => {
    server.close();
    throw error;
  });
  const diagnosis = fallbackDiagnosis(models.pool.status());
  const statuses = () => withDiagnosis(models.pool.status(), diagnosis);
  await refuseFallbackWhenStrict(statuses(), models, config, log).catch((error: unknown) => {
    server.close();
    throw error;
  });
  registerPoolGauges(metrics, models.pool);
  server.removeListener('request', starting);
  server.on('request', createApp(ctx, models));
  logModels(statuses(), metrics, log);
  lifecycle.ready(statuses);
  log.info({ url }, 'ready');
  const drain = drainer(server, models, lifecycle, config, log);
  return { server, url, lifecycle, metrics, models, drain, reloadApiKeys: apiKeys.reload };
}
