/** Decode an upload once into raw sRGB pixels: real format, header pixel check, orientation, alpha, first frame. */
import sharp from 'sharp';
import { splitAlpha } from './alpha.js';
import { detectFormat, type ImageFormat } from './detect-format.js';
import { largestHeifExtent } from './heif-extents.js';
import { isIgnoredProfile } from './icc.js';
import { readJpegHeader } from './jpeg-header.js';
import { countJpegScans } from './jpeg-scans.js';
import { requestTimeLeftMs } from '../runtime/request-signal.js';

sharp.cache(false);

/** No legitimate image within the pixel limit needs longer; pathological ones must not hold a thread forever. */
const DECODE_TIMEOUT_S = 20;

/** Whole seconds a decode may run: DECODE_TIMEOUT_S, or less when the request's deadline is nearer (sharp's least is 1). */
const decodeTimeoutS = () => Math.max(1, Math.min(DECODE_TIMEOUT_S, Math.ceil((requestTimeLeftMs() ?? Infinity) / 1000)));

/** Why an image was refused; the HTTP layer maps each reason to its status. */
export type ImageRejection = 'unsupported_format' | 'too_many_pixels' | 'too_complex' | 'corrupt';

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
  /** Opacity per pixel (0-255), only when some pixel is transparent; `data` is flattened onto white either way. */
  readonly alpha?: Buffer;
}

/** Defaults of the limits below (the service passes its config; README, Configuration, gives the reasons). */
export const DECODE_LIMIT_DEFAULTS = {
  maxPixelsHeif: 16_777_216,
  maxAspectRatio: 50,
  maxJpegScans: 100,
  maxDecodedBytes: 200_000_000,
} as const;

export interface DecodeOptions {
  readonly maxPixels: number;
  /** AVIF and HEIF decode at full size (no shrink-on-load): a lower width x height cap for them. */
  readonly maxPixelsHeif?: number;
  /** Longer side / shorter side; a 5 x 9,999,999 image cannot be shrunk on load and is useless to the models anyway. */
  readonly maxAspectRatio?: number;
  /** Scans (SOS markers) a JPEG may have; a progressive decode pays for every scan over the whole image. */
  readonly maxJpegScans?: number;
  /** Width x height x channels x bytes per sample of the full image, from the header (checkDecodedBytes). */
  readonly maxDecodedBytes?: number;
  /** Downscale on decode so the shorter side is at most this (keeps memory bounded; models need far less). */
  readonly workingShorterSide?: number;
  /** Turn the picture clockwise by this after its EXIF orientation (a photo stored sideways: src/caption/sideways.ts). */
  readonly turn?: QuarterTurn;
}

/** A clockwise turn in degrees. */
export type QuarterTurn = 90 | 180 | 270;

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
  if (/timeout/i.test(message)) return new ImageRejectedError('corrupt', `Decoding the ${format} took longer than ${decodeTimeoutS()} s.`);
  // The magic bytes already named a format sharp has a loader for, so "unsupported image format" here means its header is broken.
  if (/unsupported image format/i.test(message)) return new ImageRejectedError('corrupt', `The ${format} header is corrupt or truncated.`);
  if (/unsupported|not been built|no decoder|compression format/i.test(message)) {
    return new ImageRejectedError('unsupported_format', `This ${format} variant cannot be decoded by this server.`);
  }
  return new ImageRejectedError('corrupt', `The ${format} data is corrupt or truncated.`);
}

/** The header facts the checks read, as sharp's metadata() names them. */
interface HeaderFacts {
  readonly format: string;
  readonly width?: number;
  readonly height?: number;
  readonly pageHeight?: number;
  readonly channels?: number;
  readonly depth?: string;
  readonly icc?: Buffer;
  readonly hasAlpha?: boolean;
}

