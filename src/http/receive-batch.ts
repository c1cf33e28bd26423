/** Receive stage for batches: the ordered parts of a multipart form, each an "image" file or a "url" field, within the whole-body limit. */
import type { Request } from 'express';
import busboy from 'busboy';
import { ServiceError } from '../errors.js';
import { clip } from './receive.js';
import { guardUpload, tooLarge, type UploadGuard } from './upload-guard.js';

/** One part of a batch, in form order: image bytes (possibly empty) or an image URL (undefined when cut at the field limit). */
export type BatchPart = { readonly kind: 'bytes'; readonly bytes: Buffer } | { readonly kind: 'url'; readonly url: string | undefined };

export interface BatchReceiveOptions {
  readonly bodyLimitBytes: number;
  /** Most `image` and `url` parts together. */
  readonly maxParts: number;
  readonly minBytesPerSecond: number;
  readonly rateWindowMs: number;
}

/** Longest accepted `url` field; the JSON body's `url` is bounded the same (openapi.yaml, ImageUrl). */
export const URL_FIELD_LIMIT = 2048;
/** Parts in other fields that are drained and ignored, beyond the counted ones. */
const OTHER_PARTS = 16;

const malformed = () => new ServiceError('invalid_request', 'The multipart form is malformed.');
const truncated = () => new ServiceError('truncated_body', 'The multipart form ended before its closing boundary.');
const tooMany = (max: number) =>
  new ServiceError('too_many_images', `A batch takes at most ${max} "image" and "url" parts.`, { Connection: 'close' });

function readParts(req: Request, options: BatchReceiveOptions, guard: UploadGuard): Promise<BatchPart[]> {
  const { bodyLimitBytes: limit, maxParts } = options;
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: {
          fileSize: limit,
          fieldSize: URL_FIELD_LIMIT,
          files: maxParts + OTHER_PARTS,
          fields: maxParts + OTHER_PARTS,
          parts: 2 * maxParts + OTHER_PARTS,
        },
      });
    } catch {
      return reject(malformed());
    }
    const parts: (BatchPart | undefined)[] = [];
    let failure: ServiceError | undefined;
    const fail = (error: ServiceError) => {
      failure ??= error;
      req.unpipe(parser);
      req.resume();
      reject(failure);
    };
    const count = () => {
      if (parts.length >= maxParts) fail(tooMany(maxParts));
      return failure === undefined;
    };
    guard.onFail(() => req.unpipe(parser));
    parser.on('file', (field, stream) => {
      stream.on('error', () => fail(truncated()));
      if (field !== 'image' || !count()) return stream.resume();
      const index = parts.push(undefined) - 1;
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (failure ??= tooLarge(req, limit)));
      stream.on('end', () => (parts[index] = { kind: 'bytes', bytes: Buffer.concat(chunks) }));
    });
    parser.on('field', (field, value, info) => {
      if (field !== 'url' || !count()) return;
      parts.push({ kind: 'url', url: info.valueTruncated ? undefined : value });
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit']) parser.on(event, () => fail(tooMany(maxParts)));
    parser.on('error', (error: Error) => fail(/unexpected end/i.test(error.message) ? truncated() : malformed()));
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (parts.length === 0) reject(new ServiceError('missing_image_field', 'The form has no "image" (or "url") part.'));
      else if (parts.some((part) => part === undefined)) reject(truncated());
      else resolve(parts as BatchPart[]);
    });
    req.once('error', () => fail(truncated()));
    req.pipe(parser);
  });
}

/** Read a batch form; 415 unless multipart, 413 over the whole-body limit, 408 too slow, 400 with no parts or too many. */
export async function receiveBatch(req: Request, options: BatchReceiveOptions): Promise<BatchPart[]> {
  const type = (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'multipart/form-data') {
    throw new ServiceError(
      'unsupported_media_type',
      `Content-Type "${clip(type) || '(none)'}" is not accepted: a batch is multipart/form-data.`,
    );
  }
  if (Number(req.get('content-length') ?? 0) > options.bodyLimitBytes) throw tooLarge(req, options.bodyLimitBytes);
  const guard = guardUpload(req, {
    limitBytes: options.bodyLimitBytes,
    minBytesPerSecond: options.minBytesPerSecond,
    windowMs: options.rateWindowMs,
  });
  try {
    return await Promise.race([readParts(req, options, guard), guard.failed]);
  } finally {
    guard.stop();
  }
}
