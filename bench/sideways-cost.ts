/**
 * `npx tsx bench/sideways-cost.ts [--rounds 3] [--sequential 5] [--mix]`: /caption p50 at concurrency 1, side by side in
 * interleaved rounds: as before issue 24 (no face detector, photos looked at only as stored), with the face detector
 * and photos as stored (SIDEWAYS_PHOTOS=false), and faces with the sideways looks (src/caption/sideways.ts: photos with
 * only an unsure label and a trace of a person looked at turned a quarter each way). On the bench's 8 photos, or with
 * `--mix` on a mix of opaque JPEG tuning photos (every fourth of `devset/labels.json` and `devset/tuning-more.json`'s,
 * at most 40, scaled to at most 1024 px): about half of real photos have an unsure label, 2 of the bench's 8 do.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { projectPath } from '../src/project-root.js';
import { describe, type Photo } from './kit/photo-set.js';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    sequential: { type: 'string', default: '5' },
    mix: { type: 'boolean', default: false },
  },
});

interface Labelled {
  file: string;
  kind: string;
  transparent?: boolean;
}

/** Every fourth opaque JPEG photo of the tuning part (at most 40), re-encoded at most 1024 px on the longer side. */
async function tuningPhotoMix(): Promise<Photo[]> {
  const labelled = ['devset/labels.json', 'devset/tuning-more.json'].flatMap(
    (file) => (JSON.parse(readFileSync(projectPath(file), 'utf8')) as { images: Labelled[] }).images,
  );
  const photos = labelled.filter((i) => i.kind === 'photo' && i.transparent !== true && /\.jpe?g$/i.test(i.file));
  const chosen = photos.filter((_, i) => i % 4 === 0).slice(0, 40);
  return Promise.all(
    chosen.map(async (image) => {
      const path = isAbsolute(image.file) ? image.file : projectPath(image.file);
      const bytes = await sharp(path)
        .rotate()
        .resize(1024, 1024, { fit: 'inside', withoutEnlargement: true })
        .jpeg({ quality: 90 })
        .toBuffer();
      return describe(image.file.split('/').pop()!, bytes);
    }),
  );
}

const photos = values.mix ? await tuningPhotoMix() : undefined;
if (photos) console.log(`a mix of ${photos.length} opaque JPEG tuning photos`);
await compareP50(
  [
    ['no faces, as stored (before)', { FACES_ENABLED: 'false', SIDEWAYS_PHOTOS: 'false' }],
    ['faces, as stored', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'false' }],
    ['faces and sideways looks', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'true' }],
  ],
  Number(values.rounds),
  Number(values.sequential),
  photos,
);
