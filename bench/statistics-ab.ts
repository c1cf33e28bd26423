/**
 * The kind statistics of this checkout against another build's, on the tuning images decoded at the working size: every
 * figure must be identical, and the CPU per image is compared in interleaved rounds in one process:
 *   npx tsx bench/statistics-ab.ts tmp/ab-base      (a build of the other commit: npx tsc -p tsconfig.build.json --outDir tmp/ab-base)
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { decodeImage, type RawImage } from '../src/image/decode.js';
import { imageStatistics, type ImageStatistics } from '../src/image/image-statistics.js';
import { median } from './kit/percentiles.js';

type Statistics = (image: RawImage, options?: { withoutSurround?: boolean }) => ImageStatistics;
const TUNING = ['devset/labels.json', 'devset/tuning-more.json'];

const baseDir = process.argv[2];
if (!baseDir) throw new Error('usage: npx tsx bench/statistics-ab.ts <compiled build of the other commit>');
const base = (await import(pathToFileURL(resolve(baseDir, 'src/image/image-statistics.js')).href)).imageStatistics as Statistics;
const files = TUNING.flatMap((set) => {
  const parsed = JSON.parse(readFileSync(set, 'utf8')) as { images?: { file: string }[]; labelled?: { file: string }[] };
  return (parsed.images ?? parsed.labelled ?? []).map(({ file }) => file);
});
const images: RawImage[] = [];
for (const file of files) {
  const image = await decodeImage(readFileSync(file), { maxPixels: 50_000_000, workingShorterSide: 512 }).catch(() => undefined);
  if (image) images.push(image);
}
let differing = 0;
for (const image of images)
  for (const options of [{}, { withoutSurround: true }])
    if (JSON.stringify(imageStatistics(image, options)) !== JSON.stringify(base(image, options))) differing += 1;
console.log(`${images.length} tuning images (${images.filter((i) => i.alpha).length} with alpha), both modes: ${differing} differ`);

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const ms: Record<'base' | 'this', number[]> = { base: [], this: [] };
for (let round = 0; round < 6; round += 1) {
  for (const [name, run] of [
    ['base', base],
    ['this', imageStatistics],
  ] as const) {
    const started = cpuMs();
    for (let i = 0; i < 3; i += 1) for (const image of images) run(image);
    ms[name].push((cpuMs() - started) / (3 * images.length));
  }
}
const ratios = ms.this.map((x, i) => x / ms.base[i]!);
console.log(
  `CPU ms per image, median of 6 rounds: base ${median(ms.base).toFixed(3)}, this ${median(ms.this).toFixed(3)}; ` +
    `this ÷ base ${median(ratios).toFixed(3)} (rounds ${Math.min(...ratios).toFixed(3)}–${Math.max(...ratios).toFixed(3)})`,
);
