/** The fixed set of real photos every benchmark and load scenario sends: mixed sizes and formats, same bytes every run. */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';

/** scikit-image's data directory (SKIMAGE_DATA overrides), where the set's photos come from. */
export const SKIMAGE_DATA = process.env.SKIMAGE_DATA ?? '/usr/lib/python3/dist-packages/skimage/data';
/** Where real photos are looked up by name: scikit-image's data, then matplotlib's sample data. */
export const PHOTO_DIRS: readonly string[] = [SKIMAGE_DATA, '/usr/share/matplotlib/mpl-data/sample_data'];

/** One photo as clients send it: its bytes, their MIME type, and its pixel size. */
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

const nameOf = (source: PhotoSource): string =>
  source.as ? `${source.file.replace(/\.\w+$/, '')}.${source.as === 'jpeg' ? 'jpg' : source.as}` : source.file;

/** A photo of these bytes as the set describes its photos: MIME type from the bytes, pixel size. */
export async function describe(name: string, bytes: Buffer): Promise<Photo> {
  const meta = await sharp(bytes).metadata();
  const format = meta.format as keyof typeof MIME;
  if (!(format in MIME)) throw new Error(`${name}: unexpected format ${meta.format}`);
  return { name, mimeType: MIME[format], bytes, width: meta.width ?? 0, height: meta.height ?? 0 };
}

async function loadPhoto(source: PhotoSource): Promise<Photo> {
  const original = await readFile(join(SKIMAGE_DATA, source.file));
  const bytes =
    source.as === 'webp'
      ? await sharp(original).webp({ quality: 85 }).toBuffer()
      : source.as === 'jpeg'
        ? await sharp(original).jpeg({ quality: 90 }).toBuffer()
        : original;
  return describe(nameOf(source), bytes);
}

/** Load the benchmark photo set (real photos from scikit-image's data directory), or only the photos named in `only`. */
export async function loadPhotoSet(only?: readonly string[]): Promise<Photo[]> {
  const sources = only ? only.map((name) => SOURCES.find((s) => nameOf(s) === name) ?? { file: name }) : SOURCES;
  return Promise.all(sources.map(loadPhoto));
}

/** One photo file of any accepted format, as the set's photos are described (name, MIME type from its bytes, size). */
export async function loadPhotoFile(path: string): Promise<Photo> {
  return describe(path.split('/').pop()!, await readFile(path));
}

/** Path of the photo `name` in the first of PHOTO_DIRS that holds it. */
export function findPhotoFile(name: string): string {
  const dir = PHOTO_DIRS.find((d) => existsSync(join(d, name)));
  if (!dir) throw new Error(`photo ${name} not found in ${PHOTO_DIRS.join(', ')}`);
  return join(dir, name);
}
