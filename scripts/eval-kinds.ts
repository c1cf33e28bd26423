/**
 * The kinds the service answers today (pixel rules, classifier and OCR, through captionImage) for every image of a
 * label file in the dev set's schema, written as JSON for training/hashtagnet/heads to compare the kind head with.
 *   npx tsx scripts/eval-kinds.ts LABELS.json OUT.json [--env KEY=VALUE ...]
 * Relative image paths are read from the checkout the label file is in (its folder's parent).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { DevImage } from '../devset/score-alt-text.js';
import { evaluateDevSet } from './eval-alt-text.js';

const [labels, out, ...rest] = process.argv.slice(2);
if (!labels || !out) throw new Error('usage: npx tsx scripts/eval-kinds.ts LABELS.json OUT.json [--env KEY=VALUE ...]');
const env: Record<string, string | undefined> = { ...process.env };
for (let i = 0; i < rest.length; i += 2)
  if (rest[i] === '--env') {
    const [k, ...v] = rest[i + 1]!.split('=');
    env[k!] = v.join('=');
  }
const root = dirname(dirname(resolve(labels)));
const images = (JSON.parse(readFileSync(labels, 'utf8')) as { images: DevImage[] }).images.map((image) => ({
  ...image,
  file: isAbsolute(image.file) ? image.file : resolve(root, image.file),
}));
const report = await evaluateDevSet(env, images);
writeFileSync(
  out,
  `${JSON.stringify({ labels, results: report.results.map(({ file, kind, answeredKind }) => ({ file, kind, answeredKind })) }, null, 1)}\n`,
);
console.log(`${report.results.length} images: kinds written to ${out}`);
