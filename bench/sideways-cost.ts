/**
 * `npx tsx bench/sideways-cost.ts [--rounds 3] [--sequential 5]`: /caption on the bench's photos at concurrency 1, side
 * by side in interleaved rounds: as before issue 24 (no face detector, photos looked at only as stored), with the face
 * detector alone, and the default (faces, and photos in which nobody was counted looked at turned a quarter each way,
 * src/caption/sideways.ts). The bench's photos are mostly without people, so most of them pay for the two turned looks.
 */
import { parseArgs } from 'node:util';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, sequential: { type: 'string', default: '5' } },
});

await compareP50(
  [
    ['no faces, as stored (before)', { FACES_ENABLED: 'false', SIDEWAYS_PHOTOS: 'false' }],
    ['faces, as stored', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'false' }],
    ['faces and sideways looks (the default)', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'true' }],
  ],
  Number(values.rounds),
  Number(values.sequential),
);
