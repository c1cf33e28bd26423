/** Request id (echo a sane X-Request-ID or make one), a child logger per request, and the access log line. */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from 'pino';
import { methodLabel, routeLabel, type ServiceMetrics } from './metrics.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Attach res.locals.requestId and res.locals.log, echo X-Request-ID, log and time each request on finish. */
export function requestContext(log: Logger, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    res.locals.requestId = requestId;
    res.locals.log = log.child({ reqId: requestId });
    res.setHeader('X-Request-ID', requestId);
    res.locals.log.debug({ method: req.method, path: req.path }, 'request received');
    res.on('finish', () => {
      const seconds = (performance.now() - started) / 1000;
      const labels = { route: routeLabel(req.route, req.path), method: methodLabel(req.method), status: String(res.statusCode) };
      metrics.requestDuration.observe(labels, seconds);
      res.locals.log.info(
        { method: req.method, path: req.path, status: res.statusCode, ms: Math.round(seconds * 1000 * 10) / 10 },
        'request completed',
      );
    });
    next();
  };
}
