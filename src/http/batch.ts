/** Batch stage: receive the parts, take one processing slot, run a use case on each part with bounded concurrency, each failure its own problem. */
import type { Request, Response } from 'express';
import type { components } from '../generated/api.js';
import type { ImageSource } from '../image/image-source.js';
import { ServiceError } from '../errors.js';
import { fetchImageUrl } from './receive-url.js';
import { problemDocument, reportError } from './problem.js';
import { decodeUpload, type ImageReader } from './read-image.js';
import { receiveBatch, type BatchPart } from './receive-batch.js';

type Problem = components['schemas']['Problem'];

/** The parts of the request's form; the upload slot is traded for one processing slot once the body is in. */
export async function readBatch(req: Request, reader: ImageReader): Promise<BatchPart[]> {
  const { config } = reader;
  const parts = await receiveBatch(req, {
    bodyLimitBytes: config.bodyLimitBytes,
    maxParts: config.batchMaxImages,
    minBytesPerSecond: config.uploadMinBytesPerSecond,
    rateWindowMs: config.uploadRateWindowMs,
  });
  reader.admission?.beginProcessing(req);
  return parts;
}

/** One part's image: its bytes, or the image its URL names, decoded as an upload is. */
async function decodePart(part: BatchPart, reader: ImageReader, signal: AbortSignal): Promise<ImageSource> {
  if (part.kind === 'url') return decodeUpload(await fetchImageUrl(part.url, reader.config, signal), reader);
  if (part.bytes.length === 0) throw new ServiceError('empty_body', 'This "image" part is empty.');
  return decodeUpload(part.bytes, reader);
}

/**
 * `run` on each part's image, results in part order; a part that fails is its own problem document.
 * At most `concurrency` parts at once: enough to fill the micro-batches, few enough that one batch cannot take the whole queue.
 */
export async function eachPart<T>(
  req: Request,
  res: Response,
  reader: ImageReader,
  parts: readonly BatchPart[],
  run: (image: ImageSource) => Promise<T>,
): Promise<(T | Problem)[]> {
  const concurrency = Math.max(1, reader.config.batchMaxSize * reader.config.inferenceWorkers);
  const gone = new AbortController();
  res.once('close', () => gone.abort());
  const results: (T | Problem)[] = new Array(parts.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < parts.length; index = next++) {
      try {
        if (gone.signal.aborted) throw new ServiceError('invalid_request', 'The client closed the connection.');
        results[index] = await run(await decodePart(parts[index]!, reader, gone.signal));
      } catch (error) {
        results[index] = problemDocument(req, res, reportError(req, res, reader.metrics, error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, parts.length) }, worker));
  return results;
}
