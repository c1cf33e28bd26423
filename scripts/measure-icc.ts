/**
 * Does converting a non-sRGB ICC profile change an answer? `npx tsx scripts/measure-icc.ts`: over the labelled sets (dev, tuning,
 * held-out, the real text set), counts the images that carry a profile and those whose conversion moves a pixel of the working
 * decode by more than 1 level, and captions each of those twice with the default config: converted through its profile to sRGB
 * first (a lossless PNG, what the decoder did before) and as uploaded (the decoder now ignores RGB and grey profiles); then
 * lists which answers (label, kind, alt-text) differ.
 */
import { readFileSync } from 'node:fs';
import sharp from 'sharp';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';

const SETS = ['devset/labels.json', 'devset/tuning-more.json', 'devset/heldout.json', 'textset/real.json'];

/** The upload converted to sRGB through its profile (what the decoder did before), as a lossless PNG without a profile. */
const converted = (bytes: Buffer) => sharp(bytes).toColourspace('srgb').png().toBuffer();

/** Largest and mean absolute difference between the working-size decodes of the upload read as sRGB and converted through its profile. */
async function pixelDifference(bytes: Buffer, side: number): Promise<{ max: number; mean: number }> {
  const decode = (ignoreIcc: boolean) =>
    sharp(bytes, { ignoreIcc })
      .resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true })
      .toColourspace('srgb')
      .flatten({ background: '#ffffff' })
      .removeAlpha()
      .raw()
      .toBuffer();
  const [x, y] = await Promise.all([decode(false), decode(true)]);
  let max = 0;
  let sum = 0;
  for (let i = 0; i < x.length; i += 1) {
    const d = Math.abs(x[i]! - y[i]!);
    max = Math.max(max, d);
    sum += d;
  }
  return { max, mean: sum / x.length };
}

async function main(): Promise<void> {
  const captioner = await createCaptioner(loadConfig(process.env));
  let images = 0;
  let profiled = 0;
  const changed = { label: 0, kind: 0, altText: 0 };
  const others: string[] = [];
  try {
    for (const set of SETS) {
      for (const { file } of (JSON.parse(readFileSync(set, 'utf8')) as { images: { file: string }[] }).images) {
        images += 1;
        const bytes = readFileSync(file);
        const meta = await sharp(bytes).metadata();
        if (!meta.icc) continue;
        profiled += 1;
        const diff = await pixelDifference(bytes, captioner.models.workingShorterSide);
        if (diff.max <= 1) continue; // sRGB in all but name: converting moves no pixel
        others.push(file);
        const [on, off] = [await captioner.caption(await converted(bytes)), await captioner.caption(bytes)];
        changed.label += Number(on.label.id !== off.label.id);
        changed.kind += Number(on.kind !== off.kind);
        changed.altText += Number(on.alt_text !== off.alt_text);
        console.log(`${file} (${meta.format}, ${meta.space}): pixels max ${diff.max} mean ${diff.mean.toFixed(2)} levels`);
        console.log(`  converted: ${on.label.id} / ${on.kind} / "${on.alt_text}"`);
        console.log(`  not      : ${off.label.id} / ${off.kind} / "${off.alt_text}"`);
      }
    }
  } finally {
    await captioner.close();
  }
  console.log(
    `${images} images, ${profiled} with a profile, ${others.length} whose conversion moves pixels; conversion off changes label ${changed.label}, kind ${changed.kind}, alt-text ${changed.altText}`,
  );
}

main().catch((error: Error) => {
  console.error(`measure-icc: ${error.stack ?? error.message}`);
  process.exitCode = 1;
});
