/** Request deadline: a model request is answered by REQUEST_DEADLINE_MS at the latest, and the work it queued dies with it. */
import type { RequestHandler } from 'express';
import { ServiceError } from '../errors.js';
import { withRequestSignal } from '../runtime/request-signal.js';
import { drainRefused } from './linger.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { reportError, sendProblem } from './problem.js';

/**
 * Middleware in front of the model routes: past `ms` from arrival, 503 deadline_exceeded (when nothing was sent yet).
 * The request's signal (src/runtime/request-signal.ts) aborts then, or when the connection closes first (client gone),
 * or once the answer is sent: its inference still queued is dropped, and nothing new starts for it. A decode already
 * running is bounded by the time left (src/image/decode.ts, sharp's timeout).
 */
export function requestDeadline(ms: number, metrics: ServiceMetrics): RequestHandler {
  return (req, res, next) => {
    const due = Date.now() + ms;
    const over = new AbortController();
    const timer = setTimeout(() => {
      const expired = new ServiceError('deadline_exceeded', `The request was not answered within its ${ms} ms deadline.`, {
        Connection: 'close',
      });
      over.abort(expired);
      if (res.headersSent) return;
      drainRefused(req); // the body is not wanted any more: read it away (bounded) so the client sees the answer
      sendProblem(req, res, reportError(req, res, metrics, expired));
    }, ms);
    res.once('close', () => {
      clearTimeout(timer);
      const gone = res.writableFinished ? 'The request is over.' : 'The client closed the connection.';
      over.abort(new ServiceError('invalid_request', gone));
    });
    withRequestSignal(over.signal, next, due);
  };
}
