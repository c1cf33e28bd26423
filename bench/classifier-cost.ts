/**
 * `npx tsx bench/classifier-cost.ts [--rounds 3] [--sequential 5]`: /caption on the bench's photos at concurrency 1 with
 * the classifier slot on EfficientNet-Lite0 (the default) and on Lite2, side by side in interleaved rounds, with the
 * default detector and OCR: what the larger classifier costs a caller (docs/alt-text-quality.md, "Per concept").
 */
import { parseArgs } from 'node:util';
import { compareP50 } from './kit/side-by-side.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, sequential: { type: 'string', default: '5' } } });

// A busy machine must not turn a slow request into a 503: the deadline is out of the way of the timing.
const SHARED = { REQUEST_DEADLINE_MS: '120000' };
const configurations: [string, Record<string, string>][] = [];
configurations.push(['efficientnet-lite0 (the default)', { ...SHARED, MODEL_DIR: 'models/efficientnet-lite0' }]);
configurations.push(['efficientnet-lite2', { ...SHARED, MODEL_DIR: 'models/efficientnet-lite2' }]);
await compareP50(configurations, Number(values.rounds), Number(values.sequential));
