/** Liveness, readiness and metrics endpoints. */
import type { Request, RequestHandler } from 'express';
import type { components } from '../../generated/api.js';
import type { Lifecycle } from '../../lifecycle.js';
import type { ServiceMetrics } from '../../observability/metrics.js';

type Readiness = components['schemas']['Readiness'];

/** GET /healthz: 200 while the process can answer and can still start an inference worker; 503 once every slot is given up. */
export function healthz(lifecycle: Lifecycle): RequestHandler {
  return (_req, res) => {
    const body: components['schemas']['Health'] = { status: lifecycle.alive ? 'ok' : 'failed' };
    res.status(lifecycle.alive ? 200 : 503).json(body);
  };
}

/**
 * GET /readyz: 200 only when every model is loaded, warm and served by a live worker; 503 while starting, draining or
 * degraded. The status is for anyone; the models (names, versions, providers) only when `showModels(req)` says so.
 */
export function readyz(lifecycle: Lifecycle, showModels: (req: Request) => boolean): RequestHandler {
  return (req, res) => {
    const models = lifecycle.models();
    const degraded = lifecycle.state === 'ready' && models.some((model) => model.workers_live === 0);
    const body: Readiness = { status: degraded ? 'degraded' : lifecycle.state, ...(showModels(req) ? { models } : {}) };
    res.status(lifecycle.state === 'ready' && !degraded ? 200 : 503).json(body);
  };
}

/** GET /metrics: Prometheus text format. */
export function metricsEndpoint(metrics: ServiceMetrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
