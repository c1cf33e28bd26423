/**
 * Where the decode-only limit's CPU goes (bench/peer/limits.ts: ImageSource.open, then resizeForModel), stage by stage on the
 * bench's photos, plus the kind statistics every /caption computes and the fixed cost of any sharp call:
 *   npx tsx bench/decode-stages.ts [--rounds 3] [--reps 10]
 * CPU of this process (all threads) per call, median of the rounds, per photo and on average; one stage at a time, in turn.
 */
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { loadBundle } from '../src/bundle/load-bundle.js';
import { checkUpload, decodeChecked, type CheckedUpload, type RawImage } from '../src/image/decode.js';
import { detectFormat } from '../src/image/detect-format.js';
import { imageStatistics } from '../src/image/image-statistics.js';
import { countJpegScans } from '../src/image/jpeg-scans.js';
import { resizeForModel } from '../src/image/resize.js';
import { median } from './kit/percentiles.js';
import { loadPhotoSet, type Photo } from './kit/photo-set.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '3' }, reps: { type: 'string', default: '10' } } });
const WORKING_SIDE = 512;
const limits = { maxPixels: 50_000_000 };
const input = (await loadBundle('models/efficientnet-lite0')).manifest.input;
const photos = await loadPhotoSet();
const checked = new Map<string, CheckedUpload>();
const decoded = new Map<string, RawImage>();
for (const photo of photos) {
  const check = await checkUpload(photo.bytes, limits);
  checked.set(photo.name, check);
  decoded.set(photo.name, await decodeChecked(photo.bytes, check, { ...limits, workingShorterSide: WORKING_SIDE }));
}

const tiny = Buffer.alloc(64 * 64 * 3, 128);
const tinyRaw = { raw: { width: 64, height: 64, channels: 3 as const } };
/** Each stage as one call on one photo. */
const STAGES: Record<string, (photo: Photo) => unknown> = {
  'magic bytes + JPEG scans': (photo) => {
    detectFormat(photo.bytes);
    countJpegScans(photo.bytes, 100);
  },
  'header (sharp metadata)': (photo) => sharp(photo.bytes, { limitInputPixels: false }).metadata(),
  'checks before decoding (checkUpload)': (photo) => checkUpload(photo.bytes, limits),
  [`decode at ${WORKING_SIDE}`]: (photo) =>
    decodeChecked(photo.bytes, checked.get(photo.name)!, { ...limits, workingShorterSide: WORKING_SIDE }),
  'classifier input (sharp extract + resize)': (photo) => resizeForModel(decoded.get(photo.name)!, input),
  'kind statistics': (photo) => imageStatistics(decoded.get(photo.name)!),
  'any sharp call: 64x64 raw copy': () => sharp(tiny, tinyRaw).raw().toBuffer(),
  'any sharp call: 64x64 linear resize': () =>
    sharp(tiny, tinyRaw).resize({ width: 37, height: 37, fit: 'fill', kernel: 'linear' }).raw().toBuffer(),
};

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};
const reps = Number(values.reps);
const table = new Map<string, Map<string, number[]>>();
for (let round = 0; round < Number(values.rounds); round += 1) {
  for (const photo of photos) {
    for (const [stage, run] of Object.entries(STAGES)) {
      await run(photo);
      const started = cpuMs();
      for (let i = 0; i < reps; i += 1) await run(photo);
      const row = table.get(stage) ?? new Map<string, number[]>();
      table.set(stage, row);
      row.set(photo.name, [...(row.get(photo.name) ?? []), (cpuMs() - started) / reps]);
    }
  }
}
console.log(`CPU ms per call (median of ${values.rounds} rounds of ${reps}); photos: ${photos.map((p) => p.name).join(', ')}`);
for (const [stage, row] of table) {
  const perPhoto = [...row.values()].map(median);
  const mean = perPhoto.reduce((a, b) => a + b, 0) / perPhoto.length;
  console.log(`${stage.padEnd(42)} mean ${mean.toFixed(2).padStart(6)}   ${perPhoto.map((x) => x.toFixed(2)).join(' ')}`);
}
