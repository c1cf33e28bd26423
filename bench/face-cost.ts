/**
 * `npx tsx bench/face-cost.ts [--rounds 3] [--sequential 5]`: /caption on the bench's photos at concurrency 1 without the
 * face detector (FACES_ENABLED=false, as before issue 24's faces) and with it (the default), side by side in interleaved
 * rounds, every other setting the default: what counting faces costs. `--also-bundle DIR` (repeatable) adds a variant
 * served with another face-detector bundle.
 */
import { parseArgs } from 'node:util';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    sequential: { type: 'string', default: '5' },
    'also-bundle': { type: 'string', multiple: true, default: [] },
  },
});

const configurations: [string, Record<string, string>][] = [];
configurations.push(['no face detector (before)', { FACES_ENABLED: 'false' }]);
configurations.push(['face detector (the default)', { FACES_ENABLED: 'true' }]);
// --also-bundle DIR: another face-detector bundle side by side (e.g. a copy of the bundle with another input size).
for (const dir of values['also-bundle']) configurations.push([`face detector ${dir}`, { FACES_ENABLED: 'true', FACE_DETECTOR_DIR: dir }]);
await compareP50(configurations, Number(values.rounds), Number(values.sequential));
