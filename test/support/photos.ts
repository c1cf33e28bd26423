/**
 * Real photos the tests read from Debian packages that scripts/install-deps.sh installs, by package: the one place that
 * knows their paths. A missing photo fails naming the package to install, never skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each photo directory and the Debian package that installs it. */
export const PHOTO_DIRS = {
  skimage: { dir: '/usr/lib/python3/dist-packages/skimage/data', deb: 'python3-skimage' },
  matplotlib: { dir: '/usr/share/matplotlib/mpl-data/sample_data', deb: 'python-matplotlib-data' },
} as const;

export type PhotoSource = keyof typeof PHOTO_DIRS;

/** The absolute path of a photo; throws naming the package when it is not installed. */
export function photoPath(name: string, from: PhotoSource = 'skimage'): string {
  const { dir, deb } = PHOTO_DIRS[from];
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: install the Debian package ${deb} (scripts/install-deps.sh)`);
  return path;
}

/** The bytes of a photo (see photoPath). */
export function photo(name: string, from: PhotoSource = 'skimage'): Buffer {
  return readFileSync(photoPath(name, from));
}
