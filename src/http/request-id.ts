/** Request id (echo a sane X-Request-ID or make one), trace ids, a child logger per request, and the access log line. */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ServiceMetrics } from '../observability/metrics.js';
import { methodLabel, routeLabel } from './metric-labels.js';
import { parseTraceparent } from './trace-context.js';

const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
// Polled every few seconds by kubelets, load balancers and Prometheus: about 26,000 info lines a pod a day otherwise.
const PROBES = new Set(['/healthz', '/readyz', '/metrics']);

/** Milliseconds with one decimal. */
const ms = (milliseconds: number) => Math.round(milliseconds * 10) / 10;

/** Record a stage's time (ms) for the access line: `receive_ms` or `fetch_ms`, `decode_ms`, then `caption_ms` or `moderate_ms`. */
export function recordTiming(res: Response | undefined, stage: string, milliseconds: number): void {
  const timings = res?.locals.timings as Record<string, number> | undefined;
  if (timings) timings[stage] = ms(milliseconds);
}

// Where each keep-alive connection's byte counters stood when its previous response finished.
const countersAtLastFinish = new WeakMap<Socket, { read: number; written: number }>();

/** Bytes this request took on the wire each way, headers included, from the socket's counters (the body is never observed). */
function wireBytes(socket: Socket): { bytes_in: number; bytes_out: number } {
  const before = countersAtLastFinish.get(socket) ?? { read: 0, written: 0 };
  const now = { read: socket.bytesRead, written: socket.bytesWritten };
  countersAtLastFinish.set(socket, now);
  return { bytes_in: now.read - before.read, bytes_out: now.written - before.written };
}

/** The fields of one access log line. */
function accessFields(req: Request, res: Response, started: number) {
  return {
    method: req.method,
    path: req.path,
    status: res.statusCode,
    client: req.socket.remoteAddress,
    ...wireBytes(req.socket),
    ms: ms(performance.now() - started),
    ...res.locals.timings,
    user_agent: req.get('user-agent'),
  };
}

/** Attach res.locals.requestId and res.locals.log, echo X-Request-ID, log and time each request on finish. */
export function requestContext(log: Logger, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const requestId = incoming && SAFE_ID.test(incoming) ? incoming : randomUUID();
    const started = performance.now();
    res.locals.requestId = requestId;
    res.locals.timings = {};
    res.locals.log = log.child({ reqId: requestId, ...parseTraceparent(req.get('traceparent')) });
    res.setHeader('X-Request-ID', requestId);
    res.locals.log.debug({ method: req.method, path: req.path }, 'request received');
    res.on('finish', () => {
      const labels = { route: routeLabel(req.route, req.path), method: methodLabel(req.method), status: String(res.statusCode) };
      metrics.requestDuration.observe(labels, (performance.now() - started) / 1000);
      const level = PROBES.has(req.path) ? 'debug' : 'info';
      res.locals.log[level](accessFields(req, res, started), 'request completed');
    });
    next();
  };
}
