/** Node's own protocol errors (bad framing, headers too large, timeouts) answered as problem+json instead of a bare status line. */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, problemType, type ErrorCode } from '../errors.js';
import type { ServiceMetrics } from '../observability/metrics.js';

const REASONS: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function classify(error: NodeJS.ErrnoException): { code: ErrorCode; detail: string } {
  if (error.code === 'HPE_HEADER_OVERFLOW') return { code: 'headers_too_large', detail: 'The request headers exceed 16 KiB.' };
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return { code: 'request_timeout', detail: 'The request was not received in time.' };
  return { code: 'invalid_request', detail: 'The request is not valid HTTP/1.1 (framing, Content-Length, chunk size or Host).' };
}

/** The raw response, written straight to the socket: there is no request or response object at this point. */
export function clientErrorResponse(code: ErrorCode, detail: string, requestId: string): string {
  const status = ERROR_CATALOGUE[code].status;
  const body = JSON.stringify({ type: problemType(code), title: ERROR_CATALOGUE[code].title, status, code, detail, request_id: requestId });
  return [
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}`,
    'Content-Type: application/problem+json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n');
}

/** The server's 'clientError' listener: answer once when the socket can still take it, then close it. */
export function clientErrorHandler(log: Logger, metrics: ServiceMetrics) {
  return (error: NodeJS.ErrnoException, socket: Duplex): void => {
    const response = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (error.code === 'ECONNRESET' || !socket.writable || response?.headersSent) {
      socket.destroy();
      return;
    }
    const { code, detail } = classify(error);
    const requestId = randomUUID();
    log.info({ reqId: requestId, code, reason: error.code }, 'request rejected by the HTTP parser');
    metrics.errors.inc({ code });
    socket.end(clientErrorResponse(code, detail, requestId));
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}
