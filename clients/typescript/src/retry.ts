/** Retrying what the service says to retry: 429 and 503 after their Retry-After, and a dropped connection with backoff. */
import { setTimeout as delay } from 'node:timers/promises';
import { ImgsenseProblemError } from './problem-error.js';

const MAX_WAIT_SECONDS = 60;

/** Call `call` until it succeeds, fails for good, or has been retried `retries` times; `onRetry` hears of each retry. */
export async function withRetries<T>(
  call: () => Promise<T>,
  retries: number,
  onRetry: () => void = () => {},
  sleep: (ms: number) => Promise<unknown> = delay,
): Promise<T> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await call();
    } catch (error) {
      const seconds = retryDelaySeconds(error, attempt);
      if (seconds === undefined || attempt >= retries) throw error;
      // Up to 20 % jitter so that a pool of workers refused together does not come back together.
      onRetry();
      await sleep(seconds * 1000 * (1 + Math.random() * 0.2));
    }
  }
}

/** Seconds to wait before retrying after `error`, or undefined when retrying cannot help. */
export function retryDelaySeconds(error: unknown, attempt: number): number | undefined {
  if (error instanceof ImgsenseProblemError) {
    if (error.status !== 429 && error.status !== 503) return undefined;
    return Math.min(error.retryAfterSeconds ?? 2 ** attempt, MAX_WAIT_SECONDS);
  }
  // fetch rejects with a TypeError when the connection is refused or reset (the service restarting, a balancer draining it).
  if (error instanceof TypeError) return Math.min(0.5 * 2 ** attempt, MAX_WAIT_SECONDS);
  return undefined;
}
