/** Lingering close: a request refused before its body was read has that body read away, within bounds, so its client sees the answer. */
import type { Request } from 'express';

/** Read away at most this much of a refused body (more than the default 20 MB body limit): beyond it, the connection is cut. */
const LINGER_BYTES = 32 * 1024 * 1024;
/** Cut when no byte came for this long: a refused client that stalls holds its connection no longer. */
const LINGER_IDLE_MS = 2000;
/**
 * And in all at most this long: a refused client that trickles its body holds a connection no longer. Not tighter:
 * on a busy machine (load 33 on 2 cores) 16 refused 8 MiB bodies took over 2 s to read away, and their 503s were lost.
 */
const LINGER_MS = 15_000;

/**
 * Once the answer is out, close our side (the client reads the answer, then end of stream) and read the rest of the body
 * away until the client stops, or `maxBytes` pass, or no byte comes for `idleMs`, or `maxMs` pass (then the connection
 * is cut). Closing at once, with the body unread, reset the socket under a client still writing it: EPIPE, and the 503
 * lost (issue 25, finding 6).
 */
export function drainRefused(req: Request, maxBytes = LINGER_BYTES, maxMs = LINGER_MS, idleMs = LINGER_IDLE_MS): void {
  if (req.complete) return;
  const socket = req.socket;
  let read = 0;
  const cut = () => socket.destroy();
  const timers = [setTimeout(cut, maxMs), setTimeout(cut, idleMs)];
  timers.forEach((timer) => timer.unref());
  const stop = () => timers.forEach((timer) => clearTimeout(timer));
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > maxBytes) return (stop(), cut());
    timers[1]!.refresh();
  });
  req.once('end', stop);
  socket.once('close', stop);
  req.res?.once('finish', () => socket.end());
  req.resume();
}
