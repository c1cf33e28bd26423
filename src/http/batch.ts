/** Batch stage: receive the parts, take one processing slot, run a use case on each part with bounded concurrency, each failure its own problem. */
import type { Request, Response } from 'express';
import type { components } from '../generated/api.js';
import type { ImageSource } from '../image/image-source.js';
import { ServiceError } from '../errors.js';
import { clientKey } from './client-address.js';
import { fetchImageUrl } from './receive-url.js';
import { problemDocument, reportError } from './problem.js';
import { decodeUpload, type ImageReader } from './read-image.js';
import { receiveBatch, type BatchPart } from './receive-batch.js';

type Problem = components['schemas']['Problem'];

/** A part ready to decode: bytes uploaded or fetched, or why its URL could not be fetched. */
export type ReadyPart = { readonly kind: 'bytes'; readonly bytes: Buffer } | { readonly kind: 'failed'; readonly error: unknown };

/**
 * The parts of the request's form, URL parts fetched; the upload slot is traded for one processing slot once all are in.
 * Fetching happens before, so a slow remote holds the client's own upload slot and fetch connections, never a processing slot.
 */
export async function readBatch(req: Request, reader: ImageReader): Promise<ReadyPart[]> {
  const { config } = reader;
  const parts = await receiveBatch(req, {
    bodyLimitBytes: config.bodyLimitBytes,
    maxParts: config.batchMaxImages,
    minBytesPerSecond: config.uploadMinBytesPerSecond,
    rateWindowMs: config.uploadRateWindowMs,
  });
  await reader.chargeImages?.(req, parts.length);
  const ready = await fetchUrlParts(req, parts, reader);
  reader.admission?.beginProcessing(req);
  return ready;
}

/**
 * Every URL part's bytes, through the client's fetch pool; the client leaving cancels the fetches. They are held until
 * the batch is decoded, so together they are bounded like an upload: past BODY_LIMIT_BYTES, a part is 413.
 */
function fetchUrlParts(req: Request, parts: readonly BatchPart[], reader: ImageReader): Promise<ReadyPart[]> {
  const gone = new AbortController();
  req.res?.once('close', () => gone.abort());
  const client = clientKey(req);
  const fetch = (url: string | undefined) => fetchImageUrl(url, reader.config, gone.signal, (n) => reader.admission?.chargeFetched(req, n));
  let held = 0;
  return Promise.all(
    parts.map(async (part): Promise<ReadyPart> => {
      if (part.kind === 'bytes') return part;
      try {
        const bytes = await (reader.fetches ? reader.fetches.run(client, () => fetch(part.url)) : fetch(part.url));
        held += bytes.length;
        if (held > reader.config.bodyLimitBytes) {
          throw new ServiceError(
            'body_too_large',
            `The images fetched for this batch exceed ${reader.config.bodyLimitBytes} bytes together.`,
          );
        }
        return { kind: 'bytes', bytes };
      } catch (error) {
        return { kind: 'failed', error };
      }
    }),
  );
}

/** One part's image: its bytes decoded as an upload is, or its fetch failure. */
async function decodePart(part: ReadyPart, reader: ImageReader): Promise<ImageSource> {
  if (part.kind === 'failed') throw part.error;
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
  parts: readonly ReadyPart[],
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
        results[index] = await run(await decodePart(parts[index]!, reader));
      } catch (error) {
        results[index] = problemDocument(req, res, reportError(req, res, reader.metrics, error));
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, parts.length) }, worker));
  return results;
}
