/**
 * `npx tsx bench/scene-text-cost.ts [--rounds 3]`: /caption on the bench's photos at concurrency 1 with PP-OCRv4, with
 * PP-OCRv6 (the default, OCR_MODE=auto) and with v6 reading text in every photo (OCR_MODE=scene), side by side in
 * interleaved rounds: what reading text in photos costs.
 */
import { parseArgs } from 'node:util';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, sequential: { type: 'string', default: '5' } } });
const V4 = { OCR_DETECTOR_DIR: 'models/ppocr-v4-det', OCR_RECOGNIZER_DIR: 'models/ppocr-v4-rec' };

const configurations: [string, Record<string, string>][] = [];
configurations.push(['v4 (before)', { ...V4, OCR_MODE: 'auto' }]);
configurations.push(['v6, OCR_MODE=auto (the default)', { OCR_MODE: 'auto' }]);
configurations.push(['v6, OCR_MODE=scene', { OCR_MODE: 'scene' }]);
await compareP50(configurations, Number(values.rounds), Number(values.sequential));