/** The header: a JPEG's read in JavaScript (a sharp call less, src/image/jpeg-header.ts), any other by sharp's metadata(). */
async function readHeader(bytes: Buffer, format: ImageFormat): Promise<HeaderFacts> {
  const jpeg = format === 'jpeg' ? readJpegHeader(bytes) : undefined;
  if (jpeg) return { ...jpeg, format: 'jpeg' };
  return sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch((error: unknown) => {
      throw decodeFailure(error, format);
    });
}

/**
 * Header-only look: refuses formats sharp sees differently, pixel counts over the limit and extreme shapes, before any
 * decoding; answers whether the embedded colour profile is ignored (an RGB or grey one, src/image/icc.ts).
 */
async function checkHeader(bytes: Buffer, format: ImageFormat, options: DecodeOptions): Promise<Omit<CheckedUpload, 'format'>> {
  const limits = { ...DECODE_LIMIT_DEFAULTS, ...options };
  const meta = await readHeader(bytes, format);
  if (!SHARP_FORMATS[format].includes(meta.format)) {
    throw new ImageRejectedError('unsupported_format', `The bytes look like ${format} but decode as ${meta.format}.`);
  }
  const width = meta.width ?? 0;
  const height = meta.pageHeight ?? meta.height ?? 0;
  const pixels = width * height;
  if (!(pixels > 0)) throw new ImageRejectedError('corrupt', 'The image header declares no pixels.');
  const maxPixels = format === 'avif' || format === 'heif' ? Math.min(limits.maxPixels, limits.maxPixelsHeif) : limits.maxPixels;
  if (pixels > maxPixels) {
    throw new ImageRejectedError('too_many_pixels', `The ${format} has ${pixels} pixels; the limit is ${maxPixels}.`);
  }
  checkDecodedBytes({ width, height, channels: meta.channels, depth: meta.depth }, limits.maxDecodedBytes);
  if (Math.max(width, height) / Math.min(width, height) > limits.maxAspectRatio) {
    throw new ImageRejectedError(
      'too_complex',
      `The image is ${width} x ${height}; the longer side may be at most ${limits.maxAspectRatio} times the shorter.`,
    );
  }
  return { srgbProfile: meta.icc !== undefined && isIgnoredProfile(meta.icc), hasAlpha: meta.hasAlpha === true };
}

const SAMPLE_BYTES: Record<string, number> = {
  uchar: 1,
  char: 1,
  ushort: 2,
  short: 2,
  uint: 4,
  int: 4,
  float: 4,
  complex: 8,
  double: 8,
  dpcomplex: 16,
};

/**
 * Refuse an image whose full decode would exceed `maxBytes`: width x height x channels x bytes per sample. The pixel limit
 * alone let a 389 kB 16-bit interlaced 50,000 x 1,000 PNG (no shrink-on-load: decoded whole) take +650 MiB (issue 25).
 */
export function checkDecodedBytes(header: { width: number; height: number; channels?: number; depth?: string }, maxBytes: number): void {
  const channels = header.channels ?? 4;
  const sampleBytes = SAMPLE_BYTES[header.depth ?? ''] ?? 2;
  const bytes = header.width * header.height * channels * sampleBytes;
  if (bytes > maxBytes) {
    const shape = `${header.width} x ${header.height}, ${channels} channels of ${8 * sampleBytes} bits`;
    throw new ImageRejectedError('too_complex', `The image decodes to ${bytes} bytes (${shape}); the limit is ${maxBytes}.`);
  }
}

/** Refuse a JPEG with more scans than the limit: the marker walk is one pass over the bytes, the decode would be one pass per scan. */
function checkJpegScans(bytes: Buffer, maxScans: number): void {
  const scans = countJpegScans(bytes, maxScans);
  if (scans > maxScans) throw new ImageRejectedError('too_complex', `The JPEG has more than ${maxScans} scans.`);
}

/** What the checks found out about an upload before any pixel is decoded. */
export interface CheckedUpload {
  readonly format: ImageFormat;
  /**
   * The embedded profile is ignored and the pixels read as sRGB: an RGB or grey profile (src/image/icc.ts; converting them
   * changed no answer). The name is from when only sRGB profiles were skipped.
   */
  readonly srgbProfile: boolean;
  /** The header declares an alpha channel. */
  readonly hasAlpha?: boolean;
}

