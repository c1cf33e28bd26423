/**
 * Hedging trade-off on real photos: for each precision target, how often the hedged label is right (the photo's known
 * WordNet concept lies on or below it) and how specific it is (information gain log2(classes / classes below label)).
 * Photos and expected concepts come from the bundle's own export-time checks (manifest metrics.real_photos).
 *   npx tsx scripts/measure-hedging.ts [MODEL_DIR]
 */
import { readFileSync } from 'node:fs';
import { findPhotoFile } from '../bench/kit/photo-set.js';
import { hedgeLabel } from '../src/caption/hedge.js';
import { loadConfig } from '../src/config.js';
import { createCaptioner } from '../src/captioner.js';

const TARGETS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95];
/** Photos with no single agreed answer: their labels are printed for inspection, not scored. */
const UNSCORED = [
  'astronaut.png',
  'camera.png',
  'motorcycle_right.png',
  'coins.png',
  'moon.png',
  'hubble_deep_field.jpg',
  'brick.png',
  'gravel.png',
  'page.png',
];

interface RealPhoto {
  photo: string;
  expected_under: string[];
}

// The classifier as the server loads it (the detector and the NSFW model play no part in hedging).
const config = loadConfig({
  ...process.env,
  MODEL_DIR: process.argv[2] ?? 'models/efficientnet-lite0',
  DETECTOR_ENABLED: 'false',
  MODERATION_ENABLED: 'false',
});
const captioner = await createCaptioner(config);
const { models } = captioner;
const { classifier } = models.caption;
const bundle = classifier.bundle;
const hierarchy = bundle.hierarchy!;
const photos = (bundle.manifest.metrics?.real_photos ?? []) as RealPhoto[];
const total = bundle.manifest.classes.length;
const rows: Record<string, { right: number; gain: number; labels: string[] }> = {};
for (const target of TARGETS) rows[target] = { right: 0, gain: 0, labels: [] };

const scored = photos.length;
photos.push(...UNSCORED.map((photo) => ({ photo, expected_under: [] })));
for (const { photo, expected_under } of photos) {
  const image = await captioner.open(readFileSync(findPhotoFile(photo)));
  const probabilities = await classifier.predict(image.working, 'measure-hedging');
  for (const target of TARGETS) {
    const label = hedgeLabel(hierarchy, probabilities, target);
    const node = hierarchy.ids.indexOf(label.id);
    // Right when an expected concept is the label, above it (label more specific), or below it (label broader but true).
    const right = expected_under.some((id) => {
      const expected = hierarchy.ids.indexOf(id);
      const below = (a: number, b: number) => [...hierarchy.leaves[a]!].every((leaf) => hierarchy.leaves[b]!.includes(leaf));
      return expected >= 0 && (below(node, expected) || below(expected, node));
    });
    const row = rows[target]!;
    const verdict = expected_under.length === 0 ? ' ?' : right ? '' : ' WRONG';
    if (expected_under.length > 0) {
      row.right += right ? 1 : 0;
      row.gain += Math.log2(total / hierarchy.leaves[node]!.length);
    }
    row.labels.push(`${photo.split('.')[0]}: ${label.name} (${label.score.toFixed(2)})${verdict}`);
  }
}
await captioner.close();
console.log(`${scored} scored photos (+${UNSCORED.length} unscored, marked ?), ${total} classes`);
console.log('target  right  mean info gain (bits)  labels');
for (const target of TARGETS) {
  const row = rows[target]!;
  console.log(
    `${target.toFixed(2).padEnd(7)} ${`${row.right}/${scored}`.padEnd(6)} ${(row.gain / scored).toFixed(2).padEnd(22)} ${row.labels.join('; ')}`,
  );
}
