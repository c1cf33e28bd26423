/** Receive and decode, shared by every model route: one upload becomes one decoded image, whatever models follow. */
import type { Request } from 'express';
import type { Config } from '../config.js';
import type { ServiceMetrics } from '../http/metrics.js';
import { decodeImage, type RawImage } from '../image/decode.js';
import { receiveUpload } from './receive.js';

export interface ReadImageOptions {
  readonly config: Config;
  readonly metrics: ServiceMetrics;
  /** Body media types the operation accepts (from openapi.yaml). */
  readonly contentTypes: readonly string[];
  /** Decode no larger than this shorter side (twice what the most demanding model needs). */
  readonly workingShorterSide: number;
}

/** The request's image, decoded once to raw RGB; every receive and decode error is a ServiceError. */
export async function readImage(req: Request, options: ReadImageOptions): Promise<RawImage> {
  const { config, metrics } = options;
  const upload = await receiveUpload(req, { bodyLimitBytes: config.bodyLimitBytes, contentTypes: options.contentTypes });
  const started = performance.now();
  const image = await decodeImage(upload.bytes, { maxPixels: config.maxPixels, workingShorterSide: options.workingShorterSide });
  metrics.decodeDuration.observe({ format: image.format }, (performance.now() - started) / 1000);
  metrics.images.inc({ format: image.format });
  return image;
}
