/** Detect an upload's real format from its first bytes; the declared content type is never trusted. */

export const SUPPORTED_FORMATS = ['jpeg', 'png', 'webp', 'gif', 'avif', 'tiff', 'heif'] as const;
export type ImageFormat = (typeof SUPPORTED_FORMATS)[number];

export type Detected =
  | { supported: true; format: ImageFormat }
  | { supported: false; format: 'svg' | 'pdf' | 'text' | 'unknown' | 'bmp' | 'jxl' | 'jp2' };

const AVIF_BRANDS = new Set(['avif', 'avis']);
const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs', 'mif1', 'msf1']);

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  return bytes.length >= offset + signature.length && signature.every((byte, i) => bytes[offset + i] === byte);
}

function ascii(bytes: Buffer, from: number, to: number): string {
  return Buffer.from(bytes.subarray(from, to)).toString('latin1');
}

/** ISO-BMFF (HEIF family): major brand first, then compatible brands. */
function detectIsoBmff(bytes: Buffer): Detected | undefined {
  if (bytes.length < 16 || ascii(bytes, 4, 8) !== 'ftyp') return undefined;
  const boxSize = Math.min(bytes.readUInt32BE(0), bytes.length, 512);
  const brands = [ascii(bytes, 8, 12)];
  for (let at = 16; at + 4 <= boxSize; at += 4) brands.push(ascii(bytes, at, at + 4));
  if (brands.some((brand) => AVIF_BRANDS.has(brand))) return { supported: true, format: 'avif' };
  if (brands.some((brand) => HEIF_BRANDS.has(brand))) return { supported: true, format: 'heif' };
  return { supported: false, format: 'unknown' };
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  return sample.length > 0 && sample.every((b) => b === 9 || b === 10 || b === 13 || (b >= 32 && b < 127) || b >= 128);
}

function detectMarkup(bytes: Buffer): Detected | undefined {
  const head = ascii(bytes, 0, Math.min(bytes.length, 1024))
    .replace(/^\uFEFF|^\xEF\xBB\xBF/, '')
    .trimStart()
    .toLowerCase();
  if (head.startsWith('%pdf-')) return { supported: false, format: 'pdf' };
  if (head.startsWith('<svg') || (head.startsWith('<') && head.includes('<svg'))) return { supported: false, format: 'svg' };
  return undefined;
}

/** Name the format of an upload from its magic bytes. */
export function detectFormat(input: Uint8Array): Detected {
  const bytes = Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { supported: true, format: 'jpeg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { supported: true, format: 'png' };
  if (ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 12) === 'WEBP') return { supported: true, format: 'webp' };
  if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return { supported: true, format: 'gif' };
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) {
    return { supported: true, format: 'tiff' };
  }
  if (startsWith(bytes, [0x49, 0x49, 0x2b, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2b])) {
    return { supported: true, format: 'tiff' };
  }
  const isoBmff = detectIsoBmff(bytes);
  if (isoBmff) return isoBmff;
  if (ascii(bytes, 0, 2) === 'BM') return { supported: false, format: 'bmp' };
  if (startsWith(bytes, [0xff, 0x0a]) || startsWith(bytes, [0, 0, 0, 0x0c, 0x4a, 0x58, 0x4c, 0x20]))
    return { supported: false, format: 'jxl' };
  if (startsWith(bytes, [0, 0, 0, 0x0c, 0x6a, 0x50, 0x20, 0x20])) return { supported: false, format: 'jp2' };
  const markup = detectMarkup(bytes);
  if (markup) return markup;
  return { supported: false, format: looksLikeText(bytes) ? 'text' : 'unknown' };
}
