/** Rate limits on the model routes: RATE_LIMIT_PER_MINUTE per API key (per client address without keys), via express-rate-limit. */
import type { RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { ServiceError } from '../errors.js';

const WINDOW_MS = 60_000;

/**
 * Middleware after the API key check: the 1 + `perMinute`-th request of a key (or address) within a minute gets 429
 * rate_limited with Retry-After and the IETF draft-8 RateLimit / RateLimit-Policy headers (those two on every answer).
 * `store` defaults to express-rate-limit's in-process MemoryStore; several instances need a shared one (Redis).
 */
export function createRateLimit(perMinute: number, log: Logger, store?: Store): RequestHandler {
  return rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    identifier: `${perMinute}-per-minute`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    ...(store ? { store } : {}),
    logger: log,
    // The TCP peer, like MAX_UPLOADS_PER_CLIENT (behind a proxy, the proxy): X-Forwarded-For is deliberately not read.
    keyGenerator: (req, res) =>
      typeof res.locals.apiKey === 'string' ? `key:${res.locals.apiKey}` : `ip:${ipKeyGenerator(req.socket.remoteAddress ?? 'unknown')}`,
    validate: { xForwardedForHeader: false },
    // Refused before its body is read, like an overloaded request: close rather than drain a body nobody wants.
    handler: (_req, _res, next) => {
      next(new ServiceError('rate_limited', `More than ${perMinute} requests within a minute.`, { Connection: 'close' }));
    },
  });
}
