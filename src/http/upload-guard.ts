/** Upload guard: the whole request body is bounded in size and must keep a minimum rate, checked every fraction of a second. */
import type { Request } from 'express';
import { ServiceError } from '../errors.js';

export interface UploadGuardOptions {
  /** Most bytes of the whole body (every multipart part counted). */
  readonly limitBytes: number;
  /** Fewest bytes per second over each window; 0 turns the rate check off. */
  readonly minBytesPerSecond: number;
  readonly windowMs: number;
}

/** One request's guard; `failed` rejects with 413 or 408 once, and readers stop consuming through `onFail`. */
export interface UploadGuard {
  readonly failed: Promise<never>;
  onFail(stop: () => void): void;
  /** The body is in (or the request is over): stop watching. */
  stop(): void;
}

/** 413 body_too_large; the rest of the body is discarded so the client can read the answer. */
export function tooLarge(req: Request, limit: number): ServiceError {
  req.resume();
  return new ServiceError('body_too_large', `The limit is ${limit} bytes for the whole request.`, { Connection: 'close' });
}

/** Start watching `req`'s bytes now. */
export function guardUpload(req: Request, options: UploadGuardOptions): UploadGuard {
  const stops: (() => void)[] = [];
  let reject!: (error: ServiceError) => void;
  const failed = new Promise<never>((_resolve, rejectWith) => (reject = rejectWith));
  failed.catch(() => {}); // settled by the caller's race; never an unhandled rejection
  let total = 0;
  let windowStart = performance.now();
  let windowBytes = 0;
  let done = false;
  const fail = (error: ServiceError) => {
    if (done) return;
    stop();
    req.unpipe();
    for (const halt of stops) halt();
    reject(error);
  };
  const onData = (chunk: Buffer) => {
    total += chunk.length;
    windowBytes += chunk.length;
    if (total > options.limitBytes) fail(tooLarge(req, options.limitBytes));
  };
  const floor = (options.minBytesPerSecond * options.windowMs) / 1000;
  // Checked several times per window, so a slow sender is cut within about one window, not at the next 30 s sweep.
  const timer = setInterval(
    () => {
      const now = performance.now();
      if (now - windowStart < options.windowMs) return;
      if (windowBytes < floor) {
        const detail = `The upload sent ${windowBytes} bytes in ${Math.round(now - windowStart)} ms; at least ${options.minBytesPerSecond} bytes/s are needed.`;
        return fail(new ServiceError('request_timeout', detail, { Connection: 'close' }));
      }
      windowStart = now;
      windowBytes = 0;
    },
    Math.max(50, Math.min(1000, options.windowMs / 4)),
  );
  if (options.minBytesPerSecond === 0) clearInterval(timer);
  function stop() {
    done = true;
    clearInterval(timer);
    req.off('data', onData);
    req.off('close', stop); // else the request holds this scope, and `failed`'s reactions hold the upload
  }
  req.on('data', onData);
  req.once('close', stop);
  return { failed, onFail: (halt) => stops.push(halt), stop };
}
