/**
 * `npx tsx bench/sideways-cost.ts [--rounds 3] [--sequential 5]`: /caption on the bench's photos at concurrency 1, side
 * by side in interleaved rounds: as before issue 24 (no face detector, photos looked at only as stored), with the face
 * detector alone (the default), and faces with SIDEWAYS_PHOTOS (photos with only an unsure label looked at turned a
 * quarter each way, src/caption/sideways.ts). Only 2 of the bench's 8 photos have such a label; on a mix of tuning
 * photos about half do, and the cost is larger (docs/alt-text-quality.md, photos stored sideways).
 */
import { parseArgs } from 'node:util';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, sequential: { type: 'string', default: '5' } },
});

await compareP50(
  [
    ['no faces, as stored (before)', { FACES_ENABLED: 'false', SIDEWAYS_PHOTOS: 'false' }],
    ['faces, as stored (the default)', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'false' }],
    ['faces and sideways looks (SIDEWAYS_PHOTOS)', { FACES_ENABLED: 'true', SIDEWAYS_PHOTOS: 'true' }],
  ],
  Number(values.rounds),
  Number(values.sequential),
);
