/** Receive stage: the image bytes from a raw image body or the one multipart field "image", within the whole-body limit. */
import type { Request } from 'express';
import busboy from 'busboy';
import { ServiceError } from '../errors.js';
import { guardUpload, tooLarge, type UploadGuard } from './upload-guard.js';

export interface ReceiveOptions {
  readonly bodyLimitBytes: number;
  /** Media types the operation accepts (from openapi.yaml). */
  readonly contentTypes: readonly string[];
  /** Slowest accepted upload (bytes per second over each window); 0 turns the check off. */
  readonly minBytesPerSecond?: number;
  readonly rateWindowMs?: number;
}

export interface ReceivedUpload {
  readonly bytes: Buffer;
  readonly declaredType: string;
}

/** Longest piece of client input echoed in a problem's detail. */
const ECHO_LIMIT = 200;

/** Client input cut to a length that is safe to echo. */
export function clip(text: string, limit = ECHO_LIMIT): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}… (${text.length} characters)`;
}

function mediaType(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function readRaw(req: Request, guard: UploadGuard): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => chunks.push(chunk);
    guard.onFail(() => req.off('data', onData));
    req.on('data', onData);
    // The listener and the chunks go once joined: a keep-alive socket keeps its last request, and with it both copies
    // of a 15 MB upload, until its next request or its close (issue 25: 231 MiB after 8 answered uploads).
    req.once('end', () => {
      req.off('data', onData);
      resolve(Buffer.concat(chunks.splice(0)));
    });
    req.once('error', () => reject(new ServiceError('invalid_request', 'The upload was interrupted.')));
  });
}

const malformed = () => new ServiceError('invalid_request', 'The multipart form is malformed.');
const truncated = () => new ServiceError('truncated_body', 'The multipart form ended before its closing boundary.');
const twoImages = () =>
  new ServiceError('invalid_request', 'The multipart form has more than one "image" part; send exactly one.', { Connection: 'close' });

/** The one file in the field "image"; every other part is drained. Any stream error settles the promise once, never throws. */
function readMultipart(req: Request, limit: number, guard: UploadGuard): Promise<{ bytes: Buffer; type: string }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 4, fields: 20, parts: 24 } });
    } catch {
      return reject(malformed());
    }
    let image: { bytes: Buffer; type: string } | undefined;
    let imageParts = 0;
    let failure: ServiceError | undefined;
    const fail = (error: ServiceError) => {
      failure ??= error;
      req.unpipe(parser);
      req.resume();
      reject(failure);
    };
    guard.onFail(() => req.unpipe(parser));
    parser.on('file', (field, stream, info) => {
      // busboy destroys an unfinished part's stream with an error when the body ends early; without a listener it is uncaught.
      stream.on('error', () => fail(truncated()));
      if (field !== 'image') return stream.resume();
      imageParts += 1;
      if (imageParts > 1) return (stream.resume(), fail(twoImages()));
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (failure ??= tooLarge(req, limit)));
      stream.on('end', () => (image = { bytes: Buffer.concat(chunks.splice(0)), type: info.mimeType }));
    });
    parser.on('error', (error: Error) => fail(/unexpected end/i.test(error.message) ? truncated() : malformed()));
    parser.on('close', () => {
      if (failure) reject(failure);
      else if (!image) reject(new ServiceError('missing_image_field'));
      else resolve(image);
    });
    req.once('error', () => fail(truncated()));
    req.pipe(parser);
  });
}

/** Read the upload; 415 for a media type the contract does not list, 413 over the limit, 408 too slow, 400 when empty. */
export async function receiveUpload(req: Request, options: ReceiveOptions): Promise<ReceivedUpload> {
  const type = mediaType(req);
  if (!options.contentTypes.includes(type)) {
    throw new ServiceError('unsupported_media_type', `Content-Type "${clip(type) || '(none)'}" is not accepted.`);
  }
  const declaredLength = Number(req.get('content-length') ?? 0);
  if (declaredLength > options.bodyLimitBytes) throw tooLarge(req, options.bodyLimitBytes);
  const guard = guardUpload(req, {
    limitBytes: options.bodyLimitBytes,
    minBytesPerSecond: options.minBytesPerSecond ?? 0,
    windowMs: options.rateWindowMs ?? 5000,
  });
  try {
    if (type === 'multipart/form-data') {
      const part = await Promise.race([readMultipart(req, options.bodyLimitBytes, guard), guard.failed]);
      if (part.bytes.length === 0) throw new ServiceError('empty_body', 'The "image" field is empty.');
      return { bytes: part.bytes, declaredType: part.type };
    }
    const bytes = await Promise.race([readRaw(req, guard), guard.failed]);
    if (bytes.length === 0) throw new ServiceError('empty_body');
    return { bytes, declaredType: type };
  } finally {
    guard.stop();
  }
}
