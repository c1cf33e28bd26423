/** Lingering close: a request refused before its body was read has that body read away, within bounds, so its client sees the answer. */
import type { Request } from 'express';

/** Read away at most this much of a refused body (more than the default 20 MB body limit): beyond it, the connection is cut. */
const LINGER_BYTES = 32 * 1024 * 1024;
/** Read it for at most this long: a refused client that trickles its body holds a connection no longer. */
const LINGER_MS = 2000;

/**
 * Once the answer is out, close our side (the client reads the answer, then end of stream) and read the rest of the body
 * away until the client stops, or `maxBytes` or `maxMs` pass (then the connection is cut). Closing at once, with the
 * body unread, reset the socket under a client still writing it: EPIPE, and the 503 lost (issue 25, finding 6).
 */
export function drainRefused(req: Request, maxBytes = LINGER_BYTES, maxMs = LINGER_MS): void {
  if (req.complete) return;
  const socket = req.socket;
  let read = 0;
  const cut = () => socket.destroy();
  const timer = setTimeout(cut, maxMs);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    read += chunk.length;
    if (read > maxBytes) clearTimeout(timer), cut();
  });
  req.once('end', () => clearTimeout(timer));
  socket.once('close', () => clearTimeout(timer));
  req.res?.once('finish', () => socket.end());
  req.resume();
}
