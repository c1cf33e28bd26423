/** Failed API-key attempts per client and minute, checked before any key is compared: guessing keys is rate limited. */
import type { Request } from 'express';
import { ServiceError } from '../errors.js';
import { clientKey } from './client-address.js';

const WINDOW_MS = 60_000;

/** The failure budget of every client in the current minute. */
export interface AuthFailures {
  /** Throws 429 rate_limited when the client has used up its failures this minute. */
  check(req: Request): void;
  /** Count one failed attempt (missing or wrong key) against the client. */
  record(req: Request): void;
}

/** `perMinute` failures per client (clientKey) in each fixed minute; 0 turns the limit off. */
export function createAuthFailures(perMinute: number, now: () => number = Date.now): AuthFailures {
  let windowStart = now();
  const counts = new Map<string, number>();
  const roll = () => {
    if (now() - windowStart < WINDOW_MS) return;
    windowStart = now();
    counts.clear(); // a fixed window: the map never holds more than one minute of clients
  };
  return {
    check(req) {
      if (perMinute === 0) return;
      roll();
      if ((counts.get(clientKey(req)) ?? 0) < perMinute) return;
      const retry = String(Math.max(1, Math.ceil((windowStart + WINDOW_MS - now()) / 1000)));
      throw new ServiceError('rate_limited', `More than ${perMinute} failed API keys within a minute from this address.`, {
        'Retry-After': retry,
      });
    },
    record(req) {
      if (perMinute === 0) return;
      roll();
      const key = clientKey(req);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
  };
}
