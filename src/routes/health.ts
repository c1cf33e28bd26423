/** Liveness, readiness and metrics endpoints. */
import type { RequestHandler } from 'express';
import type { components } from '../generated/api.js';
import type { ServiceMetrics } from '../http/metrics.js';
import type { Lifecycle } from '../lifecycle.js';

type Readiness = components['schemas']['Readiness'];

/** GET /healthz: 200 while the process can answer. */
export const healthz: RequestHandler = (_req, res) => {
  res.json({ status: 'ok' } satisfies components['schemas']['Health']);
};

/** GET /readyz: 200 only when every model is loaded and warm; 503 while starting or draining. */
export function readyz(lifecycle: Lifecycle): RequestHandler {
  return (_req, res) => {
    const body: Readiness = { status: lifecycle.state, models: lifecycle.models() };
    res.status(lifecycle.state === 'ready' ? 200 : 503).json(body);
  };
}

/** GET /metrics: Prometheus text format. */
export function metricsEndpoint(metrics: ServiceMetrics): RequestHandler {
  return async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  };
}
