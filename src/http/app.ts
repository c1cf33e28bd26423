/** The Express applications: one answers while the models load, the other once they are ready; one problem mapper. */
import express, { type RequestHandler } from 'express';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import type { Lifecycle } from '../lifecycle.js';
import type { LoadedModels } from '../load-models.js';
import { createAdmission } from './admission.js';
import { holdsApiKey, requireApiKey, type ApiKeys } from './api-keys.js';
import { createAuthFailures } from './auth-failures.js';
import { cors } from './cors.js';
import { createFetchPool } from './fetch-pool.js';
import { createMemoryBudget, defaultMemoryBudget } from './memory-budget.js';
import { collectAfterBursts, fullCollection } from './memory-release.js';
import { requestDeadline } from './deadline.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { problemHandler } from './problem.js';
import { createRateLimit } from './rate-limit.js';
import { requestContext } from './request-id.js';
import { captionBatchRoute } from './routes/caption-batch.js';
import { captionRoute } from './routes/caption.js';
import { mountWebPages } from './routes/demo.js';
import { healthz, metricsEndpoint, readyz } from './routes/health.js';
import { moderateBatchRoute } from './routes/moderate-batch.js';
import { moderateRoute } from './routes/moderate.js';

export interface AppContext {
  readonly config: Config;
  readonly log: Logger;
  readonly metrics: ServiceMetrics;
  readonly lifecycle: Lifecycle;
  /** The API keys in force (re-read on SIGHUP); undefined: no keys, every route open. */
  readonly apiKeys: () => ApiKeys | undefined;
}

const MODEL_ROUTES = ['/caption', '/moderate', '/caption/batch', '/moderate/batch'];
const ROUTES = [...MODEL_ROUTES, '/healthz', '/readyz', '/metrics'];

function refuse(code: 'not_found' | 'method_not_allowed'): RequestHandler {
  return () => {
    throw new ServiceError(code);
  };
}

const notReady: RequestHandler = () => {
  throw new ServiceError('not_ready', 'The models are still loading.');
};

const moderationDisabled: RequestHandler = () => {
  throw new ServiceError('not_found', 'Moderation is disabled in this deployment (MODERATION_ENABLED=false).');
};

/** RFC 9112: an HTTP/1.1 request without Host is a 400 (Node's own check would answer with no body). */
const requireHost: RequestHandler = (req, _res, next) => {
  if (req.httpVersion === '1.1' && req.headers.host === undefined) {
    throw new ServiceError('invalid_request', 'An HTTP/1.1 request needs a Host header.', { Connection: 'close' });
  }
  next();
};

/** Request context, the draining header and the health endpoints; `routes` adds the model routes. */
function build(ctx: AppContext, routes: (app: express.Express) => void): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  app.locals.log = ctx.log;
  // Behind these proxies only, req.ip (and so every per-client cap) is the address they forward in X-Forwarded-For.
  if (ctx.config.trustedProxies.length > 0) app.set('trust proxy', ctx.config.trustedProxies);
  app.use(requestContext(ctx.log, ctx.metrics));
  app.use(cors(ctx.config.corsOrigins, ROUTES));
  app.use(requireHost);
  app.use((_req, res, next) => {
    if (ctx.lifecycle.state === 'draining') res.setHeader('Connection', 'close');
    next();
  });
  app.get('/healthz', healthz(ctx.lifecycle));
  // Model names and versions are what /metrics shows too (imgsense_model_info): the same key guards both.
  const readyzDetails = (req: express.Request) => ctx.config.readyzDetailsPublic || holdsApiKey(req.get('authorization'), ctx.apiKeys());
  app.get('/readyz', readyz(ctx.lifecycle, readyzDetails));
  app.get('/metrics', ctx.config.metricsPublic ? [] : [requireApiKey(ctx.apiKeys)], metricsEndpoint(ctx.metrics));
  mountWebPages(app, ctx.config);
  routes(app);
  app.all(ROUTES, refuse('method_not_allowed'));
  app.use(refuse('not_found'));
  app.use(problemHandler(ctx.metrics));
  return app;
}

/** The app that answers while the models load: health endpoints, and 503 not_ready on the model routes. */
export function createStartingApp(ctx: AppContext): express.Express {
  return build(ctx, (app) => app.post(MODEL_ROUTES, notReady));
}

/** The app once every model is loaded and warm. */
export function createApp(ctx: AppContext, loaded: LoadedModels): express.Express {
  const { config, metrics } = ctx;
  const afterBursts = collectAfterBursts(fullCollection());
  const limits = {
    maxProcessing: config.maxInflightRequests,
    maxUploads: config.maxUploadsInFlight,
    maxUploadsPerClient: config.maxUploadsPerClient,
    memory: {
      budget: createMemoryBudget(config.memoryBudgetBytes || defaultMemoryBudget(), afterBursts),
      bodyLimitBytes: config.bodyLimitBytes,
    },
  };
  const admission = createAdmission(limits, (n) => metrics.requestsInFlight.set(n));
  const rateLimit = config.rateLimitPerMinute > 0 ? createRateLimit(config.rateLimitPerMinute, ctx.log) : undefined;
  const authFailures = createAuthFailures(config.authFailuresPerMinute);
  const keyCheck = requireApiKey(ctx.apiKeys, authFailures);
  const admit = [
    requestDeadline(config.requestDeadlineMs, metrics),
    keyCheck,
    ...(rateLimit ? [rateLimit.handler] : []),
    admission.admitUpload,
  ];
  const fetches = createFetchPool(config.imageUrlFetchesPerClient);
  const reader = {
    config,
    metrics,
    workingShorterSide: loaded.workingShorterSide,
    admission,
    fetches,
    chargeImages: rateLimit?.chargeImages,
  };
  const captionDefaults = { precisionTarget: config.captionPrecisionTarget, textMode: config.ocr.mode };
  return build(ctx, (app) => {
    app.post('/caption', admit, captionRoute(loaded.caption, reader, captionDefaults));
    app.post('/moderate', loaded.moderation ? [...admit, moderateRoute(loaded.moderation, reader)] : moderationDisabled);
    app.post('/caption/batch', admit, captionBatchRoute(loaded.caption, reader, captionDefaults));
    app.post('/moderate/batch', loaded.moderation ? [...admit, moderateBatchRoute(loaded.moderation, reader)] : moderationDisabled);
  });
}
