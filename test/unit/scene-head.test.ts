import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { Hierarchy } from '../../src/bundle/hierarchy.js';
import { composeCaption, grammarOf } from '../../src/caption/compose-caption.js';
import { sceneFacts } from '../../src/caption/describe-scene.js';
import type { HedgedLabel } from '../../src/caption/hedge.js';
import { SCENES, sceneSaysMore, type PlaceScene } from '../../src/caption/place-scene.js';
import { headScene, sceneHeadProbabilities } from '../../src/caption/scene-head.js';
import { mayBeSideways } from '../../src/caption/sideways.js';
import sceneHead from '../../src/caption/scene-head.json' with { type: 'json' };
import { CLASSIFIER_MANIFEST, classifierOnlyCaptioner, peakedOn } from '../support/classifier-only.js';

const manifest = CLASSIFIER_MANIFEST;
const LANDSCAPE = 'n08646902';

/** entity -> bird: a root label and a noun. */
const hierarchy: Hierarchy = {
  root: 0,
  ids: ['n00001740', 'n01503061'],
  names: ['entity', 'bird'],
  parents: [[], [0]],
  leaves: [Int32Array.of(0), Int32Array.of(0)],
  depth: [0, 1],
};
const label = (node: number): HedgedLabel => ({
  id: hierarchy.ids[node]!,
  name: hierarchy.names[node]!,
  score: 0.5,
  path: hierarchy.ids.slice(0, node + 1),
  isRoot: node === 0,
});

describe('the scene head (src/caption/scene-head.json)', () => {
  it('reads the served classifier and says only scenes the vocabulary names, at a threshold of 0.5 or more', () => {
    assert.equal(sceneHead.classes, manifest.classes.length);
    assert.ok(sceneHead.models.includes(manifest.sha256), 'trained on efficientnet-lite0');
    assert.ok(sceneHead.heads.length > 0);
    for (const head of sceneHead.heads) {
      assert.equal(head.weight.length, manifest.classes.length);
      assert.ok(
        SCENES.some((s) => s.id === head.id),
        `${head.concept} has no scene word`,
      );
      assert.ok(head.from >= 0.5 && head.precision >= 0.9 && head.right >= 3, head.concept);
    }
  });

  it('when the classifier is sure of a tabby cat or a coffee mug, then no scene', () => {
    for (const name of ['tabby cat', 'coffee mug']) {
      assert.equal(headScene(peakedOn(name), manifest.sha256), undefined, name);
      assert.ok(
        sceneHeadProbabilities(peakedOn(name)).every((q) => q > 0 && q < 0.5),
        name,
      );
    }
  });

  it('on real tuning photos: a heath and a river panorama are landscapes (in place of a root label, never of a noun; only for the classifier it was trained on), a cup of coffee and cut fruit are not', async () => {
    const captioner = await classifierOnlyCaptioner();
    const { classifier } = captioner.models.caption;
    const cases = [
      ['/usr/share/doc/opencv-doc/opencv4/html/retina_TreeHdr_small.jpg', LANDSCAPE],
      ['/usr/share/doc/opencv-doc/opencv4/html/boat.jpg', LANDSCAPE],
      ['/usr/lib/python3/dist-packages/skimage/data/coffee.png', undefined],
      ['/usr/share/doc/opencv-doc/examples/data/fruits.jpg', undefined],
    ] as const;
    try {
      for (const [file, scene] of cases) {
        const source = await captioner.open(readFileSync(file));
        const probabilities = await classifier.predict(source.working, 'test');
        const said = headScene(probabilities, manifest.sha256);
        assert.equal(said?.id, scene, file);
        if (!said) continue;
        assert.equal(headScene(probabilities, 'another model'), undefined);
        assert.equal(sceneSaysMore(said, label(0), hierarchy), true);
        assert.equal(sceneSaysMore(said, label(1), hierarchy), false);
        const facts = sceneFacts([], label(0), undefined, said);
        assert.equal(composeCaption(facts, 'photo', '', grammarOf('en')).alt_text, 'An image of a landscape.');
        // No surer than the fallback it replaces: a photo stored sideways is still looked at turned (sideways.ts).
        // (given a trace of a person upright: a weak box; without one, no photo is looked at turned)
        const trace = { person: 0.45, face: 0 };
        assert.equal(mayBeSideways(facts, 'photo', source, trace), true);
        assert.equal(mayBeSideways(facts, 'photo', source, { person: 0.1, face: 0.1 }), false);
        assert.equal(mayBeSideways({ form: 'scene', scene: { ...said, weak: undefined } as PlaceScene }, 'photo', source, trace), false);
      }
    } finally {
      await captioner.close();
    }
  });
});
