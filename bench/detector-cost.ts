/** `npx tsx bench/detector-cost.ts [--detector models/nanodet-coco-288 ...] [--env KEY=VALUE ...] [--rounds 3] [--seconds 10]`: /caption with no detector and with each given one, side by side. */
import { parseArgs } from 'node:util';
import { loadPhotoSet } from './kit/photo-set.js';
import { compareSideBySide, envPairs, startVariant, type Variant } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    /** A detector bundle directory, passed to its server as DETECTOR_MODEL_DIR; repeat to compare several. */
    detector: { type: 'string', multiple: true, default: ['models/nanodet-coco-288'] },
    /** A setting for every server started here (e.g. INFERENCE_WORKERS=2); repeatable. */
    env: { type: 'string', multiple: true, default: [] },
  },
});
const SHARED_ENV = envPairs(values.env);
const options = {
  rounds: Number(values.rounds),
  seconds: Number(values.seconds),
  concurrency: Number(values.concurrency),
  sequentialPerPhoto: 5,
};

const photos = await loadPhotoSet();
const variants: Variant[] = [];
try {
  // OCR is off on every server: this compares the detector's cost alone (bench/ocr-cost.ts measures OCR's).
  variants.push(await startVariant('classifier only', { OCR_MODE: 'off', ...SHARED_ENV, DETECTOR_ENABLED: 'false' }));
  for (const dir of values.detector)
    variants.push(await startVariant(dir, { OCR_MODE: 'off', ...SHARED_ENV, DETECTOR_ENABLED: 'true', DETECTOR_MODEL_DIR: dir }));
  const { summary, rows } = await compareSideBySide(variants, photos, options);
  console.log(
    JSON.stringify({ photos: photos.length, concurrency: options.concurrency, seconds: options.seconds, env: SHARED_ENV, summary, rows }),
  );
} finally {
  await Promise.all(variants.map((v) => v.target.stop()));
}
