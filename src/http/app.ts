/** The Express application: request context, routes, 404/405, and the one problem mapper. */
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import { healthz, metricsEndpoint, readyz } from '../routes/health.js';
import type { ServiceMetrics } from './metrics.js';
import { admissionGate } from './admission.js';
import { problemHandler } from './problem.js';
import { requestContext } from './request-id.js';

/** Model routes are attached once their bundles are loaded and warm. */
export interface ModelRoutes {
  caption?: RequestHandler;
  moderate?: RequestHandler;
}

export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly lifecycle: Lifecycle;
  readonly routes: ModelRoutes;
}

function whenReady(ctx: AppContext, name: keyof ModelRoutes): RequestHandler {
  return (req, res, next) => {
    const handler = ctx.routes[name];
    if (!handler || ctx.lifecycle.state === 'starting') {
      throw new ServiceError('not_ready', 'The models are still loading.', { 'Retry-After': '5' });
    }
    return handler(req, res, next);
  };
}

function refuse(code: 'not_found' | 'method_not_allowed'): RequestHandler {
  return () => {
    throw new ServiceError(code);
  };
}

const moderationDisabled: RequestHandler = () => {
  throw new ServiceError('not_found', 'Moderation is disabled in this deployment (MODERATION_ENABLED=false).');
};

/** Build the app; routes answer 503 not_ready until the model routes are attached. */
export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.locals.log = ctx.log;
  app.use(requestContext(ctx.log, ctx.metrics));
  app.use((_req, res, next) => {
    if (ctx.lifecycle.state === 'draining') res.setHeader('Connection', 'close');
    next();
  });
  app.get('/healthz', healthz);
  app.get('/readyz', readyz(ctx.lifecycle));
  app.get('/metrics', metricsEndpoint(ctx.metrics));
  const admit = admissionGate(ctx.config.maxInflightRequests, (n) => ctx.metrics.requestsInFlight.set(n));
  app.post('/caption', admit, whenReady(ctx, 'caption'));
  app.post('/moderate', ctx.config.moderation.enabled ? [admit, whenReady(ctx, 'moderate')] : moderationDisabled);
  app.all(['/caption', '/moderate', '/healthz', '/readyz', '/metrics'], refuse('method_not_allowed'));
  app.use(refuse('not_found'));
  app.use(problemHandler(ctx.metrics));
  return app;
}
