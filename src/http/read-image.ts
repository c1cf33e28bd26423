/** Receive and decode, shared by every model route: one upload (or the image at a URL) becomes one decoded image, whatever models follow. */
import type { Request } from 'express';
import type { Config } from '../config.js';
import { ImageSource, imageLimits } from '../image/image-source.js';
import { throwIfRequestOver } from '../runtime/request-signal.js';
import type { Admission } from './admission.js';
import type { FetchPool } from './fetch-pool.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { receiveUpload } from './receive.js';
import { receiveImageUrl } from './receive-url.js';
import { recordTiming } from './request-id.js';

/** What every model route needs to turn a request into pixels. */
export interface ImageReader {
  readonly config: Config;
  readonly metrics: ServiceMetrics;
  /** Decode to this shorter side (what the most demanding model needs), no larger. */
  readonly workingShorterSide: number;
  /** The upload slot is traded for a processing slot once the body is in; absent, nothing is counted. */
  readonly admission?: Admission;
  /** Batch URL parts are fetched through it (a few connections per client); absent, all at once. */
  readonly fetches?: FetchPool;
  /** A batch pays the rate limit per image: its extra images are charged once counted (429 over the quota). */
  readonly chargeImages?: (req: Request, images: number) => Promise<void>;
}

/** The request's image, checked and decoded at the working size; `contentTypes` are the body media types the operation accepts. */
export async function readImage(req: Request, reader: ImageReader, contentTypes: readonly string[]): Promise<ImageSource> {
  const { config } = reader;
  const started = performance.now();
  const byUrl = contentTypes.includes('application/json') && req.is('application/json') === 'application/json';
  const bytes = byUrl
    ? await receiveImageUrl(req, config, (n) => reader.admission?.chargeFetched(req, n))
    : (
        await receiveUpload(req, {
          bodyLimitBytes: config.bodyLimitBytes,
          contentTypes,
          minBytesPerSecond: config.uploadMinBytesPerSecond,
          rateWindowMs: config.uploadRateWindowMs,
        })
      ).bytes;
  reader.admission?.beginProcessing(req);
  const received = performance.now();
  recordTiming(req.res, byUrl ? 'fetch_ms' : 'receive_ms', received - started);
  const image = await decodeUpload(bytes, reader);
  recordTiming(req.res, 'decode_ms', performance.now() - received);
  return image;
}

/** Received bytes (an upload, a batch part, a fetched URL), checked once and decoded at the working size under the configured limits. */
export async function decodeUpload(bytes: Buffer, reader: ImageReader): Promise<ImageSource> {
  const { config, metrics } = reader;
  throwIfRequestOver(); // a decode cannot be stopped once sharp runs it: start none for a request that is over
  const started = performance.now();
  const image = await ImageSource.open(bytes, imageLimits(config), reader.workingShorterSide);
  metrics.decodeDuration.observe({ format: image.format }, (performance.now() - started) / 1000);
  metrics.images.inc({ format: image.format });
  return image;
}
