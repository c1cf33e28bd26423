/**
 * Whether the classifier reads a photo cut-out better on another background (tuning part only, never the held-out part):
 * every tuning photo with transparent pixels is flattened onto white (what the service does), light grey, mid grey, a
 * blur of itself, and cropped to its opaque box, and the classifier's hedged label on each is judged against the label
 * file as in scripts/measure-concept-precision.ts.
 *   npx tsx scripts/measure-cutout-background.ts [--list]
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { tooAbstractConcepts } from '../src/caption/abstract-concepts.js';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import { projectPath } from '../src/project-root.js';
import type { DevImage } from '../devset/score-alt-text.js';
import { verifyDevSet } from './eval-alt-text.js';
import { judgeConcept, TUNING_SETS, type Verdict } from './measure-concept-precision.js';

type Variant = (rgba: Sharp, box: Box) => Promise<Buffer>;
interface Box {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}

const png = (image: Sharp) => image.png().toBuffer();
const onto =
  (background: string): Variant =>
  (rgba) =>
    png(rgba.clone().flatten({ background }));

/** The background variants measured: each returns an opaque PNG of the cut-out. */
export const VARIANTS: Readonly<Record<string, Variant>> = {
  white: onto('#ffffff'),
  'light grey': onto('#c0c0c0'),
  'mid grey': onto('#808080'),
  blurred: async (rgba) => {
    const { width, height } = await rgba.clone().metadata();
    const smear = await rgba
      .clone()
      .flatten({ background: '#808080' })
      .resize(8, 8, { fit: 'fill' })
      .resize(width, height, { fit: 'fill' })
      .blur(8)
      .png()
      .toBuffer();
    return png(sharp(smear).composite([{ input: await rgba.clone().png().toBuffer() }]));
  },
  'crop, white': (rgba, box) => png(rgba.clone().extract(box).flatten({ background: '#ffffff' })),
  'crop, mid grey': (rgba, box) => png(rgba.clone().extract(box).flatten({ background: '#808080' })),
};

/** The smallest box holding every pixel at least half opaque (the whole image when none is). */
export function opaqueBox(alpha: Buffer, width: number, height: number): Box {
  let [left, top, right, bottom] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (alpha[y * width + x]! >= 128)
        [left, top, right, bottom] = [Math.min(left, x), Math.min(top, y), Math.max(right, x), Math.max(bottom, y)];
  return right < 0 ? { left: 0, top: 0, width, height } : { left, top, width: right - left + 1, height: bottom - top + 1 };
}

/** Photo cut-outs of the tuning part (labelled photos with transparent pixels), each with its RGBA decode and opaque box. */
async function cutouts(images: readonly DevImage[], bytes: Map<DevImage, Buffer>) {
  const found = [];
  for (const image of images.filter((i) => i.kind === 'photo')) {
    const rgba = sharp(bytes.get(image)!, { animated: false }).rotate().ensureAlpha();
    const { data, info } = await rgba.clone().extractChannel(3).raw().toBuffer({ resolveWithObject: true });
    if (!data.some((a) => a < 255)) continue;
    found.push({ image, rgba, box: opaqueBox(data, info.width, info.height) });
  }
  return found;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const list = process.argv.includes('--list');
  const images = TUNING_SETS.flatMap((file) => (JSON.parse(readFileSync(projectPath(file), 'utf8')) as { images: DevImage[] }).images);
  const found = await cutouts(images, verifyDevSet(images));
  const captioner = await createCaptioner(loadConfig(process.env));
  const hierarchy = captioner.models.caption.classifier.bundle.hierarchy!;
  const abstract = tooAbstractConcepts(hierarchy);
  const table: Record<string, Record<Verdict | 'right ≥ 0.8' | 'wrong ≥ 0.8', number>> = {};
  try {
    for (const [name, variant] of Object.entries(VARIANTS)) {
      const t = { right: 0, vague: 0, wrong: 0, abstract: 0, 'right ≥ 0.8': 0, 'wrong ≥ 0.8': 0 };
      for (const { image, rgba, box } of found) {
        const { label } = await captioner.caption(await variant(rgba, box), { claims: 'raw', objects: false, text: 'off' });
        const verdict = judgeConcept(image, label.id, label.name, hierarchy, abstract);
        t[verdict]++;
        if (label.score >= 0.8 && (verdict === 'right' || verdict === 'wrong')) t[`${verdict} ≥ 0.8`]++;
        if (list) console.log(`${name}\t${verdict}\t${label.score.toFixed(2)}\t${label.name}\t${image.file.split('/').pop()}`);
      }
      table[name] = t;
    }
  } finally {
    await captioner.close();
  }
  console.log(`${found.length} photo cut-outs in the tuning part; the classifier's hedged label on each background:`);
  console.table(table);
}
