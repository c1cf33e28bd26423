/** Image by URL: the URL checked against the allow-list, its host resolved and vetted, fetched from the vetted address, every redirect re-checked, bounded in size and time. */
import { lookup as dnsLookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { ServiceError } from '../errors.js';
import type { ImageUrlConfig } from '../config.js';
import { isPublicAddress } from './public-address.js';
import { clip } from './receive.js';

export interface ResolvedAddress {
  readonly address: string;
  readonly family: number;
}

/** Every address of a host name (dns.lookup with `all`); injectable so that tests can resolve a name to any address. */
export type Resolver = (host: string) => Promise<readonly ResolvedAddress[]>;

export interface FetchLimits extends ImageUrlConfig {
  readonly bodyLimitBytes: number;
  /** Longest silence from the remote, connecting included (a silent port costs this, not the whole-fetch timeout). */
  readonly connectTimeoutMs?: number;
  readonly resolve?: Resolver;
  /** Told each chunk's size as it arrives (the memory budget charges it); throwing stops the fetch with that error. */
  readonly onBytes?: (bytes: number) => void;
}

const CONNECT_TIMEOUT_MS = 3000;

const systemResolver: Resolver = (host) => dnsLookup(host, { all: true, verbatim: true });
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

const notAllowed = (detail: string) => new ServiceError('image_url_not_allowed', detail);
const failed = (detail: string) => new ServiceError('image_url_fetch_failed', detail);

/** The host is listed and so is its port: an entry without a port allows the scheme's own port (80, 443) only. */
function hostAllowed(url: URL, allowed: readonly string[]): boolean {
  return allowed.some((entry) => {
    const [, host = '', port = ''] = /^(.*?)(?::(\d+))?$/.exec(entry)!;
    if (port !== url.port) return false;
    return host.startsWith('*.') ? url.hostname.endsWith(host.slice(1)) : url.hostname === host;
  });
}

/** The URL, if its scheme, credentials and host pass the deployment's rules. */
function checkUrl(raw: string, limits: FetchLimits): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ServiceError('image_url_invalid', `"${clip(raw)}" is not an absolute URL.`);
  }
  const schemes = limits.allowHttp ? ['https:', 'http:'] : ['https:'];
  if (!schemes.includes(url.protocol)) throw notAllowed(`Only ${schemes.join(' and ')} URLs are fetched, not "${clip(url.protocol)}".`);
  if (url.username || url.password) throw notAllowed('URLs with credentials are not fetched.');
  if (!hostAllowed(url, limits.allowedHosts))
    throw notAllowed(`The host "${clip(url.host)}" (with its port) is not on this deployment's allow-list.`);
  return url;
}

/** The one address to connect to: every address the name resolves to must be public (unless the test flag says otherwise). */
async function vetHost(hostname: string, limits: FetchLimits): Promise<ResolvedAddress> {
  const literal = hostname.replace(/^\[(.*)\]$/, '$1');
  let addresses: readonly ResolvedAddress[];
  if (isIP(literal)) addresses = [{ address: literal, family: isIP(literal) }];
  else {
    try {
      addresses = await (limits.resolve ?? systemResolver)(hostname);
    } catch {
      throw failed(`The host "${clip(hostname)}" could not be resolved.`);
    }
  }
  if (addresses.length === 0) throw failed(`The host "${clip(hostname)}" has no address.`);
  if (!limits.allowPrivateAddresses && !addresses.every(({ address }) => isPublicAddress(address))) {
    throw new ServiceError(
      'image_url_address_refused',
      `The host "${clip(hostname)}" resolves to a private, loopback, link-local or other non-public address.`,
    );
  }
  return addresses[0]!;
}

/** A lookup that answers the vetted address whatever it is asked: the socket connects where the check looked. */
function pinnedLookup(vetted: ResolvedAddress): LookupFunction {
  return (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as (e: null, a: ResolvedAddress[]) => void)(null, [vetted]);
    else callback(null, vetted.address, vetted.family);
  };
}

type Hop = { redirect: URL } | { body: Buffer };

/** One GET to the vetted address: a redirect's target, or the body within the size limit. */
function getOnce(url: URL, vetted: ResolvedAddress, limits: FetchLimits, signal: AbortSignal): Promise<Hop> {
  const transport = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = transport.get(url, {
      agent: false,
      lookup: pinnedLookup(vetted),
      headers: { accept: 'image/*', 'user-agent': 'imgsense' },
      signal,
      timeout: limits.connectTimeoutMs ?? CONNECT_TIMEOUT_MS,
    });
    request.once('timeout', () => {
      reject(new ServiceError('image_url_timeout', 'The image URL did not connect or answer in time.'));
      request.destroy();
    });
    // One detail for every socket failure: naming them (refused, reset, unreachable) would make this a port scanner.
    request.once('error', () => reject(signal.aborted ? signal.reason : failed('The image URL could not be fetched.')));
    request.once('response', (response) => {
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status) && response.headers.location) {
        response.resume();
        try {
          return resolve({ redirect: new URL(response.headers.location, url) });
        } catch {
          return reject(failed('The image URL redirected to an invalid URL.'));
        }
      }
      if (status < 200 || status > 299) return (response.resume(), reject(failed(`The image URL answered ${status}.`)));
      const tooLarge = () =>
        new ServiceError('body_too_large', `The image at the URL exceeds the limit of ${limits.bodyLimitBytes} bytes.`);
      if (Number(response.headers['content-length'] ?? 0) > limits.bodyLimitBytes) return (request.destroy(), reject(tooLarge()));
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > limits.bodyLimitBytes) return (request.destroy(), reject(tooLarge()));
        try {
          limits.onBytes?.(chunk.length);
        } catch (error) {
          return (request.destroy(), reject(error));
        }
        chunks.push(chunk);
      });
      response.once('end', () => resolve({ body: Buffer.concat(chunks) }));
      response.once('error', () => reject(signal.aborted ? signal.reason : failed("The image URL's answer was cut short.")));
    });
  });
}

/** `work`, or the signal's reason once it aborts: a resolver or a socket that never settles must not hold the request. */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    work.then(resolve, reject);
  });
}

/** The bytes at `raw`, fetched under `limits`; every failure is a ServiceError (4xx), never a hang. */
export async function fetchImage(raw: string, limits: FetchLimits, clientGone?: AbortSignal): Promise<Buffer> {
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new ServiceError('image_url_timeout', `The image URL did not answer within ${limits.timeoutMs} ms.`)),
    limits.timeoutMs,
  );
  const signal = clientGone ? AbortSignal.any([timeout.signal, clientGone]) : timeout.signal;
  try {
    let url = checkUrl(raw, limits);
    for (let redirects = 0; ; redirects += 1) {
      const vetted = await untilAborted(vetHost(url.hostname, limits), signal);
      const hop = await untilAborted(getOnce(url, vetted, limits, signal), signal);
      if ('body' in hop) return hop.body;
      if (redirects >= limits.maxRedirects) throw failed(`The image URL redirected more than ${limits.maxRedirects} times.`);
      url = checkUrl(hop.redirect.href, limits);
    }
  } catch (error) {
    if (error instanceof ServiceError) throw error;
    throw new ServiceError('invalid_request', 'The client closed the connection.');
  } finally {
    clearTimeout(timer);
  }
}
