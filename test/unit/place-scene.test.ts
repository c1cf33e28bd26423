import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Hierarchy } from '../../src/bundle/hierarchy.js';
import { composeCaption, grammarOf } from '../../src/caption/compose-caption.js';
import { PERSON_ID, sceneFacts } from '../../src/caption/describe-scene.js';
import type { HedgedLabel } from '../../src/caption/hedge.js';
import { ENGLISH_GRAMMAR } from '../../src/caption/languages/english.js';
import { CAPTION_LANGUAGES, LANGUAGE_PACKS } from '../../src/caption/languages/packs.js';
import { placeScene, SCENES, sceneSaysMore, sceneScores, type PlaceScene } from '../../src/caption/place-scene.js';
import { projectPath } from '../../src/project-root.js';

const SEASHORE = 'n09428293';
const ALP = 'n09359803';
const LANDSCAPE = 'n08646902';
const BUILDING = 'n02913152';
const fromOf = (id: string) => SCENES.find((s) => s.id === id)!.from;
const classOf = (name: string) => SCENES.flatMap((s) => s.classes).find((c) => (c as { name?: string }).name === name)!.id;

/** A classifier of four classes: seashore, alp, valley, tabby cat. */
const classIds = [classOf('seashore'), classOf('alp'), classOf('valley'), 'n02123045'];
const probabilities = (...p: number[]) => Float32Array.from(p);

/** entity -> geological formation -> (seashore, alp, valley); entity -> tabby cat. */
const hierarchy: Hierarchy = {
  root: 0,
  ids: ['n00001740', 'n09287968', ...classIds],
  names: ['entity', 'geological formation', 'seashore', 'alp', 'valley', 'tabby cat'],
  parents: [[], [0], [1], [1], [1], [0]],
  leaves: [Int32Array.of(0, 1, 2, 3), Int32Array.of(0, 1, 2), Int32Array.of(0), Int32Array.of(1), Int32Array.of(2), Int32Array.of(3)],
  depth: [0, 1, 2, 2, 2, 1],
};
const label = (node: number, score = 0.5): HedgedLabel => ({
  id: hierarchy.ids[node]!,
  name: hierarchy.names[node]!,
  score,
  path: [],
  isRoot: node === 0,
});

describe('the scene vocabulary (src/caption/scenes.json)', () => {
  it("every class it gathers is one of the classifier's, and a narrower scene's classes are all in the broader one", () => {
    const model = JSON.parse(readFileSync(projectPath('models/efficientnet-lite0/model.json'), 'utf8')) as { classes: { id: string }[] };
    const known = new Set(model.classes.map((c) => c.id));
    for (const scene of SCENES) for (const c of scene.classes) assert.ok(known.has(c.id), `${scene.english}: ${c.id}`);
    const landscape = new Set(SCENES.find((s) => s.id === LANDSCAPE)!.classes.map((c) => c.id));
    for (const id of [SEASHORE, ALP]) for (const c of SCENES.find((s) => s.id === id)!.classes) assert.ok(landscape.has(c.id));
  });

  it('a place of worship is no scene of its own: a church, a mosque or a stupa is a building', () => {
    assert.equal(
      SCENES.find((s) => s.id === 'n03953416'),
      undefined,
    );
    const building = SCENES.find((s) => s.id === BUILDING)!.classes.map((c) => (c as { name?: string }).name);
    for (const name of ['church', 'mosque', 'stupa', 'monastery']) assert.ok(building.includes(name), name);
  });

  it('every scene has its own threshold, none below 0.5 (a scene is said only where it is the more probable)', () => {
    for (const scene of SCENES) assert.ok(scene.from >= 0.5 && scene.from < 1, `${scene.english}: ${scene.from}`);
  });

  it('every scene has a name in every language pack', () => {
    for (const pack of LANGUAGE_PACKS.values())
      for (const scene of SCENES)
        assert.ok(pack.names[scene.id] ?? pack.names[pack.borrowed[scene.id] ?? ''], `${pack.lang}: ${scene.english}`);
  });
});

