/** Receive stage for image by URL: a small JSON body `{"url": ...}` becomes the bytes at that URL, when the deployment allows it. */
import type { Request } from 'express';
import type { Config } from '../config.js';
import { ServiceError } from '../errors.js';
import { fetchImage } from './fetch-image.js';
import { URL_FIELD_LIMIT } from './receive-batch.js';
import { receiveUpload } from './receive.js';

/** Far more than `{"url": "<2048 characters>"}` needs. */
const JSON_BODY_LIMIT = 16 * 1024;

const invalid = (detail: string) => new ServiceError('image_url_invalid', detail);

function requireEnabled(config: Config): void {
  if (config.imageUrl.allowedHosts.length === 0) {
    throw new ServiceError(
      'image_url_disabled',
      'Image by URL is off in this deployment (IMAGE_URL_ALLOWED_HOSTS is empty): upload the image instead.',
    );
  }
}

/**
 * The bytes at `url`; 415 when the deployment has no allow-list, 400 for a missing or overlong URL. `onBytes` sees each
 * chunk as it arrives (the memory budget charges it, and may stop the fetch).
 */
export async function fetchImageUrl(
  url: string | undefined,
  config: Config,
  clientGone?: AbortSignal,
  onBytes?: (bytes: number) => void,
): Promise<Buffer> {
  requireEnabled(config);
  if (url === undefined || url.length > URL_FIELD_LIMIT) throw invalid(`The URL is missing or longer than ${URL_FIELD_LIMIT} characters.`);
  const limits = { ...config.imageUrl, bodyLimitBytes: config.bodyLimitBytes, connectTimeoutMs: config.imageUrlConnectTimeoutMs, onBytes };
  return fetchImage(url, limits, clientGone);
}

/** The URL of a JSON body: an object with exactly one string property `url`. */
function parseUrlBody(bytes: Buffer): string {
  let body: unknown;
  try {
    body = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw invalid('The body is not valid JSON.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    throw invalid('The body must be a JSON object {"url": "https://..."}.');
  const { url, ...rest } = body as Record<string, unknown>;
  if (typeof url !== 'string') throw invalid('The body needs a string "url".');
  if (Object.keys(rest).length > 0) throw invalid(`Unknown properties: ${Object.keys(rest).slice(0, 5).join(', ')}.`);
  return url;
}

/** Read the JSON body and fetch the image it names; the client closing the connection cancels the fetch. */
export async function receiveImageUrl(req: Request, config: Config, onBytes?: (bytes: number) => void): Promise<Buffer> {
  requireEnabled(config); // before the body is read
  const upload = await receiveUpload(req, {
    bodyLimitBytes: JSON_BODY_LIMIT,
    contentTypes: ['application/json'],
    minBytesPerSecond: config.uploadMinBytesPerSecond,
    rateWindowMs: config.uploadRateWindowMs,
  });
  const gone = new AbortController();
  req.res?.once('close', () => gone.abort());
  return fetchImageUrl(parseUrlBody(upload.bytes), config, gone.signal, onBytes);
}
