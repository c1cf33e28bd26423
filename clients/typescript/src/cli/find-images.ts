/** The images under a folder: every file with an image extension, recursively, in a stable order. */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

/** The extensions of the formats the service accepts (JPEG, PNG, WebP, GIF, AVIF, TIFF, HEIF). */
export const IMAGE_EXTENSIONS = new Set([
  '.jpg',
  '.jpeg',
  '.jpe',
  '.jfif',
  '.png',
  '.webp',
  '.gif',
  '.avif',
  '.tif',
  '.tiff',
  '.heic',
  '.heif',
]);

export interface FoundImage {
  /** Relative to the folder, with forward slashes: the key of the output's lines. */
  readonly path: string;
  readonly absolute: string;
}

/** Walk `root` (symbolic links not followed, dot-folders skipped) and return its image files sorted by path. */
export async function findImages(root: string): Promise<FoundImage[]> {
  const found: FoundImage[] = [];
  const pending = [root];
  while (pending.length > 0) {
    const dir = pending.pop()!;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const absolute = join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.')) pending.push(absolute);
      else if (entry.isFile() && IMAGE_EXTENSIONS.has(extension(entry.name))) {
        found.push({ path: relative(root, absolute).split(sep).join('/'), absolute });
      }
    }
  }
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function extension(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot <= 0 ? '' : name.slice(dot).toLowerCase();
}
