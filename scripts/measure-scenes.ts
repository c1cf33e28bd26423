/**
 * Scene precision and recall on labelled photos: each image's scene (src/caption/place-scene.ts) against the scenes a
 * person accepted for it (devset/scenes-tuning.json: file -> accepted scene synsets, [] for none).
 *   npx tsx scripts/measure-scenes.ts [--labels FILE]... [--truth FILE] [--list [--from X]]
 * Prints the rule with one threshold for every scene, then each scene alone per threshold with the threshold the
 * stated rule chooses for it (build-scenes.ts), then the served rule (each scene's own threshold).
 *   --list prints each photo's scene under the served rule, or with one threshold X for every scene (--from X).
 * Only the labelled kind photo is scored. Default: the tuning part.
 */
import { readFileSync } from 'node:fs';
import { basename, isAbsolute } from 'node:path';
import { hedgeLabel, type HedgedLabel } from '../src/caption/hedge.js';
import { placeScene, SCENE_FROM, SCENES, sceneEnglish, sceneSaysMore, sceneScores, type PlaceScene } from '../src/caption/place-scene.js';
import { tooAbstractConcepts } from '../src/caption/abstract-concepts.js';
import { loadConfig } from '../src/config.js';
import { createCaptioner } from '../src/captioner.js';
import { projectPath } from '../src/project-root.js';

const THRESHOLDS = [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8];
const arg = (name: string) => process.argv.flatMap((a, i) => (a === name ? [process.argv[i + 1]!] : []));
/** --list shows each photo's scene with this threshold for every scene (--from X), else with each scene's own. */
const LIST_FROM = arg('--from').length > 0 ? Number(arg('--from')[0]) : undefined;
/** A scene's threshold is lowered from SCENE_FROM only to one of these, at this precision with this many right. */
const CHOICES = [0.5, 0.6, 0.7, 0.8, 0.9];
const CHOSEN_AT = { precision: 0.9, right: 2 };
const labelFiles = arg('--labels').length > 0 ? arg('--labels') : ['devset/labels.json', 'devset/tuning-more.json'];
const truth: Record<string, string[]> = JSON.parse(
  readFileSync(projectPath(arg('--truth')[0] ?? 'devset/scenes-tuning.json'), 'utf8'),
).scenes;

interface Row {
  file: string;
  /** The scene said at each threshold. */
  said: (PlaceScene | undefined)[];
  /** Every scene's score, in SCENES order. */
  scores: number[];
  accepted: string[] | undefined;
  label: HedgedLabel;
}

const config = loadConfig({ ...process.env, DETECTOR_ENABLED: 'false', MODERATION_ENABLED: 'false', OCR_ENABLED: 'false' });
const captioner = await createCaptioner(config);
const { classifier } = captioner.models.caption;
const hierarchy = classifier.bundle.hierarchy!;
const classIds = classifier.bundle.manifest.classes.map((c) => c.id);
const tooAbstract = tooAbstractConcepts(hierarchy);
const rows: Row[] = [];
for (const labels of labelFiles) {
  const images = (JSON.parse(readFileSync(projectPath(labels), 'utf8')) as { images: { file: string; kind: string }[] }).images;
  for (const image of images.filter((i) => i.kind === 'photo')) {
    const source = await captioner.open(readFileSync(isAbsolute(image.file) ? image.file : projectPath(image.file)));
    const probabilities = await classifier.predict(source.working, 'measure-scenes');
    const said = [...THRESHOLDS, LIST_FROM].map((from) => placeScene(classIds, probabilities, from));
    const label = hedgeLabel(hierarchy, probabilities, config.captionPrecisionTarget);
    const scores = sceneScores(classIds, probabilities).map((s) => s.score);
    rows.push({ file: basename(image.file), said, scores, accepted: truth[image.file] ?? truth[basename(image.file)], label });
  }
}
await captioner.close();

const unlabelled = rows.filter((r) => r.accepted === undefined).map((r) => r.file);
if (unlabelled.length > 0) console.log(`no truth for ${unlabelled.length} photos: ${unlabelled.join(', ')}`);
const withScene = rows.filter((r) => (r.accepted?.length ?? 0) > 0).length;
const right = (r: Row, scene: PlaceScene | undefined) => scene !== undefined && r.accepted?.includes(scene.id) === true;
const more = (r: Row, scene: PlaceScene | undefined) => scene !== undefined && sceneSaysMore(scene, r.label, hierarchy, tooAbstract);
console.log(`${rows.length} photos, ${withScene} with a scene a person accepts`);
console.log('from  said  right  precision  recall  said where it says more than the label (right)');
THRESHOLDS.forEach((from, t) => {
  const said = rows.filter((r) => r.said[t]);
  const good = said.filter((r) => right(r, r.said[t])).length;
  const saysMore = said.filter((r) => more(r, r.said[t]));
  const p = said.length ? (good / said.length).toFixed(2) : '-';
  console.log(
    `${from.toFixed(2)}  ${said.length}  ${good}  ${p}  ${(good / Math.max(1, withScene)).toFixed(2)}  ${saysMore.length} (${saysMore.filter((r) => right(r, r.said[t])).length})`,
  );
});
console.log('\nEach scene alone: said/right at each threshold, and the threshold chosen (SCENE_FROM without evidence)');
SCENES.forEach((scene, k) => {
  const at = CHOICES.map((from) => {
    const said = rows.filter((r) => r.scores[k]! >= from);
    return { from, said: said.length, right: said.filter((r) => r.accepted?.includes(scene.id)).length };
  });
  const sure = at.filter((a) => a.right >= CHOSEN_AT.right && a.right >= CHOSEN_AT.precision * a.said);
  const failing = at.find((a) => a.from === SCENE_FROM && a.said > 0 && a.right < CHOSEN_AT.precision * a.said);
  const chosen = sure[0]?.from ?? (failing ? 'none (below 0.9 at every threshold: drop it)' : SCENE_FROM);
  const cells = at.map((a) => `${a.from}: ${a.right}/${a.said}`).join('  ');
  console.log(
    `${scene.english} (${rows.filter((r) => r.accepted?.includes(scene.id)).length} accept): ${cells}  -> ${chosen} (served ${scene.from})`,
  );
});
const served = rows.filter((r) => r.said.at(-1));
const servedRight = served.filter((r) => right(r, r.said.at(-1))).length;
const servedMore = served.filter((r) => more(r, r.said.at(-1)));
console.log(
  `\n${LIST_FROM === undefined ? 'served rule (each scene its own threshold)' : `one threshold ${LIST_FROM}`}: said ${served.length}, right ${servedRight}; where it says more than the label ${servedMore.length} (${servedMore.filter((r) => right(r, r.said.at(-1))).length} right)`,
);
if (process.argv.includes('--list')) {
  for (const r of rows.filter((r) => r.said.at(-1) || (r.accepted?.length ?? 0) > 0)) {
    const scene = r.said.at(-1);
    const verdict = r.accepted === undefined ? '?' : right(r, scene) ? 'right' : 'WRONG';
    const name = scene
      ? `${scene.score.toFixed(3)} ${sceneEnglish(scene.id)} [${verdict}${more(r, scene) ? ', says more' : ''}]`
      : '- none';
    console.log(`${name} ${r.file} (label: ${r.label.name}; accepted: ${(r.accepted ?? []).map(sceneEnglish).join(', ')})`);
  }
}
