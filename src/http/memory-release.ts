/**
 * Memory back after a burst: a full garbage collection once the requests of a burst have ended. The upload buffers die in
 * V8's old space, which only a major collection frees, and an idle server runs none: 128 concurrent 15 MB uploads left
 * 116-145 MiB of dead ArrayBuffers for a minute (issue 25, docs/security.md). The allocator then decides whether the
 * freed bytes leave the process (jemalloc in the image does; glibc keeps most of them).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** V8's own gc() (a full collection, about 50 ms on this service's heap), also when node was started without --expose-gc. */
export function fullCollection(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed) return exposed;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

/**
 * A trigger that runs `collect` `settleMs` after it is pulled, at most once every `minIntervalMs`: pulls while one is
 * pending are merged into it, so a stream of bursts costs at most one collection per interval. The default 6 s outlasts
 * the server's 5 s keep-alive timeout: an idle keep-alive socket holds its last request, and that request its upload
 * (8 answered 15 MB uploads: 115 MiB still held 1 s after the last answer, none once the sockets had closed).
 */
export function collectAfterBursts(
  collect: () => void,
  { settleMs = 6_000, minIntervalMs = 5_000, now = () => performance.now() } = {},
): () => void {
  let last = Number.NEGATIVE_INFINITY;
  let timer: NodeJS.Timeout | undefined;
  return () => {
    if (timer) return;
    const wait = Math.max(settleMs, last + minIntervalMs - now());
    timer = setTimeout(() => {
      timer = undefined;
      last = now();
      collect();
    }, wait);
    timer.unref();
  };
}
