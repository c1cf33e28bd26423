/** Decode an upload once into raw sRGB pixels: real format, header pixel check, orientation, alpha, first frame. */
import sharp from 'sharp';
import { detectFormat, type ImageFormat } from './detect-format.js';

sharp.cache(false);

/** No legitimate image within the pixel limit needs longer; pathological ones must not hold a thread forever. */
const DECODE_TIMEOUT_S = 20;

/** Why an image was refused; the HTTP layer maps each reason to its status. */
export type ImageRejection = 'unsupported_format' | 'too_many_pixels' | 'corrupt';

/** The bytes are not an image this server decodes, declare too many pixels, or are corrupt; `message` is safe to show. */
export class ImageRejectedError extends Error {
  constructor(
    readonly reason: ImageRejection,
    message: string,
  ) {
    super(message);
    this.name = 'ImageRejectedError';
  }
}

/** Raw 8-bit RGB, row-major, 3 channels; the input of every per-model resize. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly format: ImageFormat;
}

export interface DecodeOptions {
  readonly maxPixels: number;
  /** Downscale on decode so the shorter side is at most this (keeps memory bounded; models need far less). */
  readonly workingShorterSide?: number;
}

const SHARP_FORMATS: Record<ImageFormat, string[]> = {
  jpeg: ['jpeg'],
  png: ['png'],
  webp: ['webp'],
  gif: ['gif'],
  avif: ['heif', 'avif'],
  heif: ['heif'],
  tiff: ['tiff'],
};

function decodeFailure(error: unknown, format: ImageFormat): ImageRejectedError {
  const message = error instanceof Error ? error.message : String(error);
  if (/pixel limit/i.test(message)) return new ImageRejectedError('too_many_pixels', 'The image has more pixels than the limit.');
  if (/timeout/i.test(message)) return new ImageRejectedError('corrupt', `Decoding the ${format} took longer than ${DECODE_TIMEOUT_S} s.`);
  if (/unsupported|not been built|no decoder|compression format/i.test(message)) {
    return new ImageRejectedError('unsupported_format', `This ${format} variant cannot be decoded by this server.`);
  }
  return new ImageRejectedError('corrupt', `The ${format} data is corrupt or truncated.`);
}

/** Header-only look: refuses formats sharp sees differently and pixel counts over the limit, before any decoding. */
async function checkHeader(bytes: Buffer, format: ImageFormat, maxPixels: number): Promise<void> {
  const meta = await sharp(bytes, { limitInputPixels: false }).metadata().catch((error: unknown) => {
    throw decodeFailure(error, format);
  });
  if (!SHARP_FORMATS[format].includes(meta.format)) {
    throw new ImageRejectedError('unsupported_format', `The bytes look like ${format} but decode as ${meta.format}.`);
  }
  const pixels = (meta.width ?? 0) * (meta.pageHeight ?? meta.height ?? 0);
  if (!(pixels > 0)) throw new ImageRejectedError('corrupt', 'The image header declares no pixels.');
  if (pixels > maxPixels) {
    throw new ImageRejectedError('too_many_pixels', `The image has ${pixels} pixels; the limit is ${maxPixels}.`);
  }
}

/** Decode to raw RGB after orientation, sRGB conversion and flattening alpha onto white; first frame only. */
export async function decodeImage(bytes: Buffer, options: DecodeOptions): Promise<RawImage> {
  const detected = detectFormat(bytes);
  if (!detected.supported) {
    throw new ImageRejectedError('unsupported_format', `Detected ${detected.format}; send JPEG, PNG, WebP, GIF, AVIF, TIFF or HEIF.`);
  }
  const { format } = detected;
  await checkHeader(bytes, format, options.maxPixels);
  let pipeline = sharp(bytes, { limitInputPixels: options.maxPixels, failOn: 'error', pages: 1, page: 0, autoOrient: true });
  if (options.workingShorterSide) {
    const side = options.workingShorterSide;
    pipeline = pipeline.resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true });
  }
  const { data, info } = await pipeline
    .timeout({ seconds: DECODE_TIMEOUT_S })
    .toColourspace('srgb')
    .flatten({ background: '#ffffff' })
    .removeAlpha()
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeFailure(error, format);
    });
  if (info.channels !== 3) throw new ImageRejectedError('corrupt', `Decoded to ${info.channels} channels.`);
  return { data, width: info.width, height: info.height, format };
}