describe('placeScene', () => {
  it("a scene's score is the sum of its classes' probabilities", () => {
    const scores = sceneScores(classIds, probabilities(0.3, 0.2, 0.1, 0.4));
    assert.ok(Math.abs(scores.find((s) => s.id === LANDSCAPE)!.score - 0.6) < 1e-6);
    assert.equal(scores.find((s) => s.id === SEASHORE)!.best, classIds[0]);
  });

  it('when no scene reaches its threshold, then none is said', () => {
    assert.equal(placeScene(classIds, probabilities(0.2, 0.1, 0.1, 0.6)), undefined);
  });

  it('when a narrow scene is sure, then it is said; when only the broader one is, then the broader one', () => {
    assert.equal(placeScene(classIds, probabilities(0.8, 0.1, 0, 0.1))?.id, SEASHORE);
    assert.equal(placeScene(classIds, probabilities(0.4, 0.3, 0.2, 0.1))?.id, LANDSCAPE);
  });

  it('each scene is said from its own threshold (chosen on the tuning part), a narrower one only from its own', () => {
    const justBelow = (from: number) => from - 0.01;
    const justAbove = (from: number) => from + 0.01;
    const landscape = fromOf(LANDSCAPE);
    assert.equal(placeScene(classIds, probabilities(0, 0, justAbove(landscape), 1 - justAbove(landscape)))?.id, LANDSCAPE);
    assert.equal(placeScene(classIds, probabilities(0, 0, justBelow(landscape), 1 - justBelow(landscape))), undefined);
    const coast = fromOf(SEASHORE);
    assert.equal(placeScene(classIds, probabilities(justAbove(coast), 0, 0, 1 - justAbove(coast)))?.id, SEASHORE);
    assert.equal(placeScene(classIds, probabilities(justBelow(coast), 0, 0, 1 - justBelow(coast)))?.id, LANDSCAPE);
    const mountain = fromOf(ALP);
    assert.equal(placeScene(classIds, probabilities(0, justAbove(mountain), 0, 1 - justAbove(mountain)))?.id, ALP);
    assert.equal(placeScene(classIds, probabilities(0, justBelow(mountain), 0, 1 - justBelow(mountain)))?.id, LANDSCAPE);
  });

  it('when one threshold is given, then it holds for every scene (a measurement sweep)', () => {
    assert.equal(placeScene(classIds, probabilities(0, 0, 0.55, 0.45), 0.7), undefined);
    assert.equal(placeScene(classIds, probabilities(0.35, 0, 0, 0.65), 0.3)?.id, SEASHORE);
  });
});

describe('sceneSaysMore', () => {
  const coast: PlaceScene = { id: SEASHORE, score: 0.8, best: classIds[0]! };
  it("when the label is the root or a concept above the scene's best class, then the scene says more", () => {
    assert.equal(sceneSaysMore(coast, label(0), hierarchy), true);
    assert.equal(sceneSaysMore(coast, label(1), hierarchy), true);
  });
  it("when the label is the scene's own class or elsewhere, then the label stays", () => {
    assert.equal(sceneSaysMore(coast, label(2), hierarchy), false);
    assert.equal(sceneSaysMore(coast, label(5), hierarchy), false);
  });
  it('when the label is too abstract to say, then the scene says more', () => {
    assert.equal(sceneSaysMore(coast, label(5), hierarchy, new Set([hierarchy.ids[5]!])), true);
  });
});

describe('a scene in the alt-text', () => {
  const coast: PlaceScene = { id: SEASHORE, score: 0.8, best: classIds[0]! };
  const facts = sceneFacts([], label(0), undefined, coast);

  it('when nothing is detected and a scene is given, then English says "An image of" the scene', () => {
    assert.equal(facts.form, 'scene');
    assert.deepEqual(composeCaption(facts, 'photo', '', ENGLISH_GRAMMAR), {
      alt_text: 'An image of a coast.',
      description: 'An image of a coast.',
    });
    assert.equal(composeCaption(facts, 'photo', 'EXIT', ENGLISH_GRAMMAR).alt_text, "An image of a coast, with text that says 'EXIT'.");
  });

  it('a painting is said by the place it shows, in English and in every pack', () => {
    const mountains = sceneFacts([], label(0), undefined, { id: ALP, score: 0.7, best: classIds[1]! });
    assert.equal(composeCaption(mountains, 'painting', '', ENGLISH_GRAMMAR).alt_text, 'A painting of a mountain landscape.');
    for (const lang of CAPTION_LANGUAGES.filter((l) => l !== 'en')) {
      const said = composeCaption(mountains, 'painting', '', grammarOf(lang)).alt_text;
      const pack = LANGUAGE_PACKS.get(lang)!;
      assert.ok(said.includes(pack.names[ALP] ?? pack.names[pack.borrowed[ALP] ?? '']!), `${lang}: ${said}`);
    }
  });

  it('when people are detected, then they lead and the scene is not said', () => {
    const person = { classIndex: 0, id: PERSON_ID, name: 'person', score: 0.9, box: { x: 0.4, y: 0.4, width: 0.2, height: 0.4 } };
    assert.equal(sceneFacts([person], label(0), undefined, coast).form, 'list');
  });

  it('every language says the scene by its own name', () => {
    assert.equal(composeCaption(facts, 'photo', '', grammarOf('fr')).alt_text, 'Une image, lieu : côte.');
    assert.equal(composeCaption(facts, 'photo', '', grammarOf('de')).alt_text, 'Ein Bild, Ort: Küste.');
    for (const lang of CAPTION_LANGUAGES.filter((l) => l !== 'en')) {
      const said = composeCaption(facts, 'photo', '', grammarOf(lang)).alt_text;
      assert.ok(said.includes(LANGUAGE_PACKS.get(lang)!.names[SEASHORE]!), `${lang}: ${said}`);
    }
  });
});
