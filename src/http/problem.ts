/** The one mapper from errors to RFC 9457 application/problem+json responses. */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { ERROR_CATALOGUE, ServiceError, problemType, type ErrorCode } from '../errors.js';
import type { components } from '../generated/api.js';
import { ModerationRequestError } from '../moderation/moderation-request.js';
import type { ServiceMetrics } from './metrics.js';

type Problem = components['schemas']['Problem'];

/** Turn anything thrown into a ServiceError; unknown errors become `internal` and keep their cause private. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof ModerationRequestError) return new ServiceError('invalid_request', `${error.message} (${error.problem}).`);
  const status = (error as { status?: unknown; type?: unknown })?.status;
  if (status === 413) return new ServiceError('body_too_large');
  if (status === 400) return new ServiceError('invalid_request', 'The request could not be parsed.');
  return new ServiceError('internal');
}

/** Write one problem+json response. */
export function sendProblem(req: Request, res: Response, error: ServiceError): void {
  const code: ErrorCode = error.code;
  const body: Problem = {
    type: problemType(code),
    title: ERROR_CATALOGUE[code].title,
    status: error.status,
    code,
    instance: req.originalUrl.split('?')[0] ?? '/',
    request_id: res.locals.requestId as string,
    ...(error.detail && code !== 'internal' ? { detail: error.detail } : {}),
  };
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Express error middleware: 4xx logged at info, 5xx at error with the cause, internals never sent. */
export function problemHandler(metrics: ServiceMetrics): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) return next(error);
    const mapped = toServiceError(error);
    const log = res.locals.log ?? req.app.locals.log;
    if (mapped.status >= 500 && mapped.code !== 'overloaded' && mapped.code !== 'not_ready') {
      log.error({ err: error, code: mapped.code }, 'request failed');
    } else {
      log.info({ code: mapped.code, detail: mapped.detail }, 'request rejected');
    }
    metrics.errors.inc({ type: mapped.code });
    sendProblem(req, res, mapped);
  };
}
