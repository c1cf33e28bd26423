/**
 * CPU per image of the request's image path (decode, kind statistics, each model's input) at several working sizes, on the
 * bench's photos, one sharp thread, interleaved rounds in one process:
 *   npx tsx bench/decode-cost.ts [--rounds 4] [--reps 8]
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { imageStatistics } from '../src/image/image-statistics.js';
import { decodeImage } from '../src/image/decode.js';
import { resizeForModel } from '../src/image/resize.js';
import { loadPhotoSet } from './kit/photo-set.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '4' }, reps: { type: 'string', default: '8' } } });
sharp.concurrency(1);
const classifier = (await loadBundle('models/efficientnet-lite0')).manifest.input;
const detector = (await loadBundle('models/nanodet-coco-288')).manifest.input;
const photos = await loadPhotoSet();
const limits = { maxPixels: 40_000_000 };

/** One image through decode at `side`, the statistics, and the inputs of `specs`. */
const path = (side: number, specs: (typeof classifier)[]) => async (bytes: Buffer) => {
  const image = await decodeImage(bytes, { ...limits, workingShorterSide: side });
  imageStatistics(image);
  await Promise.all(specs.map((spec) => resizeForModel(image, spec)));
};

const variants: Record<string, (bytes: Buffer) => Promise<void>> = {
  'classifier, decode 512 (now)': path(512, [classifier]),
  'classifier, decode 256': path(256, [classifier]),
  'classifier + detector, 576 (before)': path(576, [classifier, detector]),
  'classifier + detector, 512 (now)': path(512, [classifier, detector]),
};
const cpuMs: Record<string, number[]> = {};
const reps = Number(values.reps);
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const [name, run] of Object.entries(variants)) {
    for (const photo of photos) await run(photo.bytes);
    const started = process.cpuUsage();
    for (let i = 0; i < reps; i += 1) for (const photo of photos) await run(photo.bytes);
    const used = process.cpuUsage(started);
    const times = cpuMs[name] ?? [];
    cpuMs[name] = times;
    times.push((used.user + used.system) / 1000 / (reps * photos.length));
  }
}
for (const [name, xs] of Object.entries(cpuMs))
  console.log(`${name.padEnd(38)} CPU ms per image, by round: ${xs.map((x) => x.toFixed(1)).join(' ')}`);
