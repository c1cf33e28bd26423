/**
 * CPU per image of decode + kind statistics for the labelled tuning images that carry an alpha channel, before (one
 * flattened decode, whole-image statistics) and now (src/image/decode.ts keeps the alpha: a second decode only where
 * some pixel is transparent; the subject's statistics beside the whole's), interleaved rounds in one process:
 *   npx tsx bench/cut-out-cost.ts [--rounds 3]
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { kindStatistics } from '../src/caption/kind-evidence.js';
import { decodeImage } from '../src/image/decode.js';
import { imageStatistics } from '../src/image/image-statistics.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' } } });
sharp.concurrency(1);
const side = 512;
const files: string[] = [];
for (const set of ['devset/labels.json', 'devset/tuning-more.json']) {
  const { images } = JSON.parse(await readFile(set, 'utf8')) as { images: { file: string }[] };
  for (const { file } of images) if ((await sharp(file).metadata()).hasAlpha) files.push(file);
}
const inputs = await Promise.all(files.map((f) => readFile(f)));
let transparent = 0;
for (const bytes of inputs) if ((await decodeImage(bytes, { maxPixels: 1e8, workingShorterSide: side })).alpha) transparent++;

const variants: Record<string, (bytes: Buffer) => Promise<unknown>> = {
  'before: flattened decode, whole statistics': async (bytes) => {
    const { data, info } = await sharp(bytes, { pages: 1, autoOrient: true })
      .resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    return imageStatistics({ data, width: info.width, height: info.height, format: 'png' });
  },
  'now: alpha kept, kind statistics': async (bytes) =>
    kindStatistics(await decodeImage(bytes, { maxPixels: 1e8, workingShorterSide: side })),
};
console.log(`${inputs.length} images with an alpha channel, ${transparent} with transparent pixels; decode at ${side}`);
const cpuMs: Record<string, number[]> = {};
for (let round = 0; round < Number(values.rounds); round++) {
  for (const [name, run] of Object.entries(variants)) {
    const started = process.cpuUsage();
    for (const bytes of inputs) await run(bytes);
    const used = process.cpuUsage(started);
    cpuMs[name] = [...(cpuMs[name] ?? []), (used.user + used.system) / 1000 / inputs.length];
  }
}
for (const [name, xs] of Object.entries(cpuMs))
  console.log(`${name.padEnd(44)} CPU ms per image, by round: ${xs.map((x) => x.toFixed(1)).join(' ')}`);
