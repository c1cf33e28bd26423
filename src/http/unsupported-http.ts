/** HTTP the service does not speak, refused as problem+json: Node's default is a dropped socket (CONNECT) or a bare 417 (Expect). */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ERROR_CATALOGUE, problemType, type ErrorCode } from '../errors.js';
import { clientErrorResponse } from './client-error.js';
import type { ServiceMetrics } from '../observability/metrics.js';

/** The server's 'connect' listener: a CONNECT (a proxy tunnel) gets 405 on the socket, which is then closed. */
export function refuseConnect(log: Logger, metrics: ServiceMetrics) {
  return (_req: IncomingMessage, socket: Duplex): void => {
    const requestId = randomUUID();
    log.info({ reqId: requestId, code: 'method_not_allowed' }, 'CONNECT refused');
    metrics.errors.inc({ code: 'method_not_allowed' });
    socket.on('error', () => {});
    socket.end(clientErrorResponse('method_not_allowed', 'This service is not a proxy: CONNECT is not supported.', requestId));
    setTimeout(() => socket.destroy(), 1000).unref();
  };
}

/** The server's 'checkExpectation' listener: an Expect other than 100-continue gets 417 expectation_failed, then close. */
export function refuseExpectation(log: Logger, metrics: ServiceMetrics) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const code: ErrorCode = 'expectation_failed';
    const requestId = randomUUID();
    const { status, title } = ERROR_CATALOGUE[code];
    const detail = 'Only "Expect: 100-continue" is supported.';
    const body = JSON.stringify({
      type: problemType(code),
      title,
      status,
      code,
      detail,
      instance: (req.url ?? '/').split('?')[0],
      request_id: requestId,
    });
    log.info({ reqId: requestId, code }, 'request rejected');
    metrics.errors.inc({ code });
    res.writeHead(status, {
      'Content-Type': 'application/problem+json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
      'X-Request-ID': requestId,
      Connection: 'close',
    });
    res.end(body);
  };
}
