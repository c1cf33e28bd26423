/** Rate limits on the model routes: RATE_LIMIT_PER_MINUTE per API key (per client address without keys), via express-rate-limit. */
import type { Request, RequestHandler } from 'express';
import { MemoryStore, rateLimit, type Store } from 'express-rate-limit';
import type { Logger } from 'pino';
import { ServiceError } from '../errors.js';
import { clientKey } from './client-address.js';

const WINDOW_MS = 60_000;

/** The limiter of the model routes, and the extra charge of a batch once its images are counted. */
export interface RateLimit {
  readonly handler: RequestHandler;
  /** Charge the `images - 1` images of a batch beyond the one its request paid for; 429 rate_limited when that exceeds the quota. */
  chargeImages(req: Request, images: number): Promise<void>;
}

/**
 * Middleware after the API key check: the 1 + `perMinute`-th request of a key (or client) within a minute gets 429
 * rate_limited with Retry-After and the IETF draft-8 RateLimit / RateLimit-Policy headers (those two on every answer).
 * `store` defaults to express-rate-limit's in-process MemoryStore; several instances need a shared one (Redis).
 */
export function createRateLimit(perMinute: number, log: Logger, store: Store = new MemoryStore()): RateLimit {
  const handler = rateLimit({
    windowMs: WINDOW_MS,
    limit: perMinute,
    identifier: `${perMinute}-per-minute`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    store,
    logger: log,
    // The client as clientKey sees it: the TCP peer, or behind TRUSTED_PROXIES the forwarded address; an IPv6 /64 is one.
    keyGenerator: (req, res) => (typeof res.locals.apiKey === 'string' ? `key:${res.locals.apiKey}` : `ip:${clientKey(req)}`),
    validate: { xForwardedForHeader: false, trustProxy: false },
    // Refused before its body is read, like an overloaded request: close rather than drain a body nobody wants.
    handler: (_req, _res, next) => {
      next(new ServiceError('rate_limited', `More than ${perMinute} requests within a minute.`, { Connection: 'close' }));
    },
  });
  return {
    handler,
    async chargeImages(req, images) {
      const key = (req as Request & { rateLimit?: { key: string } }).rateLimit?.key;
      if (key === undefined) return;
      for (let extra = 1; extra < images; extra += 1) {
        const { totalHits } = await store.increment(key);
        if (totalHits > perMinute)
          throw new ServiceError(
            'rate_limited',
            `A batch of ${images} images counts as ${images} requests; more than ${perMinute} within a minute.`,
          );
      }
    },
  };
}
