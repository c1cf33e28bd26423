/** CORS for browser clients: an allow-list of origins (CORS_ORIGINS); preflights answered for them only. */
import type { RequestHandler } from 'express';

/** What a browser client may read besides the CORS-safelisted headers: the request id and the retry and quota headers. */
const EXPOSED = 'X-Request-ID, Retry-After, RateLimit, RateLimit-Policy';
const ALLOWED_HEADERS = 'Authorization, Content-Type, X-Request-ID';
const METHODS = 'GET, POST';
const PREFLIGHT_MAX_AGE_S = '600';

/**
 * Middleware: for an allowed `Origin`, Access-Control-Allow-Origin on every answer (errors too, so a browser can read
 * the problem document) and a 204 to a preflight on one of `paths`; any other origin gets no CORS header at all, and
 * its preflight falls through to the app (404 / 405). An empty list turns it off.
 */
export function cors(origins: readonly string[], paths: readonly string[]): RequestHandler {
  const allowed = new Set(origins);
  return (req, res, next) => {
    if (allowed.size === 0) return next();
    res.vary('Origin');
    const origin = req.get('origin');
    if (origin === undefined || !allowed.has(origin)) return next();
    res.setHeader('Access-Control-Allow-Origin', origin);
    const preflight = req.method === 'OPTIONS' && req.get('access-control-request-method') !== undefined;
    if (!preflight) {
      res.setHeader('Access-Control-Expose-Headers', EXPOSED);
      return next();
    }
    if (!paths.includes(req.path)) return next();
    res.vary('Access-Control-Request-Headers');
    res.setHeader('Access-Control-Allow-Methods', METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', PREFLIGHT_MAX_AGE_S);
    res.status(204).end();
  };
}
