/** The fixed set of real photos every benchmark and load scenario sends: mixed sizes and formats, same bytes every run. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

export const SKIMAGE_DATA = process.env.SKIMAGE_DATA ?? '/usr/lib/python3/dist-packages/skimage/data';

export interface Photo {
  readonly name: string;
  readonly mimeType: 'image/jpeg' | 'image/png' | 'image/webp';
  readonly bytes: Buffer;
  readonly width: number;
  readonly height: number;
}

interface PhotoSource {
  file: string;
  /** Re-encode the photo so the set covers every accepted format; the pixels stay the photographer's. */
  as?: 'webp' | 'jpeg';
}

const SOURCES: readonly PhotoSource[] = [
  { file: 'chelsea.png' },
  { file: 'coffee.png' },
  { file: 'rocket.jpg' },
  { file: 'astronaut.png', as: 'jpeg' },
  { file: 'motorcycle_left.png' },
  { file: 'motorcycle_right.png', as: 'webp' },
  { file: 'hubble_deep_field.jpg' },
  { file: 'chelsea.png', as: 'webp' },
];

const MIME = { jpeg: 'image/jpeg', png: 'image/png', webp: 'image/webp' } as const;

async function loadPhoto(source: PhotoSource): Promise<Photo> {
  const original = await readFile(join(SKIMAGE_DATA, source.file));
  const bytes = source.as === 'webp'
    ? await sharp(original).webp({ quality: 85 }).toBuffer()
    : source.as === 'jpeg'
      ? await sharp(original).jpeg({ quality: 90 }).toBuffer()
      : original;
  const meta = await sharp(bytes).metadata();
  const format = meta.format as keyof typeof MIME;
  if (!(format in MIME)) throw new Error(`${source.file}: unexpected format ${meta.format}`);
  const name = source.as ? `${source.file.replace(/\.\w+$/, '')}.${source.as === 'jpeg' ? 'jpg' : source.as}` : source.file;
  return { name, mimeType: MIME[format], bytes, width: meta.width ?? 0, height: meta.height ?? 0 };
}

/** Load the benchmark photo set (real photos from scikit-image's data directory). */
export async function loadPhotoSet(): Promise<Photo[]> {
  return Promise.all(SOURCES.map(loadPhoto));
}
