/** Who a request is counted against: one key per client for every per-client cap (uploads, fetches, rate limits). */
import type { Request } from 'express';
import { ipKeyGenerator } from 'express-rate-limit';

/**
 * The client's address as `req.ip` gives it (the TCP peer, or behind TRUSTED_PROXIES the address they forwarded in
 * X-Forwarded-For), with IPv6 cut to its /64: one host gets a whole /64, so counting raw addresses gave it 2^64 clients.
 */
export function clientKey(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown', 64);
}
