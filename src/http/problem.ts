/** The one mapper from errors to RFC 9457 application/problem+json responses. */
import type { ErrorRequestHandler, Request, Response } from 'express';
import { ERROR_CATALOGUE, ServiceError, problemType, retryAfterSeconds, type ErrorCode } from '../errors.js';
import type { components } from '../generated/api.js';
import { ImageRejectedError, type ImageRejection } from '../image/decode.js';
import { ModerationRequestError } from '../moderation/moderation-request.js';
import { NoLiveWorkerError } from '../runtime/inference-pool.js';
import { QueueFullError } from '../runtime/micro-batcher.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { clip } from './receive.js';

/** Longest `detail` sent: a safety net under the 200-character cap on each piece of echoed client input. */
const DETAIL_LIMIT = 500;

type Problem = components['schemas']['Problem'];

const IMAGE_REJECTIONS: Record<ImageRejection, ErrorCode> = {
  unsupported_format: 'unsupported_media_type',
  too_many_pixels: 'too_many_pixels',
  too_complex: 'image_too_complex',
  corrupt: 'corrupt_image',
};

/** The one table from domain errors to the catalogue; unknown errors become `internal` and keep their cause private. */
export function toServiceError(error: unknown): ServiceError {
  if (error instanceof ServiceError) return error;
  if (error instanceof ImageRejectedError) return new ServiceError(IMAGE_REJECTIONS[error.reason], error.message);
  if (error instanceof ModerationRequestError) return new ServiceError('invalid_request', `${error.message} (${error.problem}).`);
  if (error instanceof QueueFullError) return new ServiceError('overloaded', `The inference queue holds ${error.queueMax} images.`);
  if (error instanceof NoLiveWorkerError)
    return new ServiceError('not_ready', 'No inference worker is alive; the service needs a restart.');
  return new ServiceError('internal');
}

/** The problem document of one error, for a response or for one item of a batch. */
export function problemDocument(req: Request, res: Response, error: ServiceError): Problem {
  const code: ErrorCode = error.code;
  return {
    type: problemType(code),
    title: ERROR_CATALOGUE[code].title,
    status: error.status,
    code,
    instance: req.originalUrl.split('?')[0] ?? '/',
    request_id: res.locals.requestId as string,
    ...(error.detail && code !== 'internal' ? { detail: clip(error.detail, DETAIL_LIMIT) } : {}),
  };
}

/** Map an error, log it (4xx at info, 5xx at error with the cause) and count it; the caller sends the result. */
export function reportError(req: Request, res: Response, metrics: ServiceMetrics, error: unknown): ServiceError {
  const mapped = toServiceError(error);
  const log = res.locals.log ?? req.app.locals.log;
  if (mapped.status >= 500 && mapped.code !== 'overloaded' && mapped.code !== 'not_ready') {
    log.error({ err: error, code: mapped.code }, 'request failed');
  } else {
    log.info({ code: mapped.code, detail: mapped.detail && clip(mapped.detail, DETAIL_LIMIT) }, 'request rejected');
  }
  metrics.errors.inc({ code: mapped.code });
  return mapped;
}

/** Write one problem+json response. */
export function sendProblem(req: Request, res: Response, error: ServiceError): void {
  const body = problemDocument(req, res, error);
  const retryAfter = retryAfterSeconds(error.code);
  if (retryAfter !== undefined) res.setHeader('Retry-After', String(retryAfter));
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  res.status(error.status).type('application/problem+json').send(JSON.stringify(body));
}

/** Express error middleware: 4xx logged at info, 5xx at error with the cause, internals never sent. */
export function problemHandler(metrics: ServiceMetrics): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    // Failed after its answer went out (the deadline answered first): nothing is left to tell the client.
    if (res.headersSent) return res.writableEnded ? undefined : next(error);
    sendProblem(req, res, reportError(req, res, metrics, error));
  };
}
