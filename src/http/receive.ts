/** Receive stage: the image bytes from a raw image body or a multipart field "image", within the size limit. */
import type { Request } from 'express';
import busboy from 'busboy';
import { ServiceError } from '../errors.js';

export interface ReceiveOptions {
  readonly bodyLimitBytes: number;
  /** Media types the operation accepts (from openapi.yaml). */
  readonly contentTypes: readonly string[];
}

export interface ReceivedUpload {
  readonly bytes: Buffer;
  readonly declaredType: string;
}

function tooLarge(req: Request, limit: number): ServiceError {
  req.resume(); // discard the rest so the client can read the answer
  return new ServiceError('body_too_large', `The limit is ${limit} bytes.`, { Connection: 'close' });
}

function mediaType(req: Request): string {
  return (req.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}

function readRaw(req: Request, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        return reject(tooLarge(req, limit));
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', () => reject(new ServiceError('invalid_request', 'The upload was interrupted.')));
  });
}

const malformed = () => new ServiceError('invalid_request', 'The multipart form is malformed.');
const truncated = () => new ServiceError('truncated_body', 'The multipart form ended before its closing boundary.');

/** The file in the field "image"; every other part is drained. Any stream error settles the promise once, never throws. */
function readMultipart(req: Request, limit: number): Promise<{ bytes: Buffer; type: string }> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { fileSize: limit, files: 4, fields: 20, parts: 24 } });
    } catch {
      return reject(malformed());
    }
    let image: { bytes: Buffer; type: string } | undefined;
    let failure: ServiceError | undefined;
    const fail = (error: ServiceError) => {
      failure ??= error;
      req.unpipe(parser);
      req.resume();
      reject(failure);
    };
    parser.on('file', (field, stream, info) => {
      // busboy destroys an unfinished part's stream with an error when the body ends early; without a listener it is uncaught.
      stream.on('error', () => fail(truncated()));
      if (field !== 'image' || image) return stream.resume();
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('limit', () => (failure ??= tooLarge(req, limit)));
      stream.on('end', () => (image = { bytes: Buffer.concat(chunks), type: info.mimeType }));
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

/** Read the upload; 415 for a media type the contract does not list, 413 over the limit, 400 when empty. */
export async function receiveUpload(req: Request, options: ReceiveOptions): Promise<ReceivedUpload> {
  const type = mediaType(req);
  if (!options.contentTypes.includes(type)) {
    throw new ServiceError('unsupported_media_type', `Content-Type "${type || '(none)'}" is not accepted.`);
  }
  const declaredLength = Number(req.get('content-length') ?? 0);
  if (declaredLength > options.bodyLimitBytes) throw tooLarge(req, options.bodyLimitBytes);
  if (type === 'multipart/form-data') {
    const part = await readMultipart(req, options.bodyLimitBytes);
    if (part.bytes.length === 0) throw new ServiceError('empty_body', 'The "image" field is empty.');
    return { bytes: part.bytes, declaredType: part.type };
  }
  const bytes = await readRaw(req, options.bodyLimitBytes);
  if (bytes.length === 0) throw new ServiceError('empty_body');
  return { bytes, declaredType: type };
}