/** Every check that runs before decoding: magic bytes, JPEG scans, the header's pixel count and shape. Throws ImageRejectedError. */
export async function checkUpload(bytes: Buffer, options: DecodeOptions): Promise<CheckedUpload> {
  const detected = detectFormat(bytes);
  if (!detected.supported) {
    throw new ImageRejectedError('unsupported_format', `Detected ${detected.format}; send JPEG, PNG, WebP, GIF, AVIF, TIFF or HEIF.`);
  }
  const { format } = detected;
  if (format === 'jpeg') checkJpegScans(bytes, options.maxJpegScans ?? DECODE_LIMIT_DEFAULTS.maxJpegScans);
  const heifMax = Math.min(options.maxPixels, options.maxPixelsHeif ?? DECODE_LIMIT_DEFAULTS.maxPixelsHeif);
  const extent = format === 'avif' || format === 'heif' ? largestHeifExtent(bytes) : 0;
  if (extent > heifMax) throw new ImageRejectedError('too_many_pixels', `The ${format} has ${extent} pixels; the limit is ${heifMax}.`);
  return { format, ...(await checkHeader(bytes, format, options)) };
}

/** One sharp pass to raw 8-bit sRGB at the working size: RGB flattened onto white, or RGBA with `keepAlpha`. */
async function decodeRaw(bytes: Buffer, { format, srgbProfile }: CheckedUpload, options: DecodeOptions, keepAlpha: boolean) {
  // An embedded RGB or grey profile is ignored: libvips would build a colour transform for it on every decode, and converting
  // changed no answer on the labelled sets (src/image/icc.ts). Every other profile (CMYK) is converted to sRGB below.
  let pipeline = sharp(bytes, {
    limitInputPixels: options.maxPixels,
    failOn: 'error',
    pages: 1,
    page: 0,
    autoOrient: true,
    ignoreIcc: srgbProfile,
  });
  if (options.turn) pipeline = pipeline.rotate(options.turn);
  if (options.workingShorterSide) {
    const side = options.workingShorterSide;
    pipeline = pipeline.resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true });
  }
  pipeline = pipeline.timeout({ seconds: decodeTimeoutS() }).toColourspace('srgb');
  pipeline = keepAlpha ? pipeline.ensureAlpha() : pipeline.flatten({ background: '#ffffff' }).removeAlpha();
  const { data, info } = await pipeline
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true })
    .catch((error: unknown) => {
      throw decodeFailure(error, format);
    });
  if (info.channels !== (keepAlpha ? 4 : 3)) throw new ImageRejectedError('corrupt', `Decoded to ${info.channels} channels.`);
  return { data, width: info.width, height: info.height, format };
}

/**
 * Decode checked bytes to raw RGB after orientation, sRGB conversion and flattening alpha onto white; first frame only.
 * An upload with alpha is decoded with it first: wholly opaque, its RGB is that decode's; with transparent pixels, the
 * alpha is kept beside an RGB decoded again as before (flattened before the resize), so the models' pixels do not move.
 */
export async function decodeChecked(bytes: Buffer, checked: CheckedUpload, options: DecodeOptions): Promise<RawImage> {
  if (!checked.hasAlpha) return decodeRaw(bytes, checked, options, false);
  const rgba = await decodeRaw(bytes, checked, options, true);
  const { rgb, alpha } = splitAlpha(rgba.data);
  if (!alpha) return { ...rgba, data: rgb };
  return { ...(await decodeRaw(bytes, checked, options, false)), alpha };
}

/** Check, then decode to raw RGB (see checkUpload and decodeChecked). */
export async function decodeImage(bytes: Buffer, options: DecodeOptions): Promise<RawImage> {
  return decodeChecked(bytes, await checkUpload(bytes, options), options);
}
