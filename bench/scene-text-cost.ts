/**
 * `npx tsx bench/scene-text-cost.ts [--rounds 3]`: /caption on the bench's photos at concurrency 1 with PP-OCRv4, with
 * PP-OCRv6 (the default, OCR_MODE=auto) and with v6 reading text in every photo (OCR_MODE=scene), side by side in
 * interleaved rounds: what reading text in photos costs.
 */
import { parseArgs } from 'node:util';
import { loadPhotoSet } from './kit/photo-set.js';
import { compareSideBySide, startVariant, type Variant } from './kit/side-by-side.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, sequential: { type: 'string', default: '5' } } });
const V4 = { OCR_DETECTOR_DIR: 'models/ppocr-v4-det', OCR_RECOGNIZER_DIR: 'models/ppocr-v4-rec' };

const variants: Variant[] = [];
try {
  variants.push(await startVariant('v4 (before)', { ...V4, OCR_MODE: 'auto' }));
  variants.push(await startVariant('v6, OCR_MODE=auto (the default)', { OCR_MODE: 'auto' }));
  variants.push(await startVariant('v6, OCR_MODE=scene', { OCR_MODE: 'scene' }));
  const { summary } = await compareSideBySide(variants, await loadPhotoSet(), {
    rounds: Number(values.rounds),
    seconds: 0,
    concurrency: 1,
    sequentialPerPhoto: Number(values.sequential),
  });
  console.log(JSON.stringify(summary.map(({ label, p50, p50Ratio, inferenceMs }) => ({ label, p50, p50Ratio, inferenceMs }))));
} finally {
  await Promise.all(variants.map((v) => v.target.stop()));
}
