/**
 * The evidence the kind tree weighs, and the kind it answers, for every image of label files in the dev set's schema:
 * pixel statistics, classifier shares, panel, ruled line, the text read (only where the service reads it, with each
 * layout line's box and words) and the classifier's probabilities, as JSON lines for training/hashtagnet/heads/kind_cv.py.
 *   npx tsx scripts/dump-kind-evidence.ts OUT.jsonl LABELS.json [LABELS.json ...]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { conceptScores } from '../src/caption/hedge.js';
import { imageKind, worthReading } from '../src/caption/image-kind.js';
import { ImageEvidence, PixelEvidence } from '../src/caption/kind-evidence.js';
import { createCaptioner } from '../src/captioner.js';
import { loadConfig } from '../src/config.js';
import type { ReadText } from '../src/models/text-reader.js';

/** Each layout line's box and the text read, rounded, for a look at where a page's and a plot's text differ. */
const layoutOf = (raw: ReadText | undefined) =>
  raw?.layout.map(({ box, text }) => ({
    x: +box.x.toFixed(3),
    y: +box.y.toFixed(3),
    w: +box.width.toFixed(3),
    h: +box.height.toFixed(3),
    text,
  }));

const [out, ...labelFiles] = process.argv.slice(2);
if (!out || labelFiles.length === 0) throw new Error('usage: npx tsx scripts/dump-kind-evidence.ts OUT.jsonl LABELS.json [...]');
const captioner = await createCaptioner(loadConfig(process.env));
const { classifier, text: reader } = captioner.models.caption;
const lines: string[] = [];
try {
  for (const labels of labelFiles) {
    const root = dirname(dirname(resolve(labels)));
    for (const image of (JSON.parse(readFileSync(labels, 'utf8')) as { images: { file: string; kind: string }[] }).images) {
      const path = isAbsolute(image.file) ? image.file : resolve(root, image.file);
      const source = await captioner.open(readFileSync(path));
      const pixels = new PixelEvidence(source.working);
      const probabilities = await classifier.predict(source.working, 'evidence');
      const concepts = conceptScores(classifier.bundle.hierarchy!, probabilities);
      const evidence = new ImageEvidence(pixels, { hierarchy: classifier.bundle.hierarchy!, concepts }, async (asked) =>
        reader && worthReading(asked) ? reader.read(source, await reader.detect(source, 'evidence'), 'evidence') : undefined,
      );
      const rule = await imageKind(evidence);
      const text = await evidence.text();
      const { statistics, textBearing, screen, panel, ruled, axes } = evidence;
      const row = { set: labels, file: image.file, path, kind: image.kind, rule, statistics, textBearing, screen };
      const read = {
        read: text !== undefined,
        lines: text?.lines ?? 0,
        coverage: text?.coverage ?? 0,
        digits: text?.digits ?? 0,
        layout: layoutOf(await evidence.read()),
      };
      const shape = { panel: panel ? panel.to - panel.from : 0, ruled, axes, alpha: source.working.alpha ? 1 : 0 };
      lines.push(JSON.stringify({ ...row, ...read, ...shape, probabilities: Array.from(probabilities, (p) => Number(p.toPrecision(6))) }));
    }
    console.log(`${labels}: done`);
  }
} finally {
  await captioner.close();
}
writeFileSync(out, `${lines.join('\n')}\n`);
console.log(`${lines.length} images: evidence written to ${out}`);
