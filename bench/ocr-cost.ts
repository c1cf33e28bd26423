/**
 * `npx tsx bench/ocr-cost.ts [--env KEY=VALUE ...] [--rounds 3] [--seconds 10]`: /caption with OCR off and with the
 * default OCR_MODE=auto, side by side, first on the bench's photos (no text: OCR should cost them nothing), then on
 * images with text at concurrency 1 (what reading costs).
 */
import { parseArgs } from 'node:util';
import { loadPhotoFile, loadPhotoSet } from './kit/photo-set.js';
import { compareSideBySide, envPairs, startVariant, type Variant } from './kit/side-by-side.js';

const { values } = parseArgs({
  options: {
    rounds: { type: 'string', default: '3' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '8' },
    env: { type: 'string', multiple: true, default: [] },
  },
});
const SHARED_ENV = envPairs(values.env);
const rounds = Number(values.rounds);
/** Images with text: rendered ones kept as fixtures, and screenshots and pages from the dev set's packages. */
const TEXT_IMAGES = [
  'test/fixtures/text-terminal-03.png',
  'test/fixtures/text-document-02.png',
  '/usr/share/doc/opencv-doc/opencv4/html/sbt_run_face.png',
  '/usr/share/doc/opencv-doc/opencv4/html/android_sdk_and_avd_manager.png',
  '/usr/share/doc/opencv-doc/examples/data/imageTextN.png',
  '/usr/lib/python3/dist-packages/skimage/data/page.png',
];

const variants: Variant[] = [];
try {
  variants.push(await startVariant('OCR off', { ...SHARED_ENV, OCR_MODE: 'off' }));
  variants.push(await startVariant('OCR auto (default)', { ...SHARED_ENV, OCR_MODE: 'auto' }));
  console.log('== photos without text (the bench set)');
  const photos = await compareSideBySide(variants, await loadPhotoSet(), {
    rounds,
    seconds: Number(values.seconds),
    concurrency: Number(values.concurrency),
    sequentialPerPhoto: 5,
  });
  console.log('== images with text, concurrency 1');
  const texts = await Promise.all(TEXT_IMAGES.map(loadPhotoFile));
  const text = await compareSideBySide(variants, texts, { rounds, seconds: 0, concurrency: 1, sequentialPerPhoto: 2 });
  console.log(
    JSON.stringify({
      env: SHARED_ENV,
      photos: photos.summary,
      text: text.summary,
      textImages: texts.map((t) => `${t.name} ${t.width}x${t.height}`),
    }),
  );
} finally {
  await Promise.all(variants.map((v) => v.target.stop()));
}
